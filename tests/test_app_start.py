"""First start under AppTest: a fresh PLM_DB is built, then the landing page shows the database's numbers."""

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from analytics.config import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def fresh_db(tmp_path, monkeypatch):
    path = tmp_path / "first-start.db"
    monkeypatch.setenv("PLM_DB", str(path))
    return path


def test_first_start_builds_the_demo_database_and_shows_headline_numbers(fresh_db):
    assert not fresh_db.exists()
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert fresh_db.exists()
    conn = sqlite3.connect(fresh_db)
    # The landing page's headline: libraries active in the last cycle, and reports received for it.
    active, reported = conn.execute("""
        SELECT count(*), sum(EXISTS (SELECT 1 FROM reports r WHERE r.library_id = l.id AND r.cycle_id = '2018-3'))
        FROM libraries l WHERE l.left_cycle IS NULL OR l.left_cycle >= '2018-3'""").fetchone()
    conn.close()
    shown = {m.label: m.value for m in at.metric}
    assert shown["Perpustakaan mitra aktif"] == f"{active:,}".replace(",", ".") == "890"
    assert shown["Laporan diterima"] == f"{reported:,}".replace(",", ".")
    assert any("Data demo" in i.value for i in at.info)  # demo data says so


def test_english_with_lang_en(fresh_db):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert "Active partner libraries" in {m.label for m in at.metric}
    assert any("Demo data" in i.value for i in at.info)


@pytest.mark.parametrize("prepare", ["empty_file", "schema_only"])
def test_a_database_without_data_says_how_to_fill_it(tmp_path, monkeypatch, prepare):
    from analytics import store

    path = tmp_path / "kosong.db"
    path.touch()
    if prepare == "schema_only":
        with store.opened(path) as conn:
            store.create_schema(conn)
    monkeypatch.setenv("PLM_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("belum berisi data PLM" in i.value and "python -m analytics demo" in i.value for i in at.info)
    assert path.stat().st_size == 0 or prepare == "schema_only"  # the file was not replaced by a demo


# --- a fresh server's first request names a page (issue 13, item 3) ------------------------------------------


def _pages_in_app() -> list[tuple[str, str, str]]:
    """(script, catalog key, URL path) of every page app.py lists."""
    import re

    source = (ROOT / "app.py").read_text()
    return re.findall(r'page\("(pages/\w+\.py)", "(\w+)", "([\w-]*)"', source)


def _first_run(port: int, page_name: str) -> tuple[list[str], list[str], list[str]]:
    """Ask a fresh server for ``page_name`` as a browser's first request does; the headings, exceptions and
    "page not found" messages the server sends until the script has finished."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    with connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None, open_timeout=30
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.page_name = page_name
        ws.send(msg.SerializeToString())
        headings, exceptions, not_found = [], [], []
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(ws.recv(timeout=120))
            kind = fwd.WhichOneof("type")
            if kind == "page_not_found":
                not_found.append(fwd.page_not_found.page_name or "(none)")
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "heading":
                    headings.append(element.heading.body)
                elif element.WhichOneof("type") == "exception":
                    exceptions.append(element.exception.message)
            elif kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return headings, exceptions, not_found


# Streamlit's pages/ mode knows a page by its file name (pages/data_quality.py is "data_quality"): a URL path
# that is not its file's name is the case that broke. Every such page is tried, on a server of its own.
@pytest.mark.parametrize("script,key,path", [p for p in _pages_in_app() if p[2] and p[2] != p[0][6:-3]])
def test_a_fresh_servers_first_request_for_a_page_shows_that_page(seed_db, tmp_path, script, key, path):
    import shutil

    from analytics.i18n import t
    from analytics.tools.server import Server

    db = tmp_path / "seed.db"
    shutil.copy(seed_db, db)
    with Server(db) as server:  # a new process: this is its very first request
        headings, exceptions, not_found = _first_run(server.port, path)
    assert not exceptions
    assert not not_found, f"'Page not found' sent for {path}"
    assert any(h.startswith(t(f"nav.{key}", "id")) for h in headings), headings
