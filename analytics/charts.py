"""Plotly figures as pure functions: a frame and the labels in, a figure out.

Made for a projector: large type, a colour-blind-safe palette (Okabe–Ito; Paul Tol's muted set for
provinces), the same colour for the same province or tier on every chart, units on the axes, and no chart
with more points than the eye can use (callers fold the tail into "others" first; ``MAX_POINTS`` guards).
Maps use MapLibre traces with a blank style and the shipped GeoJSON: nothing is fetched from the internet.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .config import REFERENCE_DIR

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
STATUS_COLORS = {"green": "#009E73", "yellow": "#F0E442", "red": "#D55E00", "": "#EEEEEE"}
STATUS_SYMBOLS = {"green": "●", "yellow": "▲", "red": "■", "": "–"}  # shape as well as colour
SEQUENTIAL = "Viridis"
DIVERGING = [[0.0, "#D55E00"], [0.5, "#F7F7F7"], [1.0, "#0072B2"]]
INDONESIA_CENTER = {"lat": -2.3, "lon": 118.0}
INDONESIA_ZOOM = 3.85  # Sabang to Merauke across a wide page (MapLibre maps have no fitbounds)
GRID = "#E5E5E5"


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


def _style(fig: go.Figure, title: str, height: int = 480) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": TITLE_SIZE}, "x": 0, "xanchor": "left"},
        font={"size": FONT_SIZE, "family": FONT_FAMILY},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"font": {"size": FONT_SIZE - 1}},
        hoverlabel={"font": {"size": FONT_SIZE}},
        # A few plain settings instead of the "plotly_white" template, which costs ~7 ms per figure to apply.
        template=None, paper_bgcolor="white", plot_bgcolor="white", colorway=list(OKABE_ITO),
    )
    fig.update_xaxes(gridcolor=GRID, linecolor=GRID, zeroline=False, tickfont={"size": FONT_SIZE - 1},
                     title_font={"size": FONT_SIZE}, automargin=True)
    fig.update_yaxes(gridcolor=GRID, linecolor=GRID, zeroline=False, tickfont={"size": FONT_SIZE - 1},
                     title_font={"size": FONT_SIZE}, automargin=True)
    for axis in ("xaxis", "yaxis"):
        if getattr(fig.layout, axis).type == "category":  # many cycles: every few labels, upright
            getattr(fig.layout, axis).update(nticks=12, tickangle=0)
    return fig


def _check_points(fig: go.Figure) -> go.Figure:
    points = 0
    for trace in fig.data:
        for attr in ("x", "y", "z", "lat", "locations"):
            value = getattr(trace, attr, None)
            if value is not None:
                points += int(np.size(np.asarray(value, dtype=object)))
                break
    if points > MAX_POINTS:
        raise ValueError(f"chart has {points} points; fold the data first (limit {MAX_POINTS})")
    return fig


def trend(frame: pd.DataFrame, x: str, y: str, title: str, y_title: str, group: str | None = None,
          names: dict | None = None, percent: bool = False, x_title: str = "") -> go.Figure:
    """Lines over cycles; one line per ``group`` value (coloured by region/tier), or a single line."""
    fig = go.Figure()
    groups = [(None, frame)] if group is None else list(frame.groupby(group, sort=False))
    for i, (key, part) in enumerate(groups):
        color = OKABE_ITO[0] if key is None else (TIER_COLORS.get(key) or region_color(key, i))
        fig.add_trace(go.Scatter(x=part[x], y=part[y], mode="lines+markers", name=(names or {}).get(key, key),
                                 line={"color": color, "width": 3}, marker={"size": 7},
                                 showlegend=group is not None))
    fig.update_yaxes(title=y_title, tickformat=".0%" if percent else None, rangemode="tozero")
    fig.update_xaxes(title=x_title, type="category")
    return _check_points(_style(fig, title))


def bar(frame: pd.DataFrame, label: str, value: str, title: str, x_title: str, key: str | None = None,
        percent: bool = False, colors: list[str] | None = None, text: list[str] | None = None,
        sort: bool = True) -> go.Figure:
    """Horizontal bars, largest at the top (or the frame's order, first at the top, when ``sort`` is False);
    ``key`` goes into customdata so that a click names the region."""
    f = frame.assign(_color=list(colors) if colors else OKABE_ITO[0],
                     _text=list(text) if text else "")
    f = f.sort_values(value, ascending=True) if sort else f.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=f[value], y=f[label], orientation="h", marker={"color": f["_color"].tolist()},
        customdata=f[key] if key else None, text=f["_text"] if text else None,
        textposition="outside" if text else None,
        hovertemplate="%{y}: %{x" + (":.1%" if percent else ":,.0f") + "}<extra></extra>",
    ))
    fig.update_xaxes(title=x_title, tickformat=".0%" if percent else None, rangemode="tozero")
    fig.update_yaxes(title="", automargin=True)
    return _check_points(_style(fig, title, height=max(320, 60 + 34 * len(f))))


def heatmap(matrix: pd.DataFrame, title: str, colorbar_title: str, percent: bool = False,
            x_title: str = "") -> go.Figure:
    """Regions (rows) x cycles (columns); empty cells stay blank."""
    fig = go.Figure(go.Heatmap(
        z=matrix.to_numpy(dtype=float), x=[str(c) for c in matrix.columns], y=[str(i) for i in matrix.index],
        colorscale=SEQUENTIAL, zmin=0 if percent else None, zmax=1 if percent else None,
        colorbar={"title": {"text": colorbar_title}, "tickformat": ".0%" if percent else None},
        hovertemplate="%{y} · %{x}: %{z" + (":.1%" if percent else ":,.1f") + "}<extra></extra>",
        xgap=1, ygap=1,
    ))
    fig.update_xaxes(title=x_title, type="category")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _check_points(_style(fig, title, height=max(360, 120 + 26 * len(matrix))))


def stacked_bars(frame: pd.DataFrame, x: str, series: dict[str, str], title: str, y_title: str,
                 colors: dict[str, str] | None = None, x_title: str = "", counts: bool = False) -> go.Figure:
    """Stacked bars: ``series`` maps column -> legend name; ``counts`` keeps the axis on whole numbers."""
    fig = go.Figure()
    for i, (column, name) in enumerate(series.items()):
        fig.add_trace(go.Bar(x=frame[x], y=frame[column], name=name,
                             marker={"color": (colors or {}).get(column, OKABE_ITO[i % len(OKABE_ITO)])}))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=x_title, type="category")
    fig.update_yaxes(title=y_title, tickformat="d" if counts else None, rangemode="tozero")
    if counts:
        fig.update_yaxes(dtick=1 if frame[list(series)].sum(axis=1).max() <= 10 else None)
    return _check_points(_style(fig, title))


def grouped_bars(frame: pd.DataFrame, x: str, y: str, group: str, title: str, y_title: str,
                 names: dict | None = None, percent: bool = False, x_title: str = "") -> go.Figure:
    """Bars side by side per ``group`` (tiers keep their colours)."""
    fig = go.Figure()
    for i, (key, part) in enumerate(frame.groupby(group, sort=False, observed=True)):
        fig.add_trace(go.Bar(x=part[x], y=part[y], name=(names or {}).get(key, str(key)),
                             marker={"color": TIER_COLORS.get(key) or region_color(key, i)}))
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=x_title, type="category")
    fig.update_yaxes(title=y_title, tickformat=".0%" if percent else None)
    return _check_points(_style(fig, title))


def small_multiples(frame: pd.DataFrame, x: str, y: str, panel: str, title: str, y_title: str,
                    names: dict | None = None, columns: int = 3) -> go.Figure:
    """One small panel per region with a shared y axis, so levels compare at a glance.

    The grid is laid out directly (axis domains and titles) rather than with ``make_subplots``, which
    costs ten times more on every rerun."""
    keys = list(dict.fromkeys(frame[panel]))
    rows = max(1, -(-len(keys) // columns))
    gap_x, gap_y = 0.04, 0.12 if rows > 1 else 0.2
    width, height = (1 - gap_x * (columns - 1)) / columns, (1 - gap_y * (rows - 1)) / rows
    fig = go.Figure()
    layout: dict = {}
    top = frame[y].max() if len(frame) else 1
    for i, key in enumerate(keys):
        r, c = divmod(i, columns)
        n = "" if i == 0 else str(i + 1)
        x0, y1 = c * (width + gap_x), 1 - r * (height + gap_y)
        part = frame[frame[panel] == key]
        fig.add_trace(go.Scatter(x=part[x], y=part[y], mode="lines", showlegend=False, xaxis=f"x{n}", yaxis=f"y{n}",
                                 line={"color": region_color(key, i), "width": 3},
                                 name=str((names or {}).get(key, key))))
        domain_x = [round(max(0.0, x0), 6), round(min(1.0, x0 + width), 6)]  # rounding keeps them in [0, 1]
        domain_y = [round(max(0.0, y1 - height), 6), round(min(1.0, y1), 6)]
        layout[f"xaxis{n}"] = {"domain": domain_x, "anchor": f"y{n}", "type": "category", "nticks": 4}
        layout[f"yaxis{n}"] = {"domain": domain_y, "anchor": f"x{n}", "range": [0, top * 1.05],
                               "title": y_title if c == 0 else None, "showticklabels": c == 0}
        fig.add_annotation(text=str((names or {}).get(key, key)), x=x0 + width / 2, y=y1, xref="paper",
                           yref="paper", yanchor="bottom", showarrow=False, font={"size": FONT_SIZE})
    fig.update_layout(**layout)
    return _check_points(_style(fig, title, height=220 * rows + 80))


def histogram(values: pd.Series, title: str, x_title: str, y_title: str, bins: int = 30,
              percent: bool = False) -> go.Figure:
    """The distribution across libraries (binned: one bar per bin, however many libraries)."""
    v = values.dropna().to_numpy(dtype=float)
    counts, edges = np.histogram(v, bins=bins) if len(v) else (np.array([]), np.array([0.0]))
    centers = (edges[:-1] + edges[1:]) / 2
    fig = go.Figure(go.Bar(x=centers, y=counts, width=np.diff(edges) * 0.95, marker={"color": OKABE_ITO[0]},
                           hovertemplate="%{x" + (":.0%" if percent else ":,.0f") + "}: %{y}<extra></extra>"))
    fig.update_xaxes(title=x_title, tickformat=".0%" if percent else None)
    fig.update_yaxes(title=y_title)
    return _check_points(_style(fig, title))


def box_by(frame: pd.DataFrame, group: str, value: str, title: str, y_title: str,
           names: dict | None = None) -> go.Figure:
    """Distribution per group as box plots built from quartiles (never ships the raw points)."""
    fig = go.Figure()
    for i, (key, part) in enumerate(frame.groupby(group, sort=False, observed=True)):
        q = part[value].quantile([0.0, 0.25, 0.5, 0.75, 1.0]).to_numpy()
        iqr = q[3] - q[1]
        lo, hi = max(q[0], q[1] - 1.5 * iqr), min(q[4], q[3] + 1.5 * iqr)
        fig.add_trace(go.Box(name=(names or {}).get(key, str(key)), q1=[q[1]], median=[q[2]], q3=[q[3]],
                             lowerfence=[lo], upperfence=[hi], marker={"color": region_color(key, i)},
                             boxpoints=False))
    fig.update_yaxes(title=y_title)
    fig.update_layout(showlegend=False)
    return _check_points(_style(fig, title))


def scorecard(frame: pd.DataFrame, regions: dict, strategies: dict, title: str, status_names: dict) -> go.Figure:
    """Regions x strategies as a traffic light: colour and shape, with the ratio to target as text."""
    rows = list(dict.fromkeys(frame["region"]))
    cols = list(strategies)
    code = {"": 0, "red": 1, "yellow": 2, "green": 3}
    z = np.full((len(rows), len(cols)), 0.0)
    text = np.full((len(rows), len(cols)), "–", dtype=object)
    for r in frame.itertuples():
        i, j = rows.index(r.region), cols.index(r.strategy)
        z[i, j] = code[r.status]
        text[i, j] = f"{STATUS_SYMBOLS[r.status]} {r.ratio:.0%}"
    scale = [[0.0, STATUS_COLORS[""]], [0.25, STATUS_COLORS[""]], [0.25, STATUS_COLORS["red"]],
             [0.5, STATUS_COLORS["red"]], [0.5, STATUS_COLORS["yellow"]], [0.75, STATUS_COLORS["yellow"]],
             [0.75, STATUS_COLORS["green"]], [1.0, STATUS_COLORS["green"]]]
    fig = go.Figure(go.Heatmap(z=z, x=[strategies[c] for c in cols], y=[regions.get(r, r) for r in rows],
                               text=text, texttemplate="%{text}", textfont={"size": FONT_SIZE},
                               colorscale=scale, zmin=-0.5, zmax=3.5, showscale=False, xgap=3, ygap=3,
                               hovertemplate="%{y} · %{x}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="top")
    fig = _style(fig, title, height=max(300, 150 + 40 * len(rows)))
    fig.update_layout(margin={"t": 120})  # room for the strategy names above the grid, under the title
    return _check_points(fig)


OUTLINES_URL = "/app/static/provinces.geojson"  # the same file, served by the app (.streamlit/config.toml)


@lru_cache(maxsize=1)
def province_outlines() -> dict:
    with open(REFERENCE_DIR / "provinces.geojson", encoding="utf-8") as f:
        return json.load(f)


def province_map(values: pd.DataFrame, title: str, colorbar_title: str, percent: bool = False,
                 bubbles: pd.DataFrame | None = None, bubble_name: str = "", outlines_url: str | None = None
                 ) -> go.Figure:
    """Indonesia's provinces shaded by ``values`` (code, name, value); districts as bubbles (lat, lon, size,
    label). Provinces without an outline in the shipped data (Kalimantan Utara, the 2022 Papua provinces) are
    drawn as circles at their centre (``lat``, ``lon`` in ``values``) on the same colour scale.

    With ``outlines_url`` the browser fetches the outlines from the app (served once, cached) instead of
    receiving them inside the figure; without it they are embedded (self-contained files)."""
    geo = province_outlines()
    outlined = {f["properties"]["code"] for f in geo["features"]}
    shaded = values[values["code"].isin(outlined)]
    loose = values[~values["code"].isin(outlined)]
    fmt = ":.1%" if percent else ":,.1f"
    vmin, vmax = (0.0, 1.0) if percent else (float(values["value"].min()), float(values["value"].max()))
    everything = [f["properties"]["code"] for f in geo["features"]]
    fig = go.Figure(go.Choroplethmap(  # every province in light grey underneath: the shape of Indonesia
        geojson=outlines_url or geo, locations=everything, featureidkey="properties.code",
        z=[0] * len(everything), colorscale=[[0, "#E8E8E8"], [1, "#E8E8E8"]], showscale=False,
        marker={"line": {"width": 0.8, "color": "white"}}, hoverinfo="skip"))
    fig.add_trace(go.Choroplethmap(
        geojson=outlines_url or geo, locations=shaded["code"], featureidkey="properties.code", z=shaded["value"],
        text=shaded["name"], colorscale=SEQUENTIAL, zmin=vmin, zmax=vmax,
        marker={"opacity": 0.85, "line": {"width": 0.8, "color": "white"}},
        colorbar={"title": {"text": colorbar_title}, "tickformat": ".0%" if percent else None},
        hovertemplate="%{text}: %{z" + fmt + "}<extra></extra>",
    ))
    if len(loose):
        fig.add_trace(go.Scattermap(
            lat=loose["lat"], lon=loose["lon"], mode="markers", text=loose["name"], showlegend=False,
            marker={"size": 22, "color": loose["value"], "colorscale": SEQUENTIAL, "cmin": vmin, "cmax": vmax},
            hovertemplate="%{text}: %{marker.color" + fmt + "}<extra></extra>"))
    if bubbles is not None and len(bubbles):
        size = bubbles["size"].to_numpy(dtype=float)
        fig.add_trace(go.Scattermap(
            lat=bubbles["lat"], lon=bubbles["lon"], mode="markers", text=bubbles["label"], name=bubble_name,
            marker={"size": 4 + 14 * np.sqrt(size / max(size.max(), 1)), "color": "#D55E00", "opacity": 0.55},
            hovertemplate="%{text}<extra></extra>"))
    fig.update_layout(map={"style": "white-bg", "center": INDONESIA_CENTER, "zoom": INDONESIA_ZOOM},
                      legend={"yanchor": "bottom", "y": 0.01, "x": 0.01})
    return _check_points(_style(fig, title, height=520))


def dumbbell(frame: pd.DataFrame, label: str, before: str, after: str, title: str, x_title: str,
             names: tuple[str, str], percent: bool = False) -> go.Figure:
    """Before/after per region (risers and fallers): two dots joined by a line."""
    fig = go.Figure()
    for row in frame.itertuples():
        fig.add_trace(go.Scatter(x=[getattr(row, before), getattr(row, after)], y=[getattr(row, label)] * 2,
                                 mode="lines", line={"color": OTHERS_COLOR, "width": 4}, showlegend=False,
                                 hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=frame[before], y=frame[label], mode="markers", name=names[0],
                             marker={"size": 14, "color": OKABE_ITO[4]}))
    fig.add_trace(go.Scatter(x=frame[after], y=frame[label], mode="markers", name=names[1],
                             marker={"size": 14, "color": OKABE_ITO[0]}))
    fig.update_xaxes(title=x_title, tickformat=".0%" if percent else None)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _check_points(_style(fig, title, height=max(260, 100 + 44 * len(frame))))


def config(file_name: str) -> dict:
    """``st.plotly_chart`` config: PNG download from the toolbar with a readable file name."""
    return {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2}}
