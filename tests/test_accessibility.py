"""Accessibility (issue 13) on every page and the presentation, in both languages, reached by the navigation:
axe-core (bundled with axe-playwright-python, injected from the package: nothing is fetched) finds no serious or
critical WCAG 2.1 A/AA violation; the page's ``lang`` attribute follows the chosen language; a traffic light is
never shown by colour alone (every coloured status cell or mark carries its symbol or word).

Findings are collected, written to artifacts/visual/findings-a11y-<lang>.md, and listed in the failure."""

from __future__ import annotations

import re

import pytest

from analytics.charts import STATUS_SYMBOLS
from tests import browser_support
from tests.browser_support import is_local
from tests.visual_support import (
    FIRST_LOAD_MS,
    PAGES,
    PRESENT,
    SIZES,
    choose_language,
    finding,
    findings_table,
    go_to_page,
    settle,
    traffic_lights,
    write_findings,
)

pytestmark = browser_support.MARKS

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
# The shared fixtures (one server and one browser for this module), by assignment: pytest finds them here.
app = browser_support.app
chromium = browser_support.chromium


def node_text(node: dict) -> str:
    """An element axe flagged: its HTML, and for contrast the measured ratio and colours."""
    html = " ".join((node.get("html") or "").split())[:80]
    summary = " ".join((node.get("failureSummary") or "").split())
    contrast = re.search(r"contrast of ([\d.]+) \(foreground color: (#\w+), background color: (#\w+)", summary)
    if contrast:
        return f"{html} ({contrast[1]}:1, {contrast[2]} on {contrast[3]})"
    return f"{html} ({summary[:120]})"


def axe_findings(page, where: dict) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    found = []
    for rule in results.response["violations"]:
        if rule.get("impact") not in BLOCKING:
            continue
        nodes = rule.get("nodes", [])
        targets = "; ".join(node_text(node) for node in nodes[:4])
        found.append(
            finding(where, f"axe {rule['id']} ({rule['impact']}) on {len(nodes)} element(s): {targets}", rule["help"])
        )
    return found


@pytest.mark.visual
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_page_is_accessible(app, chromium, lang):
    context = chromium.new_context(viewport=SIZES["1366x768"])
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    page = context.new_page()
    findings: list[dict] = []
    checked = []
    status_charts: dict[str, int] = {}
    try:
        page.goto(app.url)
        settle(page, FIRST_LOAD_MS)
        choose_language(page, lang)
        for name, titles in [*PAGES, ("present", PRESENT)]:
            where = {"page": name, "lang": lang, "size": "1366x768"}
            try:
                if problem := go_to_page(page, titles, lang):
                    findings.append(finding(where, "top navigation", problem))
            except Exception as error:  # noqa: BLE001 (an unreachable page is a finding; check the rest)
                findings.append(finding(where, "top navigation", f"could not open by clicking: {error!s:.200}"))
                continue
            checked.append(name)
            shown = page.evaluate("() => document.documentElement.lang")
            if shown != lang:
                findings.append(finding(where, "<html lang>", f'lang="{shown}" while the page is in "{lang}"'))
            findings += axe_findings(page, where)
            lights = traffic_lights(page, lang)
            findings += [finding(where, f["element"], f["what"]) for f in lights["out"]]
            status_charts[name] = lights["seen"]
    finally:
        context.close()
    if "impact" in checked and not status_charts.get("impact"):  # the check must have seen the scorecard
        findings.append(
            finding(
                {"page": "impact", "lang": lang, "size": "1366x768"},
                "scorecard",
                "no traffic-light chart found: the colour-alone check did not run",
            )
        )
    report = write_findings(f"a11y-{lang}", findings)
    if findings:
        pytest.fail(
            f"{len(findings)} accessibility finding(s) in {lang} (also in {report}):\n" + findings_table(findings)
        )


def test_the_traffic_light_check_sees_a_colour_only_cell(chromium):
    """The check itself, on the app's own scorecard chart drawn by plotly.js in a bare page: with its symbols no
    finding; the same chart with the symbols taken out of the cells gives one."""
    import pandas as pd
    import plotly.graph_objects as go

    from analytics import charts
    from tests.visual_support import draw_figures

    frame = pd.DataFrame(
        {
            "region": ["A", "A", "B"],
            "strategy": ["s1", "s2", "s1"],
            "ratio": [1.1, 0.8, 0.5],
            "status": ["green", "yellow", "red"],
        }
    )
    figure = charts.scorecard(
        frame, title="Skor", names={"A": "Aceh", "B": "Bali"}, strategies={"s1": "one", "s2": "two"}, status_names={}
    )
    bare = go.Figure(figure)
    cells = bare.data[0].text
    bare.data[0].text = [[str(c).lstrip("".join(STATUS_SYMBOLS.values())).strip() for c in row] for row in cells]
    page = chromium.new_page()
    try:
        draw_figures(page, [figure])
        with_symbols = traffic_lights(page, "id")["out"]
        draw_figures(page, [bare])
        colour_only = traffic_lights(page, "id")["out"]
    finally:
        page.close()
    assert with_symbols == [], with_symbols
    assert len(colour_only) == 1 and "3 of 3 traffic-light cells by colour alone" in colour_only[0]["what"], colour_only
