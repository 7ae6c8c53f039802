"""A database server that cannot be reached gives the officer a message, not a traceback (issue 15, item 3)."""

import socket

from streamlit.testing.v1 import AppTest

from analytics.config import ROOT


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # free once closed: nothing listens there


def test_an_unreachable_postgresql_server_shows_a_message(monkeypatch):
    url = f"postgresql://plm:secret@127.0.0.1:{_closed_port()}/plm?connect_timeout=2"
    monkeypatch.setenv("PLM_DB", url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert errors and "Basis data tidak dapat dibaca" in errors[0], errors
    assert "secret" not in " ".join(errors)  # the password of the URL is never shown
