"""The Nagle workaround: sockets like Streamlit's (protocol 0) get TCP_NODELAY, and so do later connections."""

import os
import socket

import pytest

from analytics import nodelay


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
