"""The app's state across language switches and page changes, at AppTest speed (the browser journeys in
tests/test_browser_journeys.py walk the same paths with clicks).

A browser keeps a select's value as the label it shows, by the widget's id, and sends that label back on every
rerun; a navigation link drops the URL's query string. These tests check what the app sends for both."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.config import ROOT
from analytics.i18n import t

APP = str(ROOT / "app.py")
GUNUNGKIDUL = "DI Yogyakarta › Gunungkidul"  # province 34, district 34.03 (Kemendagri codes)


@pytest.fixture
def app(fresh_caches):
    def start(**params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        for name, value in params.items():
            at.query_params[name] = value
        return at.run()

    return start


def sidebar_selects(at) -> dict[str, tuple[str, list[str]]]:
    """Each sidebar select: its widget id and its option labels, by position."""
    return {i: (s.id, list(s.proto.options)) for i, s in enumerate(at.sidebar.selectbox)}


def test_every_sidebar_select_shows_one_of_its_options(app):
    """The "all" choice is a real option: None would be sent to the browser as "nothing chosen", and the select
    would show its placeholder ("Choose an option") after the next rerun."""
    at = app(province="34")
    assert not at.exception
    for select in at.sidebar.selectbox:
        assert select.value is not None, f"{select.label}: no value"
        assert select.format_func(select.value) in select.options, select.label
    assert at.sidebar.selectbox[2].format_func(at.sidebar.selectbox[2].value) == "Semua"


def test_a_select_whose_labels_change_with_the_language_is_a_new_widget(app):
    """A select keeps no id across a language switch when its labels change: the browser would otherwise send
    the old language's label ("Semua"), which no option has in the new one (issue 13, item 1)."""
    at = app(province="34", district="34.03")
    before = sidebar_selects(at)
    for lang in ("en", "id", "en"):
        at.sidebar.segmented_control[0].set_value(lang).run()
        assert not at.exception
        after = sidebar_selects(at)
        for position, (widget_id, labels) in after.items():
            old_id, old_labels = before[position]
            if labels != old_labels:
                assert widget_id != old_id, f"select {position} kept its id with new labels {labels[:2]}"
        before = after
    assert [s.label for s in at.sidebar.selectbox][:2] == ["Province", "District/city"]
    assert at.sidebar.selectbox[4].format_func(at.sidebar.selectbox[4].value) == "Library visits"
    assert GUNUNGKIDUL in at.caption[0].value


def test_a_page_select_is_sent_again_in_the_new_language(app):
    """A page's own keyed select (the story kind) is sent to the browser again with its label in the new
    language, and keeps its choice."""
    at = app(province="34")
    at.switch_page("pages/stories.py").run()
    at.selectbox(key="stories_kind").select("achievement").run()
    at.sidebar.segmented_control[0].set_value("en").run()
    kind = at.selectbox(key="stories_kind")
    assert kind.value == "achievement"
    assert kind.proto.set_value and kind.proto.raw_value == t("story.achievement", "en")


def test_a_page_change_by_the_navigation_keeps_the_filters_and_writes_them_back(app):
    """The navigation link drops the query string (as a browser does: cleared here before the switch); the
    new page shows the same area and its URL carries the filters again (issue 13, item 2)."""
    at = app(province="34", district="34.03", tier="desa")
    assert GUNUNGKIDUL in at.caption[0].value
    for page in ("pages/impact.py", "pages/participation.py", "pages/stories.py", "pages/overview.py"):
        at.query_params.clear()
        at.switch_page(page).run()
        assert not at.exception
        assert at.caption[0].value.startswith(f"{GUNUNGKIDUL} · Desa"), page
        assert at.query_params == {"province": "34", "district": "34.03", "tier": "desa"}, page


def test_a_page_change_ends_presenting_but_keeps_the_area(app):
    at = app(district="34.03", present="1", slide="3")
    assert at.caption[0].value.startswith("Slide 3 dari")
    at.query_params.clear()
    at.switch_page("pages/impact.py").run()
    assert not at.exception
    assert at.title[0].value.startswith(t("nav.impact", "id"))
    assert at.query_params == {"province": "34", "district": "34.03"}


def test_a_link_with_other_filters_still_wins_within_a_session(app):
    """Back/forward or a link with its own query string: the URL's filters replace the session's."""
    at = app(province="34", district="34.03")
    at.query_params.clear()
    at.query_params["province"] = "35"
    at.switch_page("pages/impact.py").run()
    assert at.caption[0].value.startswith("Jawa Timur")
    assert at.query_params == {"province": "35"}
