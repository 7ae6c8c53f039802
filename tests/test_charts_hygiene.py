"""Issue 13 item 6, chart hygiene, on the figures themselves: no two tick labels overlap at 1366 and 1280
screens or on a phone (390), bar colours mean something, series never share a colour, a many-line trend
highlights a few, the map shows Sabang to Merauke at any width, and numbers follow the reader's language.

Widths are estimated here with Arial's character widths (the charts' fallback font, and wider than Source
Sans Pro), independently of analytics/charts.py's own flat estimate; the width of each chart on the screen was
measured once in Chromium (see FIGURE_WIDTH)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from apptest_support import open_page as open_script
from test_pages import decode

from analytics import charts, deck
from analytics.filters import Filters

pytestmark = pytest.mark.usefixtures("fresh_caches")


def open_page(name: str, **params):
    return open_script(f"pages/{name.replace('-', '_')}.py", **params)


_SHOWN: dict = {}


def page_figures(name: str, **params) -> list[tuple[dict, str]]:
    """The page's figures, each with where it sits ("full" or "half"); a page is opened once per module."""
    key = (name, tuple(sorted(params.items())))
    if key not in _SHOWN:
        _SHOWN[key] = figures_by_width(open_page(name, **params))
    return _SHOWN[key]


# A chart's width (px) on the page with the sidebar open, measured in Chromium on the seed demo (2 Dec 2026):
# stretched over the main area, or in one of two columns (st.columns(2)).
FIGURE_WIDTH = {1366: {"full": 906, "half": 445}, 1280: {"full": 820, "half": 402}}
# On a phone (390x844) every chart has the main area's width, the two columns stacked (measured likewise).
PHONE_WIDTH = {390: {"full": 358, "half": 358}}

# Arial / Liberation Sans advance widths in em.
_LOWER = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        (
            0.556,
            0.556,
            0.5,
            0.556,
            0.556,
            0.278,
            0.556,
            0.556,
            0.222,
            0.222,
            0.5,
            0.222,
            0.833,
            0.556,
            0.556,
            0.556,
            0.556,
            0.333,
            0.5,
            0.278,
            0.556,
            0.5,
            0.722,
            0.5,
            0.5,
            0.5,
        ),
    )
)
_OTHER = {
    " ": 0.278,
    "-": 0.333,
    ".": 0.278,
    ",": 0.278,
    "%": 0.889,
    "/": 0.278,
    "(": 0.333,
    ")": 0.333,
    "I": 0.278,
    "M": 0.833,
    "W": 0.944,
    "…": 1.0,
    "†": 0.556,
}


def width_px(text: str, size: float) -> float:
    """Arial's width of ``text`` at ``size`` px (digits 0.556 em, capitals 0.667 em unless listed)."""
    em = 0.0
    for ch in str(text):
        if ch in _OTHER:
            em += _OTHER[ch]
        elif ch in _LOWER:
            em += _LOWER[ch]
        elif ch.isdigit():
            em += 0.556
        elif ch.isupper():
            em += 0.667
        else:
            em += 0.6
    return em * size


def axis_length(fig: dict, width: float) -> float:
    """The x axis length of a figure ``width`` px wide: less the margins, what stands left of the plot (the
    y tick labels and title) and right of it (a vertical legend, a vertical colour bar)."""
    layout, data = fig["layout"], fig["data"]
    size = layout.get("font", {}).get("size", 12)
    tick = layout.get("yaxis", {}).get("tickfont", {}).get("size", size)
    margin = layout.get("margin", {})
    yaxis = layout.get("yaxis", {})
    ys = [v for tr in data for v in (tr.get("y") or []) if v is not None] if data else []
    if yaxis.get("type") == "category" or any(isinstance(v, str) for v in ys):
        left = max((width_px(v, tick) for v in yaxis.get("ticktext") or ys), default=0)
    else:
        numbers = [abs(float(v)) for v in ys if isinstance(v, (int, float)) and not math.isnan(float(v))]
        top = max(numbers, default=0)
        left = width_px("100%" if yaxis.get("tickformat", "").endswith("%") else f"{top:,.0f}", tick)
    left += 6 + (1.3 * 16 if (yaxis.get("title") or {}).get("text") else 0)
    right = 0.0
    legend = layout.get("legend", {})
    entries = [tr.get("name", "") for tr in data if tr.get("showlegend", True) is not False and tr.get("name")]
    if len(entries) > 1 and legend.get("orientation") != "h":
        right += max(width_px(n, legend.get("font", {}).get("size", size)) for n in entries) + 40
    for tr in data:
        if (
            tr.get("type") == "heatmap"
            and tr.get("showscale", True)
            and tr.get("colorbar", {}).get("orientation") != "h"
        ):
            title = tr.get("colorbar", {}).get("title") or {}
            if title.get("side") == "right":  # upright beside the tick labels
                right += 30 + width_px("100%", tick) + 1.3 * 16 + 20
            else:  # above the bar
                right += 30 + max(width_px("100%", tick), width_px(title.get("text", ""), 16)) + 20
            break
    # Plotly's automargin: each margin is the larger of the one given and what must fit in it (tick labels
    # and axis title at the left; legend and colour bar at the right).
    used = max(margin.get("l", 80), left) + max(margin.get("r", 80), right)
    return width - used


def overlapping(fig: dict, axis: str, length: float) -> list[tuple[str, str]]:
    """Adjacent tick labels of a category ``axis`` that overlap when it is ``length`` px long, at its stated
    tick angle. The ticks must be stated (tickmode array, a numeric angle or Plotly's choice among
    ``autotickangles``, the first that fits): left to Plotly, they are not known."""
    ax = fig["layout"][axis]
    if ax.get("tickmode") == "auto" and ax.get("autotickangles"):
        ax = {**ax, "tickvals": plotly_auto_ticks(fig, axis, length)}
    else:
        assert ax.get("tickmode") == "array", f"{axis}: ticks left to Plotly ({ax.get('tickmode')})"
    fig = {**fig, "layout": {**fig["layout"], axis: ax}}
    angle = ax.get("tickangle")
    if angle in (None, "auto") and ax.get("autotickangles"):  # Plotly takes the first of these angles that fits
        return min((overlapping_at(fig, axis, length, a) for a in ax["autotickangles"]), key=len)
    assert isinstance(angle, (int, float)), f"{axis}: angle left to Plotly ({angle})"
    return overlapping_at(fig, axis, length, angle)


def plotly_auto_ticks(fig: dict, axis: str, length: float) -> list:
    """The categories Plotly labels on a category ``axis`` ``length`` px long with tickmode auto: the first
    and every k-th after it, k = categories / (length / round(1.2 * font size)) rounded up (plotly.js axes.prepTicks
    and autoTicks)."""
    ax = fig["layout"][axis]
    categories = list(ax.get("categoryarray") or next(tr["x"] for tr in fig["data"] if tr.get("x")))
    size = ax.get("tickfont", {}).get("size", 12)
    step = math.ceil(max(len(categories) / (max(length, 1) / round(1.2 * size)), 1))
    return categories[::step]


def overlapping_at(fig: dict, axis: str, length: float, angle: float) -> list[tuple[str, str]]:
    ax = fig["layout"][axis]
    categories = list(ax.get("categoryarray") or next(tr["x"] for tr in fig["data"] if tr.get("x")))
    size = ax.get("tickfont", {}).get("size", 12)
    per = max(length, 1) / len(categories)
    shown = list(zip(ax["tickvals"], ax.get("ticktext") or ax["tickvals"]))
    theta = math.radians(abs(angle))
    out = []
    for (a, text_a), (b, text_b) in zip(shown, shown[1:]):
        d = (categories.index(b) - categories.index(a)) * per
        along = d * math.cos(theta) >= (width_px(text_a, size) + width_px(text_b, size)) / 2 + 2
        across = d * math.sin(theta) >= 1.15 * size
        if not (along or across):
            out.append((text_a, text_b))
    return out


def figures_by_width(at) -> list[tuple[dict, str]]:
    """Each chart of an AppTest page with "half" when it sits in one of two columns, else "full"."""
    halves = set()
    for column in at.columns:
        for chart in column.get("plotly_chart"):
            halves.add(chart.proto.spec)
    return [(json.loads(c.proto.spec), "half" if c.proto.spec in halves else "full") for c in at.get("plotly_chart")]


def category_axes(fig: dict) -> list[str]:
    return [
        k
        for k, v in fig["layout"].items()
        if k.startswith("xaxis") and isinstance(v, dict) and v.get("type") == "category"
    ]


# --- the checker itself ---


def test_the_overlap_check_sees_crowded_labels_and_passes_spaced_ones():
    cycles = [f"{y}-{k}" for y in range(2011, 2019) for k in (1, 2, 3)]
    crowded = {
        "layout": {
            "xaxis": {
                "type": "category",
                "tickmode": "array",
                "tickvals": cycles,
                "tickangle": 0,
                "categoryarray": cycles,
                "tickfont": {"size": 15},
            }
        },
        "data": [],
    }
    assert len(overlapping(crowded, "xaxis", 424)) == 23  # 24 labels of ~44 px in 17.7 px each
    spaced = json.loads(json.dumps(crowded))
    spaced["layout"]["xaxis"]["tickvals"] = cycles[::3]
    assert overlapping(spaced, "xaxis", 424) == []  # one a year: 53 px apart
    upright = json.loads(json.dumps(crowded))
    upright["layout"]["xaxis"].update(tickvals=cycles[::2], tickangle=-90)
    assert overlapping(upright, "xaxis", 424) == []  # upright, 35 px apart for a 17 px line
    either = json.loads(json.dumps(crowded))
    del either["layout"]["xaxis"]["tickangle"]
    either["layout"]["xaxis"].update(tickvals=cycles[::2], autotickangles=[0, -90])
    assert overlapping(either, "xaxis", 424) == []  # Plotly turns them upright
    either["layout"]["xaxis"]["tickvals"] = cycles
    assert len(overlapping(either, "xaxis", 300)) == 23  # 12.5 px apart: too close even upright
    unknown = json.loads(json.dumps(crowded))
    del unknown["layout"]["xaxis"]["tickmode"]
    with pytest.raises(AssertionError, match="left to Plotly"):
        overlapping(unknown, "xaxis", 424)


# --- no overlapping tick labels, on the pages ---


@pytest.mark.parametrize(
    "page,params",
    [
        ("participation", {}),  # heat map of regions x cycles; tier and gender charts in two columns
        ("data-quality", {}),
        ("impact", {}),
        ("overview", {}),
        ("participation", {"province": "34"}),
    ],
)
def test_no_two_tick_labels_overlap_at_1366_or_1280_or_on_a_phone(seed_db, page, params):
    checked = 0
    for fig, where in page_figures(page, **params):
        for axis in category_axes(fig):
            for screen, widths in {**FIGURE_WIDTH, **PHONE_WIDTH}.items():
                length = axis_length(fig, widths[where])
                if axis != "xaxis":  # a small-multiples panel: its share of the plot
                    domain = fig["layout"][axis].get("domain", [0, 1])
                    length *= domain[1] - domain[0]
                assert overlapping(fig, axis, length) == [], (fig["layout"]["title"]["text"], axis, screen)
                checked += 1
    assert checked, "no category x axis on the page"


def test_awards_breakdown_lists_library_names_down_the_side_wrapped_with_the_whole_name_in_the_hover(seed_db):
    breakdown = [
        f
        for f, _ in page_figures("awards")
        if f["data"] and f["data"][0].get("orientation") == "h" and f["layout"].get("barmode") == "stack"
    ]
    assert len(breakdown) == 1
    fig = breakdown[0]
    yaxis = fig["layout"]["yaxis"]
    names = fig["data"][0]["y"]
    assert yaxis["tickvals"] == names and yaxis["tickangle"] == 0
    lines = [text.split("<br>") for text in yaxis["ticktext"]]
    assert all(len(line) <= charts.NAME_CHARS for name in lines for line in name)
    # The seed's agency names differ only at their end ("Dinas Perpustakaan dan Kearsipan Kabupaten …"):
    # wrapped, not cut, so that each stays told apart on the axis.
    assert len(set(yaxis["ticktext"])) == len(names)
    for name, shown in zip(names, lines):
        assert " ".join(shown).rstrip("…") in name or len(shown) == charts.NAME_LINES
    assert all(h.split(" · ")[0] in names for h in fig["data"][0]["hovertext"])  # the whole name on hover
    # Each row is at least as tall as its lines of 15 px text (1.2 em a line), so names cannot overlap.
    plot = fig["layout"]["height"] - 160 - 26 * len(fig["data"])
    tallest = max(len(line) for line in lines)
    assert plot / len(names) >= tallest * 1.2 * 15


# --- colours that mean something ---


def marker_colors(trace: dict) -> set[str]:
    color = trace.get("marker", {}).get("color")
    return set(color) if isinstance(color, list) else {color} if color else set()


def test_participation_bars_are_one_colour_and_others_grey(seed_db):
    bars = [
        f
        for f, _ in page_figures("participation")
        if f["data"] and f["data"][0].get("type") == "bar" and f["data"][0].get("orientation") == "h"
    ]
    assert bars
    trace = bars[0]["data"][0]
    colors = marker_colors(trace)
    others = [c for c, key in zip(trace["marker"]["color"], trace["customdata"]) if key == "__others__"]
    assert len(colors - {charts.OTHERS_COLOR}) == 1, colors  # was one colour per region: 16
    assert set(others) <= {charts.OTHERS_COLOR}


def test_a_bar_chart_without_a_stated_encoding_has_one_colour():
    frame = pd.DataFrame({"name": list("ABCDEFGH"), "v": range(8), "region": [f"{i:02d}" for i in range(11, 19)]})
    fig = charts.bar(frame, x="v", y="name", key="region").to_dict()
    assert len(marker_colors(fig["data"][0])) == 1
    status = charts.bar(frame, x="v", y="name", colors=["#D55E00"] * 4 + ["#009E73"] * 4).to_dict()
    assert marker_colors(status["data"][0]) == {"#D55E00", "#009E73"}  # a stated encoding stays


def test_series_of_one_chart_never_share_a_colour_and_keep_theirs_between_views():
    measures = [f"m{i}" for i in range(19)]  # the awards page's 17 indicators and 2 measures
    fixed = {m: charts.SERIES_COLORS[i % len(charts.SERIES_COLORS)] for i, m in enumerate(measures)}
    frame = pd.DataFrame({"name": ["A", "B"], **{m: [1.0, 2.0] for m in measures}})
    every = charts.stacked_bars(frame, x=measures, y="name", orientation="h", colors=fixed).to_dict()
    colors = [tr["marker"]["color"] for tr in every["data"]]
    assert len(set(colors[:17])) == 17 == len(charts.SERIES_COLORS)  # all 17 colours before one repeats...
    few = charts.stacked_bars(frame, x=["m0", "m3", "m17"], y="name", orientation="h", colors=fixed).to_dict()
    assert [tr["marker"]["color"] for tr in few["data"]][:2] == [fixed["m0"], fixed["m3"]]  # same as above
    assert fixed["m17"] == fixed["m0"]  # m17's fixed colour is m0's...
    assert few["data"][2]["marker"]["color"] not in {fixed["m0"], fixed["m3"]}  # ...so it gives way here


def test_awards_breakdown_gives_each_indicator_its_own_colour(seed_db):
    fig = next(f for f, _ in page_figures("awards") if f["layout"].get("barmode") == "stack")
    colors = [tr["marker"]["color"] for tr in fig["data"]]
    assert len(fig["data"]) >= 3 and len(set(colors)) == len(colors), colors


# --- a trend with many lines ---


def test_impact_trend_colours_a_few_regions_and_greys_the_rest_named_on_hover(seed_db):
    fig = next(
        f
        for f, _ in page_figures("impact")
        if f["data"] and f["data"][0].get("mode", "").startswith("lines") and len(f["data"]) > 4
    )
    lines = [tr for tr in fig["data"] if any(v is not None and v == v for v in decode(tr["y"]))]
    coloured = {tr["line"]["color"] for tr in lines} - {charts.REST_COLOR, charts.OTHERS_COLOR}
    assert len(lines) >= 8 and len(coloured) <= 3, coloured
    grey = [tr for tr in lines if tr["line"]["color"] in (charts.REST_COLOR, charts.OTHERS_COLOR)]
    assert len(grey) == len(lines) - 3
    assert all(tr["name"] and "%{fullData.name}" in tr["hovertemplate"] for tr in grey)  # named on hover
    legend = [tr for tr in fig["data"] if tr.get("showlegend", True)]
    assert len({tr["line"]["color"] for tr in legend}) == len(legend)  # no two legend entries alike


@pytest.mark.parametrize("lang", ["id", "en"])
def test_impact_trend_legend_lies_on_one_line_under_its_axis(seed_db, lang):
    """The trend's foot legend (three regions and the grey rest) fits one line of a 1280 screen's chart, so its
    margin holds one line: with the grey entry's long label it was reckoned as four rows, and at 1366 the
    legend stood 100 px below the axis title."""
    fig = next(
        f
        for f, _ in page_figures("impact", lang=lang)
        if f["data"] and f["data"][0].get("mode", "").startswith("lines") and len(f["data"]) > 4
    )
    legend = [tr["name"] for tr in fig["data"] if tr.get("showlegend", True) and tr.get("name")]
    assert len(legend) == 4, legend
    # Arial's widths (this module's width_px), 40 px for each entry's line and gap: one line in 1280's chart.
    assert sum(width_px(name, 15) + 40 for name in legend) <= FIGURE_WIDTH[1280]["full"], legend
    # The bottom margin: the cycle labels, the axis title and one legend line (not four).
    assert fig["layout"]["margin"]["b"] <= 21 + 20 + 38 + 42 + 10, fig["layout"]["margin"]
    hint = {"id": "saat disorot", "en": "on hover"}[lang]  # how to tell the grey lines apart, said under the chart
    assert hint in " ".join(c.value for c in open_page("impact", lang=lang).caption)


def test_trend_highlights_the_first_regions_and_keeps_a_few_lines_coloured():
    frame = pd.DataFrame(
        {
            "cycle": ["2018-1", "2018-2"] * 6,
            "value": range(12),
            "region": sum(([r] * 2 for r in ("11", "12", "13", "14", "15", "__others__")), []),
        }
    )
    fig = charts.trend(frame, x="cycle", y="value", group="region", highlight=2, lang="en").to_dict()
    by_name = {tr["name"]: tr for tr in fig["data"]}
    assert by_name["11"]["line"]["color"] != charts.REST_COLOR and by_name["12"]["line"]["width"] == 3
    assert {by_name[k]["line"]["color"] for k in ("13", "14", "15")} == {charts.REST_COLOR}
    assert by_name["__others__"]["line"]["color"] == charts.OTHERS_COLOR
    assert by_name["3 other areas (grey)"]["legendgroup"] == "rest"
    assert charts.grey_lines(charts.trend(frame, x="cycle", y="value", group="region", highlight=2)) == 3
    for kept in (["11", "12"], ["11", "12", "__others__"]):  # two named lines (and the rest): none grey
        few = charts.trend(frame[frame["region"].isin(kept)], x="cycle", y="value", group="region", highlight=2)
        assert all(tr["line"]["color"] != charts.REST_COLOR for tr in few.to_dict()["data"])
        assert charts.grey_lines(few) == 0


@pytest.mark.parametrize("params", [{}, {"province": "34"}, {"province": "34", "district": "34.03"}])
def test_the_note_on_grey_lines_is_under_the_impact_trend_exactly_when_it_has_grey_lines(seed_db, params):
    at = open_page("impact", lang="en", **params)
    trend = next(
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if "lines" in json.loads(c.proto.spec)["data"][0].get("mode", "")
    )
    grey = [tr for tr in trend["data"] if tr["line"]["color"] == charts.REST_COLOR]
    legend = [tr for tr in grey if tr.get("hoverinfo") == "skip"]  # the one legend entry of the grey lines
    drawn = [tr for tr in grey if tr.get("hoverinfo") != "skip"]
    assert len(legend) == (1 if drawn else 0)
    assert trend["layout"]["meta"][charts.GREY_LINES] == len(drawn)
    note = "Grey lines: the other areas" in " ".join(c.value for c in at.caption)
    assert note == bool(drawn), (params, len(drawn))


# --- the map ---


MAP_HEIGHT = 383  # the drawn map's height (px) in the overview's 560 px figure, measured in Chromium


def visible_lon(layout: dict, width: float, height: float = MAP_HEIGHT) -> tuple[float, float]:
    """The longitudes a MapLibre map ``width`` x ``height`` px shows: its world is 512 * 2^zoom px wide, and with
    ``bounds`` (maxBounds) MapLibre zooms in from the stated zoom until the bounds cover the map, keeping the
    view inside them."""
    view = layout["map"]
    zoom, center = view["zoom"], view["center"]["lon"]
    bounds = view.get("bounds")
    if bounds:

        def y(lat):  # Web Mercator, px at zoom 0
            return 256 / math.pi * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

        zoom = max(
            zoom,
            math.log2(width * 360 / ((bounds["east"] - bounds["west"]) * 512)),
            math.log2(height / (y(bounds["north"]) - y(bounds["south"]))),
        )
    span = width * 360 / (512 * 2**zoom)
    if bounds:
        center = min(max(center, bounds["west"] + span / 2), bounds["east"] - span / 2)
    return center - span / 2, center + span / 2


def test_the_map_shows_aceh_to_papua_at_1366_and_1280_and_its_colour_bar_lies_under_it():
    def points(c):
        return [c] if isinstance(c[0], (int, float)) else [p for part in c for p in points(part)]

    lons = [p[0] for f in charts.province_outlines()["features"] for p in points(f["geometry"]["coordinates"])]
    west, east = min(lons), max(lons)
    assert west < 95.5 and east > 140.5  # the shipped outlines reach Sabang and the Papua border
    values = pd.DataFrame(
        {"code": ["11", "94"], "name": ["Aceh", "Papua"], "value": [0.4, 0.6], "lat": [4.6, -4.3], "lon": [96.7, 138.1]}
    )
    layout = charts.province_map(values, title="T", percent=True, lang="id").to_dict()["layout"]
    for screen, width in FIGURE_WIDTH.items():  # a phone shows the middle (charts.INDONESIA_ZOOM)
        shown = visible_lon(layout, width["full"] - 20)
        assert shown[0] <= west and shown[1] >= east, (screen, shown, (west, east))
        assert shown[1] - shown[0] < 1.2 * (east - west), (screen, shown)  # and Indonesia fills the map
    bar = charts.province_map(values, title="T", percent=True).to_dict()["data"][1]["colorbar"]
    assert bar["orientation"] == "h" and bar["y"] < 0 and bar["yanchor"] == "top"  # under the map, any width
    assert "mapbox" not in json.dumps(layout) and layout["map"]["style"] == "white-bg"  # no tiles fetched


# --- numbers in the reader's language ---

CHART_CALLS = {
    "trend": lambda lang: charts.trend(pd.DataFrame({"cycle": ["2018-1"], "v": [1234.5]}), x="cycle", y="v", lang=lang),
    "bar": lambda lang: charts.bar(pd.DataFrame({"n": ["A"], "v": [1234.5]}), x="v", y="n", lang=lang),
    "heatmap": lambda lang: charts.heatmap(
        pd.DataFrame({"c": ["2018-1"], "r": ["A"], "v": [0.5]}), x="c", y="r", z="v", lang=lang
    ),
    "stacked_bars": lambda lang: charts.stacked_bars(
        pd.DataFrame({"c": ["2018-1"], "a": [1], "b": [2]}), x="c", y=["a", "b"], lang=lang
    ),
    "histogram": lambda lang: charts.histogram(pd.DataFrame({"v": [1.0, 2.0]}), x="v", lang=lang),
    "dumbbell": lambda lang: charts.dumbbell(
        pd.DataFrame({"n": ["A"], "a": [1.0], "b": [2.0]}), x=["a", "b"], y="n", lang=lang
    ),
    "province_map": lambda lang: charts.province_map(
        pd.DataFrame({"code": ["34"], "name": ["DIY"], "value": [1234.5], "lat": [-7.8], "lon": [110.4]}), lang=lang
    ),
}


@pytest.mark.parametrize("name", sorted(CHART_CALLS))
def test_every_chart_writes_numbers_in_the_language_it_is_given(name):
    indonesian = CHART_CALLS[name]("id").to_dict()["layout"]
    english = CHART_CALLS[name]("en").to_dict()["layout"]
    assert (indonesian.get("separators"), english.get("separators")) == (",.", ".,")
    for key, axis in indonesian.items():
        if key.startswith(("xaxis", "yaxis")):
            assert axis.get("exponentformat") == "none"  # 10.000, never the English "10k"


def test_the_deck_passes_the_language_to_every_chart(seed_db):
    from analytics import dataset

    ds = dataset.load(seed_db)
    for lang, separators in (("id", ",."), ("en", ".,")):
        slides = deck.build(ds, Filters(province="34", lang=lang, to_cycle="2018-2"), path=seed_db)
        figures = [s for s in slides if s.figure is not None]
        assert len(figures) >= 4
        for slide in figures:
            assert slide.figure.layout.separators == separators, (lang, slide.key)


# --- titles (issue 13 item 5: the change-since-joining title was cut at "(media…") ---


@pytest.mark.parametrize("page", ["impact", "participation", "overview"])
def test_every_chart_title_fits_its_chart_at_1280(seed_db, page):
    for fig, where in page_figures(page):
        title = fig["layout"].get("title", {})
        size = title.get("font", {}).get("size", 17)
        for line in title.get("text", "").split("<br>"):
            assert width_px(line, size) <= FIGURE_WIDTH[1280][where] - 20, (line, where)


def headings_and_chart_titles(node, out: list) -> list[tuple[str, str]]:
    """The page's headings ("H") and chart titles ("C") in the order they are drawn."""
    for child in getattr(node, "children", {}).values():
        kind = getattr(child, "type", "")
        if kind in ("title", "header", "subheader"):
            out.append(("H", child.value))
        elif kind == "plotly_chart":
            out.append(("C", json.loads(child.proto.spec)["layout"].get("title", {}).get("text", "")))
        headings_and_chart_titles(child, out)
    return out


@pytest.mark.parametrize(
    "page", ["overview", "participation", "impact", "library", "data-quality", "stories", "awards"]
)
def test_no_chart_title_repeats_the_heading_just_above_it(seed_db, page):
    """A chart under a heading says what the chart shows, not the heading again (the stories page said "Cerita
    per jenis dan siklus" twice, one above the other)."""
    shown = headings_and_chart_titles(open_page(page, province="34").main, [])
    assert any(kind == "C" for kind, _ in shown), shown  # the walk found the page's charts
    assert any(kind == "H" for kind, _ in shown), shown
    repeated = [
        (above, title)
        for (k1, above), (k2, title) in zip(shown, shown[1:])
        if k1 == "H" and k2 == "C" and above.strip().casefold() == title.replace("<br>", " ").strip().casefold()
    ]
    assert not repeated, repeated


def test_the_scorecard_rule_reads_as_english_in_english(seed_db):
    """The plural of the level went into "Every {level} is shown": "Every provinces is shown"."""
    notes = " ".join(c.value for c in open_page("impact", lang="en").caption)
    assert "All provinces are shown, largest first" in notes
    assert "Every provinces" not in notes


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    "page", ["overview", "participation", "impact", "library", "data-quality", "stories", "awards"]
)
def test_every_chart_title_starts_with_a_capital(seed_db, page, lang):
    """The scorecard's title began with its level's name as found in a sentence: "provinsi × strategi ..."."""
    titles = [text for kind, text in headings_and_chart_titles(open_page(page, lang=lang).main, []) if kind == "C"]
    assert titles
    lower = [title for title in titles if title[:1].isalpha() and not title[:1].isupper()]
    assert not lower, lower


@pytest.mark.parametrize("lang", ["id", "en"])
def test_attendance_groups_without_a_library_are_said_not_drawn_empty(seed_db, lang):
    """The "PLM attendance and improvement" chart showed a "0" row with neither bar nor number (no library with a
    change attended no PLM): a group without libraries is left out of the chart, and the note says so."""
    at = open_page("impact", lang=lang)
    fig = next(
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if "1–3" in (json.loads(c.proto.spec)["data"][0].get("y") or [])
    )
    bars = fig["data"][0]
    assert all(v is not None and v == v for v in decode(bars["x"])), bars["x"]  # every row drawn has its bar
    assert "0" not in bars["y"]
    said = {
        "id": "Kelompok tanpa perpustakaan tidak digambar: 0 PLM",
        "en": "Groups without libraries are not drawn: 0 PLMs",
    }
    assert said[lang] in " ".join(c.value for c in at.caption)
