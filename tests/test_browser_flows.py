"""What officers do in the browser: share a link, switch language, present at a PLM, download a table and the
meeting pack. Every test also asserts that no request left loopback and the console stayed clean."""

from __future__ import annotations

import csv
import io
import re
import sqlite3

import pytest
from playwright.sync_api import expect

from analytics.i18n import t
from tests import browser_support
from tests.browser_support import CHROMIUM, VIEWPORT, Recorder, app, chromium, is_local, wait_ready  # shared fixtures

pytestmark = browser_support.MARKS


@pytest.fixture
def context(chromium):
    """A fresh browser (context) per call: ``page, recorder = context()(url)``."""
    made = []

    def new():
        ctx = chromium.new_context(viewport=VIEWPORT, accept_downloads=True)
        ctx.route(lambda url: not is_local(url), lambda route: route.abort())
        made.append(ctx)

        def open_url(url: str):
            page = ctx.new_page()
            recorder = Recorder()
            recorder.attach(page)
            page.goto(url)
            wait_ready(page)
            return page, recorder

        return open_url

    yield new
    for ctx in made:
        ctx.close()


def metric_values(page, count: int | None = None) -> dict[str, str]:
    """The headline metrics, label to value, read once all are drawn: ``count`` of them, or else as many as
    stay on the page for half a second (a page still drawing had shown 3 of its 6 in CI)."""
    if count is not None:
        page.wait_for_function(
            "n => document.querySelectorAll('[data-testid=stMetricValue]').length === n", arg=count, timeout=20_000
        )
    else:
        page.wait_for_selector("[data-testid=stMetricValue]")
        seen = -1
        while (now := page.locator("[data-testid=stMetricValue]").count()) != seen:
            seen = now
            page.wait_for_timeout(500)
    labels = page.locator("[data-testid=stMetricLabel]").all_inner_texts()
    values = page.locator("[data-testid=stMetricValue]").all_inner_texts()
    return dict(zip(labels, values))


def caption(page) -> str:
    return page.locator("[data-testid=stCaptionContainer]").first.inner_text()


def test_a_copied_link_reopened_in_a_new_browser_shows_the_same_numbers(app, context):
    page, recorder = context()(f"{app.url}/?province=35&tier=desa&to=2017-3")
    first = metric_values(page)
    assert len(first) == 6, first  # the overview's six headline figures
    link = page.url
    assert "province=35" in link and "tier=desa" in link and "to=2017-3" in link
    again, recorder2 = context()(link)  # another browser: nothing shared but the URL
    assert metric_values(again, len(first)) == first
    assert caption(again) == caption(page)
    conn = sqlite3.connect(app.db)
    ((active,),) = conn.execute("""SELECT count(*) FROM libraries l JOIN districts d ON d.code = l.district_code
        WHERE d.province_code = '35' AND l.tier = 'desa' AND l.joined_cycle <= '2017-3'
        AND (l.left_cycle IS NULL OR l.left_cycle >= '2017-3')""").fetchall()
    conn.close()
    assert first["Perpustakaan mitra aktif"] == f"{active:,}".replace(",", ".")
    recorder.assert_clean()
    recorder2.assert_clean()


def test_changing_a_filter_writes_it_into_the_url(app, context):
    page, recorder = context()(f"{app.url}/participation")
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").first.click()  # the province select box
    page.wait_for_selector("[role=listbox]")
    page.keyboard.type("Yogyakarta")  # the list is long: type to find, as an officer would
    page.wait_for_selector("[role=option]:has-text('Yogyakarta')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"province=34"))
    wait_ready(page)
    assert caption(page).startswith("DI Yogyakarta")
    recorder.assert_clean()


def test_the_language_toggle_switches_to_english_and_keeps_the_filters(app, context):
    page, recorder = context()(f"{app.url}/impact?province=34")
    assert page.locator("h1").first.inner_text() == "Dampak"
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    page.wait_for_url(re.compile(r"lang=en"))
    wait_ready(page)
    expect(page.locator("h1").first).to_have_text("Impact")
    assert "province=34" in page.url and caption(page).startswith("DI Yogyakarta")
    recorder.assert_clean()


def test_a_library_tab_opens_on_a_click_and_stays_open_in_the_other_language(app, context):
    conn = sqlite3.connect(app.db)
    gardu, awards = conn.execute("""SELECT l.id, (SELECT count(*) FROM awards a WHERE a.library_id = l.id)
        FROM libraries l WHERE l.name = 'Perpustakaan Desa Gardu Pintar 2'""").fetchone()
    conn.close()
    page, recorder = context()(f"{app.url}/library?library={gardu}")
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(3)
    expect(page.locator("[data-testid=stPlotlyChart]")).to_have_count(2)  # the first tab: two charts
    assert page.locator("[data-testid=stDataFrame]").count() == 0
    tabs.nth(2).click()  # awards, visits and stories: drawn only now (the tab reruns the page)
    expect(page.get_by_role("tab", selected=True)).to_have_text("Penghargaan, kunjungan & cerita")
    expect(page.locator("[data-testid=stDataFrame]")).to_have_count(2)  # awards and visits
    expect(page.locator("[data-testid=stPlotlyChart]")).to_have_count(0)
    assert awards >= 2
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    page.wait_for_url(re.compile(r"lang=en"))
    wait_ready(page)
    expect(page.get_by_role("tab", selected=True)).to_have_text("Awards, visits & stories")
    expect(page.locator("[data-testid=stDataFrame]")).to_have_count(2)
    recorder.assert_clean()


def test_presentation_mode_and_slide_navigation_by_keys_and_buttons(app, context):
    page, recorder = context()(f"{app.url}/participation?present=1&district=34.03&to=2018-2")
    assert re.match(r"Slide 1 dari (\d+)", caption(page))
    total = int(re.match(r"Slide 1 dari (\d+)", caption(page)).group(1))
    assert page.get_by_test_id("stSidebar").is_hidden() or not page.get_by_test_id("stSidebar").is_visible()
    page.get_by_role("button", name=re.compile(r"^Berikutnya")).click()
    page.wait_for_url(re.compile(r"slide=2"))
    wait_ready(page)
    assert caption(page).startswith(f"Slide 2 dari {total}")
    page.locator("h1").first.click()  # focus the page (not a table, which keeps arrow keys for itself)
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"slide=3"))
    wait_ready(page)
    assert caption(page).startswith(f"Slide 3 dari {total}")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"slide=2"))
    wait_ready(page)
    shared = page.url
    again, recorder2 = context()(shared)  # the shared link keeps the position
    assert caption(again).startswith(f"Slide 2 dari {total}")
    recorder.assert_clean()
    recorder2.assert_clean()


def test_csv_download_holds_the_table_shown(app, context):
    page, recorder = context()(f"{app.url}/data-quality?province=34&to=2018-1")
    # Wait until the page's download buttons can be clicked (a dialog over the page makes them inert).
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stDownloadButton] button')]"
        ".filter(b => !b.closest('[inert]')).length >= 2"
    )
    downloads = {}
    for button in page.get_by_role("button", name="Unduh CSV").all():
        if button.evaluate("b => !!b.closest('[inert]')"):  # inside a folded expander (the 'others' lists)
            continue
        with page.expect_download() as download:
            button.click()
        downloads[download.value.suggested_filename] = download.value
    missing_csv = [name for name in downloads if name.startswith("missing-reports")]
    assert len(missing_csv) == 1, sorted(downloads)  # the libraries without a report
    content = downloads[missing_csv[0]].path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    # Indonesian Excel: ';' between fields, the table's own (Indonesian) column labels as headers.
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    conn = sqlite3.connect(app.db)
    missing = {
        r[0]
        for r in conn.execute("""SELECT l.id FROM libraries l JOIN districts d ON d.code = l.district_code
        WHERE d.province_code = '34' AND l.joined_cycle <= '2018-1'
        AND (l.left_cycle IS NULL OR l.left_cycle >= '2018-1')
        AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.library_id = l.id AND r.cycle_id = '2018-1')""")
    }
    conn.close()
    assert {int(r[t("col.id", "id")]) for r in rows} == missing and missing
    recorder.assert_clean()


def test_the_meeting_pack_download_opens_offline_with_its_charts(app, context, chromium, tmp_path):
    page, recorder = context()(f"{app.url}/stories?district=34.03&to=2018-2")
    button = page.get_by_role("button", name=re.compile("paket|pack", re.I)).first
    with page.expect_download() as download:
        button.click()
    pack = tmp_path / "pack.html"
    download.value.save_as(pack)
    html = pack.read_text(encoding="utf-8")
    assert "Gunungkidul" in html and "2018-2" in html
    assert not re.search(r"(?:src|href)=[\"']https?://", html)  # nothing to fetch from outside
    recorder.assert_clean()
    # Opened from disk in a fresh browser, as after the meeting, offline: its charts draw, nothing is fetched.
    offline = chromium.new_context(viewport=VIEWPORT)
    offline.route(lambda url: not (is_local(url) or url.startswith("file://")), lambda route: route.abort())
    viewer = offline.new_page()
    seen = Recorder()
    seen.attach(viewer)
    viewer.goto(pack.as_uri())
    viewer.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0", timeout=30_000)
    assert viewer.locator(".js-plotly-plot").count() >= 2
    seen.requests = [u for u in seen.requests if not u.startswith("file://")]
    seen.assert_clean()
    offline.close()
