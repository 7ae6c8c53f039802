"""Every page renders with ``PLM_DB`` set to a PostgreSQL URL, and shows the same figures as the same demo in
SQLite (one figure also checked with plain SQL on PostgreSQL, so the comparison is not two readings of one code
path only)."""

from __future__ import annotations

import psycopg
import pytest
import streamlit as st

from analytics import demo, snapshot
from tests.apptest_support import open_page
from tests.pg_support import pg_server  # noqa: F401  (fixture)

PAGES = [
    "pages/overview.py",
    "pages/participation.py",
    "pages/impact.py",
    "pages/compare.py",
    "pages/library.py",
    "pages/data_quality.py",
    "pages/stories.py",
    "pages/awards.py",
    "pages/present.py",
    "pages/import.py",
]


@pytest.fixture(scope="module")
def seed_pg(pg_server):  # noqa: F811
    """The seed demo (scale seed, seed 2018: the same as the ``seed_db`` file) on a PostgreSQL server."""
    url = pg_server.new_database()
    demo.build(url, "seed", 2018)
    yield url
    snapshot.forget(url)


@pytest.fixture
def on(monkeypatch):
    """Point the app at a database, with Streamlit's caches emptied."""

    def use(target) -> None:
        monkeypatch.setenv("PLM_DB", str(target))
        st.cache_data.clear()
        st.cache_resource.clear()

    yield use
    st.cache_data.clear()
    st.cache_resource.clear()


def shown(at) -> dict:
    """What a page shows that can be compared: its metrics, titles and tables."""
    return {
        "metrics": [(m.label, m.value) for m in at.metric],
        "titles": [t.value for t in at.title] + [h.value for h in at.header] + [s.value for s in at.subheader],
        "tables": [d.value.astype(str).to_dict("split") for d in at.dataframe],
    }


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.split("/")[1][:-3])
def test_every_page_shows_on_postgres_what_it_shows_on_sqlite(page, seed_pg, seed_db, on):
    params = {"province": "34", "to": "2018-2"} if page != "pages/import.py" else {}
    on(seed_pg)
    pg = open_page(page, **params)
    assert not pg.error, [e.value for e in pg.error]
    on(seed_db)
    lite = open_page(page, **params)
    assert shown(pg) == shown(lite)
    if page in ("pages/overview.py", "pages/data_quality.py", "pages/participation.py"):
        assert pg.metric, "the page shows its figures"


def id_number(text: str) -> float:
    """'1.234,5' (Indonesian) -> 1234.5."""
    return float(text.replace("%", "").replace(".", "").replace(",", "."))


def test_overview_figures_equal_plain_sql_on_postgres(seed_pg, on):
    on(seed_pg)
    at = open_page("pages/overview.py", province="34", to="2018-2")
    metrics = {m.label: m.value for m in at.metric}
    with psycopg.connect(seed_pg) as conn:
        activities, participants = conn.execute(
            """SELECT sum(CASE WHEN r.indicator_code = 'kegiatan' THEN r.value END),
                      sum(CASE WHEN r.indicator_code = 'peserta_kegiatan' THEN r.value END)
               FROM reports r JOIN libraries l ON l.id = r.library_id JOIN districts d ON d.code = l.district_code
               WHERE r.cycle_id = '2018-2' AND d.province_code = '34'"""
        ).fetchone()
        (visits,) = conn.execute(
            """SELECT count(*) FROM visits v JOIN libraries l ON l.id = v.library_id
               JOIN districts d ON d.code = l.district_code JOIN cycles c ON c.id = '2018-2'
               WHERE d.province_code = '34' AND v.visit_date BETWEEN c.start_date AND c.end_date"""
        ).fetchone()
    assert activities and visits  # the check compares something
    assert id_number(metrics["Kegiatan masyarakat"]) == activities
    assert id_number(metrics["Peserta kegiatan"]) == participants
    assert id_number(metrics["Kunjungan pemantauan"]) == visits
