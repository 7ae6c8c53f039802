"""Issue 13, items 5, 6 and 8, in Chromium: a phone (390x844) as well as the projector sizes (1366x768, 1280x720).

- The overview's map shows Sabang to Merauke at every width (the outlines of the westernmost and easternmost
  provinces lie inside the drawn map), with its colour bar beside the map, never over it.
- No two tick labels of a cycle axis overlap on a phone.
- The library page's "Semua indikator" table shows its last column without scrolling sideways.
- A signed-in data officer's ten navigation links all fit the top bar (none in a "1 more" menu).

Screenshots: artifacts/screenshots/phone-<page>-<width>.png."""

from __future__ import annotations

import shutil

import pytest

from analytics import charts, store, users
from analytics.i18n import t
from tests import browser_support
from tests.browser_support import (
    CHROMIUM,
    SCREENSHOTS,
    Recorder,
    is_local,
    settle,
    start_app,
    stop_app,
    wait_for_charts,
    wait_ready,
)
from tests.visual_support import LABEL_BOXES_JS, clickable

pytestmark = browser_support.MARKS

chromium = browser_support.chromium
PHONE = {"width": 390, "height": 844}
SCREENS = {1366: {"width": 1366, "height": 768}, 1280: {"width": 1280, "height": 720}}
OFFICER, PASSWORD = "petugas@example.org", "kata-sandi-uji-peramban"


@pytest.fixture(scope="module")
def app(seed_db, tmp_path_factory):
    """The app over a copy of the seed database with one national data officer (who sees "Impor data")."""
    folder = tmp_path_factory.mktemp("phone")
    db = folder / "seed.db"
    shutil.copy(seed_db, db)
    with store.opened(db) as conn:
        users.add(conn, OFFICER, name="Petugas", role="national_admin", password=PASSWORD, actor="os:test")
    server = start_app(db, folder / "streamlit.log")
    yield server
    stop_app(server)


def open_page(chromium, app, path: str, viewport: dict):
    context = chromium.new_context(viewport=viewport)
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    page = context.new_page()
    recorder = Recorder()
    recorder.attach(page)
    page.goto(app.url + path)
    wait_ready(page)
    return context, page, recorder


def assert_no_exception(page) -> None:
    shown = page.locator("[data-testid=stException]")
    assert not shown.count(), shown.first.inner_text()[:2000]


def shoot(page, name: str) -> None:
    """The whole page at its width (Streamlit scrolls inside ``stMain``: the viewport grows to its height)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("() => (document.querySelector('[data-testid=stMain]') || document.body).scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 8_000))})
    page.wait_for_timeout(600)  # charts re-lay out on resize
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"))
    page.set_viewport_size(size)


def apart(a, b) -> bool:
    """Whether two boxes (left, top, right, bottom) meet by no more than 1 px."""
    return a[2] <= b[0] + 1 or b[2] <= a[0] + 1 or a[3] <= b[1] + 1 or b[3] <= a[1] + 1


# --- the map ---

# The drawn map (MapLibre's canvas) and where the outermost points of the shipped outlines land on it, with the
# colour bar's box: all in page pixels.
MAP_JS = r"""
([west, east]) => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot)
  .map(gd => {
    const map = gd._fullLayout.map._subplot.map;
    const canvas = map.getCanvas().getBoundingClientRect();
    const at = p => { const q = map.project(p); return [canvas.left + q.x, canvas.top + q.y]; };
    const bar = gd.querySelector('.colorbar');
    const box = r => r && [r.left, r.top, r.right, r.bottom];
    return {canvas: box(canvas), west: at(west), east: at(east), bar: box(bar && bar.getBoundingClientRect())};
  })
"""


def outermost() -> tuple[list[float], list[float]]:
    """The westernmost point of the outlines (Aceh's Sabang) and the easternmost (Papua's border)."""

    def points(c):
        return [c] if isinstance(c[0], (int, float)) else [p for part in c for p in points(part)]

    every = [p for f in charts.province_outlines()["features"] for p in points(f["geometry"]["coordinates"])]
    return min(every, key=lambda p: p[0]), max(every, key=lambda p: p[0])


@pytest.mark.parametrize("viewport", [PHONE, SCREENS[1366], SCREENS[1280]], ids=["390", "1366", "1280"])
def test_the_map_shows_aceh_to_papua_and_its_colour_bar_beside_it(app, chromium, viewport):
    context, page, recorder = open_page(chromium, app, "/", viewport)
    try:
        wait_for_charts(page)
        page.wait_for_function(f"() => ({MAP_JS})([[0, 0], [0, 0]]).length > 0", timeout=20_000)
        page.wait_for_timeout(800)  # MapLibre settles its view after the first frame
        west, east = outermost()
        (drawn,) = page.evaluate(MAP_JS, [west, east])
        left, top, right, bottom = drawn["canvas"]
        # A phone shows the middle (a fixed zoom: charts.INDONESIA_ZOOM says why); a projector all of it.
        for name, (x, y) in (("west (Aceh)", drawn["west"]), ("east (Papua)", drawn["east"])):
            inside = left <= x <= right and top <= y <= bottom
            assert inside or viewport is PHONE, (name, (x, y), drawn["canvas"])
        assert drawn["bar"], "no colour bar"
        assert apart(drawn["bar"], drawn["canvas"]), ("the colour bar lies over the map", drawn["bar"], drawn["canvas"])
        page.locator(".js-plotly-plot").filter(has=page.locator("canvas")).first.scroll_into_view_if_needed()
        shoot(page, f"overview-{viewport['width']}")
        assert_no_exception(page)
        recorder.assert_clean()
    finally:
        context.close()


# --- cycle tick labels on a phone ---

# Pairs of overlapping tick labels on each chart's x axes (boxes as drawn, turned with a slanted label; 1 px of
# tolerance).
OVERLAPS_JS = (
    r"""
() => {
  const out = [];
  /*LABEL_BOXES*/
  document.querySelectorAll('.js-plotly-plot').forEach((gd, n) => {
    const title = ((gd._fullLayout || {}).title || {}).text || `chart ${n + 1}`;
    const groups = {};
    gd.querySelectorAll('g[class^="xtick"] text, g[class^="x"][class$="tick"] text').forEach(t => {
      const g = t.closest('g[class$="tick"]');
      const cls = g && [...g.classList].find(c => /^x\d*tick$/.test(c));
      if (!cls || !t.textContent.trim() || t.getBoundingClientRect().width === 0) return;
      (groups[cls] = groups[cls] || []).push({t: t.textContent, q: corners(t)});
    });
    Object.entries(groups).forEach(([cls, boxes]) => {
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        if (overlap(boxes[i].q, boxes[j].q))
          out.push(`${title.slice(0, 60)} ${cls}: "${boxes[i].t}" / "${boxes[j].t}"`);
      }
    });
  });
  return out;
}
"""
).replace("/*LABEL_BOXES*/", LABEL_BOXES_JS)


@pytest.mark.parametrize("path", ["/participation", "/impact", "/data-quality", "/"])
def test_no_two_cycle_tick_labels_overlap_on_a_phone(app, chromium, path):
    context, page, recorder = open_page(chromium, app, path, PHONE)
    try:
        charts_drawn = wait_for_charts(page)
        page.wait_for_timeout(600)
        overlaps = page.evaluate(OVERLAPS_JS)
        shoot(page, (path.strip("/") or "overview") + "-ticks-390")
        assert charts_drawn and overlaps == [], f"{len(overlaps)} overlapping pairs, e.g. {overlaps[:5]}"
        assert_no_exception(page)
        recorder.assert_clean()
    finally:
        context.close()


# --- the region x cycle heat maps on a phone ---

# Each heat map with a colour bar: the chart's width, its grid's (the plot area) and columns, and the boxes of
# its grid, colour bar and cycle tick labels, in page pixels.
HEATMAPS_JS = r"""
() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => gd._fullData && gd._fullData[0] && gd._fullData[0].type === 'heatmap' && gd._fullData[0].showscale)
  .map(gd => {
    const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    return {
      title: ((gd._fullLayout.title || {}).text || '').slice(0, 60),
      width: gd._fullLayout.width,
      grid: box(gd.querySelector('.nsewdrag')),
      columns: gd._fullData[0].x.length,
      bar: box(gd.querySelector('.colorbar')),
      ticks: [...gd.querySelectorAll('g.xtick text')].map(box),
    };
  })
"""


@pytest.mark.parametrize("path", ["/participation", "/data-quality"])
def test_a_region_by_cycle_heat_map_keeps_its_grid_on_a_phone(app, chromium, path):
    """On a phone the region names (210 px) and an upright colour bar at the side (145 px) took the whole of a
    358 px chart: the grid was 3 px wide, its cells gone. The grid keeps a quarter of the chart's width or
    more, at least 4 px a cycle, and the colour bar stands clear of the grid and the cycle labels."""
    context, page, recorder = open_page(chromium, app, path, PHONE)
    try:
        wait_for_charts(page)
        page.wait_for_timeout(600)
        maps = page.evaluate(HEATMAPS_JS)
        shoot(page, path.strip("/") + "-heatmap-390")
        assert maps, "no heat map with a colour bar"
        for chart in maps:
            left, top, right, bottom = chart["grid"]
            assert right - left >= chart["width"] / 4, chart
            assert right - left >= 4 * chart["columns"], chart
            assert apart(chart["bar"], chart["grid"]), ("the colour bar lies over the grid", chart)
            assert all(apart(chart["bar"], tick) for tick in chart["ticks"]), ("over the cycle labels", chart)
        assert_no_exception(page)
        recorder.assert_clean()
    finally:
        context.close()


# --- the impact scorecard on a phone ---

# The scorecard (the heat map with its strategy names over the grid), its box (the page's container keyed
# "scorecard", else the chart's own element), its cells' width and its cell labels' widths.
SCORECARD_JS = r"""
() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(gd => gd._fullLayout && gd._fullData[0]
    && gd._fullData[0].type === 'heatmap' && gd._fullLayout.xaxis.side === 'top');
  if (!gd) return null;
  const box = gd.closest('.st-key-scorecard') || gd.closest('[data-testid=stElementContainer]');
  const labels = [...gd.querySelectorAll('.heatmap-label')].map(t => t.getBBox().width);
  return {cell: gd._fullLayout._size.w / gd._fullData[0].x.length, widest: Math.max(0, ...labels),
          labels: labels.length, box: box.scrollWidth, shown: box.clientWidth,
          page: document.querySelector('[data-testid=stMain]').scrollWidth, width: window.innerWidth};
}
"""


@pytest.mark.parametrize("viewport", [PHONE, SCREENS[1366]], ids=["390", "1366"])
def test_the_scorecards_cells_hold_their_labels_on_a_phone_too(app, chromium, viewport):
    """On a phone the province names (201 px) and the margin kept for the slanted strategy names (121 px) left
    the scorecard's four columns 36 px: 9 px a cell for labels 55 px wide ("● 125%" over "3 dari 3"). There
    the scorecard is drawn wider than the screen and scrolls sideways in its own box, the page does not; on a
    projector it fits without scrolling."""
    context, page, recorder = open_page(chromium, app, "/impact", viewport)
    try:
        wait_for_charts(page)
        settle(page, f"() => !!({SCORECARD_JS})()")
        card = page.evaluate(SCORECARD_JS)
        assert card["labels"] > 0, card
        assert card["widest"] <= card["cell"], ("a label wider than its cell", card)
        assert card["page"] <= card["width"], ("the page scrolls sideways", card)
        if viewport is PHONE:
            assert card["box"] > card["shown"], ("the scorecard does not scroll in its box", card)
        else:
            assert card["box"] <= card["shown"] + 1, ("the scorecard scrolls on a projector", card)
        shoot(page, f"impact-scorecard-{viewport['width']}")
        assert_no_exception(page)
        recorder.assert_clean()
    finally:
        context.close()


# --- the library's "Semua indikator" table ---

# The table under the "Semua indikator, siklus …" heading: how wide its content is and how wide it shows, and
# (an HTML table) where its last header cell ends.
TABLE_JS = r"""
(heading) => {
  const h = [...document.querySelectorAll('[data-testid=stMain] h3')].find(e => e.innerText.startsWith(heading));
  if (!h) return null;
  const after = el => h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
  const table = [...document.querySelectorAll('[data-testid=stMain] [data-testid=stDataFrame], '
                                             + '[data-testid=stMain] [data-testid=stTable]')].find(after);
  if (!table) return null;
  const scroller = table.querySelector('.dvn-scroller') || (table.querySelector('table') || {}).parentElement;
  if (!scroller) return null;  // not drawn yet
  const cells = table.dataset.testid === 'stTable' ? [...table.querySelectorAll('th')] : [];  // the grid's are unset
  const shown = table.getBoundingClientRect();
  return {kind: table.dataset.testid, content: scroller.scrollWidth, visible: scroller.clientWidth,
          last: cells.length ? cells[cells.length - 1].getBoundingClientRect().right : null, right: shown.right};
}
"""


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_library_indicator_table_shows_every_column_without_scrolling(app, chromium, screen, lang):
    path = "/library" + ("?lang=en" if lang == "en" else "")
    context, page, recorder = open_page(chromium, app, path, SCREENS[screen])
    try:
        page.get_by_role("tab", name=t("library.tab_indicators", lang)).click()
        heading = t("library.all_indicators", lang, cycle="\x00").split("\x00")[0]
        settle(page, f"() => !!({TABLE_JS})({heading!r})")
        shown = page.evaluate(TABLE_JS, heading)
        assert shown["content"] <= shown["visible"] + 1, shown  # nothing scrolled out of sight
        if shown["last"] is not None:
            assert shown["last"] <= shown["right"] + 1, shown  # the last header cell within the table
        shoot(page, f"library-{lang}-{screen}")
        assert_no_exception(page)
        recorder.assert_clean()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_awards_tables_show_every_column_without_scrolling(app, chromium, screen, lang):
    """The awards page's tables: the awards given at PLMs had its district column past the right edge at 1366;
    the candidates' ranking ran nine columns of points past it, each number right-aligned out of sight (the
    first looked empty)."""
    path = "/awards?province=34" + ("&lang=en" if lang == "en" else "")
    context, page, recorder = open_page(chromium, app, path, SCREENS[screen])
    try:
        for heading in (t("awards.given", lang), t("awards.candidates", lang, cycle="\x00").split("\x00")[0]):
            settle(page, f"() => !!({TABLE_JS})({heading!r})")
            shown = page.evaluate(TABLE_JS, heading)
            assert shown["kind"] == "stDataFrame" and shown["visible"] > 0, (heading, shown)
            assert shown["content"] <= shown["visible"] + 1, (heading, shown)  # nothing scrolled out of sight
        shoot(page, f"awards-tables-{lang}-{screen}")
        assert_no_exception(page)
        recorder.assert_clean()
    finally:
        context.close()


# --- the top navigation of a signed-in data officer ---

PAGES = ("overview", "participation", "impact", "compare", "library", "quality", "stories", "awards", "present")


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_data_officers_ten_navigation_links_all_fit(app, chromium, screen, lang):
    path = "/import" + ("?lang=en" if lang == "en" else "")
    context, page, recorder = open_page(chromium, app, path, SCREENS[screen])
    try:
        page.get_by_label(t("account.email", lang)).fill(OFFICER)
        page.locator("input[type=password]").fill(PASSWORD)
        page.locator("[data-testid=stFormSubmitButton] button").click()
        wanted = t("nav.import", lang)
        links = "[...document.querySelectorAll('[data-testid=stTopNavLink]')]"
        settle(
            page,
            f"() => {links}.some(a => a.innerText.trim() === {wanted!r})",
        )
        folded = [t(f"nav.{key}", lang) for key in (*PAGES, "import") if not clickable(page, t(f"nav.{key}", lang))]
        shoot(page, f"nav-{lang}-{screen}")
        assert folded == [], f"in the overflow menu at {screen}: {folded}"
        assert_no_exception(page)
        recorder.assert_clean()
    finally:
        context.close()
