"""Issue 12 on the pages (AppTest on the seed database): every cycle axis lists the range's cycles in time order
(cause 7), the scorecard says on how many indicators a cell rests (8), rates carry their n (9), folded regions
say how many they hold and CSVs hold every region (5), cycles without PLM and undated reports are shown as
such (6, 1). Expected values come from SQL written here or from hand-made rules, not from analytics/."""

from __future__ import annotations

import re
import sqlite3

import pytest
from test_pages import charts, open_page

pytestmark = pytest.mark.usefixtures("fresh_caches")

CYCLE = re.compile(r"^\d{4}-\d$")


def range_cycles(db, first: str, last: str) -> list[str]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT id FROM cycles WHERE seq BETWEEN (SELECT seq FROM cycles WHERE id = ?) "
                        "AND (SELECT seq FROM cycles WHERE id = ?) ORDER BY seq", (first, last)).fetchall()
    conn.close()
    return [r[0] for r in rows]


def cycle_axes(figures: list[dict]) -> list[tuple[dict, list[list]]]:
    """Every x axis whose data are cycle ids, with the x arrays of the traces drawn on it."""
    out = []
    for fig in figures:
        for name, axis in fig["layout"].items():
            if not name.startswith("xaxis"):
                continue
            ref = "x" + name[5:]
            xs = [tr["x"] for tr in fig["data"] if tr.get("xaxis", "x") == ref and isinstance(tr.get("x"), list)]
            if xs and all(isinstance(x, str) and CYCLE.match(x) for x in sum(xs, [])):
                out.append((axis, xs))
    return out


@pytest.mark.parametrize("page,params,first,last", [
    ("overview", {"from": "2016-1"}, "2016-1", "2018-3"),
    ("participation", {"province": "34", "from": "2016-1"}, "2016-1", "2018-3"),
    ("impact", {"province": "33", "from": "2015-1", "to": "2018-2"}, "2015-1", "2018-2"),
    ("impact", {"from": "2012-1", "indicator": "pengguna_internet"}, "2012-1", "2018-3"),
    ("data-quality", {"province": "34", "from": "2015-1"}, "2015-1", "2018-3"),
    ("compare", {"compare": "p:34,p:33", "from": "2016-1"}, "2016-1", "2018-3"),
])
def test_every_cycle_axis_lists_the_range_in_time_order(seed_db, page, params, first, last):
    at = open_page(page, **params)
    axes = cycle_axes(charts(at))
    assert axes, "no chart over cycles on the page"
    expected = range_cycles(seed_db, first, last)
    for axis, xs in axes:
        assert axis.get("categoryorder") == "array" and axis.get("categoryarray") == expected
        assert all(x == expected for x in xs)  # each line or bar row in time order, every cycle in its slot


def test_library_profile_axes_run_from_joining_in_time_order(seed_db):
    conn = sqlite3.connect(seed_db)
    kelor, joined = conn.execute("SELECT id, joined_cycle FROM libraries WHERE name = 'Perpustakaan Desa Kelor'"
                                 ).fetchone()
    last, = conn.execute("SELECT id FROM cycles ORDER BY seq DESC LIMIT 1").fetchone()
    conn.close()
    axes = cycle_axes(charts(open_page("library", library=str(kelor))))
    assert len(axes) == 2
    expected = range_cycles(seed_db, joined, last)
    for axis, xs in axes:
        assert axis["categoryorder"] == "array" and axis["categoryarray"] == expected
        assert all(x == expected for x in xs)
