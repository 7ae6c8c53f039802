"""In Chromium: a table column whose numbers are sent as Indonesian text (widgets.display) sorts by value when
its header is clicked — 7, 12, 950, 2.250, 100.000 (unpadded text would give 100.000, 12, 2.250, 7, 950), and
percentages with a missing value first. The grid sorts text with ``localeCompare``; AppTest cannot show that."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # ~25 s; tests/test_formats.py models the same order

SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import pandas as pd
import streamlit as st
from analytics.app import widgets
frame = pd.DataFrame({{"name": ["a", "b", "c", "d", "e"], "n": [950, 2250, 12, 100000, 7],
                      "rate": [0.9469, 1.0, None, 0.05, 0.5]}})
shown, config = widgets.display(frame, "id", percent=("rate",))
for column in config.values():
    column["width"] = 200  # known header positions to click
st.dataframe(shown, hide_index=True, column_config=config)
"""


@pytest.fixture(scope="module")
def table_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sort")
    (folder / "sort_app.py").write_text(SCRIPT.format(root=str(ROOT)), encoding="utf-8")
    port = free_port()
    with (folder / "log.txt").open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "sort_app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.25)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_clicking_a_header_sorts_indonesian_numbers_by_value(table_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 600})
        page.goto(table_app)
        page.wait_for_selector("[data-testid=stDataFrame] table[role=grid] tbody td", state="attached", timeout=60_000)
        page.wait_for_timeout(500)
        box = page.locator("[data-testid=stDataFrame]").bounding_box()

        def column(i: int) -> list[str]:
            cells = page.eval_on_selector_all(
                f"table[role=grid] tbody tr td:nth-child({i + 1})", "els => els.map(e => e.textContent)"
            )
            return [c.strip("\u2007") for c in cells]

        def click_header(i: int) -> None:
            page.mouse.click(box["x"] + 200 * i + 100, box["y"] + 17)
            page.wait_for_timeout(600)

        click_header(1)
        assert column(1) == ["7", "12", "950", "2.250", "100.000"]
        click_header(1)
        assert column(1) == ["100.000", "2.250", "950", "12", "7"]
        click_header(2)
        assert column(2) == ["–", "5,0%", "50,0%", "94,7%", "100,0%"]
        browser.close()
