"""The oracle on a hand-written fixture of tricky cases: every figure the pages show (metrics, tables, chart
data, CSV downloads) against tests/oracle_sql.py, a second computation written as SQL from docs/metrics.md
and issue 12.

The fixture (cycles 2017-1 … 2018-3, called c1 … c6 below):
- Gunungkidul (34.03): a library that left in 2017-3 (c3) and still reports and attends afterwards; one
  that joined in 2018-1 with a report before joining; late, undated and partly undated reports.
- Kulon Progo (34.01): held no PLM in 2018-2 (c5); one of its libraries attended another district's PLM
  that cycle; one left in 2018-2, its last active cycle being that no-PLM cycle.
- Kota Yogyakarta (34.71): one provincial library, which only has provincial and national PLMs.
- Malang (35.07) and Kota Malang (35.73): five libraries each, whose participation rises by the same 20
  points into 2018-3 (a tie, ordered by region code).
- Paser (64.01): the only library of its province (a tiny region), joined 2018-1, a baseline of 0.
- Names with Indonesian characters (Ma’rifat, Désa, Ngéstirahayu).
"""

from __future__ import annotations

import pytest

from tests import oracle_sql as o
from tests.oracle_sql import View

CYCLES = o.cycle_range("2017-1", "2018-3")
C = {i + 1: c for i, c in enumerate(CYCLES)}  # c1 … c6

PROVINCES = [("34", "DI Yogyakarta"), ("35", "Jawa Timur"), ("64", "Kalimantan Timur")]
DISTRICTS = [
    ("34.01", "34", "Kulon Progo", "kabupaten"),
    ("34.03", "34", "Gunungkidul", "kabupaten"),
    ("34.71", "34", "Kota Yogyakarta", "kota"),
    ("35.07", "35", "Malang", "kabupaten"),
    ("35.73", "35", "Kota Malang", "kota"),
    ("64.01", "64", "Paser", "kabupaten"),
]

# id, name, tier, district, cohort, joined, left
LIBRARIES = [
    (
        1,
        "Dinas Perpustakaan dan Kearsipan Kabupaten Gunungkidul",
        "kabupaten_kota",
        "34.03",
        "ekspansi_2016",
        "2017-1",
        None,
    ),
    (2, "Perpustakaan Desa Kelor", "desa", "34.03", "ekspansi_2016", "2017-1", None),
    (3, "Rumah Baca Ma’rifat", "tbm", "34.03", "ekspansi_2016", "2017-1", "2017-3"),
    (4, "Pustaka Désa Ngéstirahayu", "desa", "34.03", "ekspansi_2018", "2018-1", None),
    (5, "Perpustakaan Desa Gardu Pintar 2", "desa", "34.03", "ekspansi_2016", "2017-1", None),
    (6, "Perpustakaan Desa Khasanah Info", "desa", "34.03", "ekspansi_2017", "2017-2", None),
    (7, "Dinas Perpustakaan Kabupaten Kulon Progo", "kabupaten_kota", "34.01", "ekspansi_2016", "2017-1", None),
    (8, "Perpustakaan Desa Sidorejo", "desa", "34.01", "ekspansi_2016", "2017-1", None),
    (9, "Perpustakaan Desa Banjararum", "desa", "34.01", "ekspansi_2016", "2017-1", None),
    (10, "Taman Bacaan Mutiara Hati", "tbm", "34.01", "ekspansi_2016", "2017-1", None),
    (11, "Perpustakaan Desa Kalirejo", "desa", "34.01", "ekspansi_2016", "2017-1", "2018-2"),
    (12, "Perpustakaan Desa Hargorejo", "desa", "34.01", "ekspansi_2017", "2017-2", None),
    (13, "Balai Layanan Perpustakaan DPAD DIY", "provinsi", "34.71", "ekspansi_2016", "2017-1", None),
    (14, "Perpustakaan Desa Tulungrejo", "desa", "35.07", "ekspansi_2016", "2017-1", None),
    (15, "Perpustakaan Desa Pujon Kidul", "desa", "35.07", "ekspansi_2016", "2017-1", None),
    (16, "TBM Kampung Ilmu", "tbm", "35.07", "ekspansi_2017", "2017-1", None),
    (17, "Perpustakaan Desa Sumberejo", "desa", "35.07", "ekspansi_2016", "2017-1", None),
    (18, "Perpustakaan Desa Wonorejo", "desa", "35.07", "ekspansi_2016", "2017-1", None),
    (19, "Perpustakaan Umum Kota Malang", "kabupaten_kota", "35.73", "ekspansi_2016", "2017-1", None),
    (20, "TBM Lentera Negeri", "tbm", "35.73", "ekspansi_2016", "2017-1", None),
    (21, "Taman Baca Sekar Jagad", "tbm", "35.73", "ekspansi_2018", "2017-1", None),
    (22, "Perpustakaan Kelurahan Oro-oro Dowo", "desa", "35.73", "ekspansi_2016", "2017-1", None),
    (23, "Rumah Pintar Bunga Bangsa", "tbm", "35.73", "ekspansi_2016", "2017-1", None),
    (24, "Perpustakaan Desa Songka", "desa", "64.01", "ekspansi_2018", "2018-1", None),
]

# District PLMs: every cycle, except Kulon Progo in 2018-2 (c5) and Paser before 2018-1; provincial PLMs of
# DI Yogyakarta in c3 and c6, of Jawa Timur in c6; a national PLM in c2.
MEETINGS = []
for code, cycles in (
    ("34.03", range(1, 7)),
    ("34.01", (1, 2, 3, 4, 6)),
    ("35.07", range(1, 7)),
    ("35.73", range(1, 7)),
    ("64.01", (4, 5, 6)),
):
    MEETINGS += [(C[i], "kabupaten", code) for i in cycles]
MEETINGS += [(C[3], "provinsi", "34"), (C[6], "provinsi", "34"), (C[6], "provinsi", "35"), (C[2], "nasional", "")]
MEETINGS = [(i + 1, *m) for i, m in enumerate(MEETINGS)]

# What each library attended per cycle c1 … c6: k = its district's PLM, p = its province's, n = the national
# one, x = Gunungkidul's district PLM (another district's). Attendance outside active cycles is on purpose.
ATTENDED = {
    1: ["k", "kn", "kp", "k", "k", "kp"],
    2: ["k", "k", "", "k", "k", "k"],
    3: ["k", "", "", "", "k", ""],  # left in c3; attends in c5
    4: ["", "", "k", "", "", ""],  # joined in c4; attended in c3
    5: ["k", "k", "k", "", "", "k"],
    6: ["", "k", "k", "k", "", ""],
    7: ["k", "kn", "kp", "k", "", "kp"],
    8: ["k", "k", "", "k", "", "k"],
    9: ["k", "", "k", "", "x", ""],  # attends Gunungkidul's PLM when its own district held none
    10: ["k", "k", "k", "k", "", ""],
    11: ["k", "", "k", "k", "", "k"],  # left in c5; attends in c6
    12: ["", "", "", "", "", ""],
    13: ["", "n", "p", "", "", "p"],
    14: ["k", "k", "k", "k", "k", "k"],
    15: ["k", "", "k", "k", "k", "k"],
    16: ["", "k", "", "k", "", "k"],
    17: ["k", "k", "k", "", "", "k"],
    18: ["", "", "k", "k", "k", ""],
    19: ["k", "k", "k", "k", "k", "kp"],
    20: ["k", "k", "", "", "k", "k"],
    21: ["", "", "", "", "", "k"],
    22: ["k", "kn", "k", "k", "", ""],
    23: ["k", "", "k", "", "", ""],
    24: ["", "", "", "k", "", "k"],
}


def _meeting(cycle: str, level: str, region: str) -> int:
    return next(m for m, c, lv, r in MEETINGS if c == cycle and lv == level and r == region)


def _attendance() -> list[tuple]:
    district = {lib[0]: lib[3] for lib in LIBRARIES}
    rows = []
    for lib, marks in ATTENDED.items():
        for i, mark in enumerate(marks, start=1):
            for letter in mark:
                region = {"k": district[lib], "p": district[lib][:2], "n": "", "x": "34.03"}[letter]
                level = {"k": "kabupaten", "p": "provinsi", "n": "nasional", "x": "kabupaten"}[letter]
                rows.append((_meeting(C[i], level, region), lib, 1 + (lib + i) % 3, (lib + i) % 2))
    return rows


MISSING = {(6, 6), (12, 5), (12, 6), (21, 6), (16, 1), (24, 5), (10, 2), (23, 4)}
# How a report is dated (default: 5 days after the cycle): per (library, cycle) a date for every value, or a
# dict indicator -> date for the exceptions ("" and None are both "no date").
LATE, EDGE = 15, 14
DATES = {
    (2, 6): LATE,
    (8, 6): EDGE,
    (9, 6): LATE,
    (5, 5): LATE,
    (17, 5): EDGE,
    (18, 6): LATE,
    (14, 6): None,  # undated
    (20, 6): "",  # empty dates
    (15, 6): {"kunjungan": LATE, "*": None},  # one late date, the rest undated: late
    (22, 5): {"kegiatan": LATE, "*": ""},  # one late date, the rest empty: late
    (19, 6): {"kunjungan": "", "*": 3},  # an empty date beside on-time ones: on time
    (1, 6): {"kunjungan": 2, "*": 30},  # the earliest date counts: on time
    (13, 6): {"kunjungan": None, "*": LATE},
    (7, 6): LATE,
    (24, 6): None,
    (11, 5): LATE,
    (23, 5): {"kunjungan": "  ", "*": LATE},  # a date of spaces is no date: late
    (16, 5): "  ",  # only dates of spaces: date unknown
}
# Reports outside active cycles (ignored everywhere): after leaving, before joining.
OUTSIDE = [(3, 4), (3, 6), (4, 3), (11, 6)]
# Which indicators a report holds (default: all but dokumentasi); values follow a simple formula.
ALL = ["kunjungan", "anggota_aktif", "kegiatan", "peserta_kegiatan", "kemitraan", "keluhan"]


def _value(lib: int, cycle: int, indicator: str) -> float:
    if (lib, cycle) in OUTSIDE:
        return {"kegiatan": 40.0, "kunjungan": 5000.0 if lib == 3 else 10.0}.get(indicator, 99.0)
    if lib == 24 and indicator == "kunjungan":
        return 0.0 if cycle == 4 else 300.0  # baseline 0: no change %
    base = {
        "kunjungan": 600 + 40 * lib + 35 * cycle,
        "anggota_aktif": 90 + 5 * lib + 4 * cycle,
        "kegiatan": 2 + (lib + cycle) % 6,
        "peserta_kegiatan": 40 + 9 * ((lib * cycle) % 11),
        "kemitraan": (lib + cycle) % 3,
        "keluhan": 0 if lib in (19, 20, 21, 22, 23) else 2 + (lib % 5),
        "dokumentasi": 5 + lib % 4,
        "ulasan": 3,
    }[indicator]
    if lib in (2, 8, 14) and indicator == "kunjungan" and cycle == 6:
        base -= 500  # fallers since joining
    return float(base)


def _reports() -> list[tuple]:
    rows = []
    joined = {lib[0]: CYCLES.index(lib[5]) + 1 for lib in LIBRARIES}
    left = {lib[0]: CYCLES.index(lib[6]) + 1 if lib[6] else 6 for lib in LIBRARIES}
    for lib in ATTENDED:
        cycles = [i for i in range(joined[lib], left[lib] + 1) if (lib, i) not in MISSING]
        cycles += [i for (x, i) in OUTSIDE if x == lib]
        for i in sorted(cycles):
            indicators = ALL + (["dokumentasi", "ulasan"] if lib % 2 else [])
            if (lib, i) in OUTSIDE:
                indicators = ["kunjungan", "kegiatan"]
            how = DATES.get((lib, i), 5)
            for ind in indicators:
                d = how.get(ind, how.get("*")) if isinstance(how, dict) else how
                date = o.due_plus(C[i], d) if isinstance(d, int) else d
                rows.append((lib, C[i], ind, _value(lib, i, ind), date))
    return rows


VISITS = [
    (1, "2018-11-05"),
    (2, "2018-10-01"),
    (7, "2018-06-15"),
    (24, "2018-12-31"),
    (14, "2018-09-01"),
    (19, "2018-08-31"),
    (13, "2018-01-01"),
]

SPEC = {
    "provinces": PROVINCES,
    "districts": DISTRICTS,
    "cycles": ("2017-1", "2018-3"),
    "libraries": LIBRARIES,
    "meetings": MEETINGS,
    "attendance": _attendance(),
    "reports": _reports(),
    "visits": VISITS,
}


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    path = tmp_path_factory.mktemp("oracle") / "tricky.db"
    o.build(path, SPEC)
    o.clear_caches()
    yield path, o.Oracle(path)
    o.clear_caches()


def _assert(m: o.Mismatches) -> None:
    assert not m, f"{len(m)} figure(s) differ from the oracle:\n" + m.report()


@pytest.mark.parametrize(
    "view",
    [
        View(),
        View(province="34"),
        View(province="35", first="2018-3"),
        View(district="34.01", last="2018-2"),
        View(cohort="ekspansi_2016", tier="desa"),
        View(province="64"),
        View(last="2018-2"),
    ],
    ids=str,
)
def test_overview(tricky, view):
    _assert(o.check_overview(tricky[1], tricky[0], view))


@pytest.mark.parametrize("measure", ["reporting", "indicator"])
def test_overview_map_by_other_measures(tricky, measure):
    _assert(o.check_overview(tricky[1], tricky[0], View(last="2018-2", indicator="kegiatan"), {"map_measure": measure}))


@pytest.mark.parametrize(
    "view",
    [
        View(),
        View(province="34"),
        View(district="34.01"),
        View(first="2018-1"),
        View(province="35", tier="tbm"),
    ],
    ids=str,
)
def test_participation(tricky, view):
    _assert(o.check_participation(tricky[1], tricky[0], view))


@pytest.mark.parametrize("view", [View(), View(province="34"), View(district="34.03")], ids=str)
def test_data_quality(tricky, view):
    _assert(o.check_quality(tricky[1], tricky[0], view))


@pytest.mark.parametrize(
    "view",
    [
        View(),
        View(province="34", indicator="kegiatan"),
        View(district="34.03"),
        View(province="35", indicator="keluhan"),
        View(last="2018-2", indicator="peserta_kegiatan"),
    ],
    ids=str,
)
def test_impact(tricky, view):
    _assert(o.check_impact(tricky[1], tricky[0], view))


@pytest.mark.parametrize(
    "view,items",
    [
        (View(), ["p:34", "p:35", "p:64"]),
        (View(cohort="ekspansi_2016"), ["d:34.01", "d:34.03"]),
        (View(tier="desa", indicator="kegiatan"), ["d:34.03", "d:35.07"]),
        (View(last="2018-2"), ["l:3", "l:4", "l:24"]),
    ],
    ids=str,
)
def test_compare(tricky, view, items):
    _assert(o.check_compare(tricky[1], tricky[0], view, items))


@pytest.mark.parametrize("library_id", [3, 4, 9, 11, 13, 15, 19, 22, 24])
def test_library(tricky, library_id):
    _assert(o.check_library(tricky[1], tricky[0], library_id))


def test_overview_without_any_monitoring_visit(tmp_path):
    """A database without visits (a new program) still shows its headline numbers."""
    path = tmp_path / "no-visits.db"
    o.build(path, {**SPEC, "visits": []})
    o.clear_caches()
    try:
        _assert(o.check_overview(o.Oracle(path), path, View(province="35")))
    finally:
        o.clear_caches()


@pytest.mark.parametrize(
    "view",
    [
        View(),
        View(province="34"),
        View(district="34.01", last="2018-2"),
        View(district="34.03"),
        View(province="35", indicator="kegiatan"),
        View(district="35.73"),
        View(district="35.07", last="2018-2"),
    ],
    ids=str,
)
def test_meeting_deck(tricky, view):
    """The agenda deck (presentation mode, meeting pack and PPTX are drawn from it) shows the same numbers."""
    _assert(o.check_deck(tricky[1], tricky[0], view))


def _many_regions() -> dict:
    """One province of 18 districts of 1–4 libraries each (sizes tie at the cut of 15)."""
    districts = [(f"35.{i:02d}", "35", f"Kabupaten Uji {i:02d}", "kabupaten") for i in range(1, 19)]
    libraries, meetings, attendance, reports = [], [], [], []
    for i, (code, *_) in enumerate(districts):
        for k in range(1 + (i * 7) % 4):
            lib = len(libraries) + 1
            libraries.append((lib, f"Perpustakaan Désa {code} №{k}", "desa", code, "ekspansi_2016", "2017-1", None))
    for ci, cycle in enumerate(CYCLES):
        for code, *_ in districts:
            if (int(code[3:]) + ci) % 5:  # some districts hold no PLM in some cycles
                meetings.append((len(meetings) + 1, cycle, "kabupaten", code))
        for lib, _, _, code, *_ in libraries:
            mine = [mid for mid, c, _, r in meetings if c == cycle and r == code]
            if mine and (lib + ci) % 3:
                attendance.append((mine[0], lib, 1, 0))
            if (lib + ci) % 4:
                when = o.due_plus(cycle, 5 if lib % 3 else 20) if (lib + ci) % 7 else None
                reports.append((lib, cycle, "kunjungan", float(100 + lib * ci), when))
    return {
        "provinces": [("35", "Jawa Timur")],
        "districts": districts,
        "cycles": ("2017-1", "2018-3"),
        "libraries": libraries,
        "meetings": meetings,
        "attendance": attendance,
        "reports": reports,
        "visits": [(1, "2018-10-01")],
    }


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    path = tmp_path_factory.mktemp("oracle") / "many.db"
    o.build(path, _many_regions())
    o.clear_caches()
    yield path, o.Oracle(path)
    o.clear_caches()


@pytest.mark.parametrize("check", ["participation", "quality", "impact"])
def test_many_regions_nothing_dropped(many, check):
    """18 districts: 15 bars by name and an "others" bar that pools the rest; every region in the CSVs."""
    view = View(province="35")
    _assert(
        {"participation": o.check_participation, "quality": o.check_quality, "impact": o.check_impact}[check](
            many[1], many[0], view
        )
    )


def test_overview_in_bahasa_indonesia(tricky):
    """The default language prints '1.624' and '63,6%': parsed as such, the tiles equal the oracle."""
    from analytics.i18n import t

    path, orc = tricky
    view = View(province="34")
    r = o.render(path, "overview", view.params(), lang="id")
    assert not r.errors, r.errors
    now, change = orc.headline(view), orc.headline_change(view)
    m = o.Mismatches("overview (Bahasa Indonesia) province=34")
    for key in ("active", "attendance_rate", "reports", "visits", "activities", "participants"):
        value, delta = o.metric(r, t(f"overview.{key}", "id"))
        scale, tol = (100, o.PCT) if key == "attendance_rate" else (1, 0.5)
        m.same(f"tile {key}", scale * now[key], o.id_number(value), tol)
        m.same(f"tile {key} change", scale * change[key], o.id_number(delta) if delta else 0.0, tol)
    _assert(m)


def test_undated_reports_are_listed_when_opened_and_count_as_the_oracle_says(tricky):
    """Data quality: the list of reports with no date is drawn only when its drawer is opened (a closed one
    draws no table, issue 13 speed); the heading, the drawer and the opened list give the oracle's count."""
    path, orc = tricky
    view = View()
    undated = orc.query(
        view,
        """SELECT id, cycle_id FROM lc WHERE seq BETWEEN $first AND $last AND reported AND report_date IS NULL""",
    )
    assert len(undated) > 0  # the tricky data has undated reports
    closed = o.render(path, "quality", view.params())
    assert f"Reports with no date ({len(undated)})" in closed.headers
    assert not [t for t in closed.tables if "date" in t.columns]
    opened = o.render(path, "quality", view.params(), {"undated_list": True})
    (table,) = [t for t in opened.tables if "date" in t.columns]
    assert len(table) == len(undated)
