"""The benchmark's Chromium part (analytics/tools/browser.py) on the seed demo, one page and one choice: it
opens the page and its baseline, chooses a province in each sidebar and returns times that hang together.
Marked browser and slow (about a minute): the default run leaves it out; the budget arithmetic on these
figures is tested in tests/test_bench_budgets.py."""

import pytest

from analytics.tools import browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not browser.CHROMIUM.exists(), reason=f"{browser.CHROMIUM} is missing"),
]


def test_a_page_and_its_baseline_are_timed_from_the_choice_to_settled(seed_db):
    out = browser.measure(seed_db, repeats=1, pages={"library": "library"}, progress=lambda message: None)
    (row,) = out["pages"]
    assert row["page"] == "library" and row["charts"] >= 1
    # the server's "script finished" arrives after the click and before the page has settled
    assert 0 < row["finished_seconds"] <= row["seconds"] < 60
    assert 0 < row["baseline_seconds"] < 60 and row["ratio"] == row["seconds"] / row["baseline_seconds"]
    assert row["elements"] > row["baseline_elements"] > 0
    assert len(row["runs"]) == len(row["baseline_runs"]) == 1
