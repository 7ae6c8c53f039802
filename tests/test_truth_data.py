"""Issue 12, data layer: undated reports, values outside active cycles, cycles without a PLM, risers with a
one-cycle range, nothing dropped silently, every cycle listed.

A tiny database written here row by row (``build_tiny``); every expected number is worked out by hand in the
comments from the rules of docs/metrics.md, or counted with plain SQL on the database file — never taken
from analytics.metrics or analytics.views.
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics import dataset, store, views
from analytics.filters import Filters

CYCLES = [  # id, year, term, start, end  (seq = year * 3 + term - 1)
    ("2017-1", 2017, 1, "2017-01-01", "2017-04-30"),
    ("2017-2", 2017, 2, "2017-05-01", "2017-08-31"),
    ("2017-3", 2017, 3, "2017-09-01", "2017-12-31"),
    ("2018-1", 2018, 1, "2018-01-01", "2018-04-30"),
    ("2018-2", 2018, 2, "2018-05-01", "2018-08-31"),
    ("2018-3", 2018, 3, "2018-09-01", "2018-12-31"),
]
SEQ = {c[0]: c[1] * 3 + c[2] - 1 for c in CYCLES}

# Libraries: id, name, tier, district, cohort, joined, left
LIBRARIES = [
    (1, "Perpustakaan Desa Alpha", "desa", "11.01", "rintisan_2016", "2017-1", None),
    (2, "Perpustakaan Desa Beta", "desa", "11.01", "ekspansi_2017", "2017-1", "2017-3"),  # left after 2017-3
    (3, "TBM Ma’rifat", "tbm", "11.02", "rintisan_2016", "2018-1", None),  # joined in 2018-1
    (4, "Perpustakaan Desa Delta", "desa", "12.01", "rintisan_2016", "2017-1", None),
    (5, "Perpustakaan Desa Epsilon", "desa", "11.01", "ekspansi_2017", "2017-1", None),  # never attends
]
# Meetings: id, cycle, level, region_code
MEETINGS = [
    (1, "2017-1", "kabupaten", "11.01"),
    (2, "2017-2", "provinsi", "11"),
    (3, "2017-3", "nasional", ""),
    (4, "2018-1", "kabupaten", "11.02"),
    (5, "2018-2", "kabupaten", "11.01"),  # attended by library 4 of province 12 (allowed: it counts)
    (6, "2018-3", "provinsi", "12"),
]
ATTENDANCE = [(1, 1), (1, 2), (2, 1), (3, 4), (4, 3), (5, 4), (6, 4)]  # (meeting, library)
# PLM held for each library (its district's, its province's or a national PLM; or it attended):
#   lib 1 (11.01): 2017-1 kab, 2017-2 prov, 2017-3 nas, 2018-1 -, 2018-2 kab, 2018-3 -
#   lib 2 (11.01, active 2017-1..3): all three held
#   lib 3 (11.02, active 2018-1..3): 2018-1 kab, 2018-2 -, 2018-3 -
#   lib 4 (12.01): 2017-1 -, 2017-2 -, 2017-3 nas, 2018-1 -, 2018-2 (attended 11.01's), 2018-3 prov
#   lib 5 (11.01): as lib 1
# Reports: library, cycle, indicator, value, submitted_on (due: cycle end + 14 days)
REPORTS = [
    (1, "2017-1", "kegiatan", 5, "2017-05-10"),  # on time (due 2017-05-14)
    (1, "2017-1", "peserta_kegiatan", 50, None),
    (1, "2017-2", "kegiatan", 6, "2017-10-01"),  # late (due 2017-09-14) ...
    (1, "2017-2", "peserta_kegiatan", 60, ""),  # ... and a blank date must not make it on time
    (1, "2017-3", "kegiatan", 7, None),  # no date at all: date unknown
    (1, "2017-3", "peserta_kegiatan", 70, None),
    (2, "2017-1", "kegiatan", 4, "2017-05-01"),  # on time
    (2, "2018-1", "kegiatan", 40, "2018-05-01"),  # after library 2 left: ignored
    (3, "2017-3", "kegiatan", 30, "2018-01-02"),  # before library 3 joined: ignored
    (3, "2018-1", "kegiatan", 3, "2018-05-01"),  # on time (due 2018-05-14)
    (4, "2018-1", "kegiatan", 8, "2018-05-30"),  # late
    (4, "2018-1", "kunjungan", 120, "2018-05-30"),
    (4, "2018-1", "peserta_kegiatan", 80, "  "),  # spaces are no date either: the report stays late
]
INDICATORS = [  # code, name_id, name_en, unit, strategy, aggregation, higher_is_better, target
    ("kunjungan", "Kunjungan", "Visits", "orang", "layanan_informasi", "sum", 1, 100.0),
    ("kegiatan", "Kegiatan", "Activities", "kegiatan", "pelibatan_masyarakat", "sum", 1, 5.0),
    ("peserta_kegiatan", "Peserta", "Participants", "orang", "pelibatan_masyarakat", "sum", 1, 50.0),
]


def build_tiny(path: Path, extra_sql: tuple[tuple[str, tuple], ...] = ()) -> Path:
    """The tiny database above at ``path`` (plus ``extra_sql`` statements)."""
    conn = sqlite3.connect(path)
    store.create_schema(conn)
    conn.executemany(
        "INSERT INTO provinces VALUES (?, ?, ?, ?)", [("11", "Aceh", 4.7, 96.7), ("12", "Sumatera Utara", 2.1, 99.5)]
    )
    conn.executemany(
        "INSERT INTO districts VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("11.01", "11", "Aceh Selatan", "kabupaten", 3.2, 97.4),
            ("11.02", "11", "Aceh Tenggara", "kabupaten", 3.3, 97.7),
            ("12.01", "12", "Tapanuli Tengah", "kabupaten", 1.9, 98.6),
        ],
    )
    conn.executemany(
        "INSERT INTO cycles VALUES (?, ?, ?, ?, ?, ?)", [(c[0], c[1], c[2], c[3], c[4], SEQ[c[0]]) for c in CYCLES]
    )
    conn.executemany("INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?)", INDICATORS)
    conn.executemany(
        "INSERT INTO libraries (id, name, tier, district_code, cohort, joined_cycle, left_cycle) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        LIBRARIES,
    )
    start = {c[0]: c[3] for c in CYCLES}
    conn.executemany(
        "INSERT INTO meetings (id, cycle_id, level, region_code, start_date, end_date, title) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(i, c, lvl, r, start[c], start[c], f"PLM {i}") for i, c, lvl, r in MEETINGS],
    )
    conn.executemany("INSERT INTO attendance (meeting_id, library_id) VALUES (?, ?)", ATTENDANCE)
    conn.executemany(
        "INSERT INTO reports (library_id, cycle_id, indicator_code, value, submitted_on) VALUES (?, ?, ?, ?, ?)",
        REPORTS,
    )
    for sql, params in extra_sql:
        conn.execute(sql, params)
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def tiny(tmp_path):
    return dataset.load(build_tiny(tmp_path / "tiny.db"))


def row(act: pd.DataFrame, library_id: int, cycle: str) -> pd.Series:
    hit = act[(act["library_id"] == library_id) & (act["seq"] == SEQ[cycle])]
    assert len(hit) == 1, (library_id, cycle)
    return hit.iloc[0]


# --- 1. undated reports -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "library_id, cycle, reported, on_time, unknown",
    [
        (1, "2017-1", True, True, False),  # one dated value on time, one undated: dated 2017-05-10, on time
        (1, "2017-2", True, False, False),  # late value and a blank date: its date is the late one
        (1, "2017-3", True, False, True),  # no date at all: date unknown, reported, not on time
        (2, "2017-1", True, True, False),
        (4, "2018-1", True, False, False),
    ],
)
def test_a_reports_date_is_its_earliest_non_empty_one(tiny, library_id, cycle, reported, on_time, unknown):
    r = row(tiny.activity, library_id, cycle)
    assert (bool(r["reported"]), bool(r["on_time"]), bool(r["date_unknown"])) == (reported, on_time, unknown)


def test_undated_report_is_in_timeliness_denominator_and_listed(tiny):
    sel = views.select(tiny, Filters(province="11"))
    trend = views.trend(sel).set_index("cycle")
    # 2017-2: libraries 1 (late), 2 (none), 5 (none): 1 reported, 0 on time
    assert (trend.loc["2017-2", "reported"], trend.loc["2017-2", "on_time"]) == (1, 0)
    assert trend.loc["2017-2", "timeliness"] == 0.0
    # 2017-3: library 1 reported without any date: reported 1, on time 0 -> timeliness 0 %, not 100 %
    assert (trend.loc["2017-3", "reported"], trend.loc["2017-3", "date_unknown"]) == (1, 1)
    assert trend.loc["2017-3", "timeliness"] == 0.0
    undated = views.undated_reports(sel)
    assert undated[["library_id", "cycle"]].values.tolist() == [[1, "2017-3"]]
    assert undated["name"].tolist() == ["Perpustakaan Desa Alpha"]


def test_snapshot_keeps_the_rule_when_read_back(tmp_path):
    path = build_tiny(tmp_path / "tiny.db")
    dataset.load(path)  # writes the snapshot
    again = dataset.load(path)  # reads it
    assert bool(row(again.activity, 1, "2017-3")["date_unknown"])
    assert not bool(row(again.activity, 1, "2017-2")["on_time"])


# --- 3. values outside active cycles ------------------------------------------------------------------------


def test_values_outside_active_cycles_are_ignored(tiny):
    v = tiny.values
    pairs = set(zip(v["library_id"], v["seq"].astype(int)))
    assert (2, SEQ["2018-1"]) not in pairs  # reported after leaving
    assert (3, SEQ["2017-3"]) not in pairs  # reported before joining
    # Headline 2018-1, all Indonesia: activities = library 3's 3 + library 4's 8 = 11 (library 2's 40 ignored)
    now, before = views.overview_headline(views.select(tiny, Filters(to_cycle="2018-1")))
    assert now["activities"] == 11.0
    # 2017-3: library 1's 7 only (library 3's 30 came before it joined)
    assert (
        before is not None
        and views.overview_headline(views.select(tiny, Filters(to_cycle="2017-3")))[0]["activities"] == 7.0
    )


def test_change_since_joining_starts_at_joining(tiny):
    # Library 3 reported kegiatan 30 before joining and 3 after: one report in its active cycles -> no change.
    change = views.change_since_joining(views.select(tiny, Filters(indicator="kegiatan")))
    assert 3 not in set(change["library_id"])
    # Library 1: 5 (2017-1) -> 7 (2017-3): +2, +40 %
    one = change.set_index("library_id").loc[1]
    assert (one["baseline"], one["latest"], one["change"]) == (5.0, 7.0, 2.0)


def test_compare_and_scorecard_ignore_values_outside_active_cycles(tiny):
    f = Filters(indicator="kegiatan", to_cycle="2018-1")
    table, _ = views.compare(tiny, f, "district", ["11.01", "11.02"])
    # 11.01 in 2018-1: library 2's 40 came after it left; libraries 1 and 5 reported nothing -> no median
    assert math.isnan(table.set_index("code").loc["11.01", "indicator"])
    card = views.scorecard(views.select(tiny, Filters(to_cycle="2018-1", province="11")))
    # Province 11's districts in 2018-1: only 11.02 (library 3, kegiatan 3 -> 3/5 = 0.6) has a value
    assert card["region"].unique().tolist() == ["11.02"]


# --- 6. cycles without a PLM --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "library_id, cycle, held",
    [
        (1, "2017-1", True),
        (1, "2017-2", True),
        (1, "2017-3", True),
        (1, "2018-1", False),
        (1, "2018-2", True),
        (1, "2018-3", False),
        (3, "2018-1", True),
        (3, "2018-2", False),
        (4, "2017-1", False),
        (4, "2017-3", True),
        (4, "2018-2", True),  # no PLM of its own region, but it attended one: held
        (4, "2018-3", True),
    ],
)
def test_plm_held(tiny, library_id, cycle, held):
    assert bool(row(tiny.activity, library_id, cycle)["plm_held"]) is held


def test_participation_leaves_out_cycles_without_a_plm(tiny):
    trend = views.trend(views.select(tiny, Filters())).set_index("cycle")
    # 2018-1: active 1, 3, 4, 5; a PLM held only for library 3, which attended -> 1 / 1
    one = trend.loc["2018-1"]
    assert (one["attended"], one["plm_held"], one["active"]) == (1, 1, 4)
    assert trend.loc["2018-1", "participation"] == 1.0
    # 2018-2: held for 1, 4 (attended), 5 -> 1 / 3
    assert trend.loc["2018-2", "participation"] == pytest.approx(1 / 3)
    # District 11.02 in 2018-2: library 3 active, no PLM held -> rate unknown, not 0 %
    sel = views.select(tiny, Filters(province="11"))
    cells = views.participation_cells(sel, top=None).set_index(["region", "cycle"])
    cell = cells.loc[("11.02", "2018-2")]
    assert (cell["active"], cell["denominator"]) == (1, 0) and math.isnan(cell["rate"])


def test_headline_attendance_rests_on_cycles_with_a_plm(tiny):
    now, _ = views.overview_headline(views.select(tiny, Filters(to_cycle="2018-1")))
    assert (now["active"], now["attended"], now["plm_held"]) == (4, 1, 1)
    assert now["attendance_rate"] == 1.0
    now, _ = views.overview_headline(views.select(tiny, Filters(to_cycle="2018-3", province="11")))
    # 2018-3 in province 11: libraries 1, 3, 5 active, no PLM held for any -> unknown
    assert now["plm_held"] == 0 and math.isnan(now["attendance_rate"])


def test_streaks_skip_cycles_without_a_plm(tiny):
    s = views.continuity(views.select(tiny, Filters())).set_index("library_id")
    # Library 4 attended 2017-3, 2018-2, 2018-3 (each with a PLM held); 2017-1, 2017-2, 2018-1 had none:
    # current and longest streak 3, not broken by 2018-1.
    four = s.loc[4]
    assert (four["cycles_active"], four["cycles_attended"], four["cycles_no_plm"]) == (3, 3, 3)
    assert (four["current_streak"], four["longest_streak"], bool(four["at_risk"])) == (3, 3, False)
    # Library 1: held 2017-1 (att), 2017-2 (att), 2017-3 (missed), 2018-2 (missed); 2018-1, 2018-3 none.
    # Missed its last two cycles with a PLM and active in 2018-3 -> at risk; longest 2, current 0.
    one = s.loc[1]
    assert (one["cycles_active"], one["cycles_attended"], one["current_streak"], one["longest_streak"]) == (4, 2, 0, 2)
    assert bool(one["at_risk"])
    # Library 3: 2018-1 attended; 2018-2, 2018-3 none held -> current streak 1, not at risk
    three = s.loc[3]
    assert (three["current_streak"], bool(three["at_risk"]), bool(three["never_attended"])) == (1, False, False)
    # Library 5: held in 2017-1..3 and 2018-2, attended none -> never attended, at risk
    assert bool(s.loc[5, "never_attended"]) and bool(s.loc[5, "at_risk"])


def test_a_library_with_no_plm_in_the_range_is_not_never_attended(tiny):
    # Range 2018-3 only, province 11: no PLM held for libraries 1, 3, 5 -> no "never attended", no "at risk"
    s = views.continuity(views.select(tiny, Filters(province="11", from_cycle="2018-3")))
    assert len(s) == 3
    assert not s["never_attended"].any() and not s["at_risk"].any()
    assert s["cycles_active"].tolist() == [0, 0, 0]


# --- 2. compare applies the cohort ----------------------------------------------------------------------------


def test_compare_applies_the_cohort(tiny):
    # Province 11 in 2018-3: active libraries 1, 3 (rintisan_2016) and 5 (ekspansi_2017)
    all_, _ = views.compare(tiny, Filters(), "province", ["11", "12"])
    one, _ = views.compare(tiny, Filters(cohort="rintisan_2016"), "province", ["11", "12"])
    assert all_.set_index("code").loc["11", "active"] == 3
    assert one.set_index("code").loc["11", "active"] == 2


# --- 4. risers and fallers with a one-cycle range ------------------------------------------------------------


def test_risers_fallers_with_a_one_cycle_range_compare_with_the_cycle_before(seed_db):
    ds = dataset.load(seed_db)
    full = views.risers_fallers(views.select(ds, Filters(to_cycle="2018-2")))
    one = views.risers_fallers(views.select(ds, Filters(from_cycle="2018-2", to_cycle="2018-2")))
    assert len(full[0]) + len(full[1]) > 0  # the seed has movers into 2018-2
    pd.testing.assert_frame_equal(one[0], full[0])
    pd.testing.assert_frame_equal(one[1], full[1])


# --- 5. nothing dropped silently; every cycle listed ---------------------------------------------------------


def active_per_cycle(path) -> dict[str, int]:
    """Active library-cycles per cycle, counted with SQL (joined..left inclusive)."""
    conn = sqlite3.connect(path)
    rows = conn.execute("""
        SELECT c.id, count(*) FROM libraries l JOIN cycles j ON j.id = l.joined_cycle
        LEFT JOIN cycles x ON x.id = l.left_cycle
        JOIN cycles c ON c.seq >= j.seq AND (x.seq IS NULL OR c.seq <= x.seq)
        GROUP BY c.id""").fetchall()
    conn.close()
    return dict(rows)


def test_reporting_heat_map_keeps_every_library_cycle(seed_db):
    ds = dataset.load(seed_db)
    sel = views.select(ds, Filters())
    cells = views.reporting_cells(sel)
    assert cells["region"].nunique() <= views.TOP_REGIONS + 1
    expected = active_per_cycle(seed_db)
    got = cells.groupby("cycle")["denominator"].sum()
    assert {c: int(n) for c, n in got.items() if n} == expected  # the "others" row carries the rest
    others = cells[cells["region"] == views.OTHERS]
    folded = views.folded_regions(sel)
    assert len(others) and (others["regions"] == len(folded)).all()
    assert len(folded) + views.TOP_REGIONS == len(sel.region_sizes)
    matrix = views.reporting_matrix(sel, "rate", "Others")
    assert matrix.index[-1] == "Others" and len(matrix) == views.TOP_REGIONS + 1
    # top=None: every region, no "others"
    every = views.reporting_cells(sel, top=None)
    assert views.OTHERS not in set(every["region"]) and every["region"].nunique() == len(sel.region_sizes)


def test_scorecard_lists_every_region(seed_db):
    ds = dataset.load(seed_db)
    conn = sqlite3.connect(seed_db)
    provinces = {
        r[0]
        for r in conn.execute("""
        SELECT DISTINCT d.province_code FROM reports r JOIN libraries l ON l.id = r.library_id
        JOIN districts d ON d.code = l.district_code JOIN cycles c ON c.id = r.cycle_id
        JOIN cycles j ON j.id = l.joined_cycle LEFT JOIN cycles x ON x.id = l.left_cycle
        WHERE r.cycle_id = '2018-3' AND j.seq <= c.seq AND (x.seq IS NULL OR c.seq <= x.seq)""")
    }
    conn.close()
    card = views.scorecard(views.select(ds, Filters()))
    assert set(card["region"]) == provinces and len(provinces) > views.TOP_REGIONS
    assert (card["indicators"] <= card["indicators_total"]).all()


def test_tie_at_the_cut_orders_by_region_code(tmp_path):
    # Three districts of one province with one library each in every cycle: sizes tie; top=1 keeps the lowest
    # code (11.01) and folds 11.02 and ... (here only two more, so with top=1 the rest is two regions).
    path = build_tiny(
        tmp_path / "t.db",
        extra_sql=(
            ("UPDATE libraries SET joined_cycle = '2017-1', left_cycle = NULL", ()),
            ("UPDATE libraries SET district_code = '11.02' WHERE id = 2", ()),
            ("UPDATE libraries SET district_code = '11.01' WHERE id = 4", ()),
            ("DELETE FROM libraries WHERE id = 5", ()),
            ("INSERT INTO districts VALUES ('11.03', '11', 'Aceh Timur', 'kabupaten', 4.6, 97.7)", ()),
            ("UPDATE libraries SET district_code = '11.03' WHERE id = 3", ()),
        ),
    )
    ds = dataset.load(path)
    sel = views.select(ds, Filters(province="11"))
    # sizes: 11.01 two libraries x 6 cycles = 12; 11.02 and 11.03 one each = 6 and 6 (a tie)
    assert sel.kept_regions(1) == ["11.01"]
    cells = views.participation_cells(sel, top=1)
    assert list(dict.fromkeys(cells["region"])) == ["11.01", views.OTHERS]
    assert (cells.loc[cells["region"] == views.OTHERS, "regions"] == 2).all()
    assert views.folded_regions(sel, 1)["region"].tolist() == ["11.02", "11.03"]  # tie: code ascending


@pytest.mark.parametrize(
    "filters",
    [
        Filters(province="11"),
        Filters(province="12"),
        Filters(district="11.02"),
        Filters(from_cycle="2017-2", to_cycle="2018-2"),
    ],
)
def test_per_cycle_outputs_list_every_cycle_in_time_order(tiny, filters):
    sel = views.select(tiny, filters)
    cycles = [c[0] for c in CYCLES if sel.first_seq <= SEQ[c[0]] <= sel.last_seq]
    assert views.trend(sel)["cycle"].tolist() == cycles
    assert list(views.participation_heatmap(sel, "Others").columns) == cycles
    assert list(views.reporting_matrix(sel, "rate", "Others").columns) == cycles
    for _, frame in views.participation_cells(sel).groupby("region", sort=False):
        assert frame["cycle"].tolist() == cycles
    by_tier = views.participation_by_tier(sel)
    for _, frame in by_tier.groupby("tier", sort=False):
        assert frame["cycle"].tolist() == cycles
    assert views.attendees_by_gender(sel)["cycle"].tolist() == cycles


def test_library_profile_series_lists_every_active_cycle(tiny):
    profile = views.library_profile(tiny, Filters(indicator="kegiatan"), 1)
    assert profile["series"]["cycle"].tolist() == [c[0] for c in CYCLES]
    assert profile["series"]["library"].tolist()[:3] == [5.0, 6.0, 7.0]
    assert np.isnan(profile["series"]["library"].tolist()[3:]).all()
    # attendance: 2 of the 4 cycles with a PLM held
    assert (profile["cycles_attended"], profile["cycles_plm_held"]) == (2, 4)


def test_impact_lines_pool_the_other_regions_into_one_median(seed_db):
    ds = dataset.load(seed_db)
    sel = views.select(ds, Filters(indicator="kunjungan"))
    series = views.indicator_by_region(sel)
    kept = [r for r in dict.fromkeys(series["region"]) if r != views.OTHERS]
    assert len(kept) == views.SMALL_MULTIPLES
    conn = sqlite3.connect(seed_db)
    rows = conn.execute(
        f"""
        SELECT d.province_code, r.value FROM reports r JOIN libraries l ON l.id = r.library_id
        JOIN districts d ON d.code = l.district_code JOIN cycles c ON c.id = r.cycle_id
        JOIN cycles j ON j.id = l.joined_cycle LEFT JOIN cycles x ON x.id = l.left_cycle
        WHERE r.cycle_id = '2018-3' AND r.indicator_code = 'kunjungan'
          AND j.seq <= c.seq AND (x.seq IS NULL OR c.seq <= x.seq)
          AND d.province_code NOT IN ({",".join("?" * len(kept))})""",
        kept,
    ).fetchall()
    provinces = {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT d.province_code FROM reports r JOIN libraries l "
            "ON l.id = r.library_id JOIN districts d ON d.code = l.district_code "
            "WHERE r.indicator_code = 'kunjungan'"
        )
    }
    conn.close()
    others = series[(series["region"] == views.OTHERS) & (series["cycle"] == "2018-3")].iloc[0]
    assert others["value"] == pytest.approx(float(np.median([v for _, v in rows])))
    assert others["libraries"] == len(rows)
    assert others["regions"] == len(provinces) - views.SMALL_MULTIPLES


def test_the_report_submissions_query_follows_the_same_rule(tmp_path):
    from analytics import queries

    conn = sqlite3.connect(build_tiny(tmp_path / "tiny.db"))
    sub = queries.report_submissions(conn, 14)
    conn.close()
    got = {
        (r.library_id, r.seq): (
            r.submitted_on if isinstance(r.submitted_on, str) else None,
            bool(r.on_time),
            bool(r.date_unknown),
        )
        for r in sub.itertuples()
    }
    assert got[(1, SEQ["2017-2"])] == ("2017-10-01", False, False)  # the blank date does not win
    assert got[(1, SEQ["2017-3"])] == (None, False, True)  # no date: unknown, not on time
    assert got[(4, SEQ["2018-1"])] == ("2018-05-30", False, False)  # spaces are no date
    assert got[(1, SEQ["2017-1"])] == ("2017-05-10", True, False)


def test_meeting_pack_says_date_unknown_not_late(tiny):
    from analytics import deck
    from analytics.i18n import t

    table = deck.library_table(views.select(tiny, Filters(district="11.01", to_cycle="2017-3")))
    by_name = table.set_index(t("col.library", "id"))[t("deck.col.reported", "id")]
    assert by_name["Perpustakaan Desa Alpha"] == "Ya · tanggal tidak diketahui"  # no date at all: not "late"
    table = deck.library_table(views.select(tiny, Filters(district="11.01", to_cycle="2017-2")))
    by_name = table.set_index(t("col.library", "id"))[t("deck.col.reported", "id")]
    assert by_name["Perpustakaan Desa Alpha"] == "Ya · terlambat"  # dated late (a blank date does not count)


def test_folded_regions_of_the_impact_lines_are_ranked_by_reporting_libraries(seed_db):
    ds = dataset.load(seed_db)
    sel = views.select(ds, Filters(indicator="kunjungan"))
    series = views.indicator_by_region(sel)
    kept = {r for r in series["region"] if r != views.OTHERS}
    folded = views.folded_regions(sel, views.SMALL_MULTIPLES, by="reporting")
    assert not kept & set(folded["region"])
    assert len(folded) == series.loc[series["region"] == views.OTHERS, "regions"].iloc[0]
    assert folded["size"].is_monotonic_decreasing
