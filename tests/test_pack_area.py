"""Issue 13 item 12: the meeting pack is for the chosen area (after a page change too), says which cycle it covers
in its text, title and file name, leaves out empty sections, and the next PLM's pack is one click away.

The numbers are checked against SQL written here from docs/metrics.md (active library: joined <= cycle <= left)."""

from __future__ import annotations

import datetime as dt
import html
import re
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from analytics import dataset, deck, pack
from analytics.config import ROOT
from analytics.filters import Filters
from analytics.i18n import t

ACTIVE = """
    SELECT count(*) FROM libraries l
    WHERE l.district_code = :district AND (:tier IS NULL OR l.tier = :tier)
      AND (SELECT seq FROM cycles WHERE id = l.joined_cycle) <= (SELECT seq FROM cycles WHERE id = :cycle)
      AND (l.left_cycle IS NULL OR (SELECT seq FROM cycles WHERE id = l.left_cycle)
                                   >= (SELECT seq FROM cycles WHERE id = :cycle))"""


def sql_active(db, district, cycle, tier=None) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(ACTIVE, {"district": district, "cycle": cycle, "tier": tier}).fetchone()[0]
    finally:
        conn.close()


def story_kinds(db, district, cycle) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {
            k
            for (k,) in conn.execute(
                "SELECT DISTINCT s.kind FROM stories s JOIN libraries l ON l.id = "
                "s.library_id WHERE s.cycle_id = ? AND l.district_code = ?",
                (cycle, district),
            )
        }
    finally:
        conn.close()


def headline_active(text: str) -> int:
    found = re.search(r"<td>Perpustakaan mitra aktif</td><td class=\"num\">([\d.]+)</td>", text)
    assert found, "the headline table's active libraries"
    return int(found.group(1).replace(".", ""))


@pytest.fixture(scope="module")
def packs(seed_db):
    """The stories page reached by a page change from a participation link for Gunungkidul, desa libraries, range
    ending 2018-1: the pack download buttons it draws, as {key: (label, file name, HTML)}."""
    import streamlit as st

    captured = {}
    original = st.download_button

    def spy(label, data, file_name=None, **kwargs):
        if str(kwargs.get("key", "")).startswith("pack_download"):
            captured[kwargs["key"]] = (label, file_name, data)
        return original(label, data, file_name=file_name, **kwargs)

    with pytest.MonkeyPatch.context() as patch:  # once for the module: two packs built, two tests read them
        patch.setenv("PLM_DB", str(seed_db))
        patch.setattr(st, "download_button", spy)
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        for key, value in {"district": "34.03", "tier": "desa", "to": "2018-1"}.items():
            at.query_params[key] = value
        at.run()
        at.switch_page("pages/participation.py").run()
        at.switch_page("pages/stories.py").run()  # a page change: the filters follow
        assert not at.exception, [e.message for e in at.exception]
        return {k: (label, name, data().decode("utf-8")) for k, (label, name, data) in captured.items()}


def test_the_pack_after_a_page_change_is_for_the_chosen_area_and_cycle(seed_db, packs):
    label, name, text = packs["pack_download"]
    assert label == "Unduh paket pertemuan (HTML)"
    assert name == "paket-plm-gunungkidul-2018-1.html"
    assert "<title>Paket pertemuan: PLM Gunungkidul — siklus 2018-1 · Jan–Apr 2018</title>" in text
    assert "<h1>PLM Gunungkidul — siklus 2018-1 · Jan–Apr 2018</h1>" in text
    assert (
        html.escape("Paket ini untuk Gunungkidul, siklus 2018-1 · Jan–Apr 2018 (1 Januari 2018 – 30 April 2018).")
        in text
    )
    assert headline_active(text) == sql_active(seed_db, "34.03", "2018-1", tier="desa")
    assert "Seluruh Indonesia" not in text


def test_the_next_plm_pack_is_one_click_for_the_area_and_latest_complete_cycle(seed_db, packs):
    label, name, text = packs["pack_download_next"]
    # The seed's last cycle, 2018-3, ended long before today: the next PLM reviews it, whatever the range (to 2018-1).
    assert label == "Paket PLM berikutnya (siklus 2018-3 · Sep–Des 2018)"
    assert name == "paket-plm-gunungkidul-2018-3.html"
    assert "<h1>PLM Gunungkidul — siklus 2018-3 · Sep–Des 2018</h1>" in text
    assert (
        html.escape("Paket ini untuk Gunungkidul, siklus 2018-3 · Sep–Des 2018 (1 September 2018 – 31 Desember 2018).")
        in text
    )
    # every partner library of the area, not only the desa tier chosen in the sidebar
    assert headline_active(text) == sql_active(seed_db, "34.03", "2018-3")
    assert headline_active(text) > sql_active(seed_db, "34.03", "2018-3", tier="desa")


def test_empty_sections_are_left_out_of_the_pack(seed_db, tmp_path):
    ds = dataset.load(seed_db)
    f = Filters(province="34", district="34.03", to_cycle="2018-2")
    text = pack.build(ds, f, path=seed_db, generated=dt.date(2026, 1, 1))
    kinds = story_kinds(seed_db, "34.03", "2018-2")
    assert kinds and kinds != set(deck.STORY_KINDS)  # some kinds have stories, some have none
    for kind in deck.STORY_KINDS:
        assert (f'id="sharing.{kind}"' in text) == (kind in kinds)
    assert html.escape(t("deck.no_stories", "id")) not in text
    assert "Belum ada cerita" not in text


@pytest.mark.parametrize(
    "today,expected",
    [
        (dt.date(2018, 7, 1), "2018-1"),  # 2018-1 = January–April 2018 ended on 30 April
        (dt.date(2018, 4, 30), "2017-3"),  # its last day: not complete yet
        (dt.date(2018, 5, 1), "2018-1"),
        (dt.date(2030, 1, 1), "2018-3"),  # the data's last cycle
        (dt.date(2000, 1, 1), "2011-1"),  # none ended: the first cycle
    ],
)
def test_latest_complete_cycle_by_hand(seed_db, today, expected):
    ds = dataset.load(seed_db)
    assert pack.latest_complete_cycle(ds, today) == expected
    f = pack.next_plm_filters(
        ds,
        Filters(
            province="33",
            tier="desa",
            cohort="pilot_2011",
            from_cycle="2012-1",
            to_cycle="2013-1",
            indicator="kegiatan",
            lang="en",
        ),
        today,
    )
    assert f == Filters(lang="en", province="33", indicator="kegiatan", to_cycle=expected)
