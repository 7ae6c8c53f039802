"""Issue 13 item 11, in Chromium at a projector's 1366x768: on a library's profile, one click on "Presentasikan
perpustakaan ini" shows that library's deck; the arrow keys step its screens (each fits the screen, text of at
least 20 px: the checks of tests/test_slides_fit.py); the URL keeps it; Exit goes back to the profile."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from analytics.i18n import t
from tests import browser_support
from tests.browser_support import CHROMIUM, Recorder, app, chromium, is_local, settle, wait_ready  # noqa: F401
from tests.test_slides_fit import check_screen, position, press

pytestmark = browser_support.MARKS

GARDU = 124  # Perpustakaan Desa Gardu Pintar 2 (Gunungkidul): awards and stories in the seed


def test_present_a_library_from_its_profile_with_clicks_and_keys(app, chromium):  # noqa: F811
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    page = context.new_page()
    recorder = Recorder()
    recorder.attach(page)
    try:
        page.goto(f"{app.url}/library?library={GARDU}")
        wait_ready(page)
        page.get_by_role("button", name=t("library.present", "id")).click()
        settle(
            page,
            "() => /^Slide 1 /.test((document.querySelector("
            "'[data-testid=stMain] [data-testid=stCaptionContainer]') || {}).innerText || '')",
        )
        assert page.locator("h1").first.inner_text() == "Perpustakaan Desa Gardu Pintar 2"
        params = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
        assert (
            urlsplit(page.url).path == "/library"
            and params.get("present") == "1"
            and params.get("library") == str(GARDU)
        ), page.url
        n, total = position(page)
        assert n == 1 and total >= 5  # opening, attendance (continued), indicators, awards, stories
        check_screen(page, "library-gardu-1366x768", 1, "id")
        # The arrow keys at once (nothing clicked on the slide): two screens on, one back; each fits the screen.
        # (Every screen of a deck is checked in tests/test_slides_fit.py; the same deck.screens lays this one out.)
        for k, key in ((2, "ArrowRight"), (3, "ArrowRight"), (2, "ArrowLeft")):
            press(page, key, k, "library deck")
            assert position(page) == (k, total)
            check_screen(page, "library-gardu-1366x768", k, "id")
        assert page.locator("h1").first.inner_text().startswith("Kehadiran PLM dan laporan per siklus")
        page.locator("[data-testid=stMainBlockContainer] button").filter(has_text=t("present.exit", "id")).click()
        settle(
            page,
            "() => [...document.querySelectorAll('[data-testid=stMain] h2')]"
            ".some(h => h.innerText.includes('Gardu Pintar 2'))",
        )
        assert "present" not in parse_qs(urlsplit(page.url).query)
        recorder.assert_clean()
    finally:
        context.close()
