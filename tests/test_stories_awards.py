"""The Stories and Awards pages under AppTest on the seed database, checked against SQL written here.

Pages open through app.py's navigation with a link's parameters, as in tests/test_pages.py."""

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from analytics.config import ROOT
from analytics.filters import Filters, to_params
from tests.apptest_support import open_drawers, story_paragraphs

pytestmark = pytest.mark.usefixtures("fresh_caches")  # the app on the seed database, empty caches


def open_page(script: str, filters: Filters) -> AppTest:
    """Open ``script`` with the URL parameters of ``filters``: they seed the session in the first run (AppTest
    starts at the default page) and carry over to the page switched to."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in to_params(filters).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(script).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["_filters"] == filters
    return at


def texts(at) -> list[str]:
    return story_paragraphs(at)


STORIES = """
    SELECT s.text FROM stories s JOIN libraries l ON l.id = s.library_id JOIN districts d ON d.code = l.district_code
    JOIN cycles c ON c.id = s.cycle_id
    WHERE (:province IS NULL OR d.province_code = :province) AND (:district IS NULL OR l.district_code = :district)
      AND c.seq BETWEEN (SELECT seq FROM cycles WHERE id = :first) AND (SELECT seq FROM cycles WHERE id = :last)
      AND (:kind IS NULL OR s.kind = :kind)
      AND (:text IS NULL OR lower(s.text) LIKE '%' || lower(:text) || '%'
           OR lower(l.name) LIKE '%' || lower(:text) || '%')
"""


def sql_stories(seed_db, **where) -> list[str]:
    p = {"province": None, "district": None, "first": "2011-1", "last": "2018-3", "kind": None, "text": None, **where}
    conn = sqlite3.connect(seed_db)
    rows = [r for (r,) in conn.execute(STORIES, p)]
    conn.close()
    return rows


def all_listed(at):
    """The stories page with every match listed: "next ten" clicked until none is left (ten are listed first)."""
    while more := [b for b in at.button if b.key == "stories_more"]:
        more[0].click().run()
    return at


def test_stories_of_a_district_are_all_listed(seed_db):
    at = all_listed(open_page("pages/stories.py", Filters(province="34", district="34.03")))
    expected = sql_stories(seed_db, district="34.03")
    assert 0 < len(expected) <= 50
    shown = texts(at)
    assert sorted(t for t in shown if t in expected) == sorted(expected)
    assert at.caption[-1].value == f"{len(expected)} cerita ditemukan."


def test_stories_search_by_text_and_kind(seed_db):
    at = open_page("pages/stories.py", Filters(province="33"))
    at.text_input(key="stories_text").input("PELATIHAN").run()
    at.selectbox(key="stories_kind").select("achievement").run()
    assert not at.exception
    expected = sql_stories(seed_db, province="33", text="pelatihan", kind="achievement")
    assert expected and sorted(t for t in texts(at) if t in expected) == sorted(expected[:50])
    assert all("Pencapaian" in m for m in texts(at) if " · " in m)  # every listed story is an achievement
    assert at.caption[-1].value.startswith(f"{len(expected)} cerita")


def test_stories_count_chart_equals_sql(seed_db):
    import json

    at = open_page("pages/stories.py", Filters(lang="en", from_cycle="2017-1"))
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    conn = sqlite3.connect(seed_db)
    counts = dict(
        ((c, k), n)
        for c, k, n in conn.execute(
            "SELECT cycle_id, kind, count(*) FROM stories WHERE cycle_id >= '2017-1' GROUP BY 1, 2"
        )
    )
    conn.close()
    names = {"Achievement": "achievement", "Obstacle": "obstacle", "Challenge": "challenge", "Innovation": "innovation"}
    for trace in figure["data"]:
        kind = names[trace["name"]]
        ys = trace["y"]
        if isinstance(ys, dict):
            import base64

            import numpy as np

            ys = np.frombuffer(base64.b64decode(ys["bdata"]), dtype=np.dtype(ys["dtype"])).tolist()
        for cycle, y in zip(trace["x"], ys):
            assert y == counts.get((cycle, kind), 0)


def test_stories_are_plain_text(seed_db_copy, monkeypatch):
    monkeypatch.setenv("PLM_DB", str(seed_db_copy))
    conn = sqlite3.connect(seed_db_copy)
    conn.execute(
        "UPDATE stories SET text = '**bold** <b>x</b> [link](javascript:alert(1))' WHERE id = "
        "(SELECT min(s.id) FROM stories s JOIN libraries l ON l.id = s.library_id "
        "WHERE l.district_code = '34.03')"
    )
    conn.commit()
    conn.close()
    at = all_listed(open_page("pages/stories.py", Filters(province="34", district="34.03")))
    assert "**bold** <b>x</b> [link](javascript:alert(1))" in texts(at)
    assert not any("javascript" in m.value for m in at.markdown)


def test_pack_download_is_offered(seed_db):
    at = open_page("pages/stories.py", Filters(province="34", district="34.03", to_cycle="2018-2"))
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert "Unduh paket pertemuan (HTML)" in labels


# --- awards ---


def test_awards_of_gunungkidul_in_2018_equal_sql(seed_db):
    at = open_page("pages/awards.py", Filters(province="34", district="34.03", from_cycle="2018-2", to_cycle="2018-2"))
    shown = at.dataframe[0].value
    conn = sqlite3.connect(seed_db)
    rows = conn.execute("""
        SELECT a.category, l.name FROM awards a JOIN meetings m ON m.id = a.meeting_id
        JOIN libraries l ON l.id = a.library_id WHERE l.district_code = '34.03' AND m.cycle_id = '2018-2'""").fetchall()
    conn.close()
    assert len(shown) == len(rows)
    labels = {
        "perpustakaan_daerah_terbaik": "Perpustakaan Daerah Terbaik",
        "perpustakaan_desa_terbaik": "Perpustakaan Desa Terbaik",
        "video_dampak": "Lomba Video Dampak Perpustakaan",
        "lapak_terbaik": "Lapak Terbaik",
    }
    assert sorted(zip(shown["category"], shown["library"])) == sorted((labels[c], n) for c, n in rows)
    # the seed documents' 2018 national awards
    assert ("Perpustakaan Desa Terbaik", "Perpustakaan Desa Gardu Pintar 2") in set(
        zip(shown["category"], shown["library"])
    )


CANDIDATE_VALUES = """
    SELECT l.name, r.value FROM libraries l JOIN districts d ON d.code = l.district_code
    LEFT JOIN reports r ON r.library_id = l.id AND r.cycle_id = '2018-3' AND r.indicator_code = :indicator
    WHERE d.province_code = '34' AND l.tier IN ('desa', 'tbm') AND l.left_cycle IS NULL
"""


def test_award_weights_change_the_ranking(seed_db):
    at = open_page("pages/awards.py", Filters(province="34"))
    at.selectbox(key="awards_category").select("perpustakaan_desa_terbaik").run()
    before = list(at.dataframe[1].value["name"])
    open_drawers(at, "awards_weights")
    conn = sqlite3.connect(seed_db)
    for indicator in ("penjualan_lapak", "kunjungan"):
        for number_input in at.number_input:
            if number_input.key.startswith("weight_perpustakaan_desa_terbaik_"):
                number_input.set_value(1 if number_input.key.endswith("_" + indicator) else 0)
        at.run()
        assert not at.exception
        ranking = at.dataframe[1].value
        values = conn.execute(CANDIDATE_VALUES, {"indicator": indicator}).fetchall()
        assert sorted(ranking["name"]) == sorted(n for n, _ in values)  # every candidate, nobody else
        reported = sorted((v for _, v in values if v is not None), reverse=True)
        best = {n for n, v in values if v == reported[0]}
        assert ranking["name"].iloc[0] in best
        # one weighted indicator: the score is the percentile rank x 100, so the order is the values' order
        by_name = dict(values)
        shown = [by_name[n] for n in ranking["name"] if by_name[n] is not None]
        assert shown == sorted(shown, reverse=True)
        top = float(ranking["score"].iloc[0].strip().replace(".", "").replace(",", "."))  # "100,0" (id)
        assert top == pytest.approx(100.0)
        assert list(ranking["name"]) != before
        before = list(ranking["name"])
    conn.close()


def test_award_weights_are_one_line_until_opened_and_kept_when_closed(seed_db):
    """The weights' 19 inputs are drawn only in their opened drawer (a province change redraws none of them);
    the weights in use are written in the rule's caption, and a changed weight stays in use (and in that line)
    after the drawer is closed."""
    at = open_page("pages/awards.py", Filters(province="34"))
    at.selectbox(key="awards_category").select("perpustakaan_desa_terbaik").run()
    assert len(at.number_input) == 0
    conn = sqlite3.connect(seed_db)
    indicators = dict(conn.execute("SELECT code, name_id FROM indicators"))
    conn.close()
    caption = " ".join(c.value for c in at.caption)
    assert "Bobot: " in caption
    open_drawers(at, "awards_weights")
    inputs = [n for n in at.number_input if n.key.startswith("weight_perpustakaan_desa_terbaik_")]
    assert len(inputs) == len(indicators) + 2  # every indicator, attendance and reporting
    for number_input in inputs:
        number_input.set_value(1 if number_input.key.endswith("_kunjungan") else 0)
    at.run()
    opened = list(at.dataframe[1].value["name"])
    at.session_state["awards_weights"] = False  # the drawer closed, as a click does
    at.run()
    assert not at.exception
    assert len(at.number_input) == 0
    assert list(at.dataframe[1].value["name"]) == opened  # the changed weights still rank
    caption = " ".join(c.value for c in at.caption)
    assert f"Bobot: {indicators['kunjungan']} 1." in caption


def test_the_stories_chart_counts_in_whole_stories(seed_db):
    """A count of stories has no halves: the value axis of the stories chart shows whole numbers only (with at
    most three stories a cycle it showed 0,5 steps)."""
    import json

    at = open_page("pages/stories.py", Filters(province="34", district="34.03"))
    (spec,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    conn = sqlite3.connect(seed_db)
    (tallest,) = conn.execute(
        "SELECT max(n) FROM (SELECT count(*) AS n FROM stories s JOIN libraries l ON l.id = s.library_id "
        "WHERE l.district_code = '34.03' GROUP BY s.cycle_id)"
    ).fetchone()
    conn.close()
    assert 0 < tallest <= 10  # few a cycle: Plotly alone would put ticks at halves
    assert spec["layout"]["yaxis"]["tickformat"] == "d" and spec["layout"]["yaxis"]["dtick"] == 1
