"""Issue 13 item 11: from a library profile, present that library (its own deck, one click away, arrow keys).

The slides' figures are checked against SQL written here from docs/metrics.md (active cycles, "PLM held",
streaks over the cycles with a PLM held, a library's last reported cycle), never against analytics.views."""

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from analytics import dataset, deck
from analytics.config import ROOT
from analytics.filters import Filters

GARDU = 124  # Perpustakaan Desa Gardu Pintar 2, Kepek, Wonosari (Gunungkidul): awards and stories in the seed
KELOR = 123  # Perpustakaan Desa Kelor: neither awards nor stories

CYCLES = """
    SELECT c.id, c.seq,
           EXISTS (SELECT 1 FROM attendance a JOIN meetings m ON m.id = a.meeting_id
                   WHERE a.library_id = l.id AND m.cycle_id = c.id) AS attended,
           EXISTS (SELECT 1 FROM attendance a JOIN meetings m ON m.id = a.meeting_id
                   WHERE a.library_id = l.id AND m.cycle_id = c.id)
           OR EXISTS (SELECT 1 FROM meetings m WHERE m.cycle_id = c.id AND (
                   (m.level = 'kabupaten' AND m.region_code = l.district_code)
                   OR (m.level = 'provinsi' AND m.region_code = d.province_code) OR m.level = 'nasional')) AS held,
           EXISTS (SELECT 1 FROM reports r WHERE r.library_id = l.id AND r.cycle_id = c.id) AS reported
    FROM libraries l JOIN districts d ON d.code = l.district_code
    JOIN cycles c ON c.seq >= (SELECT seq FROM cycles WHERE id = l.joined_cycle)
                 AND (l.left_cycle IS NULL OR c.seq <= (SELECT seq FROM cycles WHERE id = l.left_cycle))
    WHERE l.id = ? ORDER BY c.seq DESC"""


@pytest.fixture(scope="module")
def ds(seed_db):
    return dataset.load(seed_db)


@pytest.fixture
def conn(seed_db):
    c = sqlite3.connect(seed_db)
    yield c
    c.close()


def number(text: str) -> float:
    return float(text.replace("%", "").replace(".", "").replace(",", "."))


def by_key(slides):
    return {s.key: s for s in slides}


def test_the_library_deck_against_sql(ds, seed_db, conn):
    slides = deck.build_library(ds, Filters(), GARDU, path=seed_db)
    (name,) = conn.execute("SELECT name FROM libraries WHERE id = ?", (GARDU,)).fetchone()
    assert [s.key for s in slides] == [
        "library.opening",
        "library.attendance",
        "library.indicators",
        "library.awards",
        "library.stories",
    ]
    s = by_key(slides)
    assert s["library.opening"].title == name == "Perpustakaan Desa Gardu Pintar 2"
    assert "Kepek · Wonosari · Gunungkidul · DI Yogyakarta" in s["library.opening"].subtitle

    cycles = conn.execute(CYCLES, (GARDU,)).fetchall()
    held = [c for c in cycles if c[3]]
    attended = sum(c[2] for c in held)
    figures = dict(zip(s["library.opening"].table.iloc[:, 0], s["library.opening"].table.iloc[:, 1]))
    assert figures[
        "Kehadiran PLM"
    ] == f"{attended} dari {len(held)} siklus dengan PLM ({100 * attended / len(held):.1f}%)".replace(".", ",")
    # streaks over the cycles with a PLM held, newest first: the current run, and the longest run
    now = next((i for i, c in enumerate(held) if not c[2]), len(held))
    longest = run = 0
    for c in held:
        run = run + 1 if c[2] else 0
        longest = max(longest, run)
    assert figures["Hadir berturut-turut: kini / terpanjang"] == f"{now} / {longest} siklus"
    reported = sum(c[4] for c in cycles)
    assert number(figures["Kelengkapan laporan"]) == pytest.approx(100 * reported / len(cycles), abs=0.05)
    (awards,) = conn.execute("SELECT count(*) FROM awards WHERE library_id = ?", (GARDU,)).fetchone()
    stories = [
        t
        for (t,) in conn.execute(
            "SELECT s.text FROM stories s JOIN cycles c ON c.id = s.cycle_id "
            "WHERE s.library_id = ? ORDER BY c.seq DESC, s.id DESC",
            (GARDU,),
        )
    ]
    assert number(figures["Penghargaan"]) == awards and number(figures["Cerita"]) == len(stories)

    table = s["library.attendance"].table  # every active cycle, newest first
    # '2018-3 · Sep–Des 2018': the code, then its months (tests/test_deck_months.py checks those)
    assert [c.split(" · ")[0] for c in table.iloc[:, 0]] == [c[0] for c in cycles]
    assert table.iloc[:, 1].tolist() == [
        ("Hadir" if c[2] else "Tidak hadir") if c[3] else "tidak ada PLM" for c in cycles
    ]

    (last,) = conn.execute(
        "SELECT c.id FROM reports r JOIN cycles c ON c.id = r.cycle_id WHERE r.library_id = ? "
        "ORDER BY c.seq DESC LIMIT 1",
        (GARDU,),
    ).fetchone()
    values = dict(
        conn.execute(
            "SELECT i.name_id, r.value FROM reports r JOIN indicators i ON i.code = "
            "r.indicator_code WHERE r.library_id = ? AND r.cycle_id = ?",
            (GARDU, last),
        )
    )
    assert s["library.indicators"].title.startswith(f"Indikator terhadap target, siklus {last} · ")
    shown = dict(zip(s["library.indicators"].table["Indikator"], s["library.indicators"].table["Nilai"]))
    assert set(shown) == set(values)
    for indicator, value in values.items():
        assert number(shown[indicator]) == pytest.approx(round(value))

    assert len(s["library.awards"].table) == awards and s["library.awards"].title == f"Penghargaan ({awards})"
    story_slide = s["library.stories"]
    assert [x.text for x in story_slide.stories + story_slide.more] == stories


def test_sections_without_awards_or_stories_are_left_out(ds, seed_db, conn):
    assert conn.execute(
        "SELECT (SELECT count(*) FROM awards WHERE library_id = :i) + "
        "(SELECT count(*) FROM stories WHERE library_id = :i)",
        {"i": KELOR},
    ).fetchone() == (0,)
    keys = [s.key for s in deck.build_library(ds, Filters(lang="en"), KELOR, path=seed_db)]
    assert keys == ["library.opening", "library.attendance", "library.indicators"]


@pytest.fixture
def app(seed_db, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("PLM_DB", str(seed_db))
    st.cache_data.clear()
    st.cache_resource.clear()


def position(at) -> str:
    return at.caption[0].value.split(" · ")[0]


def test_one_click_on_the_profile_presents_that_library_and_the_arrows_step(app):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["library"] = str(GARDU)
    at.run()
    at.switch_page("pages/library.py").run()
    assert not at.exception, [e.message for e in at.exception]
    button = at.button(key="library_present")
    assert button.label == "Presentasikan perpustakaan ini"
    button.click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Perpustakaan Desa Gardu Pintar 2"
    total = int(position(at).split()[-1])
    assert position(at) == f"Slide 1 dari {total}"
    assert at.caption[0].value.endswith("Perpustakaan Desa Gardu Pintar 2 · Gunungkidul")
    assert at.session_state["_filters"].present and at.session_state["_filters"].library == GARDU
    assert at.button(key="slide_next").proto.shortcut.lower() == "right"  # the arrow keys, as in the agenda deck
    at.button(key="slide_next").click().run()
    assert position(at) == f"Slide 2 dari {total}"
    assert at.title[0].value.startswith("Kehadiran PLM dan laporan per siklus")
    at.button(key="slide_exit").click().run()
    assert not at.session_state["_filters"].present
    assert at.header[0].value == "Perpustakaan Desa Gardu Pintar 2"  # back on the profile


def test_the_url_keeps_it_and_the_agenda_deck_stays_elsewhere(app):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for key, value in {"library": str(KELOR), "present": "1", "slide": "2"}.items():
        at.query_params[key] = value
    at.run()
    assert at.title[0].value.startswith("PLM Seluruh Indonesia")  # the default page: the agenda deck
    at.switch_page("pages/library.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert position(at).startswith("Slide 2 dari ")
    assert at.title[0].value.startswith("Kehadiran PLM dan laporan per siklus")
    assert "Perpustakaan Desa Kelor" in at.caption[0].value
