"""Visual invariants (issue 13) on every page and every presentation slide, in both languages, at 1366x768 and
1280x720, reached as an officer does: the top navigation, the sidebar's language control, arrow keys on slides.

On each: no exception; every cycle axis in time order (the categories Plotly uses and the tick labels as drawn);
no two tick labels of one axis overlap; no text cut (metric labels, chart titles, table headers, sidebar values);
a chart's colours map to a legend or a stated encoding. On each slide also: it fits the screen, its
Previous/Next/Exit buttons are on screen, its text is at least 20 px, the arrow keys work on arrival, a traffic
light is not shown by colour alone.
Every finding is collected (not stopped at the first), written to artifacts/visual/findings-<lang>-<size>.md,
and listed in the failure. Screenshots: artifacts/visual/<lang>-<size>-<page>.png (slides: present-NN).

To re-check a few pages while fixing them: PLM_VISUAL_PAGES=impact,present (names as in visual_support.PAGES,
"present" for the slides); pytest -k "id-1366" picks one walk."""

from __future__ import annotations

import os

import pytest

from tests import browser_support
from tests.browser_support import Recorder, is_local
from tests.visual_support import (
    FIRST_LOAD_MS,
    NEXT,
    PAGES,
    PRESENT,
    SIZES,
    choose_language,
    finding,
    findings_table,
    go_to_page,
    in_overflow,
    invariants,
    other_language,
    screenshot,
    settle,
    slide_checks,
    slide_position,
    title,
    traffic_lights,
    write_findings,
)

pytestmark = browser_support.MARKS

# The shared fixtures (one server and one browser for this module), by assignment: pytest finds them here.
app = browser_support.app
chromium = browser_support.chromium
MAX_SLIDES = 60  # a guard against a deck whose position never reaches its end
ONLY = {name.strip() for name in os.environ.get("PLM_VISUAL_PAGES", "").split(",") if name.strip()}


@pytest.mark.visual
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_page_and_slide_keeps_the_visual_invariants(app, chromium, lang, size):
    context = chromium.new_context(viewport=SIZES[size])
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    page = context.new_page()
    recorder = Recorder()
    recorder.attach(page)
    findings: list[dict] = []
    try:
        page.goto(app.url)
        settle(page, FIRST_LOAD_MS)
        choose_language(page, lang)
        for name, titles in [(n, t) for n, t in PAGES if not ONLY or n in ONLY]:
            where = {"page": name, "lang": lang, "size": size}
            if in_overflow(page, titles[lang]):
                findings.append(finding(where, "top navigation", f'"{titles[lang]}" only in the overflow menu'))
            try:
                if problem := go_to_page(page, titles, lang):
                    findings.append(finding(where, "top navigation", problem))
            except Exception as error:  # noqa: BLE001 (a page not reachable is a finding; go on with the rest)
                findings.append(finding(where, "top navigation", f"could not open by clicking: {error!s:.200}"))
                continue
            shown = title(page)
            if not shown:
                findings.append(finding(where, "h1", "no page title after the click"))
            findings += [finding(where, f["element"], f["what"]) for f in invariants(page) + other_language(page, lang)]
            screenshot(page, f"{lang}-{size}-{name}")
        if not ONLY or "present" in ONLY:
            findings += walk_slides(page, lang, size)
        findings += [
            finding({"page": "(console)", "lang": lang, "size": size}, "browser console", e) for e in recorder.errors
        ]
    finally:
        context.close()
    report = write_findings(f"{lang}-{size}", findings)
    if findings:
        pytest.fail(
            f"{len(findings)} visual finding(s) in {lang} at {size} (also in {report}):\n" + findings_table(findings)
        )


def walk_slides(page, lang: str, size: str) -> list[dict]:
    """Open the presentation by the navigation, then step with the right arrow key to the last slide."""
    found: list[dict] = []
    where = {"page": "present", "lang": lang, "size": size}
    try:
        if problem := go_to_page(page, PRESENT, lang):
            found.append(finding(where, "top navigation", problem))
    except Exception as error:  # noqa: BLE001
        return [finding(where, "top navigation", f"could not open the presentation: {error!s:.200}")]
    seen = set()
    for _ in range(MAX_SLIDES):
        position = slide_position(page)
        number = position[0] if position else len(seen) + 1
        here = {**where, "page": f"present slide {number}" + (f"/{position[1]}" if position else "")}
        seen.add(number)
        checks = invariants(page) + slide_checks(page) + traffic_lights(page, lang)["out"] + other_language(page, lang)
        found += [finding(here, f["element"], f["what"]) for f in checks]
        screenshot(page, f"{lang}-{size}-present-{number:02d}", full=False)  # what the room sees
        if position is None:
            found.append(finding(here, "slide position", 'no "Slide n of N" on the slide'))
            break
        if position[0] >= position[1]:
            break
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
        settle(page)
        after = slide_position(page)
        if after == position:  # the key did nothing: say so, then click Next as an officer would
            found.append(finding(here, "ArrowRight key", "the right arrow key did not move to the next slide"))
            page.locator(".st-key-slide_next button").first.click()
            page.wait_for_timeout(300)
            settle(page)
            if slide_position(page) == position:
                found.append(finding(here, f'button "{NEXT[lang]}"', "Next did not move either; stopped"))
                break
    return found


def test_the_checks_see_each_kind_of_defect_and_pass_a_clean_chart(chromium):
    """The invariant checks themselves, on charts drawn by plotly.js in a bare page: a chart with every defect
    gives each finding; a clean chart gives none (so the page findings above are neither blind nor noise)."""
    import plotly.graph_objects as go

    from tests.visual_support import draw_figures

    bad = go.Figure(
        go.Bar(
            x=["2018-1", "2017-3", "2017-1", "2016-2", "2016-1", "2015-3"],
            y=[1, 2, 3, 4, 5, 6],
            marker={"color": ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]},
        )
    )
    bad.update_layout(
        title="A title far too long to fit inside this narrow chart, cut at the edge of the figure",
        showlegend=False,
        xaxis={"type": "category"},
    )
    crowded = go.Figure(
        [
            go.Bar(
                x=[f"Perpustakaan desa nomor {i}" for i in range(6)],
                y=[1, 2, 3, 4, 5, 6],
                name=name,
                marker={"color": "#0072B2"},
            )
            for name in ("Anggaran", "Pelaporan")
        ]
    )
    crowded.update_layout(xaxis={"tickangle": 0})
    # Slanted names: where their letters meet, and (on the clean page) close but apart, whose screen rectangles
    # still meet (the check follows the turned label, not its screen rectangle).
    names = ["Layanan informasi", "Pelibatan masyarakat", "Advokasi", "Pelaporan dan dokumentasi"]
    slanted = go.Figure(go.Bar(x=[n + " " + n for n in names], y=[1, 2, 3, 4]))
    slanted.update_layout(width=500, xaxis={"tickangle": -10}, margin={"b": 150})
    cramped = go.Figure(
        go.Heatmap(
            z=[[1, 2]] * 10,
            text=[["● 100%<br>2 dari 3"] * 2] * 10,
            texttemplate="%{text}",
            textfont={"size": 20},
            showscale=False,
        )
    )
    clean = go.Figure(go.Scatter(x=["2017-1", "2017-2", "2017-3", "2018-1"], y=[1, 2, 3, 4], name="a"))
    clean.update_layout(title="Short")
    apart = go.Figure(
        go.Heatmap(x=names, y=["Jawa Timur", "Bali"], z=[[1, 2, 3, 4]] * 2, texttemplate="%{z}", showscale=False)
    )
    apart.update_layout(xaxis={"tickangle": -30, "side": "top"}, margin={"t": 160, "l": 90, "r": 150})
    page = chromium.new_page(viewport={"width": 900, "height": 1200})
    try:
        draw_figures(page, [bad, crowded, cramped, slanted])
        found = invariants(page)
        draw_figures(page, [clean, apart])
        quiet = invariants(page)
        rectangles_meet = page.evaluate(APART_RECTANGLES)
    finally:
        page.close()
    text = "\n".join(f"{f['element']}: {f['what']}" for f in found)
    assert 'xaxis: cycle categories out of time order: "2018-1" before "2017-3"' in text, text
    assert 'xaxis tick labels: drawn out of time order: "2018-1" then "2017-3"' in text, text
    assert "chart 2 xaxis: " in text and "overlapping tick label pair(s)" in text, text
    assert "title(s) cut by the chart's edge" in text, text
    assert "6 distinct marker colours in one trace" in text, text
    assert '"Anggaran" and "Pelaporan" share the colour #0072B2 in the legend' in text, text
    assert "chart 3 cells: " in text and "overlapping cell text pair(s)" in text, text
    assert "chart 4 xaxis: " in text and "overlapping tick label pair(s)" in text, text
    assert rectangles_meet > 0  # the slanted names apart: their screen rectangles meet, their letters do not
    assert quiet == [], quiet


# How many pairs of the second chart's tick labels have screen rectangles that meet.
APART_RECTANGLES = """() => {
  const gd = document.querySelectorAll('.js-plotly-plot')[1];
  const r = [...gd.querySelectorAll('g.xtick text')].map(t => t.getBoundingClientRect());
  let n = 0;
  for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++)
    if (Math.min(r[i].right, r[j].right) - Math.max(r[i].left, r[j].left) > 1
        && Math.min(r[i].bottom, r[j].bottom) - Math.max(r[i].top, r[j].top) > 1) n++;
  return n;
}"""
