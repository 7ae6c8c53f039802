"""The Nagle workaround: sockets like Streamlit's (protocol 0) get TCP_NODELAY, and so do later connections."""

import os
import socket

import pytest

from analytics.tools import nodelay


def nodelay_of(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="the workaround needs /proc/self/fd (Linux)")
def test_enable_sets_nodelay_on_connected_and_later_accepted_sockets(monkeypatch):
    monkeypatch.setattr(nodelay, "_done", False)
    listener = socket.socket(family=socket.AF_INET)  # as Streamlit 1.67 binds it: protocol 0
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    early_client = socket.create_connection(listener.getsockname())
    early, _ = listener.accept()
    assert early.proto == 0 and nodelay_of(early) == 0 and nodelay_of(listener) == 0  # what asyncio leaves
    try:
        assert nodelay.enable() >= 3  # the listener, and both ends of the early connection
        assert nodelay_of(listener) and nodelay_of(early)
        late_client = socket.create_connection(listener.getsockname())
        late, _ = listener.accept()
        assert nodelay_of(late)  # inherited from the listening socket
        assert nodelay.enable() == 0  # once per process
        early.sendall(b"x")  # the descriptors are still open and usable (detached, not closed)
        assert early_client.recv(1) == b"x"
        for s in (late, late_client):
            s.close()
    finally:
        for s in (early, early_client, listener):
            s.close()


def test_checked_versions_are_matched_by_minor_version():
    assert nodelay.streamlit_checked("1.67.0") and nodelay.streamlit_checked("1.67.3")
    assert not nodelay.streamlit_checked("1.68.0")
    assert not nodelay.streamlit_checked("1.6.7")
    assert not nodelay.streamlit_checked("2.67.0")


def test_the_installed_streamlit_is_a_checked_one():
    """Fails on a Streamlit upgrade: check the workaround on a server again (tests/test_internals.py), then
    add the version to nodelay.CHECKED (or drop the workaround when the defect is gone)."""
    import streamlit

    assert nodelay.streamlit_checked(), (streamlit.__version__, nodelay.CHECKED)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="the workaround needs /proc/self/fd (Linux)")
def test_an_unchecked_streamlit_warns_and_changes_nothing(monkeypatch):
    import streamlit

    monkeypatch.setattr(nodelay, "_done", False)
    monkeypatch.setattr(streamlit, "__version__", "1.99.0")
    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        with pytest.warns(UserWarning, match="1.99.0"):
            assert nodelay.enable() == 0
        assert nodelay_of(listener) == 0
        assert nodelay.enable() == 0  # and says so once
    finally:
        listener.close()
