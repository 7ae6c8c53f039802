"""An officer's first minutes, with clicks and keys only: choose a province and a district in the sidebar, go
through every page by the top navigation, switch the language both ways on every page, download the meeting
pack; and a copied link opened first thing on a freshly started server. After every step the state is checked:
the caption names the area, no exception is shown, the labels are in the chosen language, the URL carries the
filters."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from analytics.filters import PAGE_APPLIES
from analytics.i18n import t
from tests import browser_support
from tests.browser_support import (  # noqa: F401
    CHROMIUM,
    Recorder,
    app,
    choose_option,
    chromium,
    go_to_page,
    is_local,
    settle,
    start_app,
    stop_app,
    wait_ready,
)

pytestmark = browser_support.MARKS

PROJECTOR = {"width": 1366, "height": 768}
# Every page an officer reaches from the top navigation (the import page is hidden unless signed in), in the
# order walked: from the overview to the presentation and back to the overview.
WALK = ["participation", "impact", "compare", "library", "quality", "stories", "awards", "present", "overview"]
PATHS = {
    "overview": "/",
    "participation": "/participation",
    "impact": "/impact",
    "compare": "/compare",
    "library": "/library",
    "quality": "/data-quality",
    "stories": "/stories",
    "awards": "/awards",
    "present": "/present",
}
# Gunungkidul (DI Yogyakarta): written here from the Kemendagri codes, not read from the app.
PROVINCE, PROVINCE_CODE = "DI Yogyakarta", "34"
DISTRICT, DISTRICT_CODE = "Gunungkidul", "34.03"
AREA = f"{PROVINCE} › {DISTRICT}"
INDICATOR = {"id": "Kunjungan perpustakaan", "en": "Library visits"}
OTHER = {"id": "en", "en": "id"}


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport=PROJECTOR, accept_downloads=True)
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    page = context.new_page()
    recorder = Recorder()
    recorder.attach(page)
    yield page, recorder
    context.close()


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def exceptions(page) -> list[str]:
    return page.locator("[data-testid=stException]").all_inner_texts()


def sidebar_selects(page) -> dict[str, str]:
    """Each sidebar select's label and the value it shows."""
    boxes = page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]")
    return {
        box.locator("[data-testid=stWidgetLabel]").inner_text().strip(): box.locator("input").input_value()
        for box in boxes.all()
    }


def main_select(page, label: str) -> str:
    """The value a select of the page (not the sidebar) shows."""
    box = (
        page.locator("[data-testid=stMain] [data-testid=stSelectbox]")
        .filter(has=page.locator("[data-testid=stWidgetLabel]", has_text=label))
        .first
    )
    return box.locator("input").input_value()


def nav_titles(page) -> list[str]:
    return [
        re.sub(r"^\S+\n+", "", text).strip()  # the icon's ligature name comes first
        for text in page.locator("[data-testid=stTopNavLink]").all_inner_texts()
    ]


def check(page, where: str, lang: str, key: str) -> None:
    """The state after a step: no exception, the area in the caption, labels in ``lang``, the filters in the URL."""
    assert exceptions(page) == [], f"{where}: an exception is shown: {exceptions(page)[:1]}"
    captions = page.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").all_inner_texts()
    if "region" in PAGE_APPLIES[PATHS[key].strip("/")]:
        assert captions and AREA in captions[0], f"{where}: the caption does not name {AREA}: {captions[:1]}"
    else:  # a page that does not apply the area says so, and never claims it (issue 12, cause 2)
        assert captions and AREA not in captions[0] and t("filters.province", lang) in captions[0], (
            f"{where}: the caption does not say the area is not applied: {captions[:1]}"
        )
    url = urlsplit(page.url)
    assert url.path == PATHS[key], f"{where}: on {url.path}, not {PATHS[key]}"
    params = query(page)
    assert params.get("province") == PROVINCE_CODE and params.get("district") == DISTRICT_CODE, (
        f"{where}: the URL lost the filters: {page.url}"
    )
    assert params.get("lang") == ("en" if lang == "en" else None), f"{where}: lang in the URL: {page.url}"
    # The labels and the values the selects show are in the chosen language (never the other one's words).
    selects = sidebar_selects(page)
    expected = {
        t("filters.province", lang): PROVINCE,
        t("filters.district", lang): DISTRICT,
        t("filters.tier", lang): t("filters.all", lang),
        t("filters.cohort", lang): t("filters.all", lang),
        t("filters.indicator", lang): INDICATOR[lang],
    }
    assert selects == expected, f"{where}: the sidebar selects show {selects}"
    titles = nav_titles(page)
    assert t("nav.overview", lang) in titles and t("nav.impact", lang) in titles, f"{where}: navigation {titles}"
    sidebar = page.locator("[data-testid=stSidebar]").inner_text()
    assert t("filters.all", OTHER[lang]) not in re.findall(r"\w+", sidebar), f"{where}: the sidebar mixes languages"


def switch_language(page, lang: str) -> None:
    if page.locator("[data-testid=stSidebar][data-collapsed=true]").count():  # folded for presenting: open it
        page.locator("[data-testid=stExpandSidebarButton]").click()
        page.locator("[data-testid=stSidebar][data-collapsed=false]").wait_for()
    page.locator("[data-testid=stSidebar]").get_by_text(
        "English" if lang == "en" else "Bahasa Indonesia", exact=True
    ).click()
    settle(
        page,
        f"() => document.querySelector('[data-testid=stException]') || "
        f"[...document.querySelectorAll('[data-testid=stSidebar] label')]"
        f".some(l => l.innerText.trim() === {t('filters.province', lang)!r})",
    )


def test_filters_and_language_follow_the_officer_through_every_page(app, browser_page, tmp_path):
    page, recorder = browser_page
    page.goto(app.url + "/")
    wait_ready(page)
    choose_option(page, t("filters.province", "id"), PROVINCE)
    choose_option(page, t("filters.district", "id"), DISTRICT)
    settle(page, f"() => location.search.includes('district={DISTRICT_CODE}')")
    check(page, "overview after choosing", "id", "overview")
    for key in WALK:
        go_to_page(page, t(f"nav.{key}", "id"), PATHS[key])
        check(page, f"{key} (reached by the navigation)", "id", key)
        if key == "stories":  # the meeting pack downloaded after a page change covers the chosen district
            with page.expect_download() as download:
                page.get_by_role("button", name=t("pack.download", "id")).click()
            pack = tmp_path / "pack.html"
            download.value.save_as(pack)
            html = pack.read_text(encoding="utf-8")
            assert DISTRICT in html and t("filters.all_indonesia", "id") not in html
            # A page's own select keeps its choice, shown in each language in turn.
            choose_option(page, t("stories.kind", "id"), t("story.achievement", "id"), where="[data-testid=stMain]")
        switch_language(page, "en")
        check(page, f"{key} in English", "en", key)
        if key == "stories":
            assert main_select(page, t("stories.kind", "en")) == t("story.achievement", "en")
        switch_language(page, "id")
        check(page, f"{key} back in Bahasa Indonesia", "id", key)
        if key == "stories":
            assert main_select(page, t("stories.kind", "id")) == t("story.achievement", "id")
    recorder.assert_clean()


def test_the_language_round_trip_then_a_page_change_keeps_english(app, browser_page):
    """English chosen on one page stays English on the next, and the filters stay too."""
    page, recorder = browser_page
    page.goto(f"{app.url}/participation?province={PROVINCE_CODE}&district={DISTRICT_CODE}")
    wait_ready(page)
    # A link's first run writes the URL back and runs once more; on a busy machine that second run can start
    # after wait_ready's pause: wait until the sidebar is drawn whole (five selects) before reading it.
    settle(page, "() => document.querySelectorAll('[data-testid=stSidebar] [data-testid=stSelectbox]').length >= 5")
    check(page, "participation from a link", "id", "participation")
    switch_language(page, "en")
    check(page, "participation in English", "en", "participation")
    go_to_page(page, t("nav.impact", "en"), PATHS["impact"])
    check(page, "impact reached in English", "en", "impact")
    assert page.locator("h1").first.inner_text().startswith(t("nav.impact", "en"))
    recorder.assert_clean()


@pytest.mark.parametrize("key", ["participation", "present"])
def test_a_link_opened_first_thing_after_the_server_starts_shows_the_navigation(seed_db, chromium, tmp_path, key):
    import shutil

    db = tmp_path / "seed.db"
    shutil.copy(seed_db, db)
    server = start_app(db, tmp_path / "streamlit.log")  # a fresh process: this is its very first request
    context = chromium.new_context(viewport=PROJECTOR)
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    try:
        page = context.new_page()
        recorder = Recorder()
        recorder.attach(page)
        page.goto(f"{server.url}{PATHS[key]}?province={PROVINCE_CODE}&district={DISTRICT_CODE}")
        wait_ready(page)
        # A fresh process's first page: under load the sidebar's selects were read before they were drawn (1 run
        # in 6 with a CI run beside it, on this code and before it). Wait for all five; check() reads their values.
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=stSidebar] [data-testid=stSelectbox] input').length >= 5",
            timeout=20_000,
        )
        check(page, f"{key} as the first request", "id", key)
        assert len(nav_titles(page)) >= 8, f"no page navigation: {nav_titles(page)}"
        current = page.locator("[data-testid=stTopNavLink][aria-current=page]")
        assert re.sub(r"^\S+\n+", "", current.inner_text()).strip() == t(f"nav.{key}", "id")
        go_to_page(page, t("nav.impact", "id"), PATHS["impact"])
        check(page, "impact after the first request", "id", "impact")
        recorder.assert_clean()
    finally:
        context.close()
        stop_app(server)
