"""Helpers for the browser tests: the app as a subprocess, a page that records what it asks for and what it
complains about, and checks on what chromium drew."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from analytics.tools.browser import CHROMIUM, CHROMIUM_ARGS  # the app's: its benchmark drives Chromium so too

ROOT = Path(__file__).resolve().parents[1]
# Every browser test file: ``pytestmark = MARKS``.
MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt-get install -y chromium)"),
]
VIEWPORT = {"width": 1600, "height": 1000}  # a projector-ish screen
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
READY = "[data-testid=stApp][data-test-script-state=notRunning]"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# The frontend first probes the page's sub-path for the server and logs a 404 for each probe; harmless.
KNOWN_PROBE = re.compile(r"^http://(127\.0\.0\.1|localhost):\d+/[^?#]+/_stcore/(health|host-config)$")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def start_app(db: Path, log: Path, timeout: float = 60) -> Server:
    """``streamlit run app.py`` on a free loopback port; returns once ``/_stcore/health`` answers."""
    port = free_port()
    # With a password configured the import page shows its sign-in form (without one, only a notice).
    env = {**os.environ, "PLM_DB": str(db), "PLM_DATA_OFFICER_PASSWORD": "browser-test-only"}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        # a colleague saving a file must not rerun the app under a test
        "--server.fileWatcherType",
        "none",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with code {process.returncode} before answering:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    stop_app(server)
    pytest.fail(f"streamlit did not answer {server.url}/_stcore/health within {timeout:.0f} s:\n{server.log_tail()}")


def stop_app(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS


@dataclass
class Recorder:
    """Every request the page makes, and every console error and uncaught exception it reports."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if "404" in message.text and KNOWN_PROBE.match(where):
            return
        self.errors.append(f"console error: {message.text} (at {where or 'unknown'})")

    def assert_clean(self) -> None:
        foreign = sorted({url for url in self.requests if not is_local(url)})
        if foreign:
            pytest.fail("the page asked a non-loopback host for: " + ", ".join(foreign))
        if self.errors:
            pytest.fail("the page reported errors:\n" + "\n".join(self.errors))


def wait_ready(page, timeout: float = 60_000) -> None:
    """The script has run and the page shows its title (``notRunning`` alone also holds before the first run)."""
    page.wait_for_selector(f"{READY} h1", timeout=timeout)
    page.wait_for_timeout(300)  # the first run may set the URL's parameters and run once more
    page.wait_for_selector(READY, timeout=timeout)


def wait_for_charts(page, timeout: float = 20_000) -> int:
    """Wait until every ``st.plotly_chart`` on the page has drawn its SVG; returns how many there are."""
    page.wait_for_function(
        """() => {
        const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
        return charts.length > 0 && charts.every(c => c.querySelector('.js-plotly-plot .main-svg'));
    }""",
        timeout=timeout,
    )
    page.wait_for_timeout(400)  # Plotly finishes its layout pass after the first draw
    return page.locator("[data-testid=stPlotlyChart]").count()


def empty_charts(page) -> list[str]:
    """Titles of the Plotly charts that drew no marks (no drawn trace path, heat map image or map canvas)."""
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
        .filter(gd => !gd.querySelector('g.hm image, canvas')
                      && ![...gd.querySelectorAll('g.trace path')].some(p => (p.getAttribute('d') || '').length > 2))
        .map(gd => (gd.querySelector('.gtitle') || {}).textContent || '(untitled chart)')""")


def screenshot_full(page, name: str) -> Path:
    """The whole page (Streamlit scrolls inside ``stMain``, so the viewport grows to its height for the shot)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    height = page.evaluate("() => (document.querySelector('[data-testid=stMain]') || document.body).scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], min(int(height), 12_000))})
    page.wait_for_timeout(500)  # charts re-lay out on resize
    page.screenshot(path=str(target), full_page=True)
    page.set_viewport_size(VIEWPORT)
    return target


def picture_stats(png: bytes) -> tuple[int, float]:
    """(distinct colours, share of pixels that differ from the most common colour) of a PNG."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    total = image.width * image.height
    counts = image.getcolors(maxcolors=total)  # [(count, colour), ...]
    return len(counts), 1 - max(counts)[0] / total


# Fixtures shared by the browser test modules (imported there; module scope: one server per module).


@pytest.fixture(scope="module")
def app(seed_db, tmp_path_factory):
    """The app on a free loopback port over a private copy of the seed database (``app.db``)."""
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "seed.db"
    shutil.copy(seed_db, db)  # the app may touch its database; the session's copy stays as built
    server = start_app(db, folder / "streamlit.log")
    server.db = db
    yield server
    stop_app(server)


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Steps an officer takes with the mouse and keys (the journey and slide tests).


def settle(page, condition: str | None = None, timeout: float = 60_000) -> None:
    """After a click or key: wait for ``condition`` (a JavaScript function; an exception element shown also ends
    the wait), then for the script to have finished its run (and any run it asked for)."""
    if condition:
        page.wait_for_function(
            f"() => !!document.querySelector('[data-testid=stException]') || ({condition})()", timeout=timeout
        )
    page.wait_for_timeout(200)
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_timeout(300)  # a run that sets the URL's parameters may ask for one more
    page.wait_for_selector(READY, timeout=timeout)


def choose_option(page, label: str, option: str, where: str = "[data-testid=stSidebar]") -> None:
    """Pick ``option`` in the select labelled ``label``: click it, type part of the name, click the option."""
    box = (
        page.locator(f"{where} [data-testid=stSelectbox]")
        .filter(has=page.locator("[data-testid=stWidgetLabel]", has_text=label))
        .first
    )
    field = box.locator("input")
    field.click()
    page.keyboard.type(option[:6])
    page.locator("[role=option]").filter(has_text=re.compile(f"^{re.escape(option)}$")).first.click()
    settle(
        page,
        f"() => [...document.querySelectorAll('{where} [data-testid=stSelectbox] input')]"
        f".some(i => i.value === {option!r})",
    )


def go_to_page(page, title: str, path: str) -> None:
    """Click ``title`` in the top navigation (opening its overflow menu first when the link is folded into it)
    and wait until that page has been drawn."""
    link = (
        page.locator("[data-testid=stTopNav] [data-testid=stTopNavLink]")
        .filter(has=page.get_by_text(title, exact=True))
        .first
    )
    folded = link.evaluate("""a => { const item = a.closest('.rc-overflow-item');
        return !!item && (item.getAttribute('aria-hidden') === 'true' || getComputedStyle(item).opacity === '0'); }""")
    if folded:
        page.locator("[data-testid=stTopNav]").get_by_text(re.compile(r"^\d+ (more|lagi|lainnya)$")).click()
        page.locator("[data-testid=stTopNavLink]:visible, [role=menuitem]:visible, [role=option]:visible").filter(
            has_text=title
        ).last.click()
    else:
        link.click()
    settle(page, f"() => location.pathname === {path!r} && !!document.querySelector('[data-testid=stMain] h1')")
