"""The dashboard's measures on small frames whose expected results are worked out by hand."""

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analytics import metrics

ACT_COLUMNS = [
    "library_id",
    "seq",
    "meetings",
    "attendees",
    "attendees_female",
    "presented",
    "lapak",
    "attended",
    "reported",
    "on_time",
]
ATT_COLUMNS = ["library_id", "seq", "meetings", "attendees", "attendees_female", "presented", "lapak"]
STREAK_COLUMNS = [
    "library_id",
    "cycles_active",
    "cycles_attended",
    "current_streak",
    "longest_streak",
    "never_attended",
    "at_risk",
    "last_seq",
    "cycles_no_plm",
]
CHANGE_COLUMNS = ["library_id", "baseline_seq", "baseline", "latest_seq", "latest", "reports", "change", "change_pct"]
NAN = float("nan")


def frame(rows, columns, dtypes=None):
    """A frame from row tuples; typed when empty so merges and groupbys see real dtypes."""
    out = pd.DataFrame(rows, columns=columns)
    if dtypes and not rows:
        out = out.astype(dict(zip(columns, dtypes)))
    return out


def empty_attendance():
    return frame([], ATT_COLUMNS, ["int64"] * 7)


def empty_submissions():
    return frame([], ["library_id", "seq", "on_time"], ["int64"] * 3)


# --- activity ---------------------------------------------------------------------------------------------

LIBS_LEFT = pd.DataFrame({"id": [1, 2], "joined_seq": [1, 2], "left_seq": [2, None]})
ATT_LEFT = frame(
    [
        (1, 1, 1, 3, 2, 1, 0),  # lib 1 active in 1
        (1, 3, 2, 9, 9, 9, 9),  # lib 1 left after 2 -> ignored
        (2, 1, 5, 5, 5, 5, 5),  # lib 2 joined in 2 -> ignored
        (2, 3, 1, 4, 1, 0, 1),
    ],
    ATT_COLUMNS,
)
SUB_LEFT = frame(
    [
        (1, 2, 0),
        (2, 2, 1),
        (2, 1, 1),  # (2, 1) before joining -> ignored
        (2, 4, 1),
    ],
    ["library_id", "seq", "on_time"],
)  # after last_seq 3 -> ignored

ACTIVITY_CASES = {
    # lib 1 active 1..2 (left), lib 2 active 2..3 (last_seq 3)
    "left_library_and_outside_activity_ignored": (
        LIBS_LEFT,
        3,
        ATT_LEFT,
        SUB_LEFT,
        [
            (1, 1, 1, 3, 2, 1, 0, True, False, False),
            (1, 2, 0, 0, 0, 0, 0, False, True, False),  # reported late (on_time 0)
            (2, 2, 0, 0, 0, 0, 0, False, True, True),
            (2, 3, 1, 4, 1, 0, 1, True, False, False),
        ],
    ),
    # lib 7: left_seq 9 beyond last_seq 3 -> active 2..3; no attendance at all; lib 8 joins after last_seq -> no rows
    "no_attendance_rows_and_left_after_last_seq": (
        pd.DataFrame({"id": [7, 8], "joined_seq": [2, 5], "left_seq": [9, None]}),
        3,
        frame([(8, 5, 1, 1, 1, 1, 1)], ATT_COLUMNS),
        empty_submissions(),
        [(7, 2, 0, 0, 0, 0, 0, False, False, False), (7, 3, 0, 0, 0, 0, 0, False, False, False)],
    ),
    # one library joined in 4, last_seq 4: a single active cycle, empty attendance and submissions
    "empty_attendance_and_submissions": (
        pd.DataFrame({"id": [3], "joined_seq": [4], "left_seq": [None]}),
        4,
        empty_attendance(),
        empty_submissions(),
        [(3, 4, 0, 0, 0, 0, 0, False, False, False)],
    ),
    "no_libraries": (
        frame([], ["id", "joined_seq", "left_seq"], ["int64", "int64", "float64"]),
        4,
        empty_attendance(),
        empty_submissions(),
        [],
    ),
}


@pytest.mark.parametrize("libs, last_seq, att, sub, expected", ACTIVITY_CASES.values(), ids=ACTIVITY_CASES.keys())
def test_activity(libs, last_seq, att, sub, expected):
    out = metrics.activity(libs, last_seq, att, sub)
    out = out[ACT_COLUMNS].sort_values(["library_id", "seq"]).reset_index(drop=True)
    assert_frame_equal(out, frame(expected, ACT_COLUMNS), check_dtype=False, check_index_type=False)


def test_activity_counts_stay_integers():
    out = metrics.activity(LIBS_LEFT, 3, ATT_LEFT, SUB_LEFT)
    for column in ("meetings", "attendees", "attendees_female", "presented", "lapak"):
        assert out[column].dtype == np.int64
    for column in ("attended", "reported", "on_time"):
        assert out[column].dtype == bool


# --- filter_libraries -------------------------------------------------------------------------------------

LIBS_FILTER = pd.DataFrame(
    {
        "id": [1, 2, 3, 4, 5],
        "province_code": ["11", "11", "12", "12", "11"],
        "district_code": ["1101", "1102", "1201", "1201", "1101"],
        "tier": ["desa", "tbm", "desa", "kabupaten_kota", "desa"],
        "cohort": ["2011", "2014", "2014", "2011", "2014"],
    }
)


@pytest.mark.parametrize(
    "filters, expected_ids",
    [
        ({}, [1, 2, 3, 4, 5]),  # no filter -> all
        ({"province": "11"}, [1, 2, 5]),
        ({"province": "11", "tier": "desa"}, [1, 5]),  # both must hold
        ({"district": "1201", "cohort": "2014"}, [3]),
        ({"province": "11", "district": "1201"}, []),  # contradictory filters -> none
        ({"tier": None, "cohort": "2011"}, [1, 4]),  # None = no filter
    ],
)
def test_filter_libraries(filters, expected_ids):
    out = metrics.filter_libraries(LIBS_FILTER, **filters)
    assert_frame_equal(out, LIBS_FILTER[LIBS_FILTER["id"].isin(expected_ids)])
    assert out["id"].tolist() == expected_ids


# --- participation_rate and reporting_rate ----------------------------------------------------------------

ACT_RATES = pd.DataFrame(
    {
        "library_id": [1, 2, 3, 1, 2, 3],
        "seq": [1, 1, 1, 2, 2, 2],
        "tier": ["A", "A", "B", "A", "A", "B"],
        "attended": [True, False, True, True, False, False],
        "plm_held": True,
    }
)


# A PLM held in every cycle: the denominator is every active library (= active).
@pytest.mark.parametrize(
    "by, expected",
    [
        (
            ["seq"],
            frame(
                [
                    (1, 2, 3, 3, 2 / 3),  # seq 1: libs 1 and 3 of 3 attended
                    (2, 1, 3, 3, 1 / 3),
                ],  # seq 2: lib 1 of 3
                ["seq", "numerator", "denominator", "active", "rate"],
            ),
        ),
        (
            ["tier", "seq"],
            frame(
                [
                    ("A", 1, 1, 2, 2, 0.5),  # A/1: lib 1 of libs 1, 2
                    ("A", 2, 1, 2, 2, 0.5),  # A/2: lib 1 of libs 1, 2
                    ("B", 1, 1, 1, 1, 1.0),  # B/1: lib 3 of 1
                    ("B", 2, 0, 1, 1, 0.0),
                ],  # B/2: none of 1
                ["tier", "seq", "numerator", "denominator", "active", "rate"],
            ),
        ),
    ],
)
def test_participation_rate(by, expected):
    assert_frame_equal(metrics.participation_rate(ACT_RATES, by), expected, check_dtype=False)


@pytest.mark.parametrize(
    "measure",
    [
        lambda act: metrics.participation_rate(act, ["seq"]),
        lambda act: metrics.streaks(act, 2),
        lambda act: metrics.headline(act, VALUES_HEADLINE, pd.Series([], dtype="int64"), 1),
    ],
)
def test_attendance_without_plm_held_is_an_error(measure):
    # Without plm_held a "no PLM held" cycle would silently count as missed: the caller is told instead.
    act = pd.DataFrame({"library_id": [1, 1], "seq": [1, 2], "attended": [True, False], "reported": [True, True]})
    with pytest.raises(ValueError, match="plm_held"):
        measure(act)


def test_participation_rate_empty():
    act = frame([], ["seq", "attended", "plm_held"], ["int64", "bool", "bool"])
    out = metrics.participation_rate(act, ["seq"])
    assert list(out.columns) == ["seq", "numerator", "denominator", "active", "rate"]
    assert out.empty


REPORT_COLUMNS = ["seq", "numerator", "denominator", "active", "rate", "on_time", "date_unknown", "timeliness"]


@pytest.mark.parametrize(
    "act, expected",
    [
        # seq 1: 3 of 4 reported -> 3/4; 2 of those 3 on time -> 2/3
        # seq 2: none of 2 reported -> 0; timeliness undefined -> NaN
        (
            pd.DataFrame(
                {
                    "seq": [1, 1, 1, 1, 2, 2],
                    "reported": [True, True, True, False, False, False],
                    "on_time": [True, False, True, False, False, False],
                }
            ),
            frame([(1, 3, 4, 4, 0.75, 2, 0, 2 / 3), (2, 0, 2, 2, 0.0, 0, 0, NAN)], REPORT_COLUMNS),
        ),
        # seq 5 listed before seq 3: output sorted by seq; seq 3: 1 of 1 on time; seq 5: 2 of 3 reported, both late
        (
            pd.DataFrame(
                {"seq": [5, 5, 5, 3], "reported": [True, False, True, True], "on_time": [False, False, False, True]}
            ),
            frame([(3, 1, 1, 1, 1.0, 1, 0, 1.0), (5, 2, 3, 3, 2 / 3, 0, 0, 0.0)], REPORT_COLUMNS),
        ),
        (
            frame([], ["seq", "reported", "on_time"], ["int64", "bool", "bool"]),
            frame([], REPORT_COLUMNS, ["int64"] * 8),
        ),
    ],
    ids=["late_and_no_reports", "unsorted_seq", "empty"],
)
def test_reporting_rate(act, expected):
    assert_frame_equal(metrics.reporting_rate(act, ["seq"]), expected, check_dtype=False)


# --- streaks ----------------------------------------------------------------------------------------------


def one_library(attended, first_seq=1, library_id=1):
    return pd.DataFrame(
        {
            "library_id": library_id,
            "seq": range(first_seq, first_seq + len(attended)),
            "attended": attended,
            "plm_held": True,
        }
    )


@pytest.mark.parametrize(
    "attended, first_seq, last_seq, expected",
    [
        # attended 1-3, missed 4, attended 5-6: current 2 (5,6), longest 3 (1-3)
        ([True, True, True, False, True, True], 1, 6, (1, 6, 5, 2, 3, False, False, 6, 0)),
        # missed the last two active cycles and active in last_seq 4 -> at risk
        ([True, True, False, False], 1, 4, (1, 4, 2, 0, 2, False, True, 4, 0)),
        # missed only the last one -> not at risk
        ([True, True, False], 1, 3, (1, 3, 2, 0, 2, False, False, 3, 0)),
        # missed two in the middle, attended the last -> not at risk, current 1, longest 1
        ([True, False, False, True], 1, 4, (1, 4, 2, 1, 1, False, False, 4, 0)),
        # one active cycle (joined in last_seq), missed it -> never attended, not at risk (needs two cycles)
        ([False], 4, 4, (1, 1, 0, 0, 0, True, False, 4, 0)),
        # left after seq 3 (range ends at 5): missed its last two but not active in 5 -> not at risk
        ([True, False, False], 1, 5, (1, 3, 1, 0, 1, False, False, 3, 0)),
        # left after seq 3 having attended all: current streak counts up to its last active cycle
        ([True, True, True], 1, 5, (1, 3, 3, 3, 3, False, False, 3, 0)),
        # never attended in three cycles -> never_attended and at risk
        ([False, False, False], 2, 4, (1, 3, 0, 0, 0, True, True, 4, 0)),
    ],
    ids=[
        "broken_then_resumed",
        "missed_last_two",
        "missed_last_one",
        "missed_middle_two",
        "single_cycle",
        "left_earlier",
        "left_on_a_streak",
        "never_attended",
    ],
)
def test_streaks_one_library(attended, first_seq, last_seq, expected):
    out = metrics.streaks(one_library(attended, first_seq), last_seq)
    assert_frame_equal(out, frame([expected], STREAK_COLUMNS), check_dtype=False)


def test_streaks_runs_do_not_cross_libraries_and_input_order_does_not_matter():
    act = pd.concat(
        [
            one_library([True, True], library_id=2),
            one_library([True, False, True, True], library_id=1),
            one_library([False, False], first_seq=3, library_id=3),
        ]
    )
    act = act.iloc[[5, 0, 7, 3, 1, 6, 2, 4]]  # shuffled
    out = metrics.streaks(act, 4)
    expected = frame(
        [
            (1, 4, 3, 2, 2, False, False, 4, 0),  # T F T T: current 2, longest 2
            (2, 2, 2, 2, 2, False, False, 2, 0),  # T T ending in 2 (not 1's run of 2 + 2's run of 2)
            (3, 2, 0, 0, 0, True, True, 4, 0),  # F F in 3, 4: missed both, active in 4
        ],
        STREAK_COLUMNS,
    )
    assert_frame_equal(out, expected, check_dtype=False)


def test_streaks_empty():
    act = frame([], ["library_id", "seq", "attended", "plm_held"], ["int64", "int64", "bool", "bool"])
    out = metrics.streaks(act, 4)
    assert list(out.columns) == STREAK_COLUMNS
    assert out.empty


# --- change_since_joining ---------------------------------------------------------------------------------

VALUES_CHANGE = frame(
    [
        (1, 5, "k", 15.0),
        (1, 3, "k", 10.0),
        (1, 4, "k", 12.0),
        (1, 6, "k", 100.0),  # unsorted; seq 6 after to_seq 5
        (2, 4, "k", 7.0),
        (2, 1, "x", 1.0),
        (2, 2, "x", 2.0),  # one "k" report only
        (3, 2, "k", 0.0),
        (3, 5, "k", 4.0),  # baseline 0
        (4, 1, "k", 8.0),
        (4, 2, "k", 6.0),
        (5, 5, "k", 3.0),
        (5, 7, "k", 9.0),  # second report after 5
        (6, 3, "k", 4.0),
        (6, 4, "k", 0.0),
    ],
    ["library_id", "seq", "indicator", "value"],
)


@pytest.mark.parametrize(
    "to_seq, expected",
    [
        (
            5,
            [
                (1, 3, 10.0, 5, 15.0, 3, 5.0, 0.5),  # 15 - 10 = 5; 5 / 10; seq 6 ignored
                (3, 2, 0.0, 5, 4.0, 2, 4.0, NAN),  # baseline 0 -> change_pct NaN
                (4, 1, 8.0, 2, 6.0, 2, -2.0, -0.25),  # 6 - 8 = -2; -2 / 8
                (6, 3, 4.0, 4, 0.0, 2, -4.0, -1.0),
            ],
        ),  # 0 - 4 = -4; -4 / 4
        (
            7,
            [
                (1, 3, 10.0, 6, 100.0, 4, 90.0, 9.0),  # now seq 6 counts: 100 - 10 = 90; 90 / 10
                (3, 2, 0.0, 5, 4.0, 2, 4.0, NAN),
                (4, 1, 8.0, 2, 6.0, 2, -2.0, -0.25),
                (5, 5, 3.0, 7, 9.0, 2, 6.0, 2.0),  # 9 - 3 = 6; 6 / 3
                (6, 3, 4.0, 4, 0.0, 2, -4.0, -1.0),
            ],
        ),
        (1, []),  # only single reports up to 1 -> nobody
    ],
)
def test_change_since_joining(to_seq, expected):
    out = metrics.change_since_joining(VALUES_CHANGE, "k", to_seq)
    assert_frame_equal(
        out.reset_index(drop=True), frame(expected, CHANGE_COLUMNS), check_dtype=False, check_index_type=False
    )


def test_change_since_joining_empty():
    values = frame([], ["library_id", "seq", "indicator", "value"], ["int64", "int64", "str", "float64"])
    out = metrics.change_since_joining(values, "k", 5)
    assert list(out.columns) == CHANGE_COLUMNS
    assert out.empty


# --- traffic_light and target_ratio -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "ratio, expected",
    [
        (1.5, "green"),
        (1.0, "green"),  # exactly at the green boundary
        (0.9999, "yellow"),
        (0.75, "yellow"),  # exactly at the yellow boundary
        (0.7499, "red"),
        (0.0, "red"),
        (NAN, ""),  # unknown
    ],
)
def test_traffic_light(ratio, expected):
    assert metrics.traffic_light([ratio]).tolist() == [expected]


def test_traffic_light_takes_a_series():
    assert metrics.traffic_light(pd.Series([1.0, 0.75, 0.74, NAN])).tolist() == ["green", "yellow", "red", ""]


@pytest.mark.parametrize(
    "value, target, higher_is_better, expected",
    [
        (8, 10, True, 0.8),  # 8 / 10
        (10, 10, True, 1.0),
        (0, 10, True, 0.0),  # 0 / 10
        (5, 0, True, NAN),  # 5 / 0 undefined
        (0, 0, True, NAN),  # 0 / 0 undefined
        (5, 10, False, 2.0),  # lower is better: 10 / 5
        (20, 10, False, 0.5),  # 10 / 20
        (5, 0, False, 0.0),  # 0 / 5
        (0, 10, False, math.inf),  # lower is better and 0: the best outcome (green; capped in the scorecard)
        (3, 4, 0, 4 / 3),  # higher_is_better stored as an integer (SQLite): 0 -> lower is better, 4 / 3
    ],
)
def test_target_ratio(value, target, higher_is_better, expected):
    out = metrics.target_ratio([value], [target], [higher_is_better])
    assert out.shape == (1,)
    if math.isnan(expected):
        assert math.isnan(out[0])
    else:
        assert out[0] == pytest.approx(expected)


def test_target_ratio_elementwise():
    out = metrics.target_ratio(pd.Series([8.0, 5.0, 0.0]), pd.Series([10.0, 10.0, 10.0]), pd.Series([1, 0, 0]))
    np.testing.assert_allclose(out, [0.8, 2.0, np.inf])  # 8/10; 10/5; lower is better and 0: best


# --- scorecard --------------------------------------------------------------------------------------------

INDICATORS = pd.DataFrame(
    {
        "code": ["k1", "k2", "k3"],
        "strategy": ["S1", "S1", "S2"],
        "target": [10.0, 4.0, 2.0],
        "higher_is_better": [1, 1, 0],
    }
)
REGION_OF = pd.Series({1: "R1", 2: "R1", 3: "R1", 4: "R2", 5: None})  # 5: no region; 6: not in the map
VALUES_SCORE = frame(
    [
        (1, 5, "k1", 6.0),
        (2, 5, "k1", 10.0),
        (3, 5, "k1", 20.0),  # R1 k1 median 10 -> 10/10 = 1.0
        (1, 5, "k2", 8.0),
        (2, 5, "k2", 12.0),  # R1 k2 median 10 -> 10/4 = 2.5, capped 1.5
        (1, 5, "k3", 4.0),
        (3, 5, "k3", 2.0),  # R1 k3 median 3 -> lower better 2/3
        (4, 5, "k1", 8.0),  # R2 k1 8/10 = 0.8; R2 has no k2
        (4, 5, "k3", 2.0),  # R2 k3 2/2 = 1.0
        (5, 5, "k1", 1000.0),
        (6, 5, "k1", 0.0),  # no region -> dropped
        (1, 4, "k1", 1000.0),
        (4, 4, "k3", 99.0),  # other cycle -> ignored
    ],
    ["library_id", "seq", "indicator", "value"],
)


def with_region(values: pd.DataFrame) -> pd.DataFrame:
    return values.assign(region=values["library_id"].map(REGION_OF))


SCORE_COLUMNS = ["region", "strategy", "ratio", "indicators", "status", "indicators_total"]


@pytest.mark.parametrize(
    "seq, expected",
    [
        # indicators_total: S1 has k1 and k2 (2), S2 has k3 (1)
        (
            5,
            [
                ("R1", "S1", 1.25, 2, "green", 2),  # mean(1.0, min(2.5, 1.5)) = 1.25
                ("R1", "S2", 2 / 3, 1, "red", 1),  # 2/3 < 0.75
                ("R2", "S1", 0.8, 1, "yellow", 2),  # only k1 reported: "1 of 2"
                ("R2", "S2", 1.0, 1, "green", 1),
            ],
        ),  # exactly 1.0
        (
            4,
            [
                ("R1", "S1", 1.5, 1, "green", 2),  # 1000/10 capped at 1.5
                ("R2", "S2", 2 / 99, 1, "red", 1),
            ],
        ),  # lower better: 2/99
        (9, []),  # nothing reported in 9
    ],
)
def test_scorecard(seq, expected):
    out = metrics.scorecard(with_region(VALUES_SCORE), INDICATORS, seq)
    assert sorted(out.columns) == sorted(SCORE_COLUMNS)
    assert_frame_equal(out[SCORE_COLUMNS], frame(expected, SCORE_COLUMNS), check_dtype=False, check_index_type=False)


def test_scorecard_mean_exactly_at_yellow_boundary():
    # k1 5/10 = 0.5 and k2 4/4 = 1.0 -> mean 0.75 -> yellow
    values = frame([(1, 5, "k1", 5.0), (1, 5, "k2", 4.0)], ["library_id", "seq", "indicator", "value"])
    out = metrics.scorecard(with_region(values), INDICATORS, 5)
    assert out[["region", "strategy", "ratio", "indicators", "status"]].values.tolist() == [
        ["R1", "S1", 0.75, 2, "yellow"]
    ]


# --- attendance_vs_improvement ----------------------------------------------------------------------------

GROUPS = ["0", "1–3", "4–6", "7–9", "10+"]


def test_attendance_vs_improvement_groups():
    act = pd.DataFrame({"library_id": [1, 1, 2, 3, 3, 4, 5, 5, 6, 7], "meetings": [0, 0, 1, 2, 1, 4, 5, 5, 6, 3]})
    change = pd.DataFrame({"library_id": [1, 2, 3, 4, 5, 6, 8], "change_pct": [0.1, 0.2, NAN, -0.5, 1.0, 0.3, 5.0]})
    out = metrics.attendance_vs_improvement(act, change)
    expected = frame(
        [
            ("0", 1, 0.1),  # lib 1: 0 + 0 PLMs
            ("1–3", 1, 0.2),  # lib 2: 1, lib 3: 2 + 1 = 3; lib 3's change is NaN: not counted, not in the median
            ("4–6", 2, -0.1),  # lib 4: 4, lib 6: 6; median(-0.5, 0.3) = -0.1
            ("7–9", 0, NAN),  # nobody -> empty group kept
            ("10+", 1, 1.0),  # lib 5: 5 + 5 = 10
        ],
        ["group", "libraries", "median_change_pct"],
    )  # lib 7 has no change, lib 8 no activity -> left out
    assert_frame_equal(out, expected, check_dtype=False)


@pytest.mark.parametrize(
    "plms, group",
    [
        (0, "0"),
        (1, "1–3"),
        (3, "1–3"),
        (4, "4–6"),
        (6, "4–6"),
        (7, "7–9"),
        (9, "7–9"),
        (10, "10+"),
        (25, "10+"),
    ],
)
def test_attendance_vs_improvement_bin_edges(plms, group):
    act = pd.DataFrame({"library_id": [1], "meetings": [plms]})
    change = pd.DataFrame({"library_id": [1], "change_pct": [0.4]})
    out = metrics.attendance_vs_improvement(act, change)
    assert out["group"].tolist() == GROUPS
    assert out["libraries"].tolist() == [1 if g == group else 0 for g in GROUPS]
    assert out.set_index("group").loc[group, "median_change_pct"] == 0.4


def test_attendance_vs_improvement_empty():
    act = frame([], ["library_id", "meetings"], ["int64", "int64"])
    change = frame([], ["library_id", "change_pct"], ["int64", "float64"])
    out = metrics.attendance_vs_improvement(act, change)
    expected = frame([(g, 0, NAN) for g in GROUPS], ["group", "libraries", "median_change_pct"])
    assert_frame_equal(out, expected, check_dtype=False)


# --- risers_and_fallers -----------------------------------------------------------------------------------


def rates_frame(rows, region="province"):
    """(region, seq, numerator, denominator) rows -> a participation_rate-shaped frame (rate = num / den)."""
    out = pd.DataFrame(rows, columns=[region, "seq", "numerator", "denominator"])
    return out.assign(rate=out["numerator"] / out["denominator"])


RATES_RF = rates_frame(
    [
        ("A", 0, 0, 5),  # seq 0 -> not compared
        ("A", 1, 2, 5),
        ("A", 2, 4, 5),  # 0.4 -> 0.8: +0.4
        ("C", 1, 2, 5),
        ("C", 2, 3, 5),  # 0.4 -> 0.6: +0.2 (listed before B, tie broken by code)
        ("B", 1, 4, 10),
        ("B", 2, 6, 10),  # 0.4 -> 0.6: +0.2
        ("D", 1, 5, 5),
        ("D", 2, 3, 5),  # 1.0 -> 0.6: -0.4
        ("L", 1, 10, 10),
        ("L", 2, 6, 10),  # 1.0 -> 0.6: -0.4
        ("J", 1, 4, 5),
        ("J", 2, 3, 5),  # 0.8 -> 0.6: -0.2
        ("E", 1, 4, 4),
        ("E", 2, 0, 6),  # 4 active in 1 -> left out
        ("F", 1, 3, 6),
        ("F", 2, 4, 4),  # 4 active in 2 -> left out
        ("G", 1, 3, 5),
        ("G", 2, 3, 5),  # no change -> neither list
        ("H", 2, 5, 5),  # not in 1 -> left out
    ]
)
RF_COLUMNS = ["province", "rate_before", "rate", "change"]


@pytest.mark.parametrize(
    "n, risers, fallers",
    [
        (
            5,
            [("A", 0.4, 0.8, 0.4), ("B", 0.4, 0.6, 0.2), ("C", 0.4, 0.6, 0.2)],
            [("D", 1.0, 0.6, -0.4), ("L", 1.0, 0.6, -0.4), ("J", 0.8, 0.6, -0.2)],
        ),
        (2, [("A", 0.4, 0.8, 0.4), ("B", 0.4, 0.6, 0.2)], [("D", 1.0, 0.6, -0.4), ("L", 1.0, 0.6, -0.4)]),
    ],
)
def test_risers_and_fallers(n, risers, fallers):
    up, down = metrics.risers_and_fallers(RATES_RF, "province", 2, n)
    assert_frame_equal(up[RF_COLUMNS], frame(risers, RF_COLUMNS), check_dtype=False, check_index_type=False)
    assert_frame_equal(down[RF_COLUMNS], frame(fallers, RF_COLUMNS), check_dtype=False, check_index_type=False)


def test_risers_and_fallers_carry_the_counts_behind_both_rates():
    up, down = metrics.risers_and_fallers(RATES_RF, "province", 2)
    counts = ["numerator_before", "denominator_before", "numerator", "denominator"]
    assert up.set_index("province").loc["B", counts].tolist() == [4, 10, 6, 10]  # 4/10 -> 6/10
    assert down.set_index("province").loc["J", counts].tolist() == [4, 5, 3, 5]  # 4/5 -> 3/5


def test_risers_and_fallers_exactly_five_active_is_enough():
    rates = rates_frame([("X", 1, 0, 5), ("X", 2, 5, 5)], region="district")  # 0 -> 1.0, 5 active both times
    up, down = metrics.risers_and_fallers(rates, "district", 2)
    assert up[["district", "rate_before", "rate", "change"]].values.tolist() == [["X", 0.0, 1.0, 1.0]]
    assert down.empty


# --- headline ---------------------------------------------------------------------------------------------

ACT_HEADLINE = pd.DataFrame(
    {
        "library_id": [1, 2, 3, 4, 1, 2],
        "seq": [3, 3, 3, 3, 2, 2],
        "attended": [True, False, True, True, False, False],
        "reported": [True, True, False, False, True, False],
        "plm_held": True,
    }
)
VALUES_HEADLINE = frame(
    [
        (1, 3, "kegiatan", 2.0),
        (2, 3, "kegiatan", 3.0),
        (1, 3, "peserta_kegiatan", 20.0),
        (2, 3, "peserta_kegiatan", 35.0),
        (1, 3, "x", 99.0),  # other indicator -> ignored
        (1, 2, "kegiatan", 100.0),
    ],
    ["library_id", "seq", "indicator", "value"],
)
VISITS = pd.Series([3, 3, 2, 4, 3])


@pytest.mark.parametrize(
    "seq, expected",
    [
        # 4 active; 3 of 4 attended; 2 reports; visits in 3: three; kegiatan 2 + 3; peserta 20 + 35
        # (no plm_held column: a PLM was held for every active library)
        (
            3,
            {
                "active": 4,
                "attended": 3,
                "plm_held": 4,
                "attendance_rate": 0.75,
                "reports": 2,
                "visits": 3,
                "activities": 5.0,
                "participants": 55.0,
            },
        ),
        # 2 active; 0 of 2 attended; 1 report; one visit in 2; kegiatan 100; no peserta
        (
            2,
            {
                "active": 2,
                "attended": 0,
                "plm_held": 2,
                "attendance_rate": 0.0,
                "reports": 1,
                "visits": 1,
                "activities": 100.0,
                "participants": 0.0,
            },
        ),
        # nothing in 9: no active libraries -> rate unknown
        (
            9,
            {
                "active": 0,
                "attended": 0,
                "plm_held": 0,
                "attendance_rate": NAN,
                "reports": 0,
                "visits": 0,
                "activities": 0.0,
                "participants": 0.0,
            },
        ),
    ],
)
def test_headline(seq, expected):
    out = metrics.headline(ACT_HEADLINE, VALUES_HEADLINE, VISITS, seq)
    assert set(out) == set(expected)
    for key, value in expected.items():
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(out[key]), key
        else:
            assert out[key] == pytest.approx(value), key


# --- region_series ----------------------------------------------------------------------------------------

RATES_RS = rates_frame(
    [
        ("D1", 1, 1, 10),
        ("D1", 2, 1, 10),  # denominators 20, numerators 2
        ("D2", 1, 7, 8),
        ("D2", 2, 8, 8),  # 16, 15
        ("D3", 1, 1, 3),
        ("D3", 2, 3, 3),  # 6, 4
        ("D4", 1, 1, 2),
        ("D4", 2, 0, 2),  # 4, 1
        ("D5", 1, 0, 1),
        ("D5", 2, 1, 1),  # 2, 1
    ],
    region="district",
)
RS_COLUMNS = ["district", "seq", "numerator", "denominator", "rate", "regions"]


@pytest.mark.parametrize(
    "top, order_by, expected",
    [
        # keep D1, D2 (largest denominators); others = D3 + D4 + D5:
        # seq 1: (1 + 1 + 0) / (3 + 2 + 1) = 2/6; seq 2: (3 + 0 + 1) / 6 = 4/6 (the mean of rates would be 0.61)
        (
            2,
            "denominator",
            [
                ("D1", 1, 1, 10, 0.1, 1),
                ("D1", 2, 1, 10, 0.1, 1),
                ("D2", 1, 7, 8, 7 / 8, 1),
                ("D2", 2, 8, 8, 1.0, 1),
                ("__others__", 1, 2, 6, 2 / 6, 3),
                ("__others__", 2, 4, 6, 4 / 6, 3),
            ],
        ),
        # keep D2 (15), D3 (4) by numerator; others = D1 + D4 + D5: seq 1: (1 + 1 + 0) / 13; seq 2: (1 + 0 + 1) / 13
        (
            2,
            "numerator",
            [
                ("D2", 1, 7, 8, 7 / 8, 1),
                ("D2", 2, 8, 8, 1.0, 1),
                ("D3", 1, 1, 3, 1 / 3, 1),
                ("D3", 2, 3, 3, 1.0, 1),
                ("__others__", 1, 2, 13, 2 / 13, 3),
                ("__others__", 2, 2, 13, 2 / 13, 3),
            ],
        ),
        # keep D1, D2, D3; others = D4 + D5: seq 1: 1/3; seq 2: 1/3
        (
            3,
            "denominator",
            [
                ("D1", 1, 1, 10, 0.1, 1),
                ("D1", 2, 1, 10, 0.1, 1),
                ("D2", 1, 7, 8, 7 / 8, 1),
                ("D2", 2, 8, 8, 1.0, 1),
                ("D3", 1, 1, 3, 1 / 3, 1),
                ("D3", 2, 3, 3, 1.0, 1),
                ("__others__", 1, 1, 3, 1 / 3, 2),
                ("__others__", 2, 1, 3, 1 / 3, 2),
            ],
        ),
    ],
)
def test_region_series_folds_the_rest(top, order_by, expected):
    out = metrics.region_series(RATES_RS, "district", top, order_by)
    assert_frame_equal(out, frame(expected, RS_COLUMNS), check_dtype=False)


@pytest.mark.parametrize("top", [4, 5, 10])  # 5 regions: folding a single region (or none) is pointless
def test_region_series_leaves_few_regions_alone(top):
    assert_frame_equal(metrics.region_series(RATES_RS, "district", top), RATES_RS.assign(regions=1), check_dtype=False)


# --- inputs are never changed -----------------------------------------------------------------------------

ACT_FULL = metrics.activity(LIBS_LEFT, 3, ATT_LEFT, SUB_LEFT).assign(province=lambda d: d["library_id"].astype(str))

CALLS = {
    "activity": (lambda f: metrics.activity(*f, 3, ATT_LEFT, SUB_LEFT), [LIBS_LEFT]),
    "activity_att": (lambda f: metrics.activity(LIBS_LEFT, 3, *f), [ATT_LEFT, SUB_LEFT]),
    "filter_libraries": (lambda f: metrics.filter_libraries(*f, province="11"), [LIBS_FILTER]),
    "participation_rate": (lambda f: metrics.participation_rate(*f, ["seq"]), [ACT_FULL]),
    "reporting_rate": (lambda f: metrics.reporting_rate(*f, ["seq"]), [ACT_FULL]),
    "streaks": (lambda f: metrics.streaks(*f, 3), [ACT_FULL.iloc[::-1]]),
    "change_since_joining": (lambda f: metrics.change_since_joining(*f, "k", 5), [VALUES_CHANGE]),
    "scorecard": (lambda f: metrics.scorecard(*f, 5), [with_region(VALUES_SCORE), INDICATORS]),
    "attendance_vs_improvement": (
        lambda f: metrics.attendance_vs_improvement(*f),
        [ACT_FULL, pd.DataFrame({"library_id": [1, 2], "change_pct": [0.5, NAN]})],
    ),
    "risers_and_fallers": (lambda f: metrics.risers_and_fallers(*f, "province", 2), [RATES_RF]),
    "headline": (lambda f: metrics.headline(*f, VISITS, 3), [ACT_HEADLINE, VALUES_HEADLINE]),
    "region_series": (lambda f: metrics.region_series(*f, "district", 2), [RATES_RS]),
}


@pytest.mark.parametrize("call, frames", CALLS.values(), ids=CALLS.keys())
def test_inputs_are_not_mutated(call, frames):
    frames = [f.copy() for f in frames]
    before = [f.copy(deep=True) for f in frames]
    call(frames)
    for after, kept in zip(frames, before):
        assert_frame_equal(after, kept)


# --- regressions found while writing these tests ------------------------------------------------------------


def test_risers_tie_exactly_and_order_by_region_code():
    # P: 2/5 -> 3/5 (+0.2); Q: 3/5 -> 4/5 (+0.2); in floats 0.6-0.4 and 0.8-0.6 differ in the last bit.
    rates = frame(
        [("P", 1, 2, 5), ("P", 2, 3, 5), ("Q", 1, 3, 5), ("Q", 2, 4, 5)],
        ["province", "seq", "numerator", "denominator"],
    )
    rates["rate"] = rates["numerator"] / rates["denominator"]
    risers, fallers = metrics.risers_and_fallers(rates, "province", 2)
    assert risers["province"].tolist() == ["P", "Q"]
    assert fallers.empty


def test_region_series_folds_reporting_rates_into_one_true_others_row():
    # D2 1/2 and D3 0/1 (timeliness NaN: nothing reported) fold into others: (1+0)/(2+1) = 1/3;
    # others' timeliness: on time 1 of 1 reported = 1.0.
    rates = frame(
        [("D1", 1, 5, 10, 4, 0.8), ("D2", 1, 1, 2, 1, 1.0), ("D3", 1, 0, 1, 0, NAN)],
        ["district", "seq", "numerator", "denominator", "on_time", "timeliness"],
    )
    rates["rate"] = rates["numerator"] / rates["denominator"]
    out = metrics.region_series(rates, "district", top=1)
    others = out[out["district"] == "__others__"]
    assert len(others) == 1
    assert others[["numerator", "denominator", "on_time"]].values.tolist() == [[1, 3, 1]]
    assert others["rate"].iloc[0] == pytest.approx(1 / 3)
    assert others["timeliness"].iloc[0] == pytest.approx(1.0)
