"""A database server that cannot be reached gives the officer a message, not a traceback (issue 15, item 3): at
the start, and when it is lost after the app has started (a later rerun, or in the middle of a query)."""

import socket
import time

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import demo, queries, snapshot, store, users
from analytics.app import auth
from analytics.config import ROOT
from tests import pg_support
from tests.apptest_support import open_page
from tests.pg_support import pg_server  # noqa: F401 (fixture)

ADMIN = "admin@example.org"


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


# --- a server lost after the app has started (issue: "lost in the middle of a later rerun") --------------------


@pytest.fixture(scope="module")
def seed_pg(pg_server):  # noqa: F811
    """The seed demo on a database of the test server, with one national admin (to be signed in)."""
    url = pg_server.new_database()
    demo.build(url, "seed", 2018)
    with store.opened(url) as conn:
        users.add(conn, ADMIN, name="Admin", role="national_admin", actor="test")
    yield url
    snapshot.forget(url)


@pytest.fixture
def app_on(seed_pg, pg_server, monkeypatch):  # noqa: F811
    """The app pointed at ``seed_pg`` with its caches emptied; the server's data version is kept (as within
    ``snapshot.VERSION_TTL`` of the last ask), so the start of a rerun passes and the page is what meets the
    loss. Connections are allowed again afterwards."""
    monkeypatch.setenv("PLM_DB", seed_pg)
    monkeypatch.setattr(snapshot, "VERSION_TTL", 3600.0)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield seed_pg
    pg_server.admin(f"ALTER DATABASE {seed_pg.rsplit('/', 1)[1]} ALLOW_CONNECTIONS true")
    snapshot.forget(seed_pg)
    st.cache_data.clear()
    st.cache_resource.clear()


def lose(pg_server, url, *, allow: bool = False) -> None:  # noqa: F811
    """The database goes away: its connections are ended by the server and new ones refused (``allow``: the
    way back)."""
    name = url.rsplit("/", 1)[1]
    pg_server.admin(f"ALTER DATABASE {name} ALLOW_CONNECTIONS {'true' if allow else 'false'}")
    if not allow:
        pg_server.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")


LOST = {"id": "Sambungan ke basis data terputus", "en": "The connection to the database was lost"}


def lost_message(at, lang: str = "id") -> str:
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(LOST[lang]), errors
    return errors[0]


@pytest.mark.parametrize("page", ["pages/stories.py", "pages/awards.py", "pages/participation.py", "signed in"])
def test_a_server_lost_before_a_later_rerun_gives_a_message_and_the_page_comes_back(app_on, pg_server, page):  # noqa: F811
    # the pages that ask the server on every rerun (not only the cached dataset); signed in, every rerun
    # also reads the account
    if page == "signed in":
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state[auth.SESSION_ACCOUNT] = {"email": ADMIN, "since": time.time(), "via": "password"}
        at.run()
        assert not at.exception, [e.message for e in at.exception]
    else:
        at = open_page(page)
    lose(pg_server, app_on)
    at.run()
    message = lost_message(at)
    assert app_on.rsplit("@", 1)[1] in message and pg_support.PASSWORD not in message
    lose(pg_server, app_on, allow=True)  # the server is back: the next rerun shows the page again
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_connection_ended_in_the_middle_of_a_query_gives_the_message(app_on, monkeypatch, lang):
    # the server ends the page's own connection while it reads (as a restart or a failover does)
    at = open_page("pages/stories.py", lang=lang)
    counts = queries.story_counts

    def ended(conn, *args):
        conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return counts(conn, *args)

    monkeypatch.setattr(queries, "story_counts", ended)
    at.run()
    assert "OperationalError" in lost_message(at, lang)
