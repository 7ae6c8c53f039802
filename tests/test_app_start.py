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
