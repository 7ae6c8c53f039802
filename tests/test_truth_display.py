"""Issue 12, how the charts show the numbers: cycle axes in time order with gaps as gaps (cause 7), scorecard
cells whose printed value agrees with their colour (8), every rate with its n and small regions marked (9),
and cycles without any PLM shown as such (6).

Checked on the figure JSON (what the browser receives); the expected values are written out by hand."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from analytics import charts

RANGE = ["2017-1", "2017-2", "2017-3", "2018-1", "2018-2", "2018-3"]


def spec_of(fig: go.Figure) -> dict:
    """The figure through Plotly's full validation, as the JSON the browser receives."""
    return json.loads(pio.to_json(go.Figure(fig.to_dict()), validate=True, engine="json"))


def values(array) -> list:
    """A JSON array or Plotly's base64 typed array as a list, NaN and null both as None."""
    if isinstance(array, dict):
        import base64

        array = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in array]


def grid(array) -> list[list]:
    """A 2-D JSON array, or Plotly's base64 typed array with its shape, as rows of values."""
    if isinstance(array, dict):
        rows, cols = (int(x) for x in str(array["shape"]).split(","))
        flat = values(array)
        return [flat[i * cols : (i + 1) * cols] for i in range(rows)]
    return [values(row) for row in array]


def category_order(axis: dict) -> list:
    """The categories of an axis in the order it draws them: set explicitly, never left to the data."""
    assert axis.get("type") == "category"
    assert axis.get("categoryorder") == "array", axis
    return list(axis["categoryarray"])


# --- 7: cycle axes in time order, gaps as gaps ---


def test_trend_lines_follow_time_order_whatever_the_input_order_and_keep_holes_as_gaps():
    # A library profile as the data came: 2017-3, 2018-1, 2018-3, then 2017-1; no value in 2017-2 or 2018-2.
    frame = pd.DataFrame(
        {
            "seq": [3, 4, 6, 1],
            "cycle": ["2017-3", "2018-1", "2018-3", "2017-1"],
            "library": [30.0, 40.0, 60.0, 10.0],
            "district_median": [3.0, 4.0, 6.0, 1.0],
        }
    )
    spec = spec_of(charts.trend(frame, x="cycle", y=["library", "district_median"], title="T", cycles=RANGE))
    assert category_order(spec["layout"]["xaxis"]) == RANGE
    for trace, expected in zip(spec["data"], ([10.0, None, 30.0, 40.0, None, 60.0], [1.0, None, 3.0, 4.0, None, 6.0])):
        assert trace["x"] == RANGE  # every cycle of the range keeps its slot...
        assert values(trace["y"]) == expected  # ...and a cycle without a value is a break in the line
        assert not trace.get("connectgaps")


def test_trend_groups_are_drawn_left_to_right_in_cycle_order():
    # Impact lines: one region's rows out of order, the other's with a hole; no `cycles` given: the order comes
    # from the cycle ordinal (seq), never from the order of first appearance.
    frame = pd.DataFrame(
        {
            "region": ["34", "34", "34", "51", "51"],
            "seq": [6, 1, 3, 3, 1],
            "cycle": ["2018-3", "2017-1", "2017-3", "2017-3", "2017-1"],
            "value": [6.0, 1.0, 3.0, 30.0, 10.0],
        }
    )
    spec = spec_of(charts.trend(frame, x="cycle", y="value", group="region", title="T"))
    assert category_order(spec["layout"]["xaxis"]) == ["2017-1", "2017-3", "2018-3"]
    by_name = {t["name"]: (t["x"], values(t["y"])) for t in spec["data"]}
    assert by_name["34"] == (["2017-1", "2017-3", "2018-3"], [1.0, 3.0, 6.0])
    assert by_name["51"] == (["2017-1", "2017-3", "2018-3"], [10.0, 30.0, None])


def test_heatmap_columns_are_the_range_in_time_order_with_empty_columns_kept():
    # The district-level chart that lost its 2017-2 column: no row has a value there.
    cells = pd.DataFrame(
        {"name": ["Aceh", "Aceh", "Bali", "Bali"], "cycle": ["2017-3", "2017-1"] * 2, "rate": [0.3, 0.1, 0.4, np.nan]}
    )
    spec = spec_of(
        charts.heatmap(
            cells, x="cycle", y="name", z="rate", title="T", percent=True, cycles=["2017-1", "2017-2", "2017-3"]
        )
    )
    heat = spec["data"][0]
    assert heat["x"] == ["2017-1", "2017-2", "2017-3"]
    assert category_order(spec["layout"]["xaxis"]) == ["2017-1", "2017-2", "2017-3"]
    assert grid(heat["z"]) == [[0.1, None, 0.3], [None, None, 0.4]]


def test_bars_by_cycle_list_every_cycle_of_the_range_in_order():
    frame = pd.DataFrame({"cycle": ["2018-1", "2017-1"], "seq": [4, 1], "meetings": [2, 1]})
    spec = spec_of(charts.stacked_bars(frame, x="cycle", y=["meetings"], title="T", counts=True, cycles=RANGE))
    assert category_order(spec["layout"]["xaxis"]) == RANGE
    assert spec["data"][0]["x"] == RANGE
    assert values(spec["data"][0]["y"]) == [1, None, None, 2, None, None]
    grouped = spec_of(
        charts.grouped_bars(frame.assign(tier="desa"), x="cycle", y="meetings", group="tier", title="T", cycles=RANGE)
    )
    assert category_order(grouped["layout"]["xaxis"]) == RANGE


def test_small_multiples_panels_share_the_ordered_cycle_axis():
    frame = pd.DataFrame(
        {
            "region": ["11", "11", "12"],
            "seq": [3, 1, 2],
            "cycle": ["2017-3", "2017-1", "2017-2"],
            "value": [3.0, 1.0, 2.0],
        }
    )
    spec = spec_of(
        charts.small_multiples(
            frame, x="cycle", y="value", group="region", title="T", cycles=["2017-1", "2017-2", "2017-3"]
        )
    )
    for axis in ("xaxis", "xaxis2"):
        assert category_order(spec["layout"][axis]) == ["2017-1", "2017-2", "2017-3"]
    assert values(spec["data"][0]["y"]) == [1.0, None, 3.0]
    assert values(spec["data"][1]["y"]) == [None, 2.0, None]


# --- 8: the scorecard's printed value and its colour tell the same story ---


@pytest.mark.parametrize(
    "ratio,status,shown",
    [
        (0.746, "red", "■ 74%"),  # was "75 %" in a red cell next to yellow 75 % cells
        (0.7499999, "red", "■ 74%"),
        (0.75, "yellow", "▲ 75%"),
        (0.999, "yellow", "▲ 99%"),  # never "100 %" in a yellow cell
        (1.0, "green", "● 100%"),
        (0.29, "red", "■ 29%"),  # 0.29 * 100 is 28.999…: floored as written, not as stored
        (1.5, "green", "● 150%"),
    ],
)
def test_scorecard_cell_prints_a_value_on_the_side_of_its_threshold(ratio, status, shown):
    card = pd.DataFrame(
        {
            "region": ["34"],
            "strategy": ["advokasi"],
            "ratio": [ratio],
            "status": [status],
            "indicators": [1],
            "indicators_total": [3],
        }
    )
    spec = spec_of(
        charts.scorecard(
            card,
            title="T",
            names={"34": "DIY"},
            strategies={"advokasi": "Advokasi"},
            status_names={"red": "Merah", "yellow": "Kuning", "green": "Hijau"},
            lang="id",
        )
    )
    cell = spec["data"][0]["text"][0][0]
    assert cell == f"{shown}<br>1 dari 3"


def test_scorecard_says_on_how_many_indicators_a_cell_rests_in_the_language():
    card = pd.DataFrame(
        {
            "region": ["34", "34"],
            "strategy": ["advokasi", "pelaporan"],
            "ratio": [0.5, 1.2],
            "status": ["red", "green"],
            "indicators": [1, 3],
            "indicators_total": [3, 3],
        }
    )
    strategies = {"advokasi": "Advocacy", "pelaporan": "Reporting"}
    spec = spec_of(
        charts.scorecard(
            card,
            title="T",
            names={"34": "DIY"},
            strategies=strategies,
            status_names={"red": "Red", "yellow": "Yellow", "green": "Green"},
            lang="en",
        )
    )
    heat = spec["data"][0]
    assert heat["text"] == [["■ 50%<br>1 of 3", "● 120%<br>3 of 3"]]
    # The hover names the status in words (colour never alone) and the indicators counted.
    assert heat["customdata"][0][0].startswith("Red")


# --- 9: every rate with its n; small regions marked ---


def test_bar_of_rates_shows_n_in_text_and_hover_and_marks_small_regions():
    frame = pd.DataFrame(
        {
            "name": ["Aceh", "Bali"],
            "rate": [0.791, 1.0],
            "region": ["11", "51"],
            "denominator": [43, 1],
            "small": [False, True],
        }
    )
    spec = spec_of(
        charts.bar(
            frame, x="rate", y="name", title="T", key="region", percent=True, n="denominator", marked="small", lang="id"
        )
    )
    bar = spec["data"][0]
    assert bar["y"] == ["Aceh", "Bali †"]  # sorted by rate: Bali (100 %, one library) on top, marked
    assert bar["text"] == ["79,1% (n = 43)", "100,0% (n = 1)"]
    assert bar["hovertext"] == ["Aceh: 79,1% (n = 43)", "Bali †: 100,0% (n = 1)"]
    assert bar["marker"]["pattern"]["shape"] == ["", "/"]  # hatched, not only a paler colour
    assert bar["customdata"] == ["11", "51"]


def test_heatmap_hover_carries_each_cells_n_and_names_cycles_without_plm():
    cells = pd.DataFrame(
        {
            "name": ["Aceh", "Aceh"],
            "cycle": ["2018-1", "2018-2"],
            "rate": [0.5, np.nan],
            "n": [4, 0],
            "no_plm": [False, True],
        }
    )
    spec = spec_of(
        charts.heatmap(
            cells,
            x="cycle",
            y="name",
            z="rate",
            title="T",
            percent=True,
            n="n",
            note="no_plm",
            note_text="tidak ada PLM",
            lang="id",
        )
    )
    heat = spec["data"][0]
    assert heat["y"] == ["Aceh"]
    assert heat["hovertext"] == [["Aceh · 2018-1: 50,0% (n = 4)", "Aceh · 2018-2: tidak ada PLM"]]


def test_province_map_tooltip_carries_n():
    frame = pd.DataFrame(
        {
            "code": ["34", "65"],
            "name": ["DIY", "Kalimantan Utara"],
            "value": [0.5, 1.0],
            "lat": [-7.8, 3.0],
            "lon": [110.4, 116.5],
            "n": [40, 1],
            "small": [False, True],
        }
    )
    spec = spec_of(charts.province_map(frame, title="T", percent=True, lang="en", n="n", marked="small"))
    shaded, circles = spec["data"][1], spec["data"][2]
    assert shaded["text"] == ["DIY: 50.0% (n = 40)"]
    assert circles["text"] == ["Kalimantan Utara †: 100.0% (n = 1)"]


def test_trend_marks_cycles_without_plm_at_their_gap():
    frame = pd.DataFrame(
        {
            "seq": [1, 2, 3],
            "cycle": ["2017-1", "2017-2", "2017-3"],
            "rate": [0.5, np.nan, 0.7],
            "denominator": [4, 0, 5],
        }
    )
    spec = spec_of(
        charts.trend(
            frame,
            x="cycle",
            y="rate",
            title="T",
            percent=True,
            n="denominator",
            lang="id",
            gaps={"2017-2": "tidak ada PLM"},
        )
    )
    assert values(spec["data"][0]["y"]) == [0.5, None, 0.7]
    assert spec["data"][0]["hovertext"] == ["2017-1: 50,0% (n = 4)", "2017-2: tidak ada PLM", "2017-3: 70,0% (n = 5)"]
    notes = [a for a in spec["layout"].get("annotations", []) if a.get("text") == "tidak ada PLM"]
    assert [a["x"] for a in notes] == ["2017-2"]


def test_scorecard_without_a_language_still_floors_and_counts_plainly():
    card = pd.DataFrame(
        {
            "region": ["34", "33"],
            "strategy": ["advokasi", "advokasi"],
            "ratio": [0.746, 0.999],
            "status": ["red", "yellow"],
            "indicators": [1, 2],
            "indicators_total": [3, 3],
        }
    )
    heat = spec_of(charts.scorecard(card, title="T", names={}, strategies={"advokasi": "Advokasi"}, status_names={}))[
        "data"
    ][0]
    assert heat["text"] == [["■ 74%<br>1/3"], ["▲ 99%<br>2/3"]]


def test_cell_heatmap_pivots_long_cells_in_their_order_with_n_notes_and_marks():
    cells = pd.DataFrame(
        {
            "name": ["Jawa", "Jawa", "Lainnya (3 provinsi)", "Lainnya (3 provinsi)"],
            "cycle": ["2018-1", "2018-2", "2018-1", "2018-2"],
            "rate": [0.5, 0.25, np.nan, 1.0],
            "denominator": [8, 4, 0, 2],
            "no_plm": [False, False, True, False],
            "few": [False, True, True, True],
        }
    )
    spec = spec_of(
        charts.heatmap(
            cells,
            x="cycle",
            y="name",
            z="rate",
            title="T",
            percent=True,
            n="denominator",
            note="no_plm",
            note_text="tidak ada PLM",
            marked="few",
            lang="id",
            cycles=["2018-1", "2018-2", "2018-3"],
        )
    )
    heat, grey = spec["data"]
    assert heat["y"] == ["Jawa", "Lainnya (3 provinsi)"]  # the frame's order, not sorted by name
    assert heat["x"] == ["2018-1", "2018-2", "2018-3"]
    assert grid(heat["z"]) == [[0.5, 0.25, None], [None, 1.0, None]]
    # A † in each cell resting on fewer than MIN_LIBRARIES libraries (not in an empty one).
    assert heat["text"] == [["", "†", ""], ["", "†", ""]] and heat["texttemplate"] == "%{text}"
    assert heat["hovertext"][1] == [
        "Lainnya (3 provinsi) · 2018-1: tidak ada PLM",
        "Lainnya (3 provinsi) · 2018-2: 100,0% (n = 2)",
        "Lainnya (3 provinsi) · 2018-3: –",
    ]
    assert grid(grey["z"]) == [[None, None, None], [1.0, None, None]] and grey["hoverinfo"] == "skip"


def test_trend_draws_points_resting_on_few_libraries_hollow():
    frame = pd.DataFrame(
        {
            "region": ["34", "34", "51"],
            "seq": [2, 1, 1],
            "cycle": ["2017-2", "2017-1", "2017-1"],
            "value": [5.0, 4.0, 9.0],
            "few": [True, False, False],
        }
    )
    spec = spec_of(charts.trend(frame, x="cycle", y="value", group="region", title="T", marked="few"))
    assert [t["marker"]["symbol"] for t in spec["data"]] == [["circle", "circle-open"], ["circle", "circle"]]


def test_scorecard_cell_without_a_rated_indicator_says_zero_of_total():
    card = pd.DataFrame(
        {
            "region": ["35"],
            "strategy": ["pelaporan"],
            "ratio": [np.nan],
            "status": [""],
            "indicators": [0],
            "indicators_total": [2],
        }
    )
    heat = spec_of(
        charts.scorecard(card, title="T", names={}, strategies={"pelaporan": "Pelaporan"}, status_names={}, lang="id")
    )["data"][0]
    assert heat["text"] == [["–<br>0 dari 2"]] and heat["customdata"] == [["–"]]


def test_dumbbell_hover_says_each_rate_in_the_language():
    frame = pd.DataFrame(
        {"name": ["Aceh"], "rate_before": [0.2], "rate": [0.625], "denominator_before": [5], "denominator": [8]}
    )
    spec = spec_of(
        charts.dumbbell(
            frame,
            x=["rate_before", "rate"],
            y="name",
            labels={"rate_before": "2018-1", "rate": "2018-2"},
            percent=True,
            lang="id",
            n={"rate_before": "denominator_before", "rate": "denominator"},
        )
    )
    assert [t["hovertext"] for t in spec["data"][1:]] == [
        ["Aceh · 2018-1: 20,0% (n = 5)"],
        ["Aceh · 2018-2: 62,5% (n = 8)"],
    ]
