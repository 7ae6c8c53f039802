"""Viewing modes (issue 15, item 2): open, signed-in only, own area only (PLM_VIEWING), enforced on every page,
and filters preset to an officer's area. AppTest on a copy of the seed database; what a page shows is read from
every element it drew (text, tables, chart specs)."""

from __future__ import annotations

import sqlite3
import time

import pytest
from streamlit.testing.v1 import AppTest

from analytics import users, viewing
from analytics.app import auth
from analytics.config import ROOT
from analytics.i18n import CATALOG

APP = str(ROOT / "app.py")
PAGES = ("overview", "participation", "impact", "compare", "library", "data_quality", "stories", "awards", "present")
ANI, BUDI, ADMIN, VERA = "ani@example.org", "budi@example.org", "admin@example.org", "vera@example.org"


@pytest.fixture
def db(seed_db_copy, monkeypatch):
    monkeypatch.setenv("PLM_DB", str(seed_db_copy))
    monkeypatch.delenv(viewing.ENV, raising=False)
    conn = sqlite3.connect(seed_db_copy)
    conn.execute("PRAGMA foreign_keys = ON")
    for email, role, areas in (
        (ANI, "district_officer", ["34.03"]),
        (BUDI, "province_officer", ["34"]),
        (ADMIN, "national_admin", []),
        (VERA, "viewer", []),
    ):
        users.add(conn, email, name=email.split("@")[0], role=role, areas=areas, actor="test")
    conn.close()
    return seed_db_copy


def names(db, sql: str, params=()) -> list[str]:
    return [r[0] for r in sqlite3.connect(db).execute(sql, params)]


def run(email: str | None = None, page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    if email:
        at.session_state[auth.SESSION_ACCOUNT] = {"email": email, "since": time.time(), "via": "password"}
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    """Everything the run drew, as text: every element's message (titles, tables, metrics, chart specs...)."""

    def walk(node) -> list[str]:
        out = [str(node.proto)] if getattr(node, "proto", None) is not None else []
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else []:
            out += walk(child)
        return out

    text = "\n".join(walk(at._tree))
    for labels in CATALOG.values():  # the interface's fixed words (a map caption names two provinces)
        for label in labels.values():
            if "{" not in label and len(label) > 20:
                text = text.replace(label, "")
    return text


def test_the_mode_is_read_from_the_environment_and_a_typo_fails_closed():
    assert [viewing.parse_mode(v) for v in (None, "", "open", "Signed-In", "own_area", "everyone")] == [
        "open",
        "open",
        "open",
        "signed-in",
        "own-area",
        "own-area",
    ]


def test_open_mode_shows_everything_to_anyone(db):
    at = run()
    assert [t.value for t in at.title] == ["Ringkasan"]
    assert "Jawa Timur" in shown(at)  # the map: every province (the control for the own-area test below)


def test_signed_in_mode_shows_only_a_sign_in_prompt_to_anonymous_visitors(db, monkeypatch):
    monkeypatch.setenv(viewing.ENV, "signed-in")
    for page in (None, "library", "import"):
        at = run(page=page)
        assert [t.value for t in at.title] == ["Masuk untuk melihat dasbor"], page
        assert not at.metric and not at.dataframe and not at.get("plotly_chart"), page
        assert "Jawa Timur" not in shown(at) and "DI Yogyakarta" not in shown(at)
        assert at.text_input(key="sign_in_email") is not None
    at = run(VERA)  # any account, even a viewer without an area, sees everything
    assert [t.value for t in at.title] == ["Ringkasan"] and "Jawa Timur" in shown(at)


@pytest.mark.parametrize("page", PAGES)
def test_own_area_mode_never_shows_another_area(db, monkeypatch, page):
    monkeypatch.setenv(viewing.ENV, "own-area")
    other_library = names(db, "SELECT id FROM libraries WHERE district_code = '35.05' ORDER BY id")[0]
    # links that ask for another province, district, library and comparison
    at = run(ANI, page, province="35", district="35.05", library=str(other_library), compare="p:35,d:35.05")
    text = shown(at)
    others = names(db, "SELECT name FROM provinces WHERE code != '34'")
    assert [n for n in others if n in text] == []
    neighbours = names(db, "SELECT name FROM districts WHERE province_code = '34' AND code != '34.03'")
    assert [n for n in neighbours if n in text] == []
    own = names(db, "SELECT name FROM libraries WHERE district_code = '34.03'")
    strangers = [
        n
        for n in names(db, "SELECT name FROM libraries WHERE district_code != '34.03' AND length(name) > 12")
        if not any(n in mine for mine in own)
    ]
    assert len(strangers) > 100
    assert [n for n in strangers if n in text] == []
    assert at.session_state["_filters"].province == "34" and at.session_state["_filters"].district == "34.03"


def test_own_area_sidebar_offers_only_the_area(db, monkeypatch):
    monkeypatch.setenv(viewing.ENV, "own-area")
    ani = run(ANI)
    province, district = ani.sidebar.selectbox[0], ani.sidebar.selectbox[1]
    assert (province.options, province.value) == (["DI Yogyakarta"], "34")
    assert (district.options, district.value) == (["Gunungkidul"], "34.03")
    budi = run(BUDI)
    province, district = budi.sidebar.selectbox[0], budi.sidebar.selectbox[1]
    assert province.options == ["DI Yogyakarta"]
    expected = names(db, "SELECT name FROM districts WHERE province_code = '34' ORDER BY code")
    assert district.options[1:] == expected and len(district.options) == len(expected) + 1  # and "all"
    admin = run(ADMIN)
    assert len(admin.sidebar.selectbox[0].options) == 1 + len(names(db, "SELECT code FROM provinces"))
    assert "Jawa Timur" in shown(admin)


def test_own_area_headline_is_that_of_the_area(db, monkeypatch):
    open_view = run(None, None, province="34", district="34.03")
    monkeypatch.setenv(viewing.ENV, "own-area")
    own = run(ANI)
    assert [m.value for m in own.metric] == [m.value for m in open_view.metric]
    assert own.metric


def test_own_area_account_without_an_area_sees_nothing(db, monkeypatch):
    monkeypatch.setenv(viewing.ENV, "own-area")
    at = run(VERA)
    assert "belum diberi wilayah" in at.error[0].value
    assert not at.metric and "DI Yogyakarta" not in shown(at)


def test_an_officer_lands_on_their_area_when_the_link_names_none(db):
    ani = run(ANI)
    assert ani.query_params["province"] == "34" and ani.query_params["district"] == "34.03"
    budi = run(BUDI)
    assert budi.query_params["province"] == "34" and "district" not in budi.query_params
    assert run(ANI, None, province="35").session_state["_filters"].province == "35"  # open: a link still wins
    assert run(ADMIN).session_state["_filters"].province is None


def import_page(db, email: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "import.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.session_state[auth.SESSION_ACCOUNT] = {"email": email, "since": time.time(), "via": "password"}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_national_admins_read_the_audit_on_the_import_page(db):
    from analytics import importing

    data = b"id_perpustakaan;siklus;indikator;nilai\r\n123;2018-3;kunjungan;4321\r\n"
    done = importing.run_import(str(db), data, "r.csv", "reports", user=ANI)
    admin = import_page(db, ADMIN)
    assert [s.value for s in admin.subheader if s.value == "Audit log"] == ["Audit log"]
    audit = admin.dataframe[-1].value
    assert list(audit.columns) == ["When (UTC)", "By", "Action", "Target", "Details"]
    expected = sqlite3.connect(db).execute("SELECT actor, action, target FROM audit_log ORDER BY id DESC").fetchall()
    assert list(zip(audit["By"], audit["Action"], audit["Target"])) == expected
    assert (ANI, "import", str(done.import_id)) in expected
    officer = import_page(db, BUDI)
    assert "Audit log" not in [s.value for s in officer.subheader]


def test_own_area_import_page_lists_only_the_officers_imports_and_no_export(db, monkeypatch):
    from analytics import importing

    data = b"id_perpustakaan;siklus;indikator;nilai\r\n123;2018-3;kunjungan;4321\r\n"
    importing.run_import(str(db), data, "r.csv", "reports", user=ADMIN)
    mine = importing.run_import(str(db), data.replace(b"4321", b"4322"), "mine.csv", "reports", user=BUDI)
    assert "Export a table" in [s.value for s in import_page(db, BUDI).subheader]  # open viewing: all of it
    monkeypatch.setenv(viewing.ENV, "own-area")
    at = import_page(db, BUDI)
    assert at.dataframe[0].value["id"].tolist() == [mine.import_id]
    assert "Export a table" not in [s.value for s in at.subheader]
    assert "national admins only" in at.caption[-1].value


def test_the_area_of_each_kind_of_account(seed_db):
    from analytics import dataset, filters

    choices = dataset.load(seed_db).choices
    of_34 = {c for c, (p, _) in choices.districts.items() if p == "34"}

    def user(role, *areas):
        return users.User(1, "x@example.org", "X", role, areas, False)

    ani = viewing.area(user("district_officer", "34.03", "35.05"), choices)
    assert (ani.provinces, ani.districts, ani.whole) == ({"34", "35"}, {"34.03", "35.05"}, set())
    budi = viewing.area(user("province_officer", "34"), choices)
    assert (budi.provinces, budi.districts, budi.whole) == ({"34"}, of_34, {"34"})
    mixed = viewing.area(user("viewer", "34", "35.05"), choices)
    assert (mixed.provinces, mixed.districts, mixed.whole) == ({"34", "35"}, of_34 | {"35.05"}, {"34"})
    assert viewing.area(user("national_admin"), choices) is None
    assert not viewing.area(user("district_officer", "99.99"), choices).provinces  # nothing known: nothing
    # the region always lands inside the area
    f = viewing.restrict_filters(filters.Filters(province="35", district="35.07"), ani)
    assert (f.province, f.district) == ("35", "35.05")
    f = viewing.restrict_filters(filters.Filters(), ani)
    assert (f.province, f.district) == ("34", "34.03")
    f = viewing.restrict_filters(filters.Filters(province="34", district=None), budi)
    assert (f.province, f.district) == ("34", None)
    f = viewing.restrict_filters(filters.Filters(province="34", district="35.05"), mixed)
    assert (f.province, f.district) == ("34", None)
