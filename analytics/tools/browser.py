"""Speed as the officer feels it: in Chromium, the time from choosing a province in the sidebar to the page
settled, for every page, next to a plain Streamlit page with as many Plotly charts measured in the same run.

Playwright drives Debian's ``/usr/bin/chromium`` (headless; no browser download). On each page a province is
chosen as an officer does: a click in the sidebar's province select, a few letters typed, a click on the
province. The clock starts at that click (``pointerdown`` on the option, in the page's own clock) and stops
when the page has *settled*: the script has run (the app's state went to ``running`` and back to
``notRunning``), no element is left stale (greyed out from the previous run), and every Plotly chart of the
page has drawn its SVG; and it stays so for ``QUIET_MS`` (a run that asks for another run would otherwise end
the clock early). The time kept is the moment it first settled.

The **baseline** is a generated Streamlit page (``baseline_script``) with a selectbox of the same provinces in
the sidebar and as many Plotly bar charts as the measured page drew, on a server of the same kind, timed the
same way in the same browser, in turn with the page (page, baseline, page, ...) so that the machine slowing
down meanwhile falls on both alike. Each choice names a different province, rotating over more provinces than
the app's selection cache holds: every choice computes its selection anew, as an officer's first look does.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path

from .. import store
from ..i18n import t

# The pages of the top navigation (the import page is for signed-in data officers), with the query a page
# needs to show its charts (compare: three provinces side by side).
PAGES = {
    "overview": "",
    "participation": "participation",
    "impact": "impact",
    "compare": "compare",
    "library": "library",
    "data-quality": "data-quality",
    "stories": "stories",
    "awards": "awards",
    "presentation": "present",
}
QUERIES = {"compare": "?compare=p:34,p:33,p:35"}
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1366, "height": 768}  # a common projector
QUIET_MS = 300  # settled this long: the time kept is when it first settled
ROTATION = 8  # provinces chosen in turn: more than the app's six cached selections (app/cache.py)

# The baseline: the same kind of server (Nagle's algorithm off, as app.py), a sidebar select of the same
# provinces, and N bar charts of 34 bars (the province count) whose values change with the choice, drawn as
# the app draws its figures (plain spec dicts, no Plotly validation, theme=None).
BASELINE_PAGE = """import random

import plotly.graph_objects as go
import streamlit as st

from analytics.tools import nodelay

nodelay.enable()
PROVINCES = {provinces!r}
st.set_page_config(page_title="PLM", layout="wide")
choice = st.sidebar.selectbox({label!r}, ["-", *PROVINCES])
st.title("PLM")
rng = random.Random(choice)
for i in range(int(st.query_params.get("charts", "1"))):
    spec = {{"data": [{{"type": "bar", "x": PROVINCES, "y": [rng.random() * 100 for _ in PROVINCES]}}],
            "layout": {{"title": {{"text": f"{{choice}} {{i}}"}}, "height": 480, "template": {{}}}}}}
    st.plotly_chart(go.Figure(spec, _validate=False), theme=None, key=f"chart{{i}}")
"""

# Before any page script: note when each of the server's messages arrives and which of them says "script
# finished" (ForwardMsg field 6, an enum; value 2 is "finished early for a rerun", the run it asked for follows).
# A fast script's "running" state may never reach the page's DOM (its updates are batched), so the app's
# script-state attribute alone cannot tell that a run happened after the click.
WATCH = """(() => {
    const finished = bytes => {
        let i = 0;
        const varint = () => {
            let v = 0, m = 1, b;
            do { b = bytes[i++]; v += (b & 127) * m; m *= 128; } while (b & 128);
            return v;
        };
        while (i < bytes.length) {
            const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
            if (wire === 0) { const v = varint(); if (field === 6) return v !== 2; }
            else if (wire === 2) { const n = varint(); i += n; }  // not i += varint(): i is read first
            else if (wire === 1) i += 8;
            else if (wire === 5) i += 4;
            else return false;
        }
        return false;
    };
    const Native = window.WebSocket;
    window.__plmFinished = [];
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', e => {
                const at = performance.now(), d = e.data;
                const check = buf => { if (finished(new Uint8Array(buf))) window.__plmFinished.push(at); };
                if (d instanceof ArrayBuffer) check(d); else if (d && d.arrayBuffer) d.arrayBuffer().then(check);
            });
        }
    };
})();"""

ARM = """() => {
    window.__plm = {t0: null, since: null, finished: 0};
    if (!window.__plmArmed) {
        window.__plmArmed = true;
        document.addEventListener('pointerdown', e => {
            if (window.__plm.t0 === null && e.target.closest('[role=option]')) window.__plm.t0 = performance.now();
        }, true);
    }
}"""

SETTLED = """(expected) => {
    const s = window.__plm;
    if (!s || s.t0 === null) return false;
    const done = window.__plmFinished.filter(at => at >= s.t0);
    if (!done.length) return false;
    const app = document.querySelector('[data-testid=stApp]');
    const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
    const ok = app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid=stSkeleton], [data-testid=stElementContainer][data-stale=true]')
        && charts.length >= expected && charts.every(c => c.querySelector('.js-plotly-plot .main-svg'))
        || !!document.querySelector('[data-testid=stException]');
    const now = performance.now();
    if (!ok || done.length !== s.finished) { s.finished = done.length; s.since = ok ? now : null; return false; }
    if (s.since === null) s.since = now;
    return now - s.since >= QUIET_MS ? {ms: s.since - s.t0, finished: done[done.length - 1] - s.t0} : false;
}""".replace("QUIET_MS", str(QUIET_MS))

READY = "[data-testid=stApp][data-test-script-state=notRunning]"
STABLE = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart]')];
    const ok = app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid=stSkeleton], [data-testid=stElementContainer][data-stale=true]')
        && charts.every(c => c.querySelector('.js-plotly-plot .main-svg'));
    const now = performance.now(), s = window.__plmOpen;
    if (!ok || !s || s.count !== charts.length) { window.__plmOpen = ok ? {count: charts.length, since: now} : null;
                                                  return false; }
    return now - s.since >= 1000 ? {charts: charts.length} : false;  // an object: 0 charts is falsy
}"""


def baseline_script(provinces: list[str], label: str) -> str:
    """The baseline page's source: ``?charts=N`` in its URL sets how many charts it draws."""
    return BASELINE_PAGE.format(provinces=list(provinces), label=label)


def busiest_provinces(db: Path, n: int = ROTATION) -> list[str]:
    """The names of the ``n`` provinces with the most libraries (a choice there shows the most)."""
    with store.opened(db, readonly=True) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT p.name FROM provinces p JOIN districts d ON d.province_code = p.code "
                "JOIN libraries l ON l.district_code = d.code "
                "GROUP BY p.code, p.name ORDER BY count(*) DESC, p.code LIMIT ?",
                (n,),
            )
        ]


def _all_provinces(db: Path) -> list[str]:
    with store.opened(db, readonly=True) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM provinces ORDER BY code")]


def _open(tab, url: str, timeout: float = 120_000) -> int:
    """Open ``url`` and wait until its first run has drawn: the script done, no element loading (Plotly's code
    is fetched when a first chart is shown), every chart drawn, and all of it unchanged for a second; returns
    how many Plotly charts the page shows."""
    tab.bring_to_front()
    tab.goto(url)
    tab.wait_for_selector(f"{READY} h1", timeout=timeout)
    return tab.wait_for_function(STABLE, polling=100, timeout=timeout).json_value()["charts"]


def choose(tab, label: str, option: str, charts: int, timeout: float = 120_000) -> tuple[float, float]:
    """Choose ``option`` in the sidebar select labelled ``label`` with the mouse and keys; the seconds from the
    click on the option to the page settled (at least ``charts`` charts drawn), and to the server's last
    "script finished" message before that (the rest is the browser drawing)."""
    # The tab in front: Chromium runs a background tab's animation frames and timers about once a second,
    # which would add up to a second to whichever of the two tabs (page, baseline) was not in front.
    tab.bring_to_front()
    box = (
        tab.locator("[data-testid=stSidebar] [data-testid=stSelectbox]")
        .filter(has=tab.locator("[data-testid=stWidgetLabel]", has_text=label))
        .first
    )
    if tab.locator("[data-testid=stSidebar]").bounding_box()["x"] < 0:
        # The presentation starts with the sidebar folded away (off screen): the officer opens it first.
        tab.locator("[data-testid=stExpandSidebarButton]").click()
        tab.wait_for_function(
            "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().x >= 0", timeout=timeout
        )
        tab.wait_for_timeout(500)  # its opening animation
    box.locator("input").click()
    tab.keyboard.type(option[:6])
    item = tab.locator("[role=option]").filter(has_text=re.compile(f"^{re.escape(option)}$")).first
    item.wait_for(timeout=timeout)
    tab.evaluate(ARM)
    item.click()
    settled = tab.wait_for_function(SETTLED, arg=charts, polling="raf", timeout=timeout).json_value()
    shown = tab.locator("[data-testid=stException]")
    if shown.count():
        raise RuntimeError(f"{tab.url}: {shown.first.inner_text()[:500]}")
    return settled["ms"] / 1000, settled["finished"] / 1000


def measure(db: Path, repeats: int = 5, pages: dict[str, str] | None = None, lang: str = "id", progress=print) -> dict:
    """Each page's choice-to-settled time and its baseline's (medians of ``repeats`` choices each, after a
    warm-up choice), the chart count and the ratio page / baseline."""
    from playwright.sync_api import sync_playwright

    from .server import Server

    pages = PAGES if pages is None else pages
    label = t("filters.province", lang)
    rotation = busiest_provinces(db)
    out: dict = {"repeats": repeats, "viewport": dict(VIEWPORT), "quiet_ms": QUIET_MS, "pages": []}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "baseline_page.py"
        script.write_text(baseline_script(_all_provinces(db), label))
        quiet = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}  # no file watcher on either (as in production)
        with Server(db, env=quiet) as app, Server(db, env=quiet, script=script) as base, sync_playwright() as pw:
            warm = app.session()  # the first page of a new server loads the dataset (minutes at national scale)
            warm.rerun("", {}, timeout=1800)
            warm.close()
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport=VIEWPORT)
                context.add_init_script(WATCH)
                context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
                app_tab, base_tab = context.new_page(), context.new_page()
                turn = 0
                for name, path in pages.items():
                    charts = _open(app_tab, f"http://127.0.0.1:{app.port}/{path}{QUERIES.get(name, '')}")
                    _open(base_tab, f"http://127.0.0.1:{base.port}/?charts={charts}")
                    ours, theirs, finished = [], [], []
                    for i in range(repeats + 1):  # the first choice of each is a warm-up
                        province = rotation[turn % len(rotation)]
                        turn += 1
                        a, a_finished = choose(app_tab, label, province, charts)
                        b, _ = choose(base_tab, label, province, charts)
                        if i:
                            ours.append(a)
                            theirs.append(b)
                            finished.append(a_finished)
                    nodes = app_tab.evaluate("() => document.getElementsByTagName('*').length")
                    base_nodes = base_tab.evaluate("() => document.getElementsByTagName('*').length")
                    row = {
                        "page": name,
                        "charts": charts,
                        "elements": nodes,
                        "baseline_elements": base_nodes,
                        "seconds": statistics.median(ours),
                        "baseline_seconds": statistics.median(theirs),
                        "runs": ours,
                        "baseline_runs": theirs,
                        "finished_seconds": statistics.median(finished),
                    }
                    row["ratio"] = row["seconds"] / row["baseline_seconds"]
                    out["pages"].append(row)
                    progress(
                        f"browser {name}: {1000 * row['seconds']:.0f} ms, baseline "
                        f"{1000 * row['baseline_seconds']:.0f} ms ({charts} charts), {row['ratio']:.2f}x"
                    )
                context.close()
            finally:
                browser.close()
    out["total_seconds"] = time.perf_counter() - started
    return out
