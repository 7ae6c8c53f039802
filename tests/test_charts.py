"""Charts are plain Plotly specs built without Plotly's validation (for speed): here every chart function's
output is validated against Plotly's schema, and what it draws is checked against the input."""

import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from analytics import charts

CYCLES = ["2017-3", "2018-1", "2018-2", "2018-3"]


def validated(fig: go.Figure) -> dict:
    """The figure through Plotly's full validation (raises on an unknown property or a bad value), as JSON."""
    return json.loads(pio.to_json(go.Figure(fig.to_dict()), validate=True, engine="json"))


def decoded(values) -> list:
    """A JSON array, or Plotly's base64 typed array, as a plain list."""
    if isinstance(values, dict):
        import base64

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def test_trend_draws_one_line_per_group_in_order_with_the_input_values():
    frame = pd.DataFrame(
        {
            "cycle": CYCLES * 2,
            "value": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
            "measure": ["participation"] * 4 + ["reporting"] * 4,
        }
    )
    fig = charts.trend(
        frame,
        x="cycle",
        y="value",
        group="measure",
        title="Judul",
        labels={"value": "Persen"},
        percent=True,
        names={"participation": "Partisipasi", "reporting": "Pelaporan"},
    )
    spec = validated(fig)
    assert [t["name"] for t in spec["data"]] == ["Partisipasi", "Pelaporan"]
    assert [t["x"] for t in spec["data"]] == [CYCLES, CYCLES]
    assert decoded(spec["data"][1]["y"]) == [0.5, 0.6, 0.7, 0.8]
    assert spec["layout"]["yaxis"]["tickformat"] == ".0%"
    assert spec["layout"]["xaxis"]["type"] == "category"
    assert spec["layout"]["title"]["text"] == "Judul"
    assert spec["layout"]["font"]["size"] == charts.FONT_SIZE
    assert fig.to_dict()["layout"]["template"] == {}  # what is sent: no default template with every chart


def test_trend_of_a_wide_frame_draws_one_named_line_per_column():
    frame = pd.DataFrame({"cycle": CYCLES, "library": [1.0, np.nan, 3.0, 4.0], "district_median": [2, 2, 2.5, 3]})
    spec = validated(
        charts.trend(
            frame,
            x="cycle",
            y=["library", "district_median"],
            title="T",
            labels={"library": "Perpustakaan Desa Kelor", "district_median": "Median", "value": "Kunjungan"},
        )
    )
    assert [t["name"] for t in spec["data"]] == ["Perpustakaan Desa Kelor", "Median"]
    assert [t["x"] for t in spec["data"]] == [CYCLES, CYCLES]
    assert decoded(spec["data"][1]["y"]) == [2, 2, 2.5, 3]
    assert np.isnan(decoded(spec["data"][0]["y"])[1])  # a cycle without a report is a gap in the line
    assert all(t["showlegend"] for t in spec["data"])


def test_trend_groups_in_order_of_appearance_and_skips_rows_without_a_group():
    frame = pd.DataFrame(
        {
            "cycle": ["2018-1", "2018-1", "2018-2", "2018-2", "2018-3"],
            "region": pd.Categorical(["51", "34", "51", "34", None]),
            "rate": [0.1, 0.2, 0.3, 0.4, 0.9],
        }
    )
    spec = validated(charts.trend(frame, x="cycle", y="rate", group="region", title="T", names={"34": "DIY"}))
    assert [t["name"] for t in spec["data"]] == ["51", "DIY"]
    assert [decoded(t["y"]) for t in spec["data"]] == [[0.1, 0.3], [0.2, 0.4]]
    assert [t["x"] for t in spec["data"]] == [["2018-1", "2018-2"]] * 2


def test_regions_of_one_chart_never_share_a_colour():
    # The nine provinces with most libraries; with 9 colours for 38 provinces, Jawa Timur (35) and Nusa
    # Tenggara Timur (53) have the same fixed colour, as do Jawa Tengah (33) and Jambi (15).
    big = ["33", "35", "32", "11", "73", "53", "12", "13", "15"]
    assert charts.province_color("35") == charts.province_color("53")
    assert charts.province_color("33") == charts.province_color("15")
    colors = charts.region_colors(big + ["__others__"])
    assert len(set(colors[k] for k in big)) == len(big)
    assert colors["__others__"] == charts.OTHERS_COLOR
    # The first of two provinces keeps its fixed colour (the same on every chart where it is alone in it).
    assert colors["33"] == charts.province_color("33") and colors["35"] == charts.province_color("35")
    assert colors["53"] != charts.province_color("53")
    assert charts.region_colors(["53", "11"]) == {"53": charts.province_color("53"), "11": charts.province_color("11")}
    # Districts: the palette in order, still all different past its eight colours.
    districts = [f"33.{i:02d}" for i in range(1, 13)]
    assert len(set(charts.region_colors(districts).values())) == 12


def test_trend_lines_of_provinces_sharing_a_fixed_colour_are_told_apart():
    frame = pd.DataFrame({"cycle": CYCLES * 2, "value": range(8), "region": ["35"] * 4 + ["53"] * 4})
    spec = validated(charts.trend(frame, x="cycle", y="value", group="region", title="T"))
    assert spec["data"][0]["line"]["color"] != spec["data"][1]["line"]["color"]


def test_a_single_trend_line_has_no_legend_and_no_percent_axis():
    frame = pd.DataFrame({"cycle": CYCLES, "value": [3, 4, 5, 6]})
    spec = validated(charts.trend(frame, x="cycle", y="value", title="T", labels={"value": "Kunjungan"}))
    assert len(spec["data"]) == 1 and spec["data"][0]["showlegend"] is False
    assert "tickformat" not in spec["layout"]["yaxis"]
    assert spec["layout"]["yaxis"]["title"]["text"] == "Kunjungan"


def test_bar_value_labels_are_not_clipped_at_the_right_edge():
    frame = pd.DataFrame({"name": ["Kelor", "Bleberan"], "value": [6150.0, 912.0]})
    labels = ["● 6.150", "● 912"]
    spec = validated(charts.bar(frame, x="value", y="name", title="T", text=labels))
    trace = spec["data"][0]
    assert trace["textposition"] == "outside" and trace["cliponaxis"] is False  # drawn past the plot area
    # ...into a right margin wide enough for the longest label at the chart's type size (~0.6 em a character)
    assert spec["layout"]["margin"]["r"] >= 0.6 * charts.FONT_SIZE * len("● 6.150")
    plain = validated(charts.bar(frame, x="value", y="name", title="T"))
    assert plain["layout"]["margin"]["r"] < spec["layout"]["margin"]["r"] and "cliponaxis" not in plain["data"][0]


def test_bar_puts_the_largest_at_the_top_and_keeps_keys_and_colours_with_their_bars():
    frame = pd.DataFrame({"name": ["Aceh", "Bali", "DIY"], "rate": [0.5, 0.9, 0.2], "region": ["11", "51", "34"]})
    spec = validated(
        charts.bar(
            frame, x="rate", y="name", title="T", key="region", percent=True, colors=["#111111", "#222222", "#333333"]
        )
    )
    bar = spec["data"][0]
    # Plotly draws the first category at the bottom: ascending order puts the largest on top.
    assert bar["y"] == ["DIY", "Aceh", "Bali"]
    assert decoded(bar["x"]) == [0.2, 0.5, 0.9]
    assert bar["customdata"] == ["34", "11", "51"]
    assert bar["marker"]["color"] == ["#333333", "#111111", "#222222"]
    assert spec["layout"]["xaxis"]["tickformat"] == ".0%"
    assert spec["layout"]["height"] == 320  # the minimum for three bars


def test_bar_unsorted_keeps_the_frame_order_first_at_the_top_with_text_outside():
    frame = pd.DataFrame({"group": ["a", "b", "c"], "v": [3.0, 1.0, 2.0]})
    spec = validated(charts.bar(frame, x="v", y="group", title="T", sort=False, text=["3", "1", "2"]))
    assert spec["data"][0]["y"] == ["c", "b", "a"]
    assert spec["data"][0]["text"] == ["2", "1", "3"]
    assert spec["data"][0]["textposition"] == "outside"


def test_heatmap_keeps_blank_cells_and_counts_cells_as_points():
    cells = pd.DataFrame(
        {"name": ["Aceh", "Aceh", "Bali", "Bali"], "cycle": CYCLES[:2] * 2, "rate": [0.1, np.nan, 0.3, 0.4]}
    )
    spec = validated(
        charts.heatmap(cells, x="cycle", y="name", z="rate", title="T", labels={"rate": "Rate"}, percent=True)
    )
    z = np.array(
        decoded(spec["data"][0]["z"]) if isinstance(spec["data"][0]["z"], dict) else spec["data"][0]["z"], dtype=float
    )
    assert np.isnan(z.ravel()[1]) and z.ravel()[2] == 0.3
    assert (spec["data"][0]["zmin"], spec["data"][0]["zmax"]) == (0, 1)
    assert spec["data"][0]["x"] == CYCLES[:2] and spec["data"][0]["y"] == ["Aceh", "Bali"]
    big = pd.DataFrame(
        {"row": np.repeat(np.arange(101), 100), "column": np.tile(np.arange(100), 101), "v": 0.0}
    )  # 10,100 cells though only 100 columns
    with pytest.raises(ValueError, match="10100 points"):
        charts.heatmap(big, x="column", y="row", z="v")


def test_more_points_than_the_limit_is_refused():
    n = charts.MAX_POINTS + 1
    frame = pd.DataFrame({"cycle": [str(i) for i in range(n)], "value": np.zeros(n)})
    with pytest.raises(ValueError, match=f"{n} points"):
        charts.trend(frame, x="cycle", y="value")
    ok = frame.iloc[: charts.MAX_POINTS]
    assert len(charts.trend(ok, x="cycle", y="value").data[0].x) == charts.MAX_POINTS


def test_stacked_bars_use_whole_numbers_for_small_counts():
    frame = pd.DataFrame({"cycle": CYCLES[:2], "f": [1, 2], "m": [3, 0]})
    spec = validated(
        charts.stacked_bars(
            frame, x="cycle", y=["f", "m"], title="T", labels={"f": "Perempuan", "m": "Laki-laki"}, counts=True
        )
    )
    assert spec["layout"]["barmode"] == "stack"
    assert [t["name"] for t in spec["data"]] == ["Perempuan", "Laki-laki"]
    assert spec["layout"]["yaxis"]["dtick"] == 1 and spec["layout"]["yaxis"]["tickformat"] == "d"
    assert decoded(spec["data"][1]["y"]) == [3, 0]


def test_grouped_bars_keep_the_tier_colours():
    frame = pd.DataFrame(
        {"cycle": CYCLES[:2] * 2, "rate": [0.1, 0.2, 0.3, 0.4], "tier": ["desa", "desa", "tbm", "tbm"]}
    )
    spec = validated(charts.grouped_bars(frame, x="cycle", y="rate", group="tier", title="T", names={"desa": "Desa"}))
    assert [t["marker"]["color"] for t in spec["data"]] == [charts.TIER_COLORS["desa"], charts.TIER_COLORS["tbm"]]
    assert [t["name"] for t in spec["data"]] == ["Desa", "tbm"]
    assert spec["layout"]["barmode"] == "group"


def test_small_multiples_lay_out_one_panel_per_region_on_a_shared_scale():
    frame = pd.DataFrame(
        {
            "cycle": CYCLES * 4,
            "value": np.arange(16, dtype=float),
            "region": sum(([r] * 4 for r in ("11", "12", "13", "14")), []),
        }
    )
    spec = validated(
        charts.small_multiples(
            frame, x="cycle", y="value", group="region", title="T", labels={"value": "Y"}, names={"11": "Aceh"}
        )
    )
    layout = spec["layout"]
    assert [t["xaxis"] for t in spec["data"]] == ["x", "x2", "x3", "x4"]
    assert [a["text"] for a in layout["annotations"]] == ["Aceh", "12", "13", "14"]
    # Two rows of three: the fourth panel starts the second row, under the first.
    assert layout["xaxis4"]["domain"] == layout["xaxis"]["domain"]
    assert layout["yaxis4"]["domain"][1] < layout["yaxis"]["domain"][0]
    assert all(layout[f"yaxis{n}"]["range"] == [0, 15 * 1.05] for n in ("", "2", "3", "4"))
    assert layout["yaxis"]["title"]["text"] == "Y" and "text" not in layout["yaxis2"]["title"]
    assert layout["height"] == 2 * 220 + 80


def test_histogram_counts_every_value_once():
    values = pd.Series([0.0, 0.1, 0.1, 0.5, 1.0, np.nan])
    spec = validated(charts.histogram(values.to_frame("v"), x="v", title="T", bins=2))
    assert decoded(spec["data"][0]["y"]) == [3, 2]  # [0, 0.5) and [0.5, 1]; the missing value left out
    assert decoded(spec["data"][0]["x"]) == [0.25, 0.75]


def test_box_by_ships_quartiles_not_points():
    frame = pd.DataFrame({"g": ["a"] * 5, "v": [1.0, 2.0, 3.0, 4.0, 100.0]})
    spec = validated(charts.box_by(frame, y="v", group="g", title="T"))
    box = spec["data"][0]
    assert (box["q1"], box["median"], box["q3"]) == ([2.0], [3.0], [4.0])
    assert box["upperfence"] == [7.0]  # q3 + 1.5 IQR, not the outlier
    assert "y" not in box


def test_scorecard_codes_each_cell_by_status_with_the_ratio_as_text():
    card = pd.DataFrame(
        {
            "region": ["34", "34", "33"],
            "strategy": ["advokasi", "pelaporan", "advokasi"],
            "status": ["green", "red", "yellow"],
            "ratio": [1.2, 0.3, 0.8],
        }
    )
    strategies = {"advokasi": "Advokasi", "pelaporan": "Pelaporan"}
    spec = validated(charts.scorecard(card, title="T", names={"34": "DIY"}, strategies=strategies, status_names={}))
    heat = spec["data"][0]
    assert heat["y"] == ["DIY", "33"] and heat["x"] == ["Advokasi", "Pelaporan"]
    z = heat["z"] if isinstance(heat["z"], list) else np.reshape(decoded(heat["z"]), (2, 2)).tolist()
    assert z == [[3, 1], [2, 0]]
    assert heat["text"] == [["● 120%", "■ 30%"], ["▲ 80%", "–"]]
    # The strategy names stand above the grid, under the title: room at the top, none needed below. On a page
    # they are slanted on a desktop (upright on a phone), and the room is theirs slanted; on a slide, flat.
    xaxis, margin = spec["layout"]["xaxis"], spec["layout"]["margin"]
    assert xaxis["side"] == "top" and xaxis["autotickangles"] == [charts.SLANT, -90] and "tickangle" not in xaxis
    slanted = 60 + math.sin(math.radians(30)) * charts.text_px("Pelaporan") + 20
    assert slanted < margin["t"] <= slanted + 40 and margin["b"] == 10
    flat = validated(charts.scorecard(card, title="T", names={}, strategies=strategies, status_names={}, wrap=True))[
        "layout"
    ]
    assert flat["xaxis"]["tickangle"] == 0 and flat["margin"]["t"] == 120


def test_province_map_shades_outlined_provinces_and_circles_the_others_offline():
    values = pd.DataFrame(
        {
            "code": ["34", "65"],
            "name": ["DIY", "Kalimantan Utara"],
            "value": [0.5, 0.7],
            "lat": [-7.8, 3.0],
            "lon": [110.4, 116.5],
        }
    )
    bubbles = pd.DataFrame({"lat": [-7.9], "lon": [110.6], "size": [29], "label": ["Gunungkidul"]})
    spec = validated(
        charts.province_map(
            values, title="T", percent=True, bubbles=bubbles, bubble_name="Kab", outlines_url=charts.OUTLINES_URL
        )
    )
    base, shaded, circles, bubble = spec["data"]
    outlined = {f["properties"]["code"] for f in charts.province_outlines()["features"]}
    assert "34" in outlined and "65" not in outlined
    assert sorted(base["locations"]) == sorted(outlined)
    assert shaded["locations"] == ["34"] and decoded(shaded["z"]) == [0.5]
    assert decoded(circles["lat"]) == [3.0] and circles["text"] == ["Kalimantan Utara"]
    assert bubble["text"] == ["Gunungkidul"] and bubble["name"] == "Kab"
    assert base["geojson"] == shaded["geojson"] == "/app/static/provinces.geojson"
    assert spec["layout"]["map"]["style"] == "white-bg"  # no tiles from the internet
    embedded = charts.province_map(values, title="T")
    assert embedded.data[0].geojson["type"] == "FeatureCollection"


def test_dumbbell_joins_before_and_after_per_region():
    frame = pd.DataFrame({"name": ["Aceh", "Bali"], "rate_before": [0.2, 0.5], "rate": [0.6, 0.1]})
    spec = validated(
        charts.dumbbell(
            frame, x=["rate_before", "rate"], y="name", labels={"rate_before": "2018-1", "rate": "2018-2"}, percent=True
        )
    )
    lines, before, after = spec["data"]
    # One trace of joining lines, a gap (null) between regions so that Aceh's line does not run on to Bali's.
    assert (lines["x"], lines["y"]) == ([0.2, 0.6, None, 0.5, 0.1, None], ["Aceh", "Aceh", None, "Bali", "Bali", None])
    assert lines["mode"] == "lines" and not lines.get("connectgaps")
    assert before["y"] == after["y"] == ["Aceh", "Bali"]
    assert (before["name"], after["name"]) == ("2018-1", "2018-2")
    assert decoded(after["x"]) == [0.6, 0.1]
    assert spec["layout"]["yaxis"]["autorange"] == "reversed"


@pytest.mark.parametrize(
    "strategies",
    [
        {"a": "Layanan informasi", "b": "Pelibatan masyarakat", "c": "Advokasi", "d": "Pelaporan dan dokumentasi"},
        {"a": "Information services", "b": "Community engagement", "c": "Advocacy", "d": "Reporting and documentation"},
    ],
)
def test_scorecard_keeps_its_title_at_the_top_and_its_names_on_two_lines_on_a_slide(strategies):
    """The impact page's scorecard title floated in the middle of its 272 px top margin, 120 px below the
    heading. The title now sits at the top. On a slide (``wrap``) the strategy names lie flat on two lines, with
    the room of two lines of names above the grid (the page keeps one line: a phone turns them upright)."""
    card = pd.DataFrame(
        {"region": ["34"] * 4, "strategy": list(strategies), "status": ["green"] * 4, "ratio": [1.2] * 4}
    )
    page = validated(charts.scorecard(card, title="Provinsi", names={}, strategies=strategies, status_names={}))
    assert page["data"][0]["x"] == list(strategies.values())
    title = page["layout"]["title"]
    assert title.get("yref") == "container" and title.get("yanchor") == "top" and title.get("y") == 1, title
    slide = validated(
        charts.scorecard(card, title="Provinsi", names={}, strategies=strategies, status_names={}, wrap=True)
    )
    names = slide["data"][0]["x"]
    assert all(len(name.split("<br>")) <= 2 for name in names), names
    assert [name.replace("<br>", " ") for name in names] == list(strategies.values())
    assert slide["layout"]["margin"]["t"] <= 60 + 2 * 22 + 30, slide["layout"]["margin"]
