"""The dashboard in a real browser: every page in both languages draws its charts (and the map its shapes)
without errors and without asking any host but the app's own; a bad link parameter warns; the import page
asks for a password; a click on a bar drills down. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import browser_support
from tests.browser_support import (  # noqa: F401 (shared fixtures)
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    Recorder,
    app,
    chromium,
    empty_charts,
    is_local,
    picture_stats,
    screenshot_full,
    start_app,
    stop_app,
    wait_for_charts,
    wait_ready,
)

pytestmark = browser_support.MARKS

# name (screenshot), URL, query that makes it draw charts, title in Indonesian, title in English
PAGES = [
    ("overview", "/", "", "Ringkasan", "Overview"),
    ("participation", "/participation", "", "Partisipasi PLM", "PLM participation"),
    ("impact", "/impact", "", "Dampak", "Impact"),
    ("compare", "/compare", "compare=p:34,p:33", "Bandingkan", "Compare"),
    ("library", "/library", "", "Profil perpustakaan", "Library profile"),
    ("data-quality", "/data-quality", "", "Kualitas data", "Data quality"),
    ("stories", "/stories", "", "Cerita", "Stories"),
    ("awards", "/awards", "", "Penghargaan", "Awards"),
]


@pytest.fixture
def browse(app, chromium):
    """``page, recorder = browse(path)``: a fresh context at projector size, the page loaded and its script run."""
    context = chromium.new_context(viewport=VIEWPORT)
    # Nothing may leave the machine even where CI has a network: stop it (the recorder still sees the request).
    context.route(lambda url: not is_local(url), lambda route: route.abort())

    def open_page(path: str):
        page = context.new_page()
        recorder = Recorder()
        recorder.attach(page)
        page.goto(app.url + path)
        wait_ready(page)
        return page, recorder

    yield open_page
    context.close()


def query(*parts: str) -> str:
    joined = "&".join(p for p in parts if p)
    return f"?{joined}" if joined else ""


def caption(page) -> str:
    """The line under the title that says which filters are active."""
    return page.locator("[data-testid=stCaptionContainer]").first.inner_text()


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("name", "path", "params", "title_id", "title_en"), PAGES, ids=[p[0] for p in PAGES])
def test_page_draws_without_errors(browse, name, path, params, title_id, title_en, lang):
    page, recorder = browse(path + query("lang=en" if lang == "en" else "", params))
    title = page.locator("h1").first.inner_text().strip()
    if title != (title_id if lang == "id" else title_en):
        pytest.fail(f"{path} ({lang}): the title is {title!r}, expected {title_id if lang == 'id' else title_en!r}")
    if page.locator("[data-testid=stException]").count():
        pytest.fail(
            f"{path} ({lang}) shows an exception:\n" + page.locator("[data-testid=stException]").first.inner_text()
        )
    charts = wait_for_charts(page)
    assert charts >= 1
    assert page.locator(".js-plotly-plot .main-svg").count() >= charts
    if empty := empty_charts(page):
        pytest.fail(f"{path} ({lang}): charts drew no marks: {empty}")
    if name == "overview":
        assert_map_shows_shapes(page)
    screenshot_full(page, f"{name}-{lang}")
    recorder.assert_clean()


def assert_map_shows_shapes(page) -> None:
    """The MapLibre choropleth paints provinces from the app's own outlines (no tiles, no CDN)."""
    canvas = page.locator(".js-plotly-plot .maplibregl-canvas, .js-plotly-plot canvas").first
    canvas.scroll_into_view_if_needed()
    colours, painted = 0, 0.0
    for _ in range(20):  # MapLibre paints asynchronously once the outlines have loaded
        colours, painted = picture_stats(canvas.screenshot())
        if colours >= 50 and painted >= 0.01:
            return
        page.wait_for_timeout(250)
    pytest.fail(f"the overview map looks blank: {colours} distinct colours, {painted:.1%} of pixels painted")


def test_overview_is_also_at_its_own_path(browse):
    page, recorder = browse("/overview?lang=en")
    assert page.locator("h1").first.inner_text().strip() == "Overview"
    if page.get_by_role("dialog").count():
        pytest.fail("/overview opens a dialog: " + page.get_by_role("dialog").first.inner_text())
    recorder.assert_clean()


@pytest.mark.parametrize(
    ("lang", "default_words", "everywhere"),
    [
        ("id", "nilai bawaan", "Seluruh Indonesia"),
        ("en", "default", "All Indonesia"),
    ],
)
def test_bad_link_parameter_warns_and_shows_the_default_view(browse, lang, default_words, everywhere):
    page, recorder = browse("/participation" + query("lang=en" if lang == "en" else "", "province=99"))
    warnings = [text for text in page.locator("[data-testid=stAlert]").all_inner_texts() if "'province'" in text]
    if not warnings:
        pytest.fail(
            "/participation?province=99 shows no warning about 'province'; alerts: "
            + repr(page.locator("[data-testid=stAlert]").all_inner_texts())
        )
    assert "99" in warnings[0] and default_words in warnings[0], warnings[0]
    assert page.locator("h1").first.inner_text().strip() == ("Partisipasi PLM" if lang == "id" else "PLM participation")
    assert caption(page).startswith(everywhere)  # the default view: the whole country
    assert not page.locator("[data-testid=stException]").count()
    recorder.assert_clean()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_import_without_sign_in_asks_for_a_password(browse, lang):
    page, recorder = browse("/import" + query("lang=en" if lang == "en" else ""))
    expect(page.locator("input[type=password]")).to_have_count(1)
    assert page.locator("[data-testid=stFileUploader]").count() == 0
    assert page.locator("[data-testid=stSidebarNav] a[href$='/import']").count() == 0  # hidden from navigation
    assert not page.locator("[data-testid=stException]").count()
    screenshot_full(page, f"import-{lang}")
    recorder.assert_clean()


def test_click_on_a_bar_drills_down_to_that_province(browse):
    page, recorder = browse("/participation")
    wait_for_charts(page)
    before = caption(page)
    assert before.startswith("Seluruh Indonesia")
    chart = page.locator(".js-plotly-plot").first
    bar = chart.locator("g.trace.bars g.point path").first
    # The province code behind the first bar (Plotly keeps the figure's data on the chart element).
    code = chart.evaluate("gd => { const c = gd.data[0].customdata[0]; return Array.isArray(c) ? c[0] : c; }")
    bar.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    box = bar.bounding_box()
    # A real mouse click at the bar's centre: Plotly's drag layer lies on top and does the hit test itself,
    # so Playwright's element click (which insists on hitting the path) cannot be used.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    try:
        page.wait_for_url(re.compile(rf"[?&]province={re.escape(str(code))}(&|$)"), timeout=15_000)
    except Exception:  # Playwright's TimeoutError; say what the URL is instead
        pytest.fail(f"a click on the first bar (province {code}) did not drill down; URL is {page.url}")
    page.wait_for_function(
        """before => {
        const app = document.querySelector('[data-testid=stApp]');
        const line = document.querySelector('[data-testid=stCaptionContainer]');
        return app.dataset.testScriptState === 'notRunning' && line && line.innerText !== before;
    }""",
        arg=before,
        timeout=15_000,
    )
    after = caption(page)
    assert not after.startswith("Seluruh Indonesia"), after
    assert not page.locator("[data-testid=stException]").count()
    recorder.assert_clean()
