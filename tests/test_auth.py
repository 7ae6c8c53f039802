"""The data-officer gate: the import page shows only a sign-in form until a correct password is given."""

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from analytics import auth, importing
from analytics.config import ROOT

PAGE = str(ROOT / "pages" / "import.py")


@pytest.fixture
def db(seed_db_copy, monkeypatch):
    monkeypatch.setenv("PLM_DB", str(seed_db_copy))
    monkeypatch.delenv(auth.PASSWORD_ENV, raising=False)
    return seed_db_copy


@pytest.mark.parametrize("given,expected,ok", [("rahasia", "rahasia", True), ("rahasia ", "rahasia", False),
                                               ("", "rahasia", False), ("x", None, False), ("", None, False)])
def test_password_matches(given, expected, ok):
    assert auth.password_matches(given, expected) is ok


def _imports(path):
    return sqlite3.connect(path).execute("SELECT count(*) FROM imports").fetchone()[0]


def test_without_a_configured_password_nobody_can_sign_in(db):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Masuk sebagai petugas data"]
    assert "tidak ada yang dapat masuk" in at.warning[0].value
    assert len(at.text_input) == 0 and not at.get("file_uploader")
    assert _imports(db) == 0


def test_wrong_password_is_refused_and_the_right_one_opens_the_page(db, monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, "kunci-rahasia")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert [t.value for t in at.title] == ["Sign in as a data officer"]
    assert not at.get("file_uploader") and not at.get("selectbox")
    at.text_input(key="data_officer_password").input("salah")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Wrong password."]
    assert auth.SESSION_FLAG not in at.session_state
    at.text_input(key="data_officer_password").input("kunci-rahasia")
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state[auth.SESSION_FLAG] is True
    assert [t.value for t in at.title] == ["Import data"]
    assert at.selectbox(key="import_kind").options == [
        "Libraries (registry)", "PLMs and attendance", "Indicator reports", "Awards", "Stories", "Monitoring visits"]
    assert len(at.get("file_uploader")) == 1


def test_signed_in_officer_sees_recent_imports_and_can_undo_one(db):
    data = b"id_perpustakaan;siklus;indikator;nilai\r\n123;2018-3;kunjungan;4321\r\n"
    outcome = importing.run_import(db, data, "r.csv", "reports", user="ani")
    assert outcome.status == "done"
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[auth.SESSION_FLAG] = True
    at.run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert shown["id"].tolist() == [outcome.import_id] and shown["status"].tolist() == ["done"]
    at.button(key=f"undo_{outcome.import_id}").click().run()
    assert not at.exception
    assert at.success[0].value == f"Impor {outcome.import_id} dibatalkan (1 baris dikembalikan)."
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT status FROM imports WHERE id = ?", (outcome.import_id,)).fetchone() == ("undone",)
    assert conn.execute("SELECT count(*) FROM reports WHERE value = 4321 AND library_id = 123 AND cycle_id = '2018-3'"
                        ).fetchone() == (0,)


def test_sign_out_closes_the_page_again(db):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[auth.SESSION_FLAG] = True
    at.run()
    at.button(key="sign_out").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Masuk sebagai petugas data"]
