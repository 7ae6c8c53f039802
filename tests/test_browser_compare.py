"""Compare and the officer's lists in Chromium at 1366×768, with clicks and keys (issue 13 items 7, 10): typing
a district's name and Enter adds that district only; one click lists the at-risk libraries. Screenshots of the
pages go to artifacts/screenshots/."""

from __future__ import annotations

import pytest

from tests import browser_support
from tests.browser_support import CHROMIUM, SCREENSHOTS, app, chromium, settle, wait_ready  # noqa: F401

pytestmark = browser_support.MARKS

PROJECTOR = {"width": 1366, "height": 768}
TAGS = "[data-testid=stMultiSelectTagsContainer] [data-tag]"


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_typing_a_district_and_enter_adds_that_one(app, chromium):
    page = chromium.new_page(viewport=PROJECTOR)
    page.goto(f"{app.url}/compare")
    wait_ready(page)
    page.locator("[data-testid=stMain] button").filter(has_text="Kabupaten/kota").first.click()
    settle(page)
    for name, count in (("Bantul", 1), ("Sleman", 2)):
        page.locator("[data-testid=stMultiSelect] input").click()
        page.keyboard.type(name)
        page.wait_for_timeout(500)
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        settle(page)
        tags = page.locator(TAGS).all_inner_texts()
        assert len(tags) == count, tags
        assert name in tags[-1], tags
    assert page.locator("[data-testid=stException]").count() == 0
    page.locator("[data-testid=stMetric]").first.wait_for()
    shot(page, "compare-1366-id")
    page.close()


def test_one_click_lists_the_libraries_at_risk(app, chromium):
    page = chromium.new_page(viewport=PROJECTOR)
    page.goto(f"{app.url}/participation?to=2018-1")
    wait_ready(page)
    control = page.locator("[data-testid=stMain] button").filter(has_text="Berisiko").first
    control.scroll_into_view_if_needed()
    control.click()
    settle(
        page,
        "() => [...document.querySelectorAll('[data-testid=stMarkdown] strong')]"
        ".some(s => s.textContent.startsWith('Perpustakaan berisiko ('))",
    )
    heading = page.locator("strong").filter(has_text="Perpustakaan berisiko (").first
    heading.scroll_into_view_if_needed()
    assert page.locator("[data-testid=stException]").count() == 0
    shot(page, "participation-at-risk-1366-id")
    page.goto(f"{app.url}/data-quality?to=2018-1")
    wait_ready(page)
    page.get_by_text("Perpustakaan tanpa laporan siklus 2018-1 (").first.scroll_into_view_if_needed()
    shot(page, "data-quality-missing-1366-id")
    page.close()
