"""Issue 13, speed as the officer feels it: every chart of every page is drawn once.

With ``automargin`` Plotly draws a figure, measures its tick labels, axis titles, legend and colour bar, and
when the margins it was given are too narrow for them, widens the margins and draws the whole figure again.
That second drawing doubled each chart's time in Chromium (measured: 38 -> 17 ms for a bar chart, 98 -> 47 ms
for the participation heat map). ``charts._fit_margins`` gives margins wide enough; here Chromium says whether
Plotly still had to widen any: the margins it laid the plot out with (``_fullLayout._size``) must be the ones
the figure gave (``_fullLayout.margin``) on every chart of every page, at 1366x768 and 1280x720.

One exception: a lying bar chart whose names and value labels would leave a phone no room for its value axis
leaves its left margin to Plotly (given margins are kept even when the plot vanishes; Plotly's own keep it at
least 64 px wide), and is drawn twice; only such charts, at most a third of them.
"""

from __future__ import annotations

import pytest
from browser_support import READY, app, chromium, wait_for_charts, wait_ready  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

PAGES = [
    ("", ""),
    ("participation", ""),
    ("participation", "?province=34"),
    ("impact", ""),
    ("compare", "?compare=p:34,p:33,p:35"),
    ("library", ""),
    ("data-quality", ""),
    ("stories", ""),
    ("awards", ""),
]

# Each chart: its title, the margins given and the ones Plotly laid the plot out with.
WIDENED = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
    const given = gd._fullLayout.margin, used = gd._fullLayout._size;
    const title = (gd.querySelector('.gtitle') || {}).textContent || '(untitled chart)';
    const left = ((gd.layout.meta || {}).left_margin === 'plotly');  // a lying bar chart: see below
    const lying = gd.data.length > 0 && gd.data.every(t => t.orientation === 'h' || t.type === 'scatter');
    return {title, left, lying, widened: ['l', 'r', 't', 'b'].filter(k => !(k === 'l' && left))
        .filter(k => used[k] > given[k] + 0.5).map(k => `${k} ${given[k]} -> ${Math.round(used[k])}`)};
})"""


@pytest.mark.parametrize(
    "size", [pytest.param((1366, 768), marks=pytest.mark.slow, id="1366"), pytest.param((1280, 720), id="1280")]
)
def test_plotly_never_has_to_widen_a_charts_margins_and_draw_it_again(app, chromium, size):  # noqa: F811
    page = chromium.new_page(viewport={"width": size[0], "height": size[1]})
    checked, widened, left_to_plotly = 0, [], 0
    try:
        for path, query in PAGES:
            page.goto(f"{app.url}/{path}{query}")
            wait_ready(page)
            wait_for_charts(page)
            for chart in page.evaluate(WIDENED):
                checked += 1
                left_to_plotly += chart["left"]
                assert chart["lying"] or not chart["left"], chart["title"]  # only lying bars leave it to Plotly
                if chart["widened"]:
                    widened.append((path or "overview", query, chart["title"], chart["widened"]))
    finally:
        page.close()
    assert checked >= 20, f"only {checked} charts drawn"
    assert left_to_plotly <= checked // 3, (left_to_plotly, checked)
    assert widened == [], "\n".join(map(str, widened))


# The scorecard's title, its strategy names above the grid, and the grid: px from the chart's top.
SCORECARD = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(gd => gd.data[0].type === 'heatmap' && gd._fullLayout.xaxis.side === 'top')
    .map(gd => {
        const top = gd.getBoundingClientRect().top, at = el => el.getBoundingClientRect();
        const names = [...gd.querySelectorAll('.xtick text')].map(at);
        return {title: at(gd.querySelector('.gtitle')).bottom - top, names: Math.min(...names.map(r => r.top)) - top,
                shown: names.length, grid: gd._fullLayout._size.t};
    })"""


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)], ids=["1366", "1280"])
def test_the_impact_scorecard_names_its_strategies_just_under_its_title(app, chromium, size):  # noqa: F811
    """The strategy names above the scorecard stood in a margin reckoned for them upright (Plotly turns them at
    1280), so at 1366, where they lay flat, 208 px of empty page separated them from the title."""
    page = chromium.new_page(viewport={"width": size[0], "height": size[1]})
    try:
        page.goto(f"{app.url}/impact")
        wait_ready(page)
        wait_for_charts(page)
        [card] = page.evaluate(SCORECARD)
    finally:
        page.close()
    assert card["shown"] == 4, card  # every strategy named
    assert 0 < card["names"] - card["title"] <= 80, card
    assert card["grid"] - card["names"] <= 160, card  # the names fill their margin down to the grid
