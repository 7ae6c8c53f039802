"""Words a village librarian knows (issue 13, item 9), labels that fit (item 5) and one language per screen
(item 8), at AppTest speed: a cycle is named with its months, the program's terms are explained where they
appear, the sidebar's indicator is its name, and the top navigation fits 1366 px (its labels are short).

The months are checked against hand-written values and against the cycles table's own dates (plain SQL);
the visual walk (tests/test_visual.py, marked ``visual``) checks in Chromium that the labels are not cut."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from analytics import filters
from analytics.config import ROOT
from analytics.i18n import t

APP = str(ROOT / "app.py")
SHORT_ID = {
    1: "Jan",
    2: "Feb",
    3: "Mar",
    4: "Apr",
    5: "Mei",
    6: "Jun",
    7: "Jul",
    8: "Agu",
    9: "Sep",
    10: "Okt",
    11: "Nov",
    12: "Des",
}


@pytest.mark.parametrize(
    "code,lang,label",
    [
        ("2018-3", "id", "2018-3 · Sep–Des 2018"),
        ("2018-3", "en", "2018-3 · Sep–Dec 2018"),
        ("2017-2", "id", "2017-2 · Mei–Agu 2017"),
        ("2017-2", "en", "2017-2 · May–Aug 2017"),
        ("2011-1", "id", "2011-1 · Jan–Apr 2011"),
        ("not-a-cycle", "id", "not-a-cycle"),
    ],
)
def test_a_cycle_is_named_with_its_months(code, lang, label):
    assert filters.cycle_label(code, lang) == label
    assert filters.cycle_label(code, lang, year=False) == label.rpartition(" ")[0] if " " in label else label


def test_every_cycle_of_the_database_gets_the_months_of_its_dates(seed_db):
    conn = sqlite3.connect(seed_db)
    rows = conn.execute("SELECT id, start_date, end_date FROM cycles ORDER BY seq").fetchall()
    conn.close()
    assert len(rows) > 20
    for code, start, end in rows:
        start, end = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        assert filters.cycle_label(code, "id") == f"{code} · {SHORT_ID[start.month]}–{SHORT_ID[end.month]} {end.year}"


def test_the_pages_caption_says_which_months_the_range_covers():
    choices = filters.Choices(
        provinces={}, districts={}, tiers=(), cohorts=(), cycles=("2016-1", "2016-2", "2016-3"), indicators={}
    )
    text = filters.describe(filters.Filters(lang="id"), choices, frozenset({"cycles"}))
    assert text == "siklus 2016-1–2016-3 (Jan 2016–Des 2016)"
    text = filters.describe(filters.Filters(lang="en", to_cycle="2016-2"), choices, frozenset({"cycles"}))
    assert text == "cycles 2016-1–2016-2 (Jan 2016–Aug 2016)"
    # A slide's line keeps to one line at 1280 px: no months there (its own line has the dates).
    assert (
        filters.describe(filters.Filters(lang="id"), choices, frozenset({"cycles"}), months=False)
        == "siklus 2016-1–2016-3"
    )


@pytest.fixture
def app(fresh_caches):
    def start(page: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return start


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_sidebar_names_cycles_with_months_and_the_indicator_by_its_name(app, lang):
    at = app(lang=lang)
    cycles = at.sidebar.select_slider[0]
    # The year is the code's own: the slider's ends have no room for it twice.
    assert cycles.format_func("2018-3") == ("2018-3 · Sep–Des" if lang == "id" else "2018-3 · Sep–Dec")
    assert t("ui13.cycle_help", lang) == cycles.help
    indicator = at.sidebar.selectbox[4]
    shown = indicator.format_func(indicator.value)
    assert shown == ("Kunjungan perpustakaan" if lang == "id" else "Library visits")
    assert ("Layanan informasi" if lang == "id" else "Information services") in indicator.help
    # The longest names have a short form that fits the sidebar (about 30 characters; the full name is in the
    # help when chosen): "Warga dengan penghasilan lebih baik/pekerjaan baru" was cut.
    assert all(len(option) <= 28 for option in indicator.options), [o for o in indicator.options if len(o) > 28]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_programs_terms_are_explained_where_they_appear(app, lang):
    words = {
        "id": (
            "Berisiko:",
            "Berturut-turut kini:",
            "Median per perpustakaan pelapor:",
            "Dibatasi 150%:",
            "Peringkat persentil:",
            "Poin:",
            "+2 poin",
        ),
        "en": (
            "At risk:",
            "Current streak:",
            "Median per reporting library:",
            "Capped at 150%:",
            "Percentile rank:",
            "Points:",
            "+2 points",
        ),
    }[lang]
    at = app("pages/participation.py", lang=lang)
    captions = " ".join(c.value for c in at.caption)
    assert words[0] in captions and words[1] in captions
    at.switch_page("pages/impact.py").run()
    captions = " ".join(c.value for c in at.caption)
    assert words[2] in captions and words[3] in captions
    at.switch_page("pages/awards.py").run()
    captions = " ".join(c.value for c in at.caption)
    assert words[4] in captions and words[5] in captions
    at.switch_page("pages/overview.py").run()
    rate = next(m for m in at.metric if m.label == t("overview.attendance_rate", lang))
    assert words[6] in rate.help


def test_the_change_title_keeps_the_median_on_a_line_of_its_own(app):
    import json

    at = app("pages/impact.py")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    change = [x for x in titles if x.startswith("Perubahan dari laporan pertama")]
    # Broken over lines (charts._title_lines) so that the median is not cut at the half column's edge.
    assert change and len(change[0].split("<br>")) >= 2
    assert any(line.endswith("%)") and "(median " in line for line in change[0].split("<br>")), change[0]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_overview_headline_is_two_rows_of_three(app, lang):
    """Six metrics in one row cut their labels at 1366 px ("Tingkat kehadira…"); three per row fit."""
    at = app(lang=lang)
    rows = [
        block
        for block in at.main.children.values()
        if block.type == "flex_container"
        and sum(
            1
            for column in block.children.values()
            if any(getattr(e, "type", "") == "metric" for e in column.children.values())
        )
        == 3
    ]
    assert len(rows) >= 2, "the headline is not in rows of three"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_page_says_its_language(app, lang):
    """``<html lang>`` was always "en" (Streamlit's): each run sends the constant script of the chosen language
    (tests/test_accessibility.py checks the attribute itself in Chromium)."""
    at = app(lang=lang)
    bodies = [e.proto.body for e in at.sidebar.get("html")]
    assert f'document.documentElement.lang = "{lang}"' in " ".join(bodies), bodies
    at.sidebar.segmented_control[0].set_value("en" if lang == "id" else "id").run()
    bodies = [e.proto.body for e in at.sidebar.get("html")]
    assert f'document.documentElement.lang = "{"en" if lang == "id" else "id"}"' in " ".join(bodies), bodies


def test_the_cycle_a_section_is_about_is_named_with_its_months(app):
    at = app()
    headings = [h.value for h in at.subheader]
    assert "Siklus 2018-3 · Sep–Des 2018" in headings
    assert "Naik dan turun terbesar ke siklus 2018-3 · Sep–Des 2018 (tingkat kehadiran)" in headings
    at.switch_page("pages/impact.py").run()
    assert "Rapor lampu lalu lintas, siklus 2018-3 · Sep–Des 2018" in [h.value for h in at.subheader]


def test_the_library_awards_table_has_the_whole_width(app):
    """Beside the monitoring visits, the awards table (date, meeting, category, rank) scrolled its category and
    rank out of sight at 1366 px: no table of that tab is in a column."""
    at = app("pages/library.py", library="124")
    at.session_state["library_tab"] = "Penghargaan, kunjungan & cerita"
    at.run()
    assert not at.exception
    assert len(at.dataframe) >= 2  # awards and visits
    assert not any(len(column.dataframe) for column in at.columns)
