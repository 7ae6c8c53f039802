"""Presenting on a projector: every slide fits the screen at 1366x768 and 1280x720 without scrolling, the
Previous/Next/Exit buttons are on screen, no text on a slide is under 20 px, and the arrow keys move the
slides from the moment the deck is shown (no click on the slide first). Screenshots go to artifacts/slides/."""

from __future__ import annotations

import re

import pytest

from analytics.i18n import t
from tests.browser_support import MARKS, ROOT, Recorder, app, chromium, is_local, settle, wait_ready  # noqa: F401


def in_browser(test):
    for mark in MARKS:
        test = mark(test)
    return test


SHOTS = ROOT / "artifacts" / "slides"
MIN_TEXT_PX = 20

# What the screen shows: scroll sizes, the buttons' boxes and the smallest text (HTML and the charts' SVG text).
MEASURE = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const block = document.querySelector('[data-testid=stMainBlockContainer]');
  const small = [];
  for (const el of block.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || !box.width || !box.height) continue;
    if (el.closest('.modebar, .hoverlayer, [role=tooltip]')) continue;  // toolbars and hover labels: not on the slide
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < MIN_PX) small.push(`${size}px ${el.tagName} "${el.textContent.trim().slice(0, 40)}"`);
  }
  const buttons = [...block.querySelectorAll('button')].filter(b => b.getBoundingClientRect().height > 0)
    .map(b => { const r = b.getBoundingClientRect();
                return {text: b.innerText.replace(/\\s+/g, ' ').trim(), top: r.top, bottom: r.bottom}; });
  return {height: innerHeight, documentHeight: document.documentElement.scrollHeight,
          mainHeight: main.scrollHeight, mainClient: main.clientHeight, small, buttons};
}""".replace("MIN_PX", str(MIN_TEXT_PX))


def position(page) -> tuple[int, int]:
    text = page.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").first.inner_text()
    n, total = re.match(r"Slide (\d+) (?:dari|of) (\d+)", text).groups()
    return int(n), int(total)


def buttons_drawn(page, lang: str) -> None:
    for label in (t("present.previous", lang), t("present.next", lang), t("present.exit", lang)):
        page.locator("[data-testid=stMainBlockContainer] button").filter(has_text=label).first.wait_for(
            state="visible", timeout=30_000
        )


def press(page, key: str, k: int, name: str) -> None:
    """Press ``key`` (nothing clicked before) and wait for slide ``k``."""
    page.keyboard.press(key)
    try:
        settle(
            page,
            f"() => /^Slide {k} /.test(document.querySelector("
            f"'[data-testid=stMain] [data-testid=stCaptionContainer]').innerText)",
            timeout=30_000,
        )
    except Exception as error:  # noqa: BLE001 - reported as the failure it is
        pytest.fail(f"{name}: {key} did not move to slide {k} within 30 s ({type(error).__name__})")


def check_screen(page, name: str, n: int, lang: str) -> None:
    buttons_drawn(page, lang)
    page.wait_for_timeout(300)  # the charts' layout pass
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{n:02d}.png"))
    seen = page.evaluate(MEASURE)
    where = f"{name}, slide {n}"
    assert seen["documentHeight"] <= seen["height"], f"{where}: the page scrolls ({seen['documentHeight']} px)"
    assert seen["mainHeight"] <= seen["mainClient"] + 1, (
        f"{where}: the slide is {seen['mainHeight'] - seen['mainClient']} px taller than the screen"
    )
    labels = {t("present.previous", lang), t("present.next", lang), t("present.exit", lang)}
    found = {label: b for b in seen["buttons"] for label in labels if b["text"].endswith(label) or label in b["text"]}
    assert set(found) == labels, f"{where}: buttons {seen['buttons']}"
    for label, box in found.items():
        assert 0 <= box["top"] and box["bottom"] <= seen["height"], f"{where}: {label} is off screen: {box}"
    assert not seen["small"], f"{where}: text under {MIN_TEXT_PX} px: {seen['small'][:5]}"


def step_through(page, name: str, lang: str = "id") -> int:
    """From the first slide, press the right arrow key until the last one, checking every screen."""
    n, total = position(page)
    assert n == 1
    check_screen(page, name, 1, lang)
    for k in range(2, total + 1):
        press(page, "ArrowRight", k, name)
        assert position(page) == (k, total)
        check_screen(page, name, k, lang)
    press(page, "ArrowLeft", total - 1, name)  # and back
    return total


@pytest.fixture
def screen(chromium):  # noqa: F811 - the shared fixture, imported above
    made = []

    def open_at(width: int, height: int):
        context = chromium.new_context(viewport={"width": width, "height": height})
        context.route(lambda url: not is_local(url), lambda route: route.abort())
        made.append(context)
        page = context.new_page()
        recorder = Recorder()
        recorder.attach(page)
        return page, recorder

    yield open_at
    for context in made:
        context.close()


@in_browser
# 1280x720 is the smaller screen both ways (narrower, so more wrapping, and shorter): it runs by default; 1366x768
# runs with the slow tests (CI's second pytest step).
@pytest.mark.parametrize("width,height", [pytest.param(1366, 768, marks=pytest.mark.slow), (1280, 720)])
def test_a_district_deck_started_from_the_sidebar_fits_the_projector(app, screen, width, height):  # noqa: F811
    """The officer turns presentation mode on in the sidebar and goes on with the arrow keys at once."""
    page, recorder = screen(width, height)
    page.goto(f"{app.url}/participation?district=34.03&to=2018-2")
    wait_ready(page)
    page.locator("[data-testid=stSidebar]").get_by_text(t("present.toggle", "id"), exact=True).click()
    settle(
        page,
        "() => /^Slide 1 /.test((document.querySelector("
        "'[data-testid=stMain] [data-testid=stCaptionContainer]') || {}).innerText || '')",
    )
    total = step_through(page, f"gunungkidul-{width}x{height}")
    assert total >= 13  # the agenda's slides at least (long tables and lists continue on more screens)
    recorder.assert_clean()


@in_browser
# The national deck is the longest walk (~40 s a size): both sizes run with the slow tests (CI's second pytest
# step); the district deck's walk at 1280x720 above runs by default.
@pytest.mark.parametrize(
    "width,height", [pytest.param(1366, 768, marks=pytest.mark.slow), pytest.param(1280, 720, marks=pytest.mark.slow)]
)
def test_the_national_deck_from_a_link_fits_the_projector(app, screen, width, height):  # noqa: F811
    """All Indonesia: the longest tables (provinces, libraries without a report) and charts, in English."""
    page, recorder = screen(width, height)
    page.goto(f"{app.url}/?present=1&to=2018-2&lang=en")
    wait_ready(page)
    step_through(page, f"national-{width}x{height}", "en")
    recorder.assert_clean()


# --- the screens themselves (no browser): what is split, and that nothing is lost or reordered ---


def _deck(seed_db, **filters_):
    from analytics import dataset, deck
    from analytics.filters import Filters

    ds = dataset.load(seed_db)
    slides = deck.build(ds, Filters(to_cycle="2018-2", **filters_), path=seed_db)
    return slides, deck.screens(slides)


def test_a_long_table_continues_on_numbered_screens_with_every_row_once(seed_db):
    import pandas as pd

    from analytics import deck

    slides, screens = _deck(seed_db, province="34", district="34.03")
    table = next(s for s in slides if s.key == "achievements.libraries")
    parts = [s for s in screens if s.key == "achievements.libraries"]
    rows = len(table.table)
    assert rows > deck.SCREEN_ROWS  # Gunungkidul has more libraries than one screen's rows
    assert len(parts) == -(-rows // deck.SCREEN_ROWS)
    assert all(len(p.table) <= deck.SCREEN_ROWS for p in parts)
    sizes = [len(p.table) for p in parts]
    assert max(sizes) - min(sizes) <= 1, sizes  # shared out evenly: no last screen of a row or two
    assert pd.concat([p.table for p in parts], ignore_index=True).equals(table.table.reset_index(drop=True))
    assert [p.title for p in parts] == [f"{table.title} ({k}/{len(parts)})" for k in range(1, len(parts) + 1)]
    assert [p.note for p in parts] == [None] * (len(parts) - 1) + [table.note]


def test_a_long_bar_chart_continues_top_down_on_one_scale(seed_db):
    from analytics import deck

    slides, screens = _deck(seed_db, province="34", district="34.03")
    chart = next(s for s in slides if s.key == "achievements.indicator").figure
    parts = [s.figure for s in screens if s.key == "achievements.indicator"]
    names = list(chart.data[0].y)[::-1]  # top-down, as read on the screen (bars are drawn bottom-up)
    assert len(parts) > 1 and all(len(p.data[0].y) <= deck.SCREEN_BARS for p in parts)
    shown = [name for p in parts for name in list(p.data[0].y)[::-1]]
    assert shown == names
    values = dict(zip(chart.data[0].y, chart.data[0].x))
    assert all(dict(zip(p.data[0].y, p.data[0].x)) == {n: values[n] for n in p.data[0].y} for p in parts)
    assert len({tuple(p.layout.xaxis.range) for p in parts}) == 1  # the same scale on every screen
    assert parts[0].layout.xaxis.range[1] >= max(values.values())


def test_stories_fill_screens_in_order_within_the_line_budget(seed_db):
    from analytics import deck

    slides, screens = _deck(seed_db)
    for kind in deck.STORY_KINDS:
        whole = next(s for s in slides if s.key == f"sharing.{kind}").stories
        parts = [s.stories for s in screens if s.key == f"sharing.{kind}"]
        assert [story for part in parts for story in (part or ())] == list(whole or ())
        for part in parts:
            if part and len(part) > 1:
                assert sum(deck.story_lines(s) for s in part) <= deck.SCREEN_STORY_LINES


def test_a_screen_figure_has_no_text_under_20_px(seed_db):
    from analytics import deck

    _, screens = _deck(seed_db)
    for s in screens:
        if s.figure is None:
            continue
        fig = deck.screen_figure(s.figure)
        assert fig.layout.height == deck.SCREEN_CHART_HEIGHT
        assert fig.layout.font.size >= 20 and fig.layout.title.font.size >= 20
        for axis in (fig.layout.xaxis, fig.layout.yaxis):
            assert axis.tickfont.size >= 20
        for trace in fig.data:
            if "textfont" in trace and trace.textfont.size is not None:
                assert trace.textfont.size >= 20


def test_a_scorecard_screen_gives_each_row_room_for_its_two_lines_of_text(seed_db):
    """The national deck's scorecard screens put 8 provinces in a 340 px chart: each cell's two lines of 20 px
    text ("● 125%", "3 dari 3") were drawn over the next row's (seen at 1366x768). A screen holds only the rows
    whose text fits, and every province is on one screen, in order."""
    from analytics import deck

    slides, screens = _deck(seed_db)
    whole = next(s for s in slides if s.key == "achievements.scorecard").figure
    parts = [deck.screen_figure(s.figure) for s in screens if s.key == "achievements.scorecard"]
    assert [name for p in parts for name in p.data[0].y] == list(whole.data[0].y)
    sizes = [len(p.data[0].y) for p in parts]
    assert max(sizes) - min(sizes) <= 1, sizes  # shared out evenly
    for fig in parts:
        layout = fig.layout
        plot = layout.height - layout.margin.t - layout.margin.b
        lines = max(str(text).count("<br>") + 1 for row in fig.data[0].text for text in row)
        assert lines == 2
        per_row = plot / len(fig.data[0].y)
        assert per_row >= lines * deck.SCREEN_FONT * 1.25, (len(fig.data[0].y), plot, layout.margin)
        # The strategy names above the grid (two lines at 20 px) fit the top margin.
        names = max(str(x).count("<br>") + 1 for x in fig.data[0].x)
        assert layout.margin.t >= names * 1.4 * deck.SCREEN_FONT, layout.margin
