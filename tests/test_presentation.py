"""Presentation mode: the agenda deck one slide per screen, slide navigation, present=1 and slide=N links."""

import pytest
from streamlit.testing.v1 import AppTest

from analytics.config import ROOT
from analytics.tools.server import Server

APP = str(ROOT / "app.py")


pytestmark = pytest.mark.usefixtures("fresh_caches")  # the app on the seed database, empty caches


def presenting(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in {"present": "1", **params}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def position(at) -> str:
    return at.caption[0].value.split(" · ")[0]


def test_present_1_shows_the_deck_for_gunungkidul_in_july_2018():
    at = presenting(district="34.03", to="2018-2")
    assert position(at).startswith("Slide 1 dari ")
    assert at.title[0].value == "PLM Gunungkidul — siklus 2018-2 · Mei–Agu 2018"
    assert "DI Yogyakarta › Gunungkidul" in at.caption[0].value  # the filters in words as subtitle


def test_slide_n_in_the_link_opens_that_slide_and_next_previous_move():
    first = presenting(district="34.03", to="2018-2")
    total = int(position(first).split()[-1])
    assert total >= 4
    at = presenting(district="34.03", to="2018-2", slide="3")
    assert position(at) == f"Slide 3 dari {total}"
    third_title = at.title[0].value
    assert third_title != first.title[0].value
    at.switch_page("pages/present.py").run()  # the page itself, so that its reruns redraw the deck
    at.button(key="slide_next").click().run()
    assert position(at) == f"Slide 4 dari {total}"
    at.button(key="slide_previous").click().run()
    assert position(at) == f"Slide 3 dari {total}"
    assert at.title[0].value == third_title


def test_the_meeting_pack_can_be_downloaded_from_the_sidebar_not_the_slide():
    at = presenting(district="34.03", to="2018-2", slide="3")
    label = "Unduh paket pertemuan (HTML)"
    following = "Paket PLM berikutnya (siklus 2018-3 · Sep–Des 2018)"  # the latest complete cycle, whatever the range
    assert [b.proto.label for b in at.sidebar.get("download_button")] == [label, following]
    assert label not in [b.proto.label for b in at.main.get("download_button")]  # the slide stays clean
    # Built only when clicked (what it holds is checked in the browser: tests/test_browser_flows.py).
    assert at.sidebar.get("download_button")[0].proto.deferred_file_id


def test_first_slide_has_no_previous_and_last_has_no_next():
    at = presenting(district="34.03", to="2018-2")
    total = int(position(at).split()[-1])
    assert at.button(key="slide_previous").disabled and not at.button(key="slide_next").disabled
    at = presenting(district="34.03", to="2018-2", slide=str(total))
    assert at.button(key="slide_next").disabled and not at.button(key="slide_previous").disabled


def test_a_slide_past_the_end_shows_the_last_one():
    at = presenting(province="34", to="2018-2", slide="999")
    total = int(position(at).split()[-1])
    assert position(at) == f"Slide {total} dari {total}"


def test_english():
    at = presenting(district="34.03", to="2018-2", lang="en")
    assert position(at).startswith("Slide 1 of ")
    assert [b.label for b in at.button][:3] == ["Previous", "Next", "Exit"]


def test_exit_leaves_presentation_mode():
    at = presenting(district="34.03", to="2018-2")
    at.switch_page("pages/present.py").run()
    at.button(key="slide_exit").click().run()
    assert at.session_state["_filters"].present is False


def test_present_on_a_live_server_any_page_url(seed_db):
    # Through the real server, where app.py runs on every rerun: present=1 on another page's URL shows the deck.
    with Server(seed_db) as server:
        session = server.session()
        shown = session.rerun("participation", {"present": "1", "district": "34.03", "to": "2018-2", "slide": "2"})
        assert not shown.exceptions
        assert any(text.startswith("Slide 2 dari ") for text in shown.texts)
        plain = session.rerun("participation", {"district": "34.03", "to": "2018-2"})
        assert not any(text.startswith("Slide ") for text in plain.texts)
        assert "Partisipasi PLM" in plain.texts
        session.close()


def test_a_new_provinces_deck_reuses_the_maps_values(monkeypatch):
    """The national map's values do not depend on the province chosen: a deck built for another province uses
    the app's cached ones (shared with the overview's map) instead of computing them again."""
    from analytics import views

    calls = []
    original = views.province_measure

    def counted(ds, f, measure):
        calls.append(measure)
        return original(ds, f, measure)

    monkeypatch.setattr(views, "province_measure", counted)
    presenting(province="34")
    assert calls == ["participation"]
    at = presenting(province="33")
    assert calls == ["participation"]  # not again for Jawa Tengah
    assert at.title[0].value.startswith("PLM Jawa Tengah")
