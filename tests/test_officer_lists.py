"""Issue 13 items 7, 8 and 10 under AppTest on the seed database: compare picks one entity per typed name and
says why a number is missing; lists an officer acts on are one click away with their counts; one language per
screen. Expected values come from SQL written here, not from analytics/."""

from __future__ import annotations

import json
import sqlite3

import pytest

from analytics import dataset, views
from analytics.filters import Filters
from tests.apptest_support import open_page, story_paragraphs

pytestmark = pytest.mark.usefixtures("fresh_caches")


def texts(at) -> str:
    return "\n".join([c.value for c in at.caption] + [m.value for m in at.markdown] + [i.value for i in at.info])


# --- item 7: compare ---


def test_compare_typing_a_name_cannot_add_several(seed_db):
    """Fuzzy matching offered "Select 11 matches" for "Bantul" and Enter added them all: the picker matches by
    "contains" and has no select-all action."""
    at = open_page("pages/compare.py", compare="d:34.02,d:34.03")
    picker = at.multiselect[0]
    assert picker.proto.select_all == 0
    assert picker.proto.filter_mode == 1  # FILTER_MODE_CONTAINS ("Bantul" matches "Bantul (DI Yogyakarta)" only)
    assert picker.proto.placeholder == "Pilih satu atau lebih"


def test_compare_says_why_a_district_has_no_numbers(seed_db):
    conn = sqlite3.connect(seed_db)
    (empty,) = conn.execute("SELECT count(*) FROM libraries WHERE district_code = '11.01'").fetchone()
    conn.close()
    assert empty == 0  # Aceh Selatan has no program library in the seed
    at = open_page("pages/compare.py", compare="d:11.01,d:34.03")
    assert "Belum ada perpustakaan program" in texts(at)
    at = open_page("pages/compare.py", compare="d:11.01,d:34.03", lang="en")
    assert "No program libraries here yet" in texts(at)


def test_compare_series_start_at_each_entity_first_active_cycle(seed_db):
    """Jambi (15) and Banten (36) joined the program in 2016: the cycle axis starts there, not at the range
    start 2011-1; next to DI Yogyakarta (from 2011) the axis starts in 2011 and a caption says where Jambi's
    line starts."""
    conn = sqlite3.connect(seed_db)
    joined = dict(
        conn.execute("""SELECT d.province_code, min(l.joined_cycle) FROM libraries l
        JOIN districts d ON d.code = l.district_code WHERE d.province_code IN ('15', '34', '36')
        GROUP BY d.province_code""").fetchall()
    )
    (first_cycle,) = conn.execute("SELECT id FROM cycles ORDER BY seq LIMIT 1").fetchone()
    conn.close()
    assert joined["15"] > first_cycle and joined["36"] > first_cycle and joined["34"] == first_cycle
    at = open_page("pages/compare.py", compare="p:15,p:36")
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(figures) == 3
    for fig in figures:
        assert fig["data"][0]["x"][0] == min(joined["15"], joined["36"]), fig["layout"]["title"]["text"]
    at = open_page("pages/compare.py", compare="p:15,p:34")
    for fig in [json.loads(c.proto.spec) for c in at.get("plotly_chart")]:
        assert fig["data"][0]["x"][0] == first_cycle
    assert "Jambi sejak " + joined["15"] in texts(at)


# --- item 10: lists an officer acts on ---


def _continuity_table(at):
    frames = [d.value for d in at.dataframe if "current_streak" in d.value.columns]
    assert len(frames) == 1
    return frames[0]


@pytest.mark.parametrize(
    "show,flag,label", [("at_risk", "at_risk", "Berisiko"), ("never", "never_attended", "Belum pernah hadir")]
)
def test_participation_lists_only_the_libraries_to_act_on(seed_db, show, flag, label):
    at = open_page("pages/participation.py", to="2018-1")  # no library is at risk in the last cycle
    everyone = _continuity_table(at)
    count = int(next(m.value for m in at.metric if m.label == label))
    assert 0 < count < 500 <= len(everyone)  # 500: the rows a table shows
    control = next(s for s in at.segmented_control if s.label == "Tampilkan")
    control.set_value(show).run()
    assert not at.exception
    listed = _continuity_table(at)
    # The flags are the metric's (checked against SQL in test_pages and test_truth_data); here, the list shows
    # exactly the flagged libraries, all of them.
    flagged = views.continuity(views.select(dataset.load(seed_db), Filters(to_cycle="2018-1")))
    assert len(listed) == count and sorted(listed["name"]) == sorted(flagged.loc[flagged[flag], "name"])
    assert f"({count})" in texts(at)  # the count is in the list's heading
    if show == "never":  # checked against the attendance table: no listed library attended up to 2018-1
        conn = sqlite3.connect(seed_db)
        never = {
            n
            for (n,) in conn.execute("""SELECT l.name FROM libraries l WHERE NOT EXISTS (
            SELECT 1 FROM attendance a JOIN meetings m ON m.id = a.meeting_id JOIN cycles c ON c.id = m.cycle_id
            WHERE a.library_id = l.id AND c.seq <= (SELECT seq FROM cycles WHERE id = '2018-1'))""")
        }
        conn.close()
        assert set(listed["name"]) <= never


def test_data_quality_headings_count_the_libraries_without_a_report(seed_db):
    at = open_page("pages/data_quality.py", province="34", to="2018-1")
    conn = sqlite3.connect(seed_db)
    # Active in 2018-1 (joined, not left) in province 34 and no report for 2018-1.
    (seq,) = conn.execute("SELECT seq FROM cycles WHERE id = '2018-1'").fetchone()
    (missing,) = conn.execute(
        """SELECT count(*) FROM libraries l JOIN districts d ON d.code = l.district_code
        JOIN cycles j ON j.id = l.joined_cycle LEFT JOIN cycles e ON e.id = l.left_cycle
        WHERE d.province_code = '34' AND j.seq <= ? AND (e.seq IS NULL OR e.seq > ?)
          AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.library_id = l.id AND r.cycle_id = '2018-1')""",
        (seq, seq),
    ).fetchone()
    conn.close()
    headings = [h.value for h in at.subheader]
    assert f"Perpustakaan tanpa laporan siklus 2018-1 ({missing})" in headings, headings


# --- item 8: one language, one number format per screen ---


def test_every_select_has_a_placeholder_in_the_language():
    """Streamlit's own placeholders are English ("Choose an option", "Choose options")."""
    for lang, one, many in (
        ("id", "Pilih salah satu", "Pilih satu atau lebih"),
        ("en", "Choose an option", "Choose options"),
    ):
        for script, params in (
            ("pages/compare.py", {"compare": "p:34,p:33"}),
            ("pages/stories.py", {}),
            ("pages/participation.py", {}),
        ):
            at = open_page(script, lang=lang, **params)
            for select in [*at.sidebar.selectbox, *at.selectbox]:
                assert select.proto.placeholder == one, (script, select.label)
            for select in at.multiselect:
                assert select.proto.placeholder == many, (script, select.label)


def test_stories_all_kinds_is_a_real_option():
    """None as the "all kinds" option is sent as "nothing chosen": the browser then shows the placeholder."""
    at = open_page("pages/stories.py")
    kind = next(s for s in at.selectbox if s.label == "Jenis")
    assert kind.value is not None and kind.format_func(kind.value) == "Semua jenis"


def test_tables_show_no_none_and_numbers_in_the_language():
    """Streamlit writes a missing cell as "None" and a fractional number the English way (0.938, 2,123.5,
    94.69%): in Indonesian every such cell is sent as text in the language's format."""
    checked = 0
    for script, params in (
        ("pages/participation.py", {"province": "34", "to": "2018-1"}),
        ("pages/data_quality.py", {"province": "34"}),
    ):
        at = open_page(script, **params)
        for frame in (d.value for d in at.dataframe):
            for column in frame.columns:
                values = frame[column]
                checked += 1
                assert not values.isna().any(), (script, column)  # shown as "None"
                if values.dtype.kind == "f":
                    assert values.eq(values.round()).all(), (script, column)  # 0.938 / 2,123.5
                if values.dtype == object:
                    shown = values.astype(str)
                    assert not shown.str.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?").any(), column  # 2,123
                    assert not shown.str.fullmatch(r"\d+\.\d+ ?%").any(), column  # 94.69%
    assert checked > 10


def test_charts_use_the_language_number_format():
    """Plotly's default writes 10000 as "10k" and 0.5 as "0.5": the figure carries the language's marks."""
    for lang, marks in (("id", ",."), ("en", ".,")):
        at = open_page("pages/participation.py", lang=lang)
        figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
        assert figures
        for fig in figures:
            assert fig["layout"].get("separators") == marks
            for name, axis in fig["layout"].items():
                if name.startswith(("xaxis", "yaxis")):
                    assert axis.get("exponentformat") == "none", name


def _csv_downloads(monkeypatch, script: str, **params) -> dict[str, bytes]:
    import streamlit as st

    captured = {}
    original = st.download_button

    def spy(*args, **kwargs):
        data = args[1] if len(args) > 1 else kwargs.get("data")
        name = str(kwargs.get("file_name") or "")
        if name.endswith(".csv"):
            captured[name] = data() if callable(data) else data
        return original(*args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    open_page(script, **params)
    return captured


def test_csv_in_the_language(monkeypatch, seed_db):
    """Indonesian Excel splits fields at ";" and reads "," as the decimal mark; the headers are Indonesian.
    English keeps "," / "." and the data's own column names (the oracle reads those)."""
    downloads = _csv_downloads(monkeypatch, "pages/compare.py", compare="p:34,p:33", to="2018-1")
    raw = downloads["compare.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    header, first = raw.decode("utf-8-sig").splitlines()[:2]
    names, fields = header.split(";"), first.split(";")
    assert len(names) == len(fields) > 5 and names[0] == "kode" and "code" not in names, header
    rate = fields[names.index("kehadiran")]
    assert fields[0] == "34" and rate.startswith("0,") and "." not in rate, first  # 0,7… not 0.7…
    downloads = _csv_downloads(monkeypatch, "pages/compare.py", compare="p:34,p:33", to="2018-1", lang="en")
    header, first = downloads["compare.csv"].decode("utf-8-sig").splitlines()[:2]
    names, fields = header.split(","), first.split(",")
    assert names[0] == "code" and fields[0] == "34" and fields[names.index("participation")].startswith("0.")


# --- the stories list: ten at a time (issue 13, speed: 50 bordered stories tripled the page's drawing) ---


def story_texts(at, sql_texts: set[str]) -> list[str]:
    """The story texts the page shows, in order (each story is one plain-text element of three paragraphs; its
    text is one)."""
    return [x for x in story_paragraphs(at) if x in sql_texts]


def test_stories_list_ten_newest_then_ten_more_a_click_and_starts_again_on_a_new_search(seed_db):
    conn = sqlite3.connect(seed_db)
    rows = conn.execute(
        "SELECT s.text, s.cycle_id FROM stories s JOIN libraries l ON l.id = s.library_id "
        "WHERE l.district_code = '34.03' ORDER BY s.cycle_id DESC"
    ).fetchall()
    conn.close()
    texts_ = {text for text, _ in rows}
    assert len(rows) > 10  # Gunungkidul has more stories than one list
    at = open_page("pages/stories.py", province="34", district="34.03")
    shown = story_texts(at, texts_)
    assert len(shown) == 10
    # One plain-text element a story: every element a run sends is a redraw in the browser (it was three).
    assert len(at.text) == 10
    newest = {text for text, cycle in rows if cycle >= rows[9][1]}
    assert set(shown) <= newest  # the newest first
    more = next(b for b in at.button if b.label.startswith("Tampilkan"))
    assert more.label == f"Tampilkan {min(10, len(rows) - 10)} cerita berikutnya"
    more.click().run()
    assert sorted(story_texts(at, texts_)) == sorted(t for t, _ in rows[:20])  # every one of them now
    assert not [b for b in at.button if b.label.startswith("Tampilkan")]  # nothing more to show
    at.text_input(key="stories_text").input("perpustakaan").run()
    assert len(story_texts(at, texts_)) <= 10  # a new search starts again at ten


def test_the_full_region_by_cycle_csv_of_data_quality_is_made_only_when_clicked(monkeypatch, sql):
    """The every-region x cycle frame behind the data quality page's CSV button is computed on the click, not on
    every run (nothing else on the page needs it); clicked, it holds every district of the province."""
    from analytics import views

    calls = []
    original = views.reporting_cells

    def counted(sel, top=views.TOP_REGIONS):
        calls.append(top)
        return original(sel, top)

    monkeypatch.setattr(views, "reporting_cells", counted)
    open_page("pages/data_quality.py", province="34")
    assert None not in calls  # the run drew the page without the full frame
    downloads = _csv_downloads(monkeypatch, "pages/data_quality.py", province="34")  # the click: made now
    assert None in calls
    districts = {
        c
        for (c,) in sql(
            "SELECT DISTINCT d.code FROM districts d JOIN libraries l ON l.district_code = d.code "
            "WHERE d.province_code = '34'"
        )
    }
    (name,) = [n for n in downloads if n.startswith("quality-")]
    rows = downloads[name].decode("utf-8-sig").splitlines()[1:]
    assert {r.split(";")[0] for r in rows} == districts  # every district with libraries, none folded away
