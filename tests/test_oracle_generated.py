"""The oracle on generated datasets: Hypothesis draws small programs (joins and departures, missing and
late reports, undated and partly undated ones, districts that hold no PLM, libraries attending another
district's PLM, reports and attendance outside active cycles, one-library regions, tied rates) and a view
of them; every figure the page renders is compared with tests/oracle_sql.py.

Examples are few and not shrunk (each page run costs a few tenths of a second); the draw is derandomised so
that a run is repeatable. A failure prints the spec and every differing figure.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import oracle_sql as o
from tests.oracle_sql import View

CYCLES = o.cycle_range("2017-1", "2018-3")
PROVINCES = {"34": "DI Yogyakarta", "35": "Jawa Timur", "64": "Kalimantan Timur"}
DISTRICTS = {
    "34": [("34.01", "Kulon Progo", "kabupaten"), ("34.03", "Gunungkidul", "kabupaten")],
    "35": [("35.07", "Malang", "kabupaten"), ("35.73", "Kota Malang", "kota")],
    "64": [("64.01", "Paser", "kabupaten")],
}
TIERS = ("kabupaten_kota", "desa", "tbm")
COHORTS = ("ekspansi_2016", "ekspansi_2018")
NAMES = (
    "Rumah Baca Ma’rifat",
    "Pustaka Désa Ngéstirahayu",
    "Perpustakaan Desa Kelor",
    "TBM Lentera Negeri",
    "Taman Baca Sekar Jagad",
    "Perpustakaan Desa Gardu Pintar",
    "Pondok Baca Al-Ikhlās",
)
REPORTED = (
    "kunjungan",
    "anggota_aktif",
    "kegiatan",
    "peserta_kegiatan",
    "kemitraan",
    "dokumentasi",
    "keluhan",
    "ulasan",
)
DATE_KINDS = ("on_time", "edge", "late", "none", "empty", "spaces", "late_and_none", "empty_and_on_time")
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=list(HealthCheck),
)


@st.composite
def programs(draw) -> dict:
    provinces = draw(st.lists(st.sampled_from(sorted(PROVINCES)), min_size=1, max_size=3, unique=True))
    districts = [(code, p, name, kind) for p in provinces for code, name, kind in DISTRICTS[p]]
    n = draw(st.integers(3, 14))
    libraries = []
    for i in range(1, n + 1):
        district = draw(st.sampled_from(districts))[0]
        joined = draw(st.integers(0, len(CYCLES) - 1))
        left = draw(st.one_of(st.none(), st.integers(joined, len(CYCLES) - 1)))
        libraries.append(
            (
                i,
                f"{NAMES[i % len(NAMES)]} {i}",
                draw(st.sampled_from(TIERS)),
                district,
                draw(st.sampled_from(COHORTS)),
                CYCLES[joined],
                CYCLES[left] if left is not None else None,
            )
        )
    meetings = []
    for cycle in CYCLES:  # district PLMs often, provincial ones sometimes, a national one rarely
        for code, *_ in districts:
            if draw(st.booleans()) or draw(st.booleans()):
                meetings.append((len(meetings) + 1, cycle, "kabupaten", code))
        for p in provinces:
            if draw(st.integers(0, 3)) == 0:
                meetings.append((len(meetings) + 1, cycle, "provinsi", p))
        if draw(st.integers(0, 5)) == 0:
            meetings.append((len(meetings) + 1, cycle, "nasional", ""))
    attendance, reports = [], []
    district_of = {lib[0]: lib[3] for lib in libraries}
    for lib, *_ in libraries:
        for cycle in CYCLES:  # also outside active cycles: the rules ignore those
            held = [m for m in meetings if m[1] == cycle]
            own = [m for m in held if m[3] in (district_of[lib], district_of[lib][:2], "")]
            choice = draw(st.integers(0, 4))
            chosen = own[:1] if choice in (1, 2) else own if choice == 3 else held[-1:] if choice == 4 else []
            attendance += [(m[0], lib, draw(st.integers(1, 3)), 0) for m in chosen]
            if draw(st.integers(0, 4)) == 0:
                continue  # not reported
            kind = draw(st.sampled_from(DATE_KINDS))
            codes = draw(st.lists(st.sampled_from(REPORTED), min_size=1, max_size=4, unique=True))
            for k, code in enumerate(codes):
                reports.append((lib, cycle, code, float(draw(st.integers(0, 30))), _date(cycle, kind, k)))
    visits = [
        (draw(st.sampled_from(libraries))[0], o.cycle_dates(draw(st.sampled_from(CYCLES)))[1])
        for _ in range(draw(st.integers(1, 3)))
    ]  # none at all: tests/test_oracle.py
    return {
        "provinces": [(p, PROVINCES[p]) for p in provinces],
        "districts": districts,
        "cycles": (CYCLES[0], CYCLES[-1]),
        "libraries": libraries,
        "meetings": meetings,
        "attendance": attendance,
        "reports": reports,
        "visits": visits,
    }


def _date(cycle: str, kind: str, k: int) -> str | None:
    days = {"on_time": 3, "edge": 14, "late": 15}
    if kind in days:
        return o.due_plus(cycle, days[kind])
    if kind == "none":
        return None
    if kind == "empty":
        return ""
    if kind == "spaces":
        return "   "
    if kind == "late_and_none":
        return o.due_plus(cycle, 20) if k == 0 else None
    return "" if k == 0 else o.due_plus(cycle, 1)  # empty_and_on_time


@st.composite
def views(draw, spec: dict) -> View:
    where = draw(st.integers(0, 2))
    district = draw(st.sampled_from(spec["districts"])) if where else None
    first = draw(st.integers(0, len(CYCLES) - 1))
    last = draw(st.integers(first, len(CYCLES) - 1))
    return View(
        province=district[1] if district else None,
        district=district[0] if where == 2 else None,
        tier=draw(st.one_of(st.none(), st.sampled_from(TIERS))) if draw(st.integers(0, 3)) == 0 else None,
        cohort=draw(st.sampled_from(COHORTS)) if draw(st.integers(0, 3)) == 0 else None,
        first=CYCLES[first] if first else None,
        last=CYCLES[last] if last < len(CYCLES) - 1 else None,
        indicator=draw(st.sampled_from(["kunjungan", "kegiatan", "keluhan"])),
    )


def _run(spec: dict, check) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.db"
        o.build(path, spec)
        o.clear_caches()
        try:
            mismatches = check(o.Oracle(path), path)
        finally:
            o.clear_caches()
    assert not mismatches, f"{len(mismatches)} figure(s) differ from the oracle:\n{mismatches.report()}\nspec={spec}"


@EXAMPLES
@given(data=st.data(), spec=programs())
def test_overview(data, spec):
    view = data.draw(views(spec))
    _run(spec, lambda orc, path: o.check_overview(orc, path, view))


@EXAMPLES
@given(data=st.data(), spec=programs())
def test_participation(data, spec):
    view = data.draw(views(spec))
    _run(spec, lambda orc, path: o.check_participation(orc, path, view))


@EXAMPLES
@given(data=st.data(), spec=programs())
def test_data_quality(data, spec):
    view = data.draw(views(spec))
    _run(spec, lambda orc, path: o.check_quality(orc, path, view))


@EXAMPLES
@given(data=st.data(), spec=programs())
def test_impact(data, spec):
    view = data.draw(views(spec))
    _run(spec, lambda orc, path: o.check_impact(orc, path, view))


@EXAMPLES
@given(data=st.data(), spec=programs())
def test_compare(data, spec):
    view = data.draw(views(spec)).with_(province=None, district=None)
    kind = data.draw(st.sampled_from(["p", "d", "l"]))
    pool = (
        [p for p, _ in spec["provinces"]]
        if kind == "p"
        else [d[0] for d in spec["districts"]]
        if kind == "d"
        else [str(lib[0]) for lib in spec["libraries"]]
    )
    items = (
        [f"{kind}:{c}" for c in data.draw(st.lists(st.sampled_from(pool), min_size=2, max_size=3, unique=True))]
        if len(pool) >= 2
        else ["l:1", "l:2"]
    )
    _run(spec, lambda orc, path: o.check_compare(orc, path, view, items))


@EXAMPLES
@given(data=st.data(), spec=programs())
def test_library(data, spec):
    library = data.draw(st.sampled_from(spec["libraries"]))[0]
    _run(spec, lambda orc, path: o.check_library(orc, path, library))


@EXAMPLES
@given(data=st.data(), spec=programs())
def test_meeting_deck(data, spec):
    view = data.draw(views(spec))
    _run(spec, lambda orc, path: o.check_deck(orc, path, view))
