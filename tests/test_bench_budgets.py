"""The benchmark's budget arithmetic (analytics.tools.bench.evaluate / check_ratios), on figures worked by hand, and how
it times an aggregation against DuckDB."""

import time

from analytics.tools import bench


def report(pages, aggregations=None, **figures) -> bench.Report:
    r = bench.Report(
        scale="program",
        database="x.db",
        floor_seconds=0.010,
        pages=pages,
        aggregations=aggregations
        or [{"name": "a", "seconds": 0.015, "duckdb_seconds": 0.010, "ratio": 1.5, "equal": True}],
        cold_start_seconds=2.0,
        second_session_seconds=0.2,
        server_peak_memory_mb=300,
        session_memory_mb=5,
        import_seconds=1.0,
    )
    for k, v in figures.items():
        setattr(r, k, v)
    r.budgets = bench.evaluate(r)
    return r


def page(seconds, data, name="library"):
    return {
        "page": name,
        "query": {},
        "seconds": seconds,
        "aggregation_seconds": data,
        "bytes": 1000,
        "max_chart_points": 10,
    }


def test_a_rerun_within_twice_the_floor_plus_its_data_work_holds():
    # 0.058 / (0.010 + 0.020) = 1.93: within 2x
    r = report([page(0.058, 0.020), page(0.040, 0.030, "overview")])
    assert round(r.budgets["rerun within 2x (floor + its aggregations)"]["value"], 2) == 1.93
    assert r.budgets["rerun within 2x (floor + its aggregations)"]["ok"]
    assert bench.check_ratios(r) == []


def test_a_rerun_over_twice_or_a_slow_or_unequal_aggregation_fails_the_check():
    r = report([page(0.040, 0.020, "overview"), page(0.061, 0.020)])  # library: 0.061 / 0.030 = 2.03
    assert not r.budgets["rerun within 2x (floor + its aggregations)"]["ok"]
    assert round(r.budgets["rerun within 2x (floor + its aggregations)"]["value"], 2) == 2.03
    assert bench.check_ratios(r) == ["rerun within 2x (floor + its aggregations)"]
    slow = report(
        [page(0.040, 0.020)],
        aggregations=[{"name": "a", "seconds": 0.025, "duckdb_seconds": 0.010, "ratio": 2.5, "equal": False}],
    )
    assert bench.check_ratios(slow) == ["aggregations within 2x DuckDB", "aggregation results equal DuckDB's"]


def test_absolute_budgets_are_reported_but_never_fail_the_check():
    r = report([page(0.400, 0.300)], import_seconds=9.0, cold_start_seconds=7.0)
    assert not r.budgets["rerun within 300 ms"]["ok"]
    assert not r.budgets["100,000-row import within 5 s"]["ok"]
    assert not r.budgets["cold start within 5 s"]["ok"]
    assert bench.check_ratios(r) == []  # 0.400 / 0.310 = 1.29


def test_our_aggregation_and_duckdbs_are_timed_in_turn_and_their_results_kept():
    calls = []

    def ours():
        calls.append("ours")
        time.sleep(0.004)
        return "our frame"

    def theirs():
        calls.append("theirs")
        time.sleep(0.002)
        return "their frame"

    ours_s, ours_result, theirs_s, theirs_result = bench.paired_median_times(ours, theirs, 5)
    # A warm-up of each, then five runs alternating: a machine slowing down meanwhile slows both alike.
    assert calls == ["ours", "theirs"] * 6
    assert (ours_result, theirs_result) == ("our frame", "their frame")
    assert 0.004 <= ours_s < 0.004 + 0.01 and 0.002 <= theirs_s < 0.002 + 0.01
    assert ours_s > theirs_s


def browser_row(name, seconds, baseline, charts=3):
    return {
        "page": name,
        "charts": charts,
        "seconds": seconds,
        "baseline_seconds": baseline,
        "runs": [seconds],
        "baseline_runs": [baseline],
    }


def test_a_page_in_chromium_within_one_and_a_half_times_its_baseline_holds():
    # 0.900 / 0.600 = 1.50 and 0.700 / 0.500 = 1.40: the worst is 1.50, within 1.5x
    r = report(
        [page(0.040, 0.020)],
        browser={"pages": [browser_row("overview", 0.900, 0.600), browser_row("awards", 0.700, 0.500)]},
    )
    budget = r.budgets["page settled in Chromium within 1.5x its baseline"]
    assert round(budget["value"], 2) == 1.50 and budget["ok"]
    assert bench.check_ratios(r) == []


def test_a_page_in_chromium_over_one_and_a_half_times_its_baseline_is_reported_not_enforced():
    # awards: 0.780 / 0.500 = 1.56 > 1.5: shown as broken, but --check does not fail on it yet (most pages are
    # over it at program scale; docs/benchmarks.md)
    r = report(
        [page(0.040, 0.020)],
        browser={"pages": [browser_row("overview", 0.900, 0.600), browser_row("awards", 0.780, 0.500)]},
    )
    budget = r.budgets["page settled in Chromium within 1.5x its baseline"]
    assert round(budget["value"], 2) == 1.56 and not budget["ok"]
    assert bench.check_ratios(r) == []


def test_without_a_browser_part_there_is_no_browser_budget():
    r = report([page(0.040, 0.020)])
    assert "page settled in Chromium within 1.5x its baseline" not in r.budgets


def test_the_pages_added_later_are_reported_but_not_in_the_enforced_rerun_ratio():
    # awards: 0.100 / (0.010 + 0.020) = 3.33 is reported in the table; the enforced worst is overview's
    # 0.040 / (0.010 + 0.020) = 1.33
    r = report([page(0.040, 0.020, "overview"), page(0.100, 0.020, "awards")])
    assert round(r.budgets["rerun within 2x (floor + its aggregations)"]["value"], 2) == 1.33
    assert bench.check_ratios(r) == []
    assert "| awards | 100 |" in bench.table(r) and "3.33 (reported)" in bench.table(r)


def test_the_refresh_after_an_import_is_enforced_as_a_share_of_the_full_read():
    # 0.40 s against a 2.5 s full read: 0.16 of it, within 0.2 (checked); 0.40 s is within the 1 s (reported)
    r = report(
        [page(0.040, 0.020)],
        snapshot_rebuild_seconds=2.5,
        refresh={"rows": 1000, "refresh_seconds": 0.15, "seconds": 0.40},
    )
    assert round(r.budgets["refresh within 0.2 of the full read"]["value"], 2) == 0.16
    assert r.budgets["refresh within 0.2 of the full read"]["ok"]
    assert r.budgets["refresh after a 1,000-row import within 1 s"]["ok"]
    assert bench.check_ratios(r) == []
    # 1.2 s against a 5.0 s full read: 0.24 (fails the check) and over 1 s (reported only)
    slow = report(
        [page(0.040, 0.020)],
        snapshot_rebuild_seconds=5.0,
        refresh={"rows": 1000, "refresh_seconds": 0.5, "seconds": 1.2},
    )
    assert not slow.budgets["refresh after a 1,000-row import within 1 s"]["ok"]
    assert bench.check_ratios(slow) == ["refresh within 0.2 of the full read"]
    assert "- refresh after a 1,000-row import" in bench.table(slow)
