"""Plotly figures as pure functions: a frame and the labels in, a figure out.

Made for a projector: large type, a colour-blind-safe palette (Okabe–Ito; Paul Tol's muted set for
provinces), the same colour for the same province or tier on every chart, units on the axes, and no chart
with more points than the eye can use (callers fold the tail into "others" first; ``MAX_POINTS`` guards).
Maps use MapLibre traces with a blank style and the shipped GeoJSON: nothing is fetched from the internet.
"""

from __future__ import annotations

import html
import json
import math
import re
import textwrap
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import metrics
from .config import REFERENCE_DIR
from .i18n import _separators, fmt_number, fmt_percent, t

MAX_POINTS = 10_000
FONT_SIZE = 16
TITLE_SIZE = 20
FONT_FAMILY = "Source Sans Pro, Arial, sans-serif"

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TIER_COLORS = {"provinsi": "#0072B2", "kabupaten_kota": "#E69F00", "desa": "#009E73", "tbm": "#CC79A7"}
# Paul Tol's "muted" qualitative scheme, for provinces (a fixed colour per province code).
MUTED = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499")
OTHERS_COLOR = "#BBBBBB"
REST_COLOR = "#CCCCCC"  # the lines a trend draws in grey behind the few it highlights
# Series that are not regions or tiers (indicators, story kinds): Okabe–Ito, then Tol's muted colours that
# differ from it — 17 distinct colours, so that no two series of one chart share one.
SERIES_COLORS = OKABE_ITO + tuple(c for c in MUTED if c not in OKABE_ITO)
BAR_COLOR = OKABE_ITO[0]  # bars whose colour says nothing: all one colour (the "others" bar grey)
STATUS_COLORS = {"green": "#009E73", "yellow": "#F0E442", "red": "#D55E00", "": "#EEEEEE"}
STATUS_SYMBOLS = {"green": "●", "yellow": "▲", "red": "■", "": "–"}  # shape as well as colour
SEQUENTIAL = "Viridis"
DIVERGING = [[0.0, "#D55E00"], [0.5, "#F7F7F7"], [1.0, "#0072B2"]]
# The width a chart is drawn at (px) when Streamlit stretches it over the main area of a 1280x720 screen with
# the sidebar open: the whole width, or one of two columns (measured in Chromium: 820 and 402; 906 and 445 at
# 1366). Tick labels are chosen to fit the narrower screen, so they fit the wider one too.
FULL_WIDTH = 820
HALF_WIDTH = 402
PHONE_WIDTH = 358  # a 390 px phone's main area: both columns of a page stack there, each this wide
PHONE_PLOT = 120  # the plot's least width on a phone for a value axis's few labels (charts._fit_margins)
# Sabang (Aceh) to Merauke (Papua), Miangas to Rote: the map's view shows all of it on a chart FULL_WIDTH px
# wide (a 1280 screen; wider screens show more around it; a phone's 358 px shows its middle, Java to Sulawesi).
# Plotly's map.fitbounds would adapt to any width but ignores figures with a choroplethmap trace (plotly.js
# getMapFitBounds), so centre and zoom are computed: MapLibre's world is 512 * 2^zoom px wide at zoom ``zoom``.
# MapLibre's own maxBounds would fit any width, but it then moves the camera after each drawing, and a move
# landing after Streamlit replaced the chart raised a page error in plotly.js's map code (1 walk in 10).
INDONESIA_BOUNDS = {"west": 94.9, "east": 141.1, "south": -11.1, "north": 6.2}
INDONESIA_CENTER = {"lat": -2.45, "lon": round((INDONESIA_BOUNDS["west"] + INDONESIA_BOUNDS["east"]) / 2, 2)}
INDONESIA_ZOOM = round(
    math.log2((FULL_WIDTH - 20) * 360 / ((INDONESIA_BOUNDS["east"] - INDONESIA_BOUNDS["west"]) * 512)) - 0.05, 2
)
GRID = "#E5E5E5"
MARK = "†"  # after the name of a region with fewer active libraries than metrics.MIN_LIBRARIES
NO_DATA_COLOR = "#D9D9D9"  # heat-map cells of a cycle without any PLM (with a "×" in the cell)
OTHERS = metrics.OTHERS  # the region code of a chart's "others" row or line
_CYCLE_ID = re.compile(r"^(\d{4})-(\d+)$")


def province_color(code: str) -> str:
    """The colour of a province on every chart (stable: derived from its code)."""
    if code == "__others__":
        return OTHERS_COLOR
    try:
        return MUTED[int(str(code).split(".")[0]) % len(MUTED)]
    except ValueError:
        return OTHERS_COLOR


def region_color(code: str, index: int) -> str:
    """Provinces keep their fixed colour; districts and libraries take the palette in order."""
    if code == "__others__":
        return OTHERS_COLOR
    if "." not in str(code) and str(code).isdigit() and len(str(code)) == 2:
        return province_color(code)
    return OKABE_ITO[index % len(OKABE_ITO)]


def region_colors(keys) -> dict:
    """The colours of one chart's regions, all different: a province keeps its fixed colour unless a region
    earlier in the chart already has it (with 38 provinces and 9 colours some share one), and then takes
    the first colour no region of this chart has; districts and libraries take the palette in order."""
    out: dict = {}
    used: set[str] = set()
    for i, key in enumerate(dict.fromkeys(keys)):
        color = region_color(key, i)
        if color in used and color != OTHERS_COLOR:
            color = next((c for c in MUTED + OKABE_ITO if c not in used), color)
        out[key] = color
        used.add(color)
    return out


def _axis(title: str | None = None, **extra) -> dict:
    """One axis in the projector style: light grid, large tick labels, the title's text if any."""
    axis = {
        "gridcolor": GRID,
        "linecolor": GRID,
        "zeroline": False,
        "tickfont": {"size": FONT_SIZE - 1},
        "title": {"font": {"size": FONT_SIZE}},
        "automargin": True,
        # Where Plotly turns labels that do not fit side by side (a value axis on a phone): upright, which
        # takes a line's height; at its default 30 degrees their boxes still overlapped.
        "autotickangles": [0, -90],
    }
    if title is not None:
        axis["title"]["text"] = title
    axis.update({k: v for k, v in extra.items() if v is not None})
    return axis


CHAR_EM = 0.6  # a generous mean character width (em) for Source Sans Pro / Arial: estimates err wide
NAME_CHARS = 32  # a library name on an axis is wrapped at this many characters a line...
NAME_LINES = 3  # ...on at most this many lines, the rest cut (the whole name in the hover)


def text_px(text, size: float = FONT_SIZE - 1) -> float:
    """An estimate of how wide ``text`` is drawn (px) at font ``size``: markup left out, ``CHAR_EM`` a character."""
    return CHAR_EM * size * len(html.unescape(re.sub(r"<[^>]+>", "", str(text))))


def wrapped(name, width: int = NAME_CHARS, lines: int = NAME_LINES) -> str:
    """``name`` on lines of at most ``width`` characters joined by ``<br>``, at most ``lines`` of them, the
    last one ending in "…" when the name goes on (HTML entities kept whole)."""
    parts = textwrap.wrap(html.unescape(str(name)), width, max_lines=lines, placeholder="…") or [""]
    return "<br>".join(html.escape(part, quote=False) for part in parts)


MIN_TICKS = 6  # labels a cycle axis keeps on a wide screen when thinned for a phone


def category_ticks(categories, room: float, size: float = FONT_SIZE - 1, phone: float | None = None) -> dict:
    """Tick settings for a category axis ``room`` px long on which no two labels overlap: every label when
    they fit side by side, else every k-th one (k at most 3: a year of cycles), else every k-th label turned
    upright. Set explicitly (tickmode array), so Plotly never skips labels on its own.

    With ``phone``, the axis's length on a phone (Plotly draws the same figure at any width): the labels are
    thinned until they fit there upright too, and their angle is left to Plotly between flat and upright
    (``autotickangles``): flat where they fit side by side, upright on the phone. Where fewer than
    ``MIN_TICKS`` labels would be left, Plotly picks them at the width it draws (tickmode auto)."""
    labels = _labels(categories)
    if not labels:
        return {"tickangle": 0}
    per = max(room, 1.0) / len(labels)
    wide = max(text_px(v, size) for v in labels) + 0.8 * size  # the label and a gap of about a character
    step, angle = max(1, math.ceil(wide / per)), 0
    if step > 3:
        upright = max(1, math.ceil(1.6 * size / per))  # an upright label takes about its line height
        if upright < step:
            step, angle = upright, -90
    ticks = {"tickangle": angle}
    if phone is not None:
        per_phone = max(phone, 1.0) / len(labels)
        narrow = math.ceil(1.6 * size / per_phone)
        if narrow > step and -(-len(labels) // narrow) < MIN_TICKS:
            # So few would fit a phone that a wide screen would show next to none: Plotly chooses them at the
            # width it draws (every k-th, k = categories * 1.2 em / length: upright, they fit), flat or upright.
            return {"tickmode": "auto", "autotickangles": [0, -90]}
        step = max(step, narrow)
        if angle == 0 and wide > step * per_phone:  # flat on a wide screen, upright on a phone
            ticks = {"autotickangles": [0, -90]}  # no tickangle: Plotly's own "auto"
    shown = labels[::step]
    return {"tickmode": "array", "tickvals": shown, "ticktext": shown, **ticks}


def plot_room(width: float, left=(), left_title: bool = False, legend=()) -> float:
    """The x length (px) left for the plot in a figure ``width`` px wide, by estimate: less the margins, the
    longest label ``left`` of the plot and its axis title, and a legend of the names ``legend`` at the right."""
    used = 20 + max((text_px(v) for v in left), default=0) + 8 + (1.6 * FONT_SIZE if left_title else 0)
    if len(legend):
        used += max(text_px(v) for v in legend) + 50
    return width - used


# A legend lying at the figure's foot, under the axis title: at the side it would take the plot's width (a
# phone's chart kept 64 px of 358 for its lines). Plotly keeps the plot clear of it (automargin).
FOOT_LEGEND = {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0, "xanchor": "left"}


# A region x cycle heat map's colour bar: lying at the figure's foot, under the cycle axis, 220 px long from
# near its left edge at every width, its title under its numbers (over them, Plotly draws it across the bar).
# Upright at the side it took 145 px of a phone's 358 and, with the region names' 210, left the grid 3 px
# (issue 13, item 6). Plotly keeps the foot of the figure for it (``yref`` "container": its reserved margin).
FOOT_BAR = {
    "orientation": "h",
    "xref": "container",
    "x": 0,
    "xanchor": "left",
    "xpad": 24,  # the "0%" centred under the bar's start stays inside the figure
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "lenmode": "pixels",
    "len": 220,
    "thickness": 12,
    "ticklabeloverflow": "allow",  # Plotly dropped the "100%" at a phone's width
}


def _foot_bar_room(bar: dict) -> int:
    """The height a lying colour bar ``bar`` takes under a figure's x axis: the bar, its numbers' line, its
    title's line and the space around them."""
    return math.ceil((bar.get("thickness") or 30) + 1.5 * (FONT_SIZE - 1) + 2 * FONT_SIZE + 32)


def _foot_height(names, width: float) -> int:
    """The height a foot legend of ``names`` takes in a figure ``width`` px wide. Plotly lays a horizontal
    legend that does not fit on one line out as a grid: every entry as wide as the widest, as many to a row
    as fit (plotly.js legend/draw.js, computeLegendDimensions)."""
    if len(names) < 2:
        return 0
    entries = [text_px(v) + 50 for v in names]
    if sum(entries) <= width - 20:
        return 12 + 30
    per_row = max(1, int((width - 20) // max(entries)))
    return 12 + 30 * math.ceil(len(entries) / per_row)


def _value_labels(values, percent: bool) -> list[str]:
    """The longest tick labels a value axis may show (for ``plot_room``)."""
    v = np.asarray(values, dtype=float)
    top = float(np.nanmax(np.abs(v))) if v.size and np.isfinite(v).any() else 0.0
    return ["100%"] if percent else [f"{top:,.0f}"]


def _points(trace: dict) -> int:
    """The points a trace draws: its cells (z) or else its first coordinate array."""
    for attr in ("z", "x", "y", "lat", "locations"):
        if trace.get(attr) is not None:
            return int(np.size(np.asarray(trace[attr], dtype=object)))
    return 0


def _title_lines(title: str, width: float) -> list[str]:
    """The title in lines that fit a figure ``width`` px wide (by estimate), broken between words."""
    chars = max(10, int((width - 20) / (CHAR_EM * TITLE_SIZE)))
    return textwrap.wrap(title, chars) or [title] if text_px(title, TITLE_SIZE) > width - 20 else [title]


def _line_px(text, size: float = FONT_SIZE - 1) -> float:
    """The estimated width (px) of the longest line of ``text`` (lines broken by ``<br>``)."""
    return max(text_px(line, size) for line in re.split(r"<br\s*/?>", str(text)))


def _tick_texts(axis: dict, data: list[dict], letter: str, layout: dict) -> list[str]:
    """The tick labels an axis would show, by estimate: its explicit ``ticktext``; else the trace values on
    it when they are names (a category axis); else its largest number written as the axis writes it."""
    if axis.get("ticktext") is not None:
        return _labels(axis["ticktext"])
    traces = [
        d for d in data if d.get("type", "scatter") in ("bar", "scatter", "heatmap") and d.get(letter) is not None
    ]
    values = [v for d in traces for v in np.asarray(d[letter], dtype=object).ravel() if not _missing(v)]
    if any(isinstance(v, str) for v in values) or axis.get("type") == "category":
        return _labels(values)
    numbers = _numbers(values) if values else np.zeros(1)
    numbers = numbers[np.isfinite(numbers)] if numbers.size else numbers
    top = float(np.abs(numbers).max()) if numbers.size else 0.0
    if layout.get("barmode") == "stack" and traces:  # a stacked axis reaches the sum of the stack
        top = max(top, float(sum(np.nanmax(np.abs(_numbers(d[letter])), initial=0.0) for d in traces)))
    if axis.get("range"):
        top = max([top] + [abs(float(v)) for v in axis["range"] if v is not None])
    sign = "-" if numbers.size and (numbers < 0).any() else ""
    if axis.get("tickformat", "").endswith("%"):
        return [f"{sign}{math.ceil(top * 110):,}%"]
    if top < 10 and axis.get("tickformat") != "d":
        return [f"{sign}{top:.2f}"]
    return [f"{sign}{top * 1.1:,.0f}"]


def _fit_margins(layout: dict, data: list[dict], width: float) -> None:
    """Margins wide enough for everything Plotly would push them out for (tick labels and axis titles, a
    legend at the foot or side, a colour bar), so that it draws a figure once.

    With ``automargin`` Plotly draws the figure, measures what sticks out and, when the margins it was given
    are too narrow, draws it all again: about twice a chart's time in Chromium (measured, docs/benchmarks.md),
    on every rerun. The estimates here err wide (``CHAR_EM``); automargin stays on, so a label longer than
    estimated still shows, at the cost of that second drawing. ``tests/test_charts_margins.py`` checks in
    Chromium that every page's charts are drawn within the margins given."""
    margin = dict(layout.get("margin") or {})
    tick = FONT_SIZE - 1
    line = 1.5 * tick
    title_room = 1.6 * FONT_SIZE + 12
    left = right = bottom = 0.0
    xaxis, yaxis = layout.get("xaxis"), layout.get("yaxis")
    y_labels = _tick_texts(yaxis, data, "y", layout) if isinstance(yaxis, dict) else []
    if isinstance(yaxis, dict) and yaxis.get("visible", True) and yaxis.get("showticklabels", True):
        left = max((_line_px(v, tick) for v in y_labels), default=0) + 30
        if (yaxis.get("title") or {}).get("text"):
            left += title_room
    if isinstance(xaxis, dict) and xaxis.get("visible", True) and xaxis.get("showticklabels", True):
        labels = _tick_texts(xaxis, data, "x", layout)
        lines = max((len(re.split(r"<br\s*/?>", v)) for v in labels), default=1)
        angle = abs(float(xaxis.get("tickangle") or 0))
        longest = max((_line_px(v, tick) for v in labels), default=0)
        turns = xaxis.get("autotickangles") or [0]
        exact = xaxis.get("tickangle") is not None
        if not exact and 0 not in turns:  # never flat: Plotly's first angle is a desktop's (a phone's steeper one
            angle, exact = abs(float(turns[0])), True  # widens the margin there: desktops are drawn once)
        elif not exact and len(labels) > 1 and any(isinstance(v, str) for v in labels):
            # Category labels left to Plotly are turned when they do not fit side by side.
            if longest + 10 > (width - left - 40) / len(labels):
                angle = 30
        if exact and 0 < angle < 60:  # slanted: the height of the longest label's box turned by the angle
            slant = math.radians(angle)
            need = math.sin(slant) * longest + math.cos(slant) * lines * line + 20
        else:
            need = (longest if angle >= 60 else lines * line + (0.75 * longest if angle else 0)) + 20
        if (xaxis.get("title") or {}).get("text"):
            need += title_room
        if xaxis.get("side") == "top":  # above the plot, under the title (whose room the caller's top margin has)
            title_lines = len(str((layout.get("title") or {}).get("text", "")).split("<br>"))
            margin["t"] = max(int(margin.get("t", 60)), math.ceil(60 + 26 * (title_lines - 1) + need))
        else:
            bottom = need
        # The last label, centred on the axis's end, stands out half its width past the plot's right side.
        right = max(right, 0.5 * (_line_px(labels[-1], tick) if labels else longest) + 8)
    legend = layout.get("legend") or {}
    named = [d.get("name") for d in data if d.get("name") and d.get("showlegend", True) is not False]
    shows = layout.get("showlegend", len(named) > 1)
    if shows and named:
        if legend.get("yref") == "container" and legend.get("orientation") == "h":
            bottom += _foot_height(named, width) if len(named) > 1 else 12 + 30
        elif legend.get("x") is None or float(legend.get("x", 1.02)) > 1:
            right = max(right, max(_line_px(n, tick) for n in named) + 60)
    for trace in data:
        bar = trace.get("colorbar") if trace.get("showscale", True) is not False else None
        if trace.get("type") not in ("heatmap", "choroplethmap", "choropleth") or bar is None:
            continue
        if bar.get("orientation") == "h":
            bottom = max(bottom, 0) + _foot_bar_room(bar)
            continue
        # Upright at the side: its numbers' width and its title's (upright beside them, or over the bar).
        z = {"type": "heatmap", "z": np.asarray(trace.get("z", []), dtype=float)}
        ticks = max(_line_px("100%", tick), _line_px(_tick_texts(bar, [z], "z", {})[0], tick))
        title = bar.get("title") or {}
        side = 1.5 * FONT_SIZE if title.get("side", "top") == "right" else _line_px(title.get("text", ""), FONT_SIZE)
        right = max(right, (bar.get("thickness") or 30) + ticks + side + 55)
    sides = {"l": left, "r": right, "b": bottom}
    names_left = any(isinstance(v, str) and not v[:1].isdigit() for v in y_labels[:1])
    numbers_below = (
        isinstance(xaxis, dict)
        and xaxis.get("type") != "category"
        and xaxis.get("ticktext") is None
        and not any(isinstance(v, str) for d in data for v in np.asarray(d.get("x", []), dtype=object).ravel())
    )
    if names_left and numbers_below and left + max(right, margin.get("r", 10)) > PHONE_WIDTH - PHONE_PLOT:
        # Names down the side and numbers along the bottom (a lying bar chart) that would leave a phone no room
        # for its value axis: given margins are kept even when the plot vanishes, while Plotly's own keep it at
        # least 64 px wide (``minreducedwidth``). The left margin is left to Plotly: drawn twice, but readable.
        del sides["l"]
        layout["meta"] = {**(layout.get("meta") or {}), "left_margin": "plotly"}
    for side, need in sides.items():
        margin[side] = max(int(margin.get(side, 10)), math.ceil(need))
    layout["margin"] = margin


def _figure(
    data: list[dict],
    title: str,
    height: int = 480,
    xaxis: dict | None = None,
    yaxis: dict | None = None,
    lang: str | None = None,
    width: float = FULL_WIDTH,
    **layout,
) -> go.Figure:
    """The figure from plain trace and layout dicts, in the projector style.

    Figures are written as the dicts Plotly's JSON schema describes and wrapped without Plotly's
    per-property validation, which costs ~15 ms per figure on every rerun (three times a page's
    aggregations). tests/test_charts.py validates every chart function's output against Plotly's schema.
    A title too long for a chart ``width`` px wide is broken over lines, the top margin growing with them."""
    lines = _title_lines(title, width)
    spec_layout = {
        "title": {"text": "<br>".join(lines), "font": {"size": TITLE_SIZE}, "x": 0, "xanchor": "left"},
        "font": {"size": FONT_SIZE, "family": FONT_FAMILY},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 60 + 26 * (len(lines) - 1), "b": 10},
        "legend": {"font": {"size": FONT_SIZE - 1}},
        "hoverlabel": {"font": {"size": FONT_SIZE}},
        # No template (the default "plotly" one costs time to apply): a few plain settings instead.
        "template": {},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": list(OKABE_ITO),
    }
    if xaxis is not None:
        spec_layout["xaxis"] = xaxis
    if yaxis is not None:
        spec_layout["yaxis"] = yaxis
    for key, value in layout.items():
        if isinstance(value, dict) and isinstance(spec_layout.get(key), dict):
            spec_layout[key] = {**spec_layout[key], **value}
        else:
            spec_layout[key] = value
    if lang is not None:
        _in_language(spec_layout, data, lang)
    _fit_margins(spec_layout, data, width)
    points = sum(_points(trace) for trace in data)
    if points > MAX_POINTS:
        raise ValueError(f"chart has {points} points; fold the data first (limit {MAX_POINTS})")
    return go.Figure({"data": data, "layout": spec_layout}, _validate=False)


def _in_language(layout: dict, data: list[dict], lang: str) -> None:
    """Numbers on the axes, colour bars and Plotly-formatted hovers as ``lang`` writes them: its decimal and
    thousands marks (``separators``), whole numbers written out (``10.000``, not the English SI ``10k``)."""
    thousands, decimal = _separators(lang)
    layout["separators"] = decimal + thousands
    plain = {"exponentformat": "none", "separatethousands": True}
    for key, value in layout.items():
        if re.match(r"^[xy]axis\d*$", key) and isinstance(value, dict):
            value.update(plain)
    for trace in data:
        if isinstance(trace.get("colorbar"), dict):
            trace["colorbar"].update(plain)
        if isinstance(trace.get("marker"), dict) and isinstance(trace["marker"].get("colorbar"), dict):
            trace["marker"]["colorbar"].update(plain)


def _numbers(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _labels(values) -> list:
    return [v if isinstance(v, str) else str(v) for v in values]


def cycle_axis(frame: pd.DataFrame, x: str, cycles=None) -> list[str]:
    """The cycles a chart's axis lists, in time order: ``cycles`` when given (the range's, so that a cycle
    without data keeps its slot), else the frame's own cycles ordered by their ordinal ``seq`` when it has
    one, else by the cycle id (``2017-3`` before ``2018-1``) when every label is one, else as they come."""
    if cycles is not None:
        return _labels(cycles)
    if "seq" in frame.columns:
        seq = pd.to_numeric(frame["seq"], errors="coerce").to_numpy(dtype=float)
        order = np.argsort(seq, kind="stable")
        return list(dict.fromkeys(_labels(frame[x].to_numpy()[order])))
    labels = list(dict.fromkeys(_labels(v for v in frame[x] if not _missing(v))))
    matched = [_CYCLE_ID.match(v) for v in labels]
    if labels and all(matched):
        return [v for _, v in sorted(((int(m[1]), int(m[2])), v) for m, v in zip(matched, labels))]
    return labels


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _aligned(xs, ys, axis: list[str]) -> np.ndarray:
    """``ys`` placed at their ``xs`` on the axis; NaN (a break in a line) where a cycle has no value."""
    at = {c: i for i, c in enumerate(axis)}
    out = np.full(len(axis), np.nan)
    for x, y in zip(_labels(xs), _numbers(ys)):
        i = at.get(x)
        if i is not None:
            out[i] = y
    return out


def _cycle_xaxis(title: str | None, axis: list[str], room: float, phone: float | None = None, **extra) -> dict:
    """A category axis of cycles whose order is set, never left to the order the data came in, with the
    tick labels that fit ``room`` px, and ``phone`` px on a phone (``category_ticks``)."""
    return _axis(
        title,
        type="category",
        categoryorder="array",
        categoryarray=list(axis),
        **{**category_ticks(axis, room, phone=phone), **extra},
    )


def value_text(value, lang: str, percent: bool = False, n=None) -> str:
    """A value as the reader's language writes it, with the count it rests on: ``79,1% (n = 43)``."""
    text = fmt_percent(value, lang) if percent else fmt_number(value, lang, 1)
    if n is not None and not _missing(n):
        text += f" (n = {fmt_number(n, lang)})"
    return text


def _label(labels: dict | None, column: str) -> str:
    """A column's name as the reader sees it (an axis or colour-bar title): ``labels[column]``, else none."""
    return str((labels or {}).get(column, ""))


def _marked(label: str, mark: bool) -> str:
    return f"{label} {MARK}" if mark else label


def _gap_notes(gaps: dict | None, axis: list[str]) -> list[dict]:
    """Upright notes at the cycles whose gap has a reason (e.g. "no PLM held"), at the foot of the plot."""
    return [
        {
            "x": c,
            "xref": "x",
            "y": 0.02,
            "yref": "paper",
            "yanchor": "bottom",
            "text": str(text),
            "textangle": -90,
            "showarrow": False,
            "font": {"size": FONT_SIZE - 3, "color": "#555555"},
        }
        for c, text in (gaps or {}).items()
        if c in axis
    ]


GREY_LINES = "grey_lines"  # layout.meta key: the named lines a trend drew grey


def trend(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str | list[str],
    group: str | None = None,
    title: str = "",
    labels: dict | None = None,
    names: dict | None = None,
    percent: bool = False,
    cycles=None,
    n: str | dict | None = None,
    gaps: dict | None = None,
    note: str | None = None,
    marked: str | None = None,
    highlight: int | None = None,
    narrow: bool = False,
    lang: str | None = None,
) -> go.Figure:
    """Lines over cycles: one per ``group`` value in order of appearance (coloured by region/tier, shown by
    its name in ``names``), one per column when ``y`` lists several columns of a wide frame (named by
    ``labels``, the y axis by ``labels["value"]``), or else a single line.

    With ``highlight`` only the first that many groups (the frame's order: the largest regions first) keep
    their colours; the others are drawn thin and grey behind them, named in their hovers and gathered under
    one legend entry ("the other regions"). ``narrow``: the chart sits in one of two columns (its tick
    labels are chosen for that width).

    The axis lists ``cycles`` (else the frame's cycles, see ``cycle_axis``) in time order; a cycle without a
    value is a break in the line, never a straight line across it. With ``lang`` each point's hover says its
    value in that language and its count ``n`` (a column, or per column of ``y`` a dict); ``gaps`` maps a
    cycle to why it has no value (e.g. no PLM held), written at the gap and in the hover; ``note`` names a
    column of such reasons per row (per line and cycle), given in the hover of a missing value. Points where
    the bool column ``marked`` is true (a value resting on too few libraries) are drawn hollow."""
    wide = isinstance(y, list)
    if wide:
        xs = frame[x].to_numpy()
        n_of = n if isinstance(n, dict) else {column: n for column in y}
        lines = [
            (
                column,
                xs,
                frame[column],
                frame[n_of[column]] if n_of.get(column) else None,
                frame[note] if note else None,
                frame[marked] if marked else None,
            )
            for column in y
        ]
        drawn = frame
    elif group is None:
        lines = [
            (
                None,
                frame[x].to_numpy(),
                frame[y],
                frame[n] if n else None,
                frame[note] if note else None,
                frame[marked] if marked else None,
            )
        ]
        drawn = frame
    else:  # plain arrays: a pandas groupby costs more than the figure on a frame of a few dozen rows
        keys, xs, ys = frame[group].to_numpy(), frame[x].to_numpy(), frame[y].to_numpy()
        counts = frame[n].to_numpy() if n else None
        notes = frame[note].to_numpy() if note else None
        flags = frame[marked].to_numpy() if marked else None
        lines = [
            (
                key,
                xs[keys == key],
                ys[keys == key],
                counts[keys == key] if n else None,
                notes[keys == key] if note else None,
                flags[keys == key] if marked else None,
            )
            for key in pd.unique(keys)
            if not pd.isna(key)
        ]
        drawn = frame[frame[group].notna()]
    axis = cycle_axis(drawn, x, cycles)
    keys = [key for key, *_ in lines if key is not None]
    if highlight is not None and not wide and len([k for k in keys if k != OTHERS]) > highlight:
        shown = [k for k in keys if k != OTHERS][:highlight]
        rest = [k for k in keys if k not in shown]
    else:
        shown, rest = keys, []
    colors = region_colors(shown)
    data, grey = [], []
    for key, xs, ys, counts, reasons, few in lines:
        values = _aligned(xs, ys, axis)
        if key in rest:
            color, width = (OTHERS_COLOR, 2) if key == OTHERS else (REST_COLOR, 1.5)
        else:
            color = OKABE_ITO[0] if key is None else (TIER_COLORS.get(key) or colors[key])
            width = 3
        trace = {
            "type": "scatter",
            "x": axis,
            "y": values,
            "mode": "lines+markers",
            "connectgaps": False,
            "line": {"color": color, "width": width},
            "marker": {"size": 7 if width == 3 else 4},
            "showlegend": key is not None and key not in rest,
        }
        if key == OTHERS:
            trace["line"]["dash"] = "dot"
        if key is not None:
            trace["name"] = str((labels or {}).get(key, key)) if wide else str((names or {}).get(key, key))
        if few is not None:
            hollow = _aligned(xs, pd.Series(few).fillna(False).astype(float), axis) == 1
            trace["marker"] = {
                "size": [9 if h else 7 for h in hollow],
                "symbol": ["circle-open" if h else "circle" for h in hollow],
            }
        if lang is not None:
            ns = _aligned(xs, counts, axis) if counts is not None else [None] * len(axis)
            why = dict(gaps or {})
            if reasons is not None:
                why.update((c, str(r)) for c, r in zip(_labels(xs), reasons) if isinstance(r, str) and r)
            trace["hovertext"] = [
                f"{c}: " + (why.get(c, "–") if math.isnan(v) else value_text(v, lang, percent, k))
                for c, v, k in zip(axis, values, ns)
            ]
            trace["hovertemplate"] = (
                "%{hovertext}<extra>" + ("%{fullData.name}" if key is not None else "") + "</extra>"
            )
        if key in rest:
            trace["legendgroup"] = "rest"
            grey.append(trace)
        else:
            data.append(trace)
    if grey:  # one legend entry for all the grey lines, which sit under the coloured ones
        count = len([k for k in rest if k != OTHERS])
        grey.insert(
            0,
            {
                "type": "scatter",
                "x": list(axis),
                "y": np.full(len(axis), np.nan),
                "mode": "lines",
                "legendgroup": "rest",
                "line": {"color": REST_COLOR, "width": 3},
                "hoverinfo": "skip",
                "legendrank": 2000,
                "name": t("charts.rest_lines", lang, n=count) if lang else f"+{count}",
            },
        )
    y_title = _label(labels, "value" if wide else y)
    legend = [d["name"] for d in grey + data if d.get("showlegend", True) and d.get("name")]
    width = HALF_WIDTH if narrow else FULL_WIDTH
    longest = _value_labels(np.concatenate([np.asarray(d["y"], dtype=float) for d in data + grey] or [[0.0]]), percent)
    room, phone = plot_room(width, longest, bool(y_title)), plot_room(PHONE_WIDTH, longest, bool(y_title))
    return _figure(
        grey + data,
        title,
        height=480 + _foot_height(legend, width),
        xaxis=_cycle_xaxis(_label(labels, x), axis, room, phone),
        yaxis=_axis(y_title, tickformat=".0%" if percent else None, rangemode="tozero"),
        annotations=_gap_notes(gaps, axis),
        lang=lang,
        legend=FOOT_LEGEND,
        width=width,
        meta={GREY_LINES: len([k for k in rest if k != OTHERS])},
    )


def grey_lines(fig: go.Figure) -> int:
    """How many named lines ``trend`` drew grey (``highlight``): a page's note on them follows the chart."""
    return int((fig.layout.meta or {}).get(GREY_LINES, 0))


def bar(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str = "",
    labels: dict | None = None,
    key: str | None = None,
    percent: bool = False,
    colors: list[str] | None = None,
    text: list[str] | None = None,
    sort: bool = True,
    n: str | None = None,
    marked: str | None = None,
    lang: str | None = None,
) -> go.Figure:
    """Horizontal bars: the value ``x`` of each ``y`` (a name), largest at the top (or the frame's order,
    first at the top, when ``sort`` is False); ``key`` goes into customdata so that a click names the region.

    With ``lang`` each bar says its value in that language with its count ``n`` (a column), as its label
    (unless ``text`` is given) and in its hover; bars where the column ``marked`` is true (regions too small
    for a steady rate) are hatched and their name carries a †. Bars are all one colour (the "others" row
    grey) unless ``colors`` gives each its own, for a colour that means something the chart states (e.g. a
    traffic light with its symbol in the bar's text)."""
    if colors is None:  # one colour: a bar's colour says nothing of its own (the pooled "others" bar grey)
        colors = [OTHERS_COLOR if k == OTHERS else BAR_COLOR for k in (frame[key] if key else [None] * len(frame))]
    f = frame.assign(_color=list(colors), _text=list(text) if text else "")
    f = f.sort_values(x, ascending=True) if sort else f.iloc[::-1]
    flags = f[marked].fillna(False).astype(bool).tolist() if marked else [False] * len(f)
    shown = [_marked(v, m) for v, m in zip(_labels(f[y]), flags)]
    trace = {
        "type": "bar",
        "x": _numbers(f[x]),
        "y": shown,
        "orientation": "h",
        "marker": {"color": f["_color"].tolist()},
        "hovertemplate": "%{y}: %{x" + (":.1%" if percent else ":,.0f") + "}<extra></extra>",
    }
    if marked:
        trace["marker"]["pattern"] = {
            "shape": ["/" if m else "" for m in flags],
            "fgcolor": "#FFFFFF",
            "solidity": 0.35,
        }
    if lang is not None:
        counts = f[n].tolist() if n else [None] * len(f)
        said = [value_text(v, lang, percent, k) for v, k in zip(f[x].tolist(), counts)]
        trace["hovertext"] = [f"{name}: {v}" for name, v in zip(shown, said)]
        trace["hovertemplate"] = "%{hovertext}<extra></extra>"
        if not text:
            f = f.assign(_text=said)
            text = said
    if key:
        trace["customdata"] = _labels(f[key])
    margin = {}
    if text:
        # Labels past the bar's end may run over the plot's edge: drawn unclipped, with room kept for the
        # longest one in the right margin (about 0.6 em a character).
        trace.update(text=f["_text"].tolist(), textposition="outside", cliponaxis=False)
        margin = {"margin": {"r": 16 + round(0.6 * FONT_SIZE * max(len(str(x)) for x in text))}}
    return _figure(
        [trace],
        title,
        height=max(320, 60 + 34 * len(f)),
        # Three numbers at most (nticks 4 rounds to halves of the range): the bars carry their values, and on a
        # phone the names and values leave the axis some 60 px, where five upright labels overlapped.
        xaxis=_axis(_label(labels, x), tickformat=".0%" if percent else None, rangemode="tozero", nticks=4),
        yaxis=_axis(_label(labels, y), automargin=True),
        lang=lang,
        **margin,
    )


def _grid_heatmap(
    matrix: pd.DataFrame,
    title: str,
    colorbar_title: str,
    percent: bool = False,
    x_title: str = "",
    cycles=None,
    n: pd.DataFrame | None = None,
    notes: pd.DataFrame | None = None,
    lang: str | None = None,
    narrow: bool = False,
) -> go.Figure:
    """Regions (rows) x cycles (columns); empty cells stay blank.

    The columns are ``cycles`` when given (the range's, in time order: a cycle without data keeps its
    column). With ``lang`` each cell's hover says its value in that language with its count from ``n``
    (a matrix like ``matrix``); a blank cell with a note in ``notes`` (e.g. no PLM held) is grey with a ×
    and its hover gives the note."""
    if cycles is not None:
        matrix = matrix.reindex(columns=list(cycles))
    columns = _labels(matrix.columns)
    rows = _labels(matrix.index)
    z = matrix.to_numpy(dtype=float)
    trace = {
        "type": "heatmap",
        "z": z,
        "x": columns,
        "y": rows,
        "colorscale": SEQUENTIAL,
        "colorbar": dict(FOOT_BAR, title={"text": colorbar_title, "side": "bottom"}),
        "hovertemplate": "%{y} · %{x}: %{z" + (":.1%" if percent else ":,.1f") + "}<extra></extra>",
        "xgap": 1,
        "ygap": 1,
    }
    if percent:
        trace.update(zmin=0, zmax=1)
        trace["colorbar"]["tickformat"] = ".0%"
    said = None
    if notes is not None:
        said = notes.reindex(index=matrix.index, columns=matrix.columns).to_numpy(dtype=object)
        said = np.array(
            [
                [v if isinstance(v, str) and math.isnan(z[i, j]) else "" for j, v in enumerate(row)]
                for i, row in enumerate(said)
            ],
            dtype=object,
        ).reshape(z.shape)
    if lang is not None:
        counts = (
            n.reindex(index=matrix.index, columns=matrix.columns).to_numpy(dtype=float)
            if n is not None
            else np.full(z.shape, np.nan)
        )
        trace["hovertext"] = [
            [
                f"{row} · {col}: "
                + (
                    (said[i][j] if said is not None else "") or "–"
                    if np.isnan(z[i, j])
                    else value_text(z[i, j], lang, percent, counts[i, j])
                )
                for j, col in enumerate(columns)
            ]
            for i, row in enumerate(rows)
        ]
        trace["hovertemplate"] = "%{hovertext}<extra></extra>"
    data = [trace]
    if said is not None and (said != "").any():
        # Drawn over the blank cells only, without a hover of its own: the cell's hover above gives the note.
        data.append(
            {
                "type": "heatmap",
                "z": np.where(said != "", 1.0, np.nan),
                "x": columns,
                "y": rows,
                "colorscale": [[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]],
                "showscale": False,
                "text": np.where(said != "", "×", "").tolist(),
                "texttemplate": "%{text}",
                "textfont": {"size": FONT_SIZE - 2, "color": "#555555"},
                "hoverinfo": "skip",
                "xgap": 1,
                "ygap": 1,
            }
        )
    room = plot_room(HALF_WIDTH if narrow else FULL_WIDTH, rows)
    phone = plot_room(PHONE_WIDTH, rows)
    return _figure(
        data,
        title,
        height=max(360, 120 + 26 * len(matrix)) + _foot_bar_room(trace["colorbar"]),
        xaxis=_cycle_xaxis(x_title, columns, room, phone),
        yaxis=_axis(None, autorange="reversed"),
        lang=lang,
        width=HALF_WIDTH if narrow else FULL_WIDTH,
    )


def heatmap(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    z: str,
    title: str = "",
    labels: dict | None = None,
    percent: bool = False,
    cycles=None,
    n: str | None = None,
    note: str | None = None,
    note_text: str = "",
    marked: str | None = None,
    narrow: bool = False,
    lang: str | None = None,
) -> go.Figure:
    """Rows ``y`` (regions, in the frame's order) x columns ``x`` (cycles: ``cycles`` when given, the range's
    in time order, so a cycle without data keeps its column) from a long frame, one row per cell, coloured
    by ``z`` (the colour bar titled ``labels[z]``); empty cells stay blank. With ``lang`` each cell's hover
    says its value in that language with its count from the column ``n``. Cells where the bool column
    ``note`` is true (e.g. no PLM held) are grey with a × and read ``note_text``; a cell where ``marked`` is
    true (its value rests on too few libraries) carries a †."""
    cells, row, column, value = frame, y, x, z
    rows = list(dict.fromkeys(_labels(cells[row])))
    frame = cells.assign(**{row: _labels(cells[row]), column: _labels(cells[column])})
    if note:
        frame["_note"] = np.where(frame[note].fillna(False).astype(bool), note_text, "")
    columns = list(dict.fromkeys(frame[column]))

    def grid(of: str) -> pd.DataFrame:
        out = frame.pivot_table(index=row, columns=column, values=of, aggfunc="first", dropna=False, sort=False)
        return out.reindex(index=rows, columns=columns)

    notes = grid("_note") if note else None
    fig = _grid_heatmap(
        grid(value),
        title,
        _label(labels, z),
        percent=percent,
        x_title=_label(labels, x),
        cycles=cycles,
        n=grid(n) if n else None,
        notes=notes,
        lang=lang,
        narrow=narrow,
    )
    if marked:  # a † in each cell whose value rests on too few libraries
        frame["_mark"] = np.where(frame[marked].fillna(False).astype(bool) & frame[value].notna(), MARK, "")
        daggers = grid("_mark").reindex(columns=list(fig.data[0].x)).to_numpy(dtype=object)
        fig.data[0].update(
            text=[[v if isinstance(v, str) else "" for v in r] for r in daggers],
            texttemplate="%{text}",
            textfont={"size": FONT_SIZE - 2, "color": "#FFFFFF"},
        )
    return fig


def stacked_bars(
    frame: pd.DataFrame,
    *,
    x: str | list[str],
    y: str | list[str],
    title: str = "",
    labels: dict | None = None,
    colors: dict[str, str] | None = None,
    counts: bool = False,
    cycles=None,
    gaps: dict | None = None,
    orientation: str = "v",
    narrow: bool = False,
    lang: str | None = None,
) -> go.Figure:
    """Stacked bars, one series per value column (``y`` upright, ``x`` with ``orientation="h"``), named
    ``labels[column]`` in the legend, the value axis ``labels["value"]``; ``counts`` keeps the axis on whole
    numbers. Each series has its own colour: ``colors[column]`` (pass a fixed one per series so that it keeps
    it between views), else the column's place in ``SERIES_COLORS``; a colour an earlier series of the chart
    already has gives way to the first free one of ``SERIES_COLORS`` (two series never share one).

    Upright, with ``cycles`` the x axis lists those cycles in time order, a cycle without a row keeping its
    slot; ``gaps`` maps a cycle to why it has no bar (e.g. no PLM held), written upright in its slot.
    Lying (``orientation="h"``), the categories ``y`` (e.g. library names) read top to bottom, each wrapped
    on the axis (``wrapped``) with the whole name in the hover."""
    lying = orientation == "h"
    category, columns = (y, x) if lying else (x, y)
    series = {column: str((labels or {}).get(column, column)) for column in columns}
    color: dict = {}
    for i, column in enumerate(columns):  # a colour another series of this chart has already gives way
        wanted = (colors or {}).get(column, SERIES_COLORS[i % len(SERIES_COLORS)])
        taken = set(color.values())
        color[column] = wanted if wanted not in taken else next((c for c in SERIES_COLORS if c not in taken), wanted)
    value_title = _label(labels, "value")
    if lying:
        names = _labels(frame[category])
        data = []
        for column, name in series.items():
            values = _numbers(frame[column])
            trace = {
                "type": "bar",
                "orientation": "h",
                "y": names,
                "x": values,
                "name": name,
                "marker": {"color": color[column]},
            }
            if lang is not None:
                trace["hovertext"] = [f"{v} · {name}: {fmt_number(w, lang, 1)}" for v, w in zip(names, values)]
                trace["hovertemplate"] = "%{hovertext}<extra></extra>"
            data.append(trace)
        shown = [wrapped(v) for v in names]
        yaxis = _axis(
            None, type="category", autorange="reversed", tickmode="array", tickvals=names, ticktext=shown, tickangle=0
        )
        row = 14 + 20 * max(v.count("<br>") + 1 for v in shown)  # every line of a name, and a gap
        # The legend at the figure's foot (long indicator names at the side would take the plot's width),
        # with a line of height for each of its names.
        return _figure(
            data,
            title,
            height=max(320, 160 + row * len(names)) + 26 * len(series),
            barmode="stack",
            xaxis=_axis(value_title, tickformat="d" if counts else None, rangemode="tozero"),
            yaxis=yaxis,
            lang=lang,
            legend=FOOT_LEGEND,
        )
    stacked = np.nansum([_numbers(frame[c]) for c in columns], axis=0) if len(frame) else np.zeros(1)
    width = HALF_WIDTH if narrow else FULL_WIDTH
    room = plot_room(width, _value_labels(stacked, False), bool(value_title))
    phone = plot_room(PHONE_WIDTH, _value_labels(stacked, False), bool(value_title))
    if cycles is not None:
        axis = _labels(cycles)
        data = [
            {
                "type": "bar",
                "x": axis,
                "y": _aligned(frame[category], frame[column], axis),
                "name": name,
                "marker": {"color": color[column]},
            }
            for column, name in series.items()
        ]
        xaxis = _cycle_xaxis(_label(labels, category), axis, room, phone)
    else:
        axis = _labels(frame[category])
        data = [
            {"type": "bar", "x": axis, "y": _numbers(frame[column]), "name": name, "marker": {"color": color[column]}}
            for column, name in series.items()
        ]
        xaxis = _axis(_label(labels, category), type="category", **category_ticks(axis, room, phone=phone))
    yaxis = _axis(value_title, tickformat="d" if counts else None, rangemode="tozero")
    if counts and len(frame) and sum(np.nan_to_num(d["y"]) for d in data).max() <= 10:
        yaxis["dtick"] = 1
    return _figure(
        data,
        title,
        height=480 + _foot_height(list(series.values()), width),
        xaxis=xaxis,
        yaxis=yaxis,
        barmode="stack",
        lang=lang,
        legend=FOOT_LEGEND,
        width=width,
        annotations=_gap_notes(gaps, xaxis.get("categoryarray", [])),
    )


def grouped_bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    group: str,
    title: str = "",
    labels: dict | None = None,
    names: dict | None = None,
    percent: bool = False,
    cycles=None,
    narrow: bool = False,
    lang: str | None = None,
) -> go.Figure:
    """Bars side by side per ``group`` (tiers keep their colours), over ``cycles`` in time order."""
    x_title, y_title = _label(labels, x), _label(labels, y)
    parts = list(frame.groupby(group, sort=False, observed=True))
    colors = region_colors(key for key, _ in parts)
    axis = cycle_axis(frame, x, cycles)
    data = [
        {
            "type": "bar",
            "x": axis,
            "y": _aligned(part[x], part[y], axis),
            "name": str((names or {}).get(key, key)),
            "marker": {"color": TIER_COLORS.get(key) or colors[key]},
        }
        for key, part in parts
    ]
    width = HALF_WIDTH if narrow else FULL_WIDTH
    room = plot_room(width, _value_labels(frame[y], percent), bool(y_title))
    phone = plot_room(PHONE_WIDTH, _value_labels(frame[y], percent), bool(y_title))
    return _figure(
        data,
        title,
        height=480 + _foot_height([d["name"] for d in data], width),
        xaxis=_cycle_xaxis(x_title, axis, room, phone),
        legend=FOOT_LEGEND,
        width=width,
        yaxis=_axis(y_title, tickformat=".0%" if percent else None),
        barmode="group",
        lang=lang,
    )


def small_multiples(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    group: str,
    title: str = "",
    labels: dict | None = None,
    names: dict | None = None,
    columns: int = 3,
    cycles=None,
    lang: str | None = None,
) -> go.Figure:
    """One small panel per ``group`` value (a region, named above its panel) with a shared y axis, so levels
    compare at a glance; every panel lists ``cycles`` (else the frame's, see ``cycle_axis``) in time order, a
    cycle without a value a break. All lines in one colour (the pooled "others" grey): the panel says which
    region a line is.

    The grid is laid out directly (axis domains and titles) rather than with ``make_subplots``."""
    panel, y_title = group, _label(labels, y)
    keys = list(dict.fromkeys(frame[panel]))
    axis = cycle_axis(frame, x, cycles)
    rows = max(1, -(-len(keys) // columns))
    gap_x, gap_y = 0.04, 0.12 if rows > 1 else 0.2
    width, height = (1 - gap_x * (columns - 1)) / columns, (1 - gap_y * (rows - 1)) / rows
    top = frame[y].max() if len(frame) else 1
    room = plot_room(FULL_WIDTH, _value_labels(frame[y], False), bool(y_title)) * width
    phone = plot_room(PHONE_WIDTH, _value_labels(frame[y], False), bool(y_title)) * width
    data, layout, annotations = [], {}, []
    for i, key in enumerate(keys):
        r, c = divmod(i, columns)
        n = "" if i == 0 else str(i + 1)
        x0, y1 = c * (width + gap_x), 1 - r * (height + gap_y)
        part = frame[frame[panel] == key]
        name = str((names or {}).get(key, key))
        data.append(
            {
                "type": "scatter",
                "x": axis,
                "y": _aligned(part[x], part[y], axis),
                "mode": "lines+markers",
                "marker": {"size": 5},
                "connectgaps": False,
                "showlegend": False,
                "xaxis": f"x{n}",
                "yaxis": f"y{n}",
                "line": {"color": OTHERS_COLOR if key == OTHERS else BAR_COLOR, "width": 3},
                "name": name,
            }
        )
        domain_x = [round(max(0.0, x0), 6), round(min(1.0, x0 + width), 6)]  # rounding keeps them in [0, 1]
        domain_y = [round(max(0.0, y1 - height), 6), round(min(1.0, y1), 6)]
        layout[f"xaxis{n}"] = _cycle_xaxis(None, axis, room, phone, domain=domain_x, anchor=f"y{n}")
        layout[f"yaxis{n}"] = _axis(
            y_title if c == 0 else None,
            domain=domain_y,
            anchor=f"x{n}",
            range=[0, float(top) * 1.05],
            showticklabels=c == 0,
        )
        annotations.append(
            {
                "text": name,
                "x": x0 + width / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": FONT_SIZE},
            }
        )
    return _figure(data, title, height=220 * rows + 80, annotations=annotations, lang=lang, **layout)


def histogram(
    frame: pd.DataFrame,
    *,
    x: str,
    title: str = "",
    labels: dict | None = None,
    bins: int = 30,
    percent: bool = False,
    narrow: bool = False,
    lang: str | None = None,
) -> go.Figure:
    """The distribution of the column ``x`` across libraries (binned: one bar per bin, however many
    libraries); the y axis is titled ``labels["count"]``. ``narrow``: in one of two columns (a long title is
    broken over lines for that width)."""
    x_title, y_title = _label(labels, x), _label(labels, "count")
    v = frame[x].dropna().to_numpy(dtype=float)
    counts, edges = np.histogram(v, bins=bins) if len(v) else (np.array([]), np.array([0.0]))
    centers = (edges[:-1] + edges[1:]) / 2
    trace = {
        "type": "bar",
        "x": centers,
        "y": counts,
        "width": np.diff(edges) * 0.95,
        "marker": {"color": OKABE_ITO[0]},
        "hovertemplate": "%{x" + (":.0%" if percent else ":,.0f") + "}: %{y}<extra></extra>",
    }
    if lang is not None:
        trace["hovertext"] = [
            f"{fmt_percent(a, lang, 0) if percent else fmt_number(a, lang, 1)}–"
            f"{fmt_percent(b, lang, 0) if percent else fmt_number(b, lang, 1)}: "
            f"{fmt_number(k, lang)}"
            for a, b, k in zip(edges[:-1], edges[1:], counts)
        ]
        trace["hovertemplate"] = "%{hovertext}<extra></extra>"
    return _figure(
        [trace],
        title,
        xaxis=_axis(x_title, tickformat=".0%" if percent else None),
        yaxis=_axis(y_title),
        lang=lang,
        width=HALF_WIDTH if narrow else FULL_WIDTH,
    )


def box_by(
    frame: pd.DataFrame,
    *,
    y: str,
    group: str,
    title: str = "",
    labels: dict | None = None,
    names: dict | None = None,
    lang: str | None = None,
) -> go.Figure:
    """Distribution of ``y`` per ``group`` as box plots built from quartiles (never ships the raw points)."""
    value, y_title = y, _label(labels, y)
    data = []
    parts = list(frame.groupby(group, sort=False, observed=True))
    colors = region_colors(key for key, _ in parts)
    for key, part in parts:
        q = part[value].quantile([0.0, 0.25, 0.5, 0.75, 1.0]).to_numpy()
        iqr = q[3] - q[1]
        lo, hi = max(q[0], q[1] - 1.5 * iqr), min(q[4], q[3] + 1.5 * iqr)
        data.append(
            {
                "type": "box",
                "name": str((names or {}).get(key, key)),
                "q1": [q[1]],
                "median": [q[2]],
                "q3": [q[3]],
                "lowerfence": [lo],
                "upperfence": [hi],
                "marker": {"color": colors[key]},
                "boxpoints": False,
            }
        )
    return _figure(data, title, xaxis=_axis(), yaxis=_axis(y_title), showlegend=False, lang=lang)


def shown_percent(ratio: float, status: str) -> int:
    """The whole percent a scorecard cell prints: floored, so that the number stays on its colour's side
    of the thresholds (74.6 % is "74 %" red, never "75 %"; 99.9 % is "99 %" yellow, never "100 %")."""
    pct = math.floor(ratio * 100 + 1e-9)  # 0.29 * 100 is 28.999…: floor what is written, not its binary form
    ceiling = {"red": math.ceil(metrics.YELLOW_AT * 100) - 1, "yellow": math.ceil(metrics.GREEN_AT * 100) - 1}
    return min(pct, ceiling[status]) if status in ceiling else pct


SLANT = -30  # degrees: the scorecard's one-line strategy names on a desktop, slanted alike at 1366 and 1280


def scorecard(
    frame: pd.DataFrame,
    *,
    title: str = "",
    names: dict,
    strategies: dict,
    status_names: dict,
    lang: str | None = None,
    marked: str | None = None,
    wrap: bool = False,
) -> go.Figure:
    """Regions x strategies as a traffic light: colour and shape, with the ratio to target as text.

    ``wrap``: the strategy names on two lines, flat (a projector's screen, where they fit side by side); else on
    one, slanted (``SLANT``) on a desktop and upright where even slanted they would overlap (a phone, whose
    margin Plotly widens). Left to Plotly between flat and upright, they lay flat at 1366 and stood upright at
    1280, so the margin had to hold them upright and stood half empty above flat names.

    A cell prints its ratio as a floored whole percent (``shown_percent``) and, when the frame has
    ``indicators`` and ``indicators_total``, on how many of the strategy's indicators it rests ("1 dari 3");
    its hover names the status in words. Without ``lang`` the count is written "1/3". The frame has a row
    per ``region`` (shown by its name in ``names``) and ``strategy`` (columns, named and ordered by
    ``strategies``); regions whose bool column ``marked`` is true (too few libraries for a steady median)
    carry a †."""
    regions = names
    rows = list(dict.fromkeys(frame["region"]))
    cols = list(strategies)
    code = {"": 0, "red": 1, "yellow": 2, "green": 3}
    z = np.full((len(rows), len(cols)), 0.0)
    text = np.full((len(rows), len(cols)), "–", dtype=object)
    hover = np.full((len(rows), len(cols)), "–", dtype=object)
    counted = {"indicators", "indicators_total"} <= set(frame.columns)
    for r in frame.itertuples():
        i, j = rows.index(r.region), cols.index(r.strategy)
        z[i, j] = code[r.status]
        value = fmt_number(shown_percent(r.ratio, r.status), lang or "id", 0) + "%" if r.status else ""
        if r.status:
            text[i, j] = f"{STATUS_SYMBOLS[r.status]} {value}"
            hover[i, j] = f"{status_names.get(r.status, r.status)} {value}"
        if counted:  # a cell without a rated indicator still says so: "– / 0 dari 2"
            n, total = int(r.indicators), int(r.indicators_total)
            text[i, j] += "<br>" + (t("impact.scorecard_of", lang, n=n, total=total) if lang else f"{n}/{total}")
            if lang and r.status:
                hover[i, j] = t(
                    "impact.scorecard_hover",
                    lang,
                    status=status_names.get(r.status, r.status),
                    value=value,
                    n=n,
                    total=total,
                )
    scale = [
        [0.0, STATUS_COLORS[""]],
        [0.25, STATUS_COLORS[""]],
        [0.25, STATUS_COLORS["red"]],
        [0.5, STATUS_COLORS["red"]],
        [0.5, STATUS_COLORS["yellow"]],
        [0.75, STATUS_COLORS["yellow"]],
        [0.75, STATUS_COLORS["green"]],
        [1.0, STATUS_COLORS["green"]],
    ]
    flagged = set(frame.loc[frame[marked].fillna(False).astype(bool), "region"]) if marked else set()
    columns = [wrapped(strategies[c], 14, 2) if wrap else strategies[c] for c in cols]
    trace = {
        "type": "heatmap",
        "z": z,
        "x": columns,
        "y": [_marked(str(regions.get(r, r)), r in flagged) for r in rows],
        "text": text.tolist(),
        "texttemplate": "%{text}",
        "textfont": {"size": FONT_SIZE},
        "customdata": hover.tolist(),
        "colorscale": scale,
        "zmin": -0.5,
        "zmax": 3.5,
        "showscale": False,
        "xgap": 3,
        "ygap": 3,
        "hovertemplate": "%{y} · %{x}: %{customdata}<extra></extra>",
    }
    per_row = 56 if counted else 40  # two lines a cell when it says its indicators
    fig = _figure(
        [trace],
        title,
        height=max(300, 150 + per_row * len(rows)),
        xaxis=_axis(None, side="top", tickangle=0) if wrap else _axis(None, side="top", autotickangles=[SLANT, -90]),
        yaxis=_axis(None, autorange="reversed"),
        lang=lang,
        margin={"t": 120},
    )  # room for the strategy names above the grid, under the title
    # The title at the top of the figure, as on a chart whose title has its margin alone (Plotly's own place for
    # it is the middle of the top margin: here between the heading and the strategy names, far from both).
    fig.layout.title.update(yref="container", y=1, yanchor="top", pad={"t": 20})
    return fig


OUTLINES_URL = "/app/static/provinces.geojson"  # the same file, served by the app (.streamlit/config.toml)


@lru_cache(maxsize=1)
def province_outlines() -> dict:
    with open(REFERENCE_DIR / "provinces.geojson", encoding="utf-8") as f:
        return json.load(f)


def province_map(
    frame: pd.DataFrame,
    *,
    title: str = "",
    labels: dict | None = None,
    percent: bool = False,
    bubbles: pd.DataFrame | None = None,
    bubble_name: str = "",
    outlines_url: str | None = None,
    lang: str | None = None,
    n: str | None = None,
    marked: str | None = None,
) -> go.Figure:
    """Indonesia's provinces shaded by ``frame`` (code, name, value; the colour bar titled
    ``labels["value"]``); districts as bubbles (lat, lon, size,
    label). Provinces without an outline in the shipped data (Kalimantan Utara, the 2022 Papua provinces) are
    drawn as circles at their centre (``lat``, ``lon`` in ``values``) on the same colour scale.

    With ``outlines_url`` the browser fetches the outlines from the app (served once, cached) instead of
    receiving them inside the figure; without it they are embedded (self-contained files).

    With ``lang`` a province's tooltip says its value in that language with its count ``n`` (a column);
    provinces where the column ``marked`` is true (too few libraries for a steady rate) carry a †."""
    values, colorbar_title = frame, _label(labels, "value")
    geo = province_outlines()
    everything = [f["properties"]["code"] for f in geo["features"]]
    outlined = set(everything)
    # Plain arrays rather than frame filters: 38 rows, where each pandas step costs more than the drawing.
    code, name = values["code"].to_numpy(dtype=object), values["name"].to_numpy(dtype=object)
    value = values["value"].to_numpy(dtype=float)
    if marked:
        name = np.array([_marked(str(v), bool(m)) for v, m in zip(name, values[marked].fillna(False))], dtype=object)
    if lang is not None:  # the whole tooltip, written in the language, as each point's text
        counts = values[n].to_numpy(dtype=float) if n else [None] * len(values)
        name = np.array(
            [f"{v}: {value_text(x, lang, percent, k)}" for v, x, k in zip(name, value, counts)], dtype=object
        )
        fmt = None
    else:
        fmt = ":.1%" if percent else ":,.1f"
    shaded = np.fromiter((c in outlined for c in code), dtype=bool, count=len(code))
    loose = ~shaded
    vmin, vmax = (0.0, 1.0) if percent else (float(np.nanmin(value)), float(np.nanmax(value)))
    # Under the map, lying: at the side it would cover Papua on a phone's width.
    colorbar = {
        "title": {"text": colorbar_title, "side": "top"},
        "orientation": "h",
        "x": 0.5,
        "xanchor": "center",
        "y": -0.02,
        "yanchor": "top",
        "len": 0.6,
        "thickness": 14,
    }
    if percent:
        colorbar["tickformat"] = ".0%"
    data = [
        {
            "type": "choroplethmap",  # every province in light grey underneath: the shape of Indonesia
            "geojson": outlines_url or geo,
            "locations": everything,
            "featureidkey": "properties.code",
            "z": [0] * len(everything),
            "colorscale": [[0, "#E8E8E8"], [1, "#E8E8E8"]],
            "showscale": False,
            "marker": {"line": {"width": 0.8, "color": "white"}},
            "hoverinfo": "skip",
        },
        {
            "type": "choroplethmap",
            "geojson": outlines_url or geo,
            "locations": _labels(code[shaded]),
            "featureidkey": "properties.code",
            "z": value[shaded],
            "text": _labels(name[shaded]),
            "colorscale": SEQUENTIAL,
            "zmin": vmin,
            "zmax": vmax,
            "marker": {"opacity": 0.85, "line": {"width": 0.8, "color": "white"}},
            "colorbar": colorbar,
            "hovertemplate": "%{text}<extra></extra>" if fmt is None else "%{text}: %{z" + fmt + "}<extra></extra>",
        },
    ]
    if loose.any():
        data.append(
            {
                "type": "scattermap",
                "lat": _numbers(values["lat"])[loose],
                "lon": _numbers(values["lon"])[loose],
                "mode": "markers",
                "text": _labels(name[loose]),
                "showlegend": False,
                "marker": {"size": 22, "color": value[loose], "colorscale": SEQUENTIAL, "cmin": vmin, "cmax": vmax},
                "hovertemplate": "%{text}<extra></extra>"
                if fmt is None
                else "%{text}: %{marker.color" + fmt + "}<extra></extra>",
            }
        )
    if bubbles is not None and len(bubbles):
        size = bubbles["size"].to_numpy(dtype=float)
        data.append(
            {
                "type": "scattermap",
                "lat": _numbers(bubbles["lat"]),
                "lon": _numbers(bubbles["lon"]),
                "mode": "markers",
                "text": _labels(bubbles["label"]),
                "name": bubble_name,
                "marker": {"size": 4 + 14 * np.sqrt(size / max(size.max(), 1)), "color": "#D55E00", "opacity": 0.55},
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    return _figure(
        data,
        title,
        height=560,
        lang=lang,
        map={"style": "white-bg", "center": INDONESIA_CENTER, "zoom": INDONESIA_ZOOM},
        legend={"yanchor": "bottom", "y": 0.01, "x": 0.01},
    )


def dumbbell(
    frame: pd.DataFrame,
    *,
    x: list[str],
    y: str,
    title: str = "",
    labels: dict | None = None,
    percent: bool = False,
    n: dict | None = None,
    lang: str | None = None,
) -> go.Figure:
    """Before/after per region ``y`` (risers and fallers): two dots, the columns ``x`` = [before, after]
    (named ``labels[column]``, the axis ``labels["value"]``), joined by a line; with ``lang`` each dot's
    hover says its value in that language, with its count from the column ``n[column]``."""
    (before, after), label = x, y
    names = tuple(str((labels or {}).get(column, column)) for column in x)
    x_title = _label(labels, "value")
    labels = _labels(frame[label])
    # All the joining lines in one trace, broken by a gap (None) between regions: one trace, not one per row.
    xs, ys = [], []
    for name, b, a in zip(labels, frame[before].tolist(), frame[after].tolist()):
        xs += [float(b), float(a), None]
        ys += [name, name, None]
    data = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "line": {"color": OTHERS_COLOR, "width": 4},
            "showlegend": False,
            "hoverinfo": "skip",
        }
    ]
    counts = tuple(frame[n[c]].tolist() if n and n.get(c) else [None] * len(frame) for c in (before, after))
    for column, name, color, ns in (
        (before, names[0], OKABE_ITO[4], counts[0]),
        (after, names[1], OKABE_ITO[0], counts[1]),
    ):
        trace = {
            "type": "scatter",
            "x": _numbers(frame[column]),
            "y": labels,
            "mode": "markers",
            "name": name,
            "marker": {"size": 14, "color": color},
        }
        if lang is not None:
            trace["hovertext"] = [
                f"{r} · {name}: {value_text(v, lang, percent, k)}"
                for r, v, k in zip(labels, frame[column].tolist(), ns)
            ]
            trace["hovertemplate"] = "%{hovertext}<extra></extra>"
        data.append(trace)
    return _figure(
        data,
        title,
        height=max(260, 100 + 44 * len(frame)),
        xaxis=_axis(x_title, tickformat=".0%" if percent else None),
        yaxis=_axis(None, autorange="reversed"),
        lang=lang,
    )


def config(file_name: str) -> dict:
    """``st.plotly_chart`` config: PNG download from the toolbar with a readable file name."""
    return {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2}}


# --- present13: change since joining per cohort (issue 13 item 11) ---


def median_bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str = "",
    labels: dict | None = None,
    names: dict | None = None,
    n: str | None = None,
    low: str | None = None,
    high: str | None = None,
    percent: bool = False,
    lang: str | None = None,
) -> go.Figure:
    """One horizontal bar per group (``y``) at its median ``x``, in the frame's order (first at the top), with
    the middle half of the group (``low``–``high``, e.g. quartiles) as a whisker and the median and its count
    ``n`` written beside the bar: "63,4% (n = 118)". One colour: the bars are the same measure, side by side.

    ``labels[x]`` titles the value axis; ``names`` maps a group value to its shown name."""
    lang = lang or "id"
    f = frame.iloc[::-1]  # bars are drawn bottom-up
    shown = [_label_of(names, v) for v in f[y].tolist()]
    counts = f[n].tolist() if n else [None] * len(f)
    said = [value_text(v, lang, percent, k) for v, k in zip(f[x].tolist(), counts)]
    values = _numbers(f[x])
    trace = {
        "type": "bar",
        "x": values,
        "y": shown,
        "orientation": "h",
        "marker": {"color": OKABE_ITO[0]},
        "text": said,
        "textposition": "none",
        "hovertext": [f"{name}: {s}" for name, s in zip(shown, said)],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
    right = np.nan_to_num(values, nan=0.0)
    if low and high:
        trace["error_x"] = {
            "type": "data",
            "symmetric": False,
            "array": _numbers(f[high]) - values,
            "arrayminus": values - _numbers(f[low]),
            "color": "#555555",
            "thickness": 2,
            "width": 8,
        }
        right = np.fmax(right, np.nan_to_num(_numbers(f[high]), nan=0.0))
    # The values written in one column right of every bar and whisker (never across a whisker).
    edge = float(max(0.0, right.max())) if len(right) else 0.0
    said_trace = {
        "type": "scatter",
        "mode": "text",
        "x": [edge] * len(f),
        "y": shown,
        "text": [f"  {s}" for s in said],
        "textposition": "middle right",
        "cliponaxis": False,
        "hoverinfo": "skip",
        "showlegend": False,
        "textfont": {"size": FONT_SIZE},
    }
    longest = max([len(s) + 2 for s in said] or [0])
    return _figure(
        [trace, said_trace],
        title,
        height=max(260, 80 + 48 * len(f)),
        xaxis=_axis(
            (labels or {}).get(x, ""), tickformat=".0%" if percent else None, zeroline=True, zerolinecolor="#888888"
        ),
        yaxis=_axis("", automargin=True),
        margin={"r": 16 + round(0.6 * FONT_SIZE * longest)},
        showlegend=False,
        lang=lang,
    )


def _label_of(names: dict | None, value) -> str:
    import html as _html

    return _html.escape(str((names or {}).get(value, value)), quote=False)
