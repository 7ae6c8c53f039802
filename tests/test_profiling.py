"""What the benchmark counts as a rerun's data work (analytics.tools.profiling, switched on by PLM_BENCH=1).

Each check runs in its own Python process: installing the timers rewraps analytics.views for the process."""

import json
import os
import subprocess
import sys

from analytics.config import ROOT

PROBE = r"""
import json, sys, time
from analytics import dataset, views
from analytics.tools import profiling
from analytics.filters import Filters

profiling.install()
ds = dataset.load(sys.argv[1])
profiling.start()
sel = views.select(ds, Filters(province="34"))      # a views function
after_select = profiling._local.views_seconds
started = time.perf_counter()
empty = sel.empty                                   # a Selection property: filters the activity rows
lazy = time.perf_counter() - started
after_empty = profiling._local.views_seconds
sum(range(200_000))                                 # not data work
print(json.dumps({"after_select": after_select, "lazy": lazy, "after_empty": after_empty,
                  "end": profiling._local.views_seconds, "empty": empty,
                  "rows": len(sel.activity), "selection_timed": sel.__class__.__dict__["activity"].func.__name__}))
"""


def probe(db, bench: bool) -> dict:
    env = {**os.environ, "PLM_BENCH": "1" if bench else "0"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout)


def test_selection_properties_a_page_reads_count_as_data_work(seed_db):
    r = probe(seed_db, bench=True)
    assert r["after_select"] > 0
    # The activity rows are filtered inside sel.empty, asked for by the page, not by a views function: counted.
    grew = r["after_empty"] - r["after_select"]
    assert 0.8 * r["lazy"] <= grew <= r["lazy"]
    assert r["end"] == r["after_empty"]  # work outside analytics.views is not counted
    assert r["rows"] > 0 and r["empty"] is False
    assert r["selection_timed"] == "timed"


def test_nothing_is_wrapped_without_the_benchmark_switch(seed_db):
    r = probe(seed_db, bench=False)
    # start() leaves the counter at zero and install() wraps nothing: the property keeps its own function.
    assert r["after_select"] == 0 and r["end"] == 0
    assert r["selection_timed"] == "activity"


AWARDS_PROBE = r"""
import json, sys, time
from analytics import awards, dataset, views
from analytics.tools import profiling
from analytics.filters import Filters

profiling.install()
ds = dataset.load(sys.argv[1])
sel = views.select(ds, Filters())
sel.activity, sel.values_of_cycle(sel.last_seq)     # the selection's own work, before the counter starts
profiling.start()
started = time.perf_counter()
awards.ranking(ds, Filters(), "video_dampak", awards.DEFAULT_WEIGHTS["video_dampak"], sel)
print(json.dumps({"ranking": time.perf_counter() - started, "counted": profiling._local.views_seconds}))
"""


def test_the_awards_ranking_counts_as_data_work(seed_db):
    env = {**os.environ, "PLM_BENCH": "1"}
    out = subprocess.run(
        [sys.executable, "-c", AWARDS_PROBE, str(seed_db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    r = json.loads(out.stdout)
    assert r["ranking"] > 0 and 0.8 * r["ranking"] <= r["counted"] <= r["ranking"]
