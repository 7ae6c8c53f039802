"""The PLM agenda deck (analytics/deck.py) on the seed database, checked against SQL written here."""

from __future__ import annotations

import sqlite3

import pytest

from analytics import dataset, deck
from analytics.filters import Filters
from analytics.i18n import t


@pytest.fixture(scope="module")
def ds(seed_db):
    return dataset.load(seed_db)


def number(text: str) -> float:
    """'1.234' / '87,5%' (Indonesian) -> 1234 / 87.5."""
    return float(text.replace("%", "").replace(".", "").replace(",", "."))


def by_key(slides):
    return {s.key: s for s in slides}


ACTIVE_IN_DISTRICT = """
    SELECT l.id, l.name FROM libraries l
    WHERE l.district_code = :district
      AND (SELECT seq FROM cycles WHERE id = l.joined_cycle) <= (SELECT seq FROM cycles WHERE id = :cycle)
      AND (l.left_cycle IS NULL OR (SELECT seq FROM cycles WHERE id = l.left_cycle)
                                   >= (SELECT seq FROM cycles WHERE id = :cycle))
"""


def test_district_deck_has_the_three_parts_in_order(ds, seed_db):
    slides = deck.build(ds, Filters(province="34", district="34.03", to_cycle="2018-2"), path=seed_db)
    conn = sqlite3.connect(seed_db)
    kinds = {
        k
        for (k,) in conn.execute(
            "SELECT DISTINCT s.kind FROM stories s JOIN libraries l ON l.id = s.library_id "
            "WHERE s.cycle_id = '2018-2' AND l.district_code = '34.03'"
        )
    }
    conn.close()
    assert kinds == {"achievement"}  # Gunungkidul shared only achievements in 2018-2
    # Sections without a story ("no story yet") are left out (issue 13 item 12): only the achievements slide.
    assert [s.key for s in slides] == [
        "opening",
        "achievements.headline",
        "achievements.libraries",
        "achievements.indicator",
        "achievements.scorecard",
        "reporting.trend",
        "reporting.table",
        "reporting.missing",
        "sharing.counts",
        "sharing.achievement",
    ]
    assert [s.part for s in slides] == [0, 1, 1, 1, 1, 2, 2, 2, 3, 3]
    assert not any(s.note == t("deck.no_stories", "id") for s in slides)
    assert slides[0].title == "PLM Gunungkidul — siklus 2018-2 · Mei–Agu 2018"  # the months beside the cycle
    assert "1 Mei 2018" in slides[0].subtitle and "31 Agustus 2018" in slides[0].subtitle


def test_district_deck_goes_library_by_library(ds, seed_db):
    slides = by_key(deck.build(ds, Filters(province="34", district="34.03", to_cycle="2018-2"), path=seed_db))
    table = slides["achievements.libraries"].table
    conn = sqlite3.connect(seed_db)
    p = {"district": "34.03", "cycle": "2018-2"}
    active = dict(conn.execute(ACTIVE_IN_DISTRICT, p).fetchall())
    attended = {
        i
        for (i,) in conn.execute(
            "SELECT DISTINCT a.library_id FROM attendance a JOIN meetings m ON m.id = a.meeting_id "
            "WHERE m.cycle_id = :cycle",
            p,
        )
    }
    visits = dict(
        conn.execute(
            "SELECT library_id, value FROM reports WHERE cycle_id = :cycle AND indicator_code = 'kunjungan'", p
        ).fetchall()
    )
    conn.close()
    assert sorted(table["Perpustakaan"]) == sorted(active.values())
    assert len(table) == 31  # Gunungkidul's 29 village partners, its DPK and the provincial library
    by_name = {name: i for i, name in active.items()}
    for row in table.itertuples(index=False):
        library_id = by_name[row[0]]
        assert row[2] == ("Ya" if library_id in attended else "Tidak")
        value = row[5]
        if library_id in visits:
            assert number(value) == round(visits[library_id])
        else:
            assert value == "–"
    shown = [number(v) for v in table.iloc[:, 5] if v != "–"]
    assert shown == sorted(shown, reverse=True)  # highest first


def test_headline_numbers_equal_sql(ds, seed_db):
    slides = by_key(deck.build(ds, Filters(province="34", district="34.03", to_cycle="2018-2"), path=seed_db))
    table = slides["achievements.headline"].table.set_index("Ukuran")
    conn = sqlite3.connect(seed_db)
    p = {"district": "34.03", "cycle": "2018-2"}
    ids = [i for i, _ in conn.execute(ACTIVE_IN_DISTRICT, p)]
    marks = ",".join("?" * len(ids))
    (reported,) = conn.execute(
        f"SELECT count(DISTINCT library_id) FROM reports WHERE cycle_id = ? AND library_id IN ({marks})",
        ["2018-2", *ids],
    ).fetchone()
    (activities,) = conn.execute(
        f"SELECT sum(value) FROM reports WHERE cycle_id = ? AND indicator_code = 'kegiatan' "
        f"AND library_id IN ({marks})",
        ["2018-2", *ids],
    ).fetchone()
    conn.close()
    assert number(table.loc["Perpustakaan mitra aktif", "2018-2 · Mei–Agu 2018"]) == len(ids)
    assert number(table.loc["Laporan diterima", "2018-2 · Mei–Agu 2018"]) == reported
    assert number(table.loc["Kegiatan masyarakat", "2018-2 · Mei–Agu 2018"]) == activities


def test_province_deck_goes_district_by_district(ds, seed_db):
    slides = by_key(deck.build(ds, Filters(province="34", to_cycle="2018-3"), path=seed_db))
    assert "achievements.libraries" not in slides and "achievements.map" in slides
    table = slides["achievements.regions"].table.set_index("Kabupaten/kota")
    conn = sqlite3.connect(seed_db)
    rows = conn.execute("""
        SELECT d.name, count(*),
               sum(EXISTS (SELECT 1 FROM attendance a JOIN meetings m ON m.id = a.meeting_id
                           WHERE a.library_id = l.id AND m.cycle_id = '2018-3')),
               sum(EXISTS (SELECT 1 FROM reports r WHERE r.library_id = l.id AND r.cycle_id = '2018-3'))
        FROM libraries l JOIN districts d ON d.code = l.district_code
        WHERE d.province_code = '34' AND l.left_cycle IS NULL GROUP BY d.name""").fetchall()
    conn.close()
    assert set(table.index) == {name for name, *_ in rows}
    for name, active, attended, reported in rows:
        assert number(table.loc[name, "Perpustakaan aktif"]) == active
        assert number(table.loc[name, "Tingkat kehadiran PLM"]) == pytest.approx(100 * attended / active, abs=0.05)
        assert number(table.loc[name, "Tingkat pelaporan"]) == pytest.approx(100 * reported / active, abs=0.05)
    reporting = slides["reporting.table"].table.set_index("Kabupaten/kota")
    for name, active, _, reported in rows:
        assert number(reporting.loc[name, "Tingkat pelaporan"]) == pytest.approx(100 * reported / active, abs=0.05)
    # the map carries its outlines (a pack opened offline draws them)
    shaded = slides["achievements.map"].figure.data[0]
    assert isinstance(shaded.geojson, dict) and shaded.geojson["type"] == "FeatureCollection"


def test_sharing_slides_hold_the_cycles_stories(ds, seed_db):
    slides = by_key(deck.build(ds, Filters(lang="en"), path=seed_db))
    conn = sqlite3.connect(seed_db)
    for kind in deck.STORY_KINDS:
        texts = [t for (t,) in conn.execute("SELECT text FROM stories WHERE cycle_id = '2018-3' AND kind = ?", (kind,))]
        if not texts:
            assert f"sharing.{kind}" not in slides  # an empty section is left out
            continue
        slide = slides[f"sharing.{kind}"]
        shown = [s.text for s in slide.stories + slide.more]
        assert sorted(shown) == sorted(texts)
        assert len(slide.stories) == min(len(texts), deck.MAX_STORIES)
    counts = dict(conn.execute("SELECT kind, count(*) FROM stories WHERE cycle_id = '2018-1' GROUP BY kind"))
    conn.close()
    figure = slides["sharing.counts"].figure
    for trace, kind in zip(figure.data, deck.STORY_KINDS):
        assert dict(zip(trace.x, trace.y))["2018-1"] == counts.get(kind, 0)
    assert slides["sharing.counts"].title == "Stories shared up to cycle 2018-3 · Sep–Dec 2018"


def test_names_in_figures_are_shown_literally(seed_db_copy):
    conn = sqlite3.connect(seed_db_copy)
    conn.execute("UPDATE libraries SET name = '<b>Bold</b> Kepek' WHERE name = 'Perpustakaan Desa Gardu Pintar 2'")
    conn.commit()
    conn.close()
    ds = dataset.load(seed_db_copy)
    slides = by_key(deck.build(ds, Filters(province="34", district="34.03", to_cycle="2018-2"), path=seed_db_copy))
    assert "<b>Bold</b> Kepek" in list(slides["achievements.libraries"].table["Perpustakaan"])  # tables: plain
    labels = [str(y) for y in slides["achievements.indicator"].figure.data[0].y]
    assert "&lt;b&gt;Bold&lt;/b&gt; Kepek" in labels and "<b>Bold</b> Kepek" not in labels
