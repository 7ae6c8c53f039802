"""``python -m analytics bench``: how fast the dashboard is at a demo scale, measured in one process.

Every figure is a median of repeated runs after a warm-up. Aggregations are timed next to the same result
computed by DuckDB on the same frames in the same run (and checked equal); page reruns next to an empty
Streamlit page's rerun. Budgets (issue 5) are evaluated and reported; ``check_ratios`` fails on the ratio
budgets only (the 2x figures), since absolute times depend on the machine.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config, dataset, demo, metrics, store, views
from ..filters import Filters

PAGES = {
    "overview": "pages/overview.py",
    "participation": "pages/participation.py",
    "impact": "pages/impact.py",
    "compare": "pages/compare.py",
    "library": "pages/library.py",
    "data-quality": "pages/data_quality.py",
    "stories": "pages/stories.py",
    "awards": "pages/awards.py",
    "present": "pages/present.py",
}
# The pages whose rerun ratio (over the floor plus data work) CI enforces; the stories, awards and presentation
# pages were added later (issue 13) and are reported with their ratio, their absolute time against 300 ms.
RATIO_PAGES = ("overview", "participation", "impact", "compare", "library", "data-quality")


def changes(cycles: list[str]) -> list[dict]:
    """Typical filter changes of an officer at a meeting, applied one after the other."""
    recent = cycles[len(cycles) * 2 // 3]
    return [
        {"province": "34", "district": None},
        {"province": "33", "district": None},
        {"district": "33.10"},
        {"province": None, "district": None, "tier": "desa"},
        {"tier": None, "indicator": "pengguna_internet"},
        {"indicator": "kunjungan", "from_cycle": recent},
        {"from_cycle": None},
    ]


BUDGETS = {
    "aggregation_ratio": 2.0,
    "rerun_seconds": 0.3,
    "rerun_ratio": 2.0,
    "cold_start_seconds": 5.0,
    "second_session_seconds": 1.0,
    "bytes_per_rerun": 2_000_000,
    "chart_points": 10_000,
    "peak_memory_mb": 1536,
    "session_memory_mb": 30,
    "import_seconds": 5.0,
    "browser_ratio": 1.5,
    "refresh_seconds": 1.0,
    "refresh_share": 0.2,
}
BROWSER_REPEATS = 3  # choices timed per page in Chromium (and as many on its baseline): ~3 minutes on 2 cores


def paired_median_times(
    ours: Callable[[], object], theirs: Callable[[], object], repeats: int
) -> tuple[float, object, float, object]:
    """Median times of two ways to the same result, run in turn (ours, theirs, ours, ...) after a warm-up of
    each, so that the machine slowing down or speeding up meanwhile falls on both alike."""
    ours_result, theirs_result = ours(), theirs()
    ours_times, theirs_times = [], []
    for _ in range(repeats):
        for fn, times in ((ours, ours_times), (theirs, theirs_times)):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    return statistics.median(ours_times), ours_result, statistics.median(theirs_times), theirs_result


AGGREGATION_RUNS = 21  # at least: each takes milliseconds, so more runs make a steadier median cheaply


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Report:
    scale: str
    database: str
    machine: dict = field(default_factory=dict)
    build_seconds: float | None = None
    database_mb: float = 0.0
    rows: dict = field(default_factory=dict)
    cold_start_seconds: float = 0.0
    snapshot_rebuild_seconds: float = 0.0
    aggregations: list[dict] = field(default_factory=list)
    floor_seconds: float = 0.0
    pages: list[dict] = field(default_factory=list)
    second_session_seconds: float = 0.0
    peak_memory_mb: float = 0.0
    server_peak_memory_mb: float = 0.0
    session_memory_mb: float = 0.0
    import_seconds: float = 0.0
    import_rows: int = 0
    refresh: dict = field(default_factory=dict)  # refresh_after_import: rows, refresh_seconds, seconds
    browser: dict = field(default_factory=dict)  # analytics.tools.browser.measure: {"pages": [...], ...}
    budgets: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, default=float)


# --- the database ---


def ensure_database(scale: str, path: Path) -> float | None:
    """Build the scale's demo database unless the file already holds it; return the build time if built."""
    if path.exists():
        with store.opened(path, readonly=True) as conn:
            if store.meta(conn).get("demo_scale") == scale:
                return None
    started = time.perf_counter()
    demo.build(path, scale)
    return time.perf_counter() - started


# --- the core aggregations, ours and DuckDB's ---


def _equal(ours: pd.DataFrame, theirs: pd.DataFrame, keys: list[str]) -> bool:
    a = ours.sort_values(keys).reset_index(drop=True)
    b = theirs.sort_values(keys).reset_index(drop=True)
    if len(a) != len(b) or list(a[keys].astype(str).itertuples(index=False)) != list(
        b[keys].astype(str).itertuples(index=False)
    ):
        return False
    for column in a.columns:
        if column in keys:
            continue
        x, y = a[column].to_numpy(dtype=float), b[column].to_numpy(dtype=float)
        if not np.allclose(x, y, rtol=1e-9, atol=1e-12, equal_nan=True):
            return False
    return True


def aggregations(ds: dataset.Dataset, repeats: int) -> list[dict]:
    import duckdb

    sel = views.select(ds, Filters())
    act = sel.activity[["region", "seq", "attended", "plm_held", "reported", "on_time"]].reset_index(drop=True)
    vals = sel.values[["region", "seq", "value"]].reset_index(drop=True)
    last = sel.last_seq
    cycle_vals = sel.with_region(sel.values_of_cycle(last))[["region", "indicator", "seq", "value"]]
    cycle_vals = cycle_vals.reset_index(drop=True)  # categorical region and indicator, for both engines
    ind = ds.indicators[["code", "strategy", "target", "higher_is_better"]]
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    for name, frame in (("act", act), ("vals", vals), ("cycle_vals", cycle_vals), ("ind", ind)):
        con.register(name, frame)
    cases = [
        (
            "participation rate by province x cycle",
            ["region", "seq"],
            lambda: metrics.participation_rate(act, ["region", "seq"])[
                ["region", "seq", "numerator", "denominator", "active", "rate"]
            ],
            # docs/metrics.md: library-cycles without any PLM held are out of the rate (numerator and denominator)
            "SELECT region, seq, sum(attended::INT) AS numerator, sum(plm_held::INT) AS denominator, "
            "count(*) AS active, CASE WHEN sum(plm_held::INT) > 0 THEN sum(attended::INT) / sum(plm_held::INT) END "
            "AS rate FROM act GROUP BY region, seq",
        ),
        (
            "reporting rate by province x cycle",
            ["region", "seq"],
            lambda: metrics.reporting_rate(act, ["region", "seq"])[
                ["region", "seq", "numerator", "denominator", "rate", "on_time", "timeliness"]
            ],
            "SELECT region, seq, sum(reported::INT) AS numerator, count(*) AS denominator, "
            "sum(reported::INT) / count(*) AS rate, sum(on_time::INT) AS on_time, "
            "CASE WHEN sum(reported::INT) > 0 THEN sum(on_time::INT) / sum(reported::INT) END AS timeliness "
            "FROM act GROUP BY region, seq",
        ),
        (
            "indicator median by province x cycle",
            ["region", "seq"],
            lambda: vals.groupby(["region", "seq"])["value"].median().rename("value").reset_index(),
            "SELECT region, seq, median(value) AS value FROM vals GROUP BY region, seq",
        ),
        (
            "scorecard provinces x strategies",
            ["region", "strategy"],
            lambda: metrics.scorecard(cycle_vals, ind, last)[["region", "strategy", "ratio", "indicators"]],
            f"""WITH med AS (SELECT region, indicator, median(value) AS m FROM cycle_vals WHERE seq = {int(last)}
                          AND region IS NOT NULL GROUP BY region, indicator),
                 r AS (SELECT med.region, ind.strategy,
                         least(CASE WHEN ind.higher_is_better = 1 THEN m / ind.target
                                    WHEN m = 0 AND ind.target > 0 THEN 'inf'::DOUBLE ELSE ind.target / m END,
                               {metrics.RATIO_CAP}) AS ratio
                       FROM med JOIN ind ON ind.code = med.indicator)
             SELECT region, strategy, avg(ratio) AS ratio, count(ratio) AS indicators FROM r
             GROUP BY region, strategy""",  # noqa: S608 (formats an int and a constant only)
        ),
    ]
    out = []
    for name, keys, ours, sql in cases:
        ours_s, ours_frame, theirs_s, theirs_frame = paired_median_times(
            ours, lambda sql=sql: con.execute(sql).df(), max(repeats, AGGREGATION_RUNS)
        )
        out.append(
            {
                "name": name,
                "seconds": ours_s,
                "duckdb_seconds": theirs_s,
                "ratio": ours_s / theirs_s,
                "rows": len(ours_frame),
                "equal": _equal(ours_frame, theirs_frame, keys),
            }
        )
    con.close()
    return out


# --- page reruns on a real server, driven like a browser ---

# The same server as the app's: with Nagle's algorithm off (app.py does the same; analytics/tools/nodelay.py).
FLOOR_PAGE = 'import streamlit as st\nfrom analytics.tools import nodelay\nnodelay.enable()\nst.write("PLM")\n'


def _median_rerun(session, page: str, query: dict, n: int) -> float:
    return statistics.median(session.rerun(page, query).seconds for _ in range(n))


def page_reruns(path: Path, repeats: int) -> dict:
    """Each page's rerun after each typical filter change, measured on ``streamlit run`` over its websocket:
    the time from the request to the server's 'script finished' (server time plus loopback), the bytes
    sent, the chart sizes, and (from the server's own log, PLM_BENCH=1) the time spent in the page's data
    work (``analytics.views`` and ``analytics.queries``). Each change's times are medians of ``repeats``
    rounds of the whole sequence; its slowest single rerun is kept too."""
    from .server import Server

    out: dict = {"pages": []}
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty_page.py"
        empty.write_text(FLOOR_PAGE)
        with Server(path, script=empty) as floor_server:
            session = floor_server.session()
            session.rerun("", {})
            out["floor_seconds"] = _median_rerun(session, "", {}, repeats * 3)
            session.close()
    with store.opened(path, readonly=True) as conn:
        cycles = [r[0] for r in conn.execute("SELECT id FROM cycles ORDER BY seq")]
    colds = []
    for attempt in range(3):  # cold start: a new server process to the overview drawn, snapshot present
        server = Server(path, env={"PLM_BENCH": "1"}).start()
        session = server.session()
        first = session.rerun("", {})
        colds.append(time.perf_counter() - server.started_at)
        if attempt < 2:
            session.close()
            server.stop()
    out["cold_start_seconds"] = statistics.median(colds)
    out["first_page_seconds"] = first.seconds
    try:
        for page in PAGES:
            query: dict = {"compare": "p:34,p:33,p:35"} if page == "compare" else {}
            session.rerun(page, query)  # warm-up of the page's own code
            runs: dict[int, list[dict]] = {}
            # The sequence of changes, `repeats` times over: each rerun follows a real filter change, and each
            # change's figures are medians over the rounds (the "medians of repeated runs").
            for _ in range(repeats):
                for i, change in enumerate(changes(cycles)):
                    for key, value in change.items():
                        name = {"from_cycle": "from", "to_cycle": "to"}.get(key, key)
                        if value is None:
                            query.pop(name, None)
                        else:
                            query[name] = value
                    before = len(server.timings())
                    r = session.rerun(page, query)
                    if r.exceptions:
                        raise RuntimeError(f"{page} {query}: {r.exceptions}")
                    # The server's timing line is read from its stderr by a thread: on a busy machine it can
                    # arrive after the client saw "script finished" (a rerun then counted no data work at all).
                    deadline = time.perf_counter() + 5
                    while len(server.timings()) <= before and time.perf_counter() < deadline:
                        time.sleep(0.002)
                    logged = server.timings()[before:]
                    runs.setdefault(i, []).append(
                        {
                            "query": dict(query),
                            "seconds": r.seconds,
                            "bytes": r.bytes,
                            "server_seconds": logged[-1]["seconds"] if logged else None,
                            "aggregation_seconds": logged[-1]["views_seconds"] if logged else 0.0,
                            "max_chart_points": max(r.chart_points, default=0),
                        }
                    )
            for rs in runs.values():
                out["pages"].append(
                    {
                        "page": page,
                        "query": rs[0]["query"],
                        "seconds": statistics.median(x["seconds"] for x in rs),
                        "aggregation_seconds": statistics.median(x["aggregation_seconds"] for x in rs),
                        "server_seconds": statistics.median(x["server_seconds"] or 0.0 for x in rs),
                        "slowest_seconds": max(x["seconds"] for x in rs),
                        "runs": [x["seconds"] for x in rs],
                        "bytes": max(x["bytes"] for x in rs),
                        "max_chart_points": max(x["max_chart_points"] for x in rs),
                    }
                )
        rss_before = server.memory_mb()
        second = server.session()
        out["second_session_seconds"] = second.rerun("", {}).seconds
        for page in PAGES:
            second.rerun(page, {"compare": "p:34,p:33"} if page == "compare" else {})
        out["session_memory_mb"] = server.memory_mb() - rss_before
        out["server_peak_memory_mb"] = server.memory_mb("VmHWM")
        second.close()
        session.close()
    finally:
        server.stop()
    return out


# --- cold start, snapshot rebuild, import ---


def snapshot_rebuild(path: Path) -> float:
    from .. import snapshot

    started = time.perf_counter()
    snapshot.read_sqlite(path)
    return time.perf_counter() - started


def import_reports(path: Path, rows: int = 100_000) -> float:
    """Import a long reports CSV of ``rows`` rows into a copy of the database."""
    from .. import importing

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "import.db"
        store.backup(path, copy)
        with sqlite3.connect(copy) as conn:
            libs = [r[0] for r in conn.execute("SELECT id FROM libraries ORDER BY id LIMIT 5000")]
            cycles = [r[0] for r in conn.execute("SELECT id FROM cycles ORDER BY seq DESC LIMIT 4")]
            codes = [r[0] for r in conn.execute("SELECT code FROM indicators ORDER BY code LIMIT 5")]
        body = [f"{lib};{c};{code};{lib % 97};\r\n" for c in cycles for code in codes for lib in libs][:rows]
        data = ("id_perpustakaan;siklus;indikator;nilai;tanggal_lapor\r\n" + "".join(body)).encode()
        started = time.perf_counter()
        outcome = importing.run_import(copy, data, "bench-reports.csv", "reports", user="bench")
        seconds = time.perf_counter() - started
        if outcome.status != "done":
            raise RuntimeError(f"benchmark import {outcome.status}: {outcome.message('en')}")
    return seconds


REFRESH_ROWS = 1_000


def refresh_after_import(path: Path, rows: int = REFRESH_ROWS) -> dict:
    """On a copy of the database: its frames read in full, a ``rows``-row reports import (200 libraries x 5
    indicators of the last cycle: a district's file), then the time to the pages' new Dataset without a full
    read (``snapshot.refresh`` of the changed keys, then ``dataset.from_frames``). Raises if the refresh
    declines (a full read would be needed)."""
    from .. import importing, snapshot

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "refresh.db"
        store.backup(path, copy)
        frames = snapshot.read_sqlite(copy)
        per = 5
        with sqlite3.connect(copy) as conn:
            cycle = conn.execute("SELECT id FROM cycles ORDER BY seq DESC LIMIT 1").fetchone()[0]
            codes = [r[0] for r in conn.execute("SELECT code FROM indicators ORDER BY code LIMIT ?", (per,))]
            libs = [r[0] for r in conn.execute("SELECT id FROM libraries ORDER BY id LIMIT ?", (rows // per,))]
        body = [f"{lib};{cycle};{code};{lib % 89 + 1};\r\n" for lib in libs for code in codes][:rows]
        data = ("id_perpustakaan;siklus;indikator;nilai;tanggal_lapor\r\n" + "".join(body)).encode()
        outcome = importing.run_import(copy, data, "bench-refresh.csv", "reports", user="bench")
        if outcome.status != "done":
            raise RuntimeError(f"benchmark import {outcome.status}: {outcome.message('en')}")
        started = time.perf_counter()
        fresh = snapshot.refresh(copy, frames)
        refreshed = time.perf_counter()
        if fresh is None:
            raise RuntimeError("snapshot.refresh declined after a plain import: a full read would be needed")
        dataset.from_frames(fresh)
        done = time.perf_counter()
    return {"rows": len(body), "refresh_seconds": refreshed - started, "seconds": done - started}


# --- the whole run ---


def run(
    scale: str, db: str | None = None, repeats: int = 5, progress=print, browser_repeats: int = BROWSER_REPEATS
) -> Report:
    path = Path(db) if db else config.DATA_DIR / f"bench-{scale}.db"
    report = Report(
        scale=scale,
        database=str(path),
        machine={
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        },
    )
    progress(f"database {path}")
    report.build_seconds = ensure_database(scale, path)
    with store.opened(path, readonly=True) as conn:
        report.rows = store.row_counts(conn)
    report.database_mb = path.stat().st_size / 1e6
    progress("snapshot rebuild")
    shutil.rmtree(path.with_name(path.name + ".snapshot"), ignore_errors=True)
    report.snapshot_rebuild_seconds = snapshot_rebuild(path)
    dataset.load(path)  # writes the snapshot the cold start reads
    progress("aggregations vs DuckDB")
    ds = dataset.load(path)
    report.aggregations = aggregations(ds, repeats)
    del ds
    progress("server: cold start, page reruns, sessions")
    served = page_reruns(path, repeats)
    report.floor_seconds, report.pages = served["floor_seconds"], served["pages"]
    report.cold_start_seconds = served["cold_start_seconds"]
    report.second_session_seconds, report.session_memory_mb = (
        served["second_session_seconds"],
        served["session_memory_mb"],
    )
    report.server_peak_memory_mb = served["server_peak_memory_mb"]
    if browser_repeats > 0:
        from . import browser

        progress(f"browser: a province chosen on each page, {browser_repeats} times, next to a baseline page")
        report.browser = browser.measure(path, browser_repeats, progress=progress)
    progress("import")
    report.import_rows = 100_000
    report.import_seconds = import_reports(path, report.import_rows)
    progress(f"refresh after a {REFRESH_ROWS:,}-row import")
    report.refresh = refresh_after_import(path)
    report.peak_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this benchmark process
    report.budgets = evaluate(report)
    return report


def rerun_ratio(r: Report, page: dict) -> float:
    """A page rerun's time over the empty-page floor plus the rerun's own data work (the 2x budget)."""
    return page["seconds"] / (r.floor_seconds + page["aggregation_seconds"])


def browser_ratio(row: dict) -> float:
    """A page's choice-to-settled time in Chromium over its baseline's (the 1.5x budget)."""
    return row["seconds"] / row["baseline_seconds"]


def evaluate(r: Report) -> dict[str, dict]:
    """Each budget with the measured value and whether it holds."""
    b = BUDGETS
    worst_agg = max((a["ratio"] for a in r.aggregations), default=0.0)
    worst_rerun = max((p["seconds"] for p in r.pages), default=0.0)
    worst_rerun_ratio = max((rerun_ratio(r, p) for p in r.pages if p["page"] in RATIO_PAGES), default=0.0)
    out = {
        "aggregations within 2x DuckDB": (worst_agg, worst_agg <= b["aggregation_ratio"], "ratio"),
        "aggregation results equal DuckDB's": (
            all(a["equal"] for a in r.aggregations),
            all(a["equal"] for a in r.aggregations),
            "ratio",
        ),
        "rerun within 2x (floor + its aggregations)": (
            worst_rerun_ratio,
            worst_rerun_ratio <= b["rerun_ratio"],
            "ratio",
        ),
        "rerun within 300 ms": (worst_rerun, worst_rerun <= b["rerun_seconds"], "time"),
        "cold start within 5 s": (r.cold_start_seconds, r.cold_start_seconds <= b["cold_start_seconds"], "time"),
        "second session's first page within 1 s": (
            r.second_session_seconds,
            r.second_session_seconds <= b["second_session_seconds"],
            "time",
        ),
        "at most 2 MB per rerun": (
            max((p["bytes"] for p in r.pages), default=0),
            max((p["bytes"] for p in r.pages), default=0) <= b["bytes_per_rerun"],
            "size",
        ),
        "no chart over 10,000 points": (
            max((p["max_chart_points"] for p in r.pages), default=0),
            max((p["max_chart_points"] for p in r.pages), default=0) <= b["chart_points"],
            "size",
        ),
        "server peak memory within 1.5 GiB": (
            r.server_peak_memory_mb,
            r.server_peak_memory_mb <= b["peak_memory_mb"],
            "memory",
        ),
        "another session within 30 MB": (r.session_memory_mb, r.session_memory_mb <= b["session_memory_mb"], "memory"),
        "100,000-row import within 5 s": (r.import_seconds, r.import_seconds <= b["import_seconds"], "time"),
    }
    if r.refresh:
        seconds, share = r.refresh["seconds"], r.refresh["seconds"] / r.snapshot_rebuild_seconds
        out[f"refresh after a {r.refresh['rows']:,}-row import within 1 s"] = (
            seconds,
            seconds <= b["refresh_seconds"],
            "time",
        )
        # The 1 s is a national budget (against a 9.5 s full read there, 0.11 of it); any scale, any machine:
        out["refresh within 0.2 of the full read"] = (share, share <= b["refresh_share"], "ratio")
    if r.browser.get("pages"):
        worst = max(browser_ratio(row) for row in r.browser["pages"])
        # Reported, not enforced: at program scale most pages take 1.4-4x the baseline in Chromium, and a page of
        # the data-quality page's elements with nothing computed already takes 1.56-1.77x (docs/benchmarks.md,
        # "The content floor"). "browser" is not a kind check_ratios fails on (issue 13: blocked on it).
        out["page settled in Chromium within 1.5x its baseline"] = (worst, worst <= b["browser_ratio"], "browser")
    return {k: {"value": v, "ok": bool(ok), "kind": kind} for k, (v, ok, kind) in out.items()}


def check_ratios(r: Report) -> list[str]:
    """The budgets CI enforces that fail: each aggregation within 2x DuckDB and equal to DuckDB's result, every
    page's rerun within 2x the empty-page floor plus its data work (``RATIO_PAGES``). The Chromium budget (1.5x
    a baseline page) is reported beside them, not enforced yet."""
    return [name for name, b in r.budgets.items() if b["kind"] == "ratio" and not b["ok"]]


def table(r: Report) -> str:
    """The report as Markdown (printed, and kept in docs/benchmarks.md)."""
    lines = [
        f"### `{r.scale}` — {r.rows.get('libraries', 0):,} libraries, {r.rows.get('cycles', 0)} cycles, "
        f"{r.rows.get('reports', 0):,} report values, {r.database_mb:,.0f} MB",
        "",
        f"Machine: {r.machine.get('cpus')} cores, {r.machine.get('memory_gb')} GiB, Python {r.machine.get('python')}.",
        "",
    ]
    if r.build_seconds is not None:
        lines.append(f"- demo database built in {r.build_seconds:.1f} s")
    lines += [
        f"- cold start (new `streamlit run` process to the overview drawn, snapshot present): "
        f"{r.cold_start_seconds:.2f} s",
        f"- snapshot rebuild from SQLite (after a change): {r.snapshot_rebuild_seconds:.1f} s",
        f"- empty-page rerun on the same kind of server (floor): {1000 * r.floor_seconds:.1f} ms",
        f"- second session's first page: {r.second_session_seconds:.2f} s; memory it adds: "
        f"{r.session_memory_mb:.1f} MB",
        f"- peak memory of the app server: {r.server_peak_memory_mb:,.0f} MB (of this benchmark process, "
        f"which also builds and compares: {r.peak_memory_mb:,.0f} MB)",
        f"- import of {r.import_rows:,} report rows: {r.import_seconds:.1f} s",
        *(
            [
                f"- refresh after a {r.refresh['rows']:,}-row import (the changed keys read, then the pages' "
                f"Dataset): {r.refresh['seconds']:.2f} s (the refresh alone {r.refresh['refresh_seconds']:.2f} s)"
            ]
            if r.refresh
            else []
        ),
        "",
        "| aggregation | ours (ms) | DuckDB (ms) | ratio | equal |",
        "|---|---:|---:|---:|---|",
    ]
    for a in r.aggregations:
        lines.append(
            f"| {a['name']} | {1000 * a['seconds']:.1f} | {1000 * a['duckdb_seconds']:.1f} | "
            f"{a['ratio']:.2f} | {'yes' if a['equal'] else 'NO'} |"
        )
    lines += [
        "",
        "Each filter change's rerun is the median of its rounds; per page, over the seven changes:",
        "",
        "| page | rerun, typical change (ms) | slowest change (ms) | slowest single rerun (ms) | "
        "data work (ms, typical) | worst change: rerun / (floor + data work) | max bytes | max chart points |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in PAGES:
        rows = [p for p in r.pages if p["page"] == page]
        if not rows:
            continue
        ratio = max(rerun_ratio(r, p) for p in rows)
        lines.append(
            f"| {page} | {1000 * statistics.median(p['seconds'] for p in rows):.0f} | "
            f"{1000 * max(p['seconds'] for p in rows):.0f} | "
            f"{1000 * max(p.get('slowest_seconds', p['seconds']) for p in rows):.0f} | "
            f"{1000 * statistics.median(p['aggregation_seconds'] for p in rows):.0f} | {ratio:.2f}"
            f"{'' if page in RATIO_PAGES else ' (reported)'} | "
            f"{max(p['bytes'] for p in rows):,} | {max(p['max_chart_points'] for p in rows):,} |"
        )
    if r.browser.get("pages"):
        lines += [
            "",
            f"In Chromium ({r.browser['viewport']['width']}x{r.browser['viewport']['height']}, headless): "
            f"from the click on a province in the sidebar to the page settled (script finished, nothing "
            f"stale, every chart drawn), median of {r.browser['repeats']} choices (each a different "
            f"province), next to a plain Streamlit page with as many Plotly charts and a sidebar select, "
            f"timed in turn in the same run ({r.browser.get('total_seconds', 0):.0f} s in all):",
            "",
            "| page | charts | page (ms) | of which to the script finished (ms) | baseline (ms) | "
            "page / baseline | slowest choice (ms) | DOM elements (baseline) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in r.browser["pages"]:
            lines.append(
                f"| {row['page']} | {row['charts']} | {1000 * row['seconds']:.0f} | "
                f"{1000 * row.get('finished_seconds', float('nan')):.0f} | "
                f"{1000 * row['baseline_seconds']:.0f} | {browser_ratio(row):.2f} | "
                f"{1000 * max(row['runs']):.0f} | "
                f"{row.get('elements', 0):,} ({row.get('baseline_elements', 0):,}) |"
            )
    lines += ["", "| budget | measured | holds |", "|---|---:|---|"]
    for name, b in r.budgets.items():
        v = b["value"]
        shown = (
            f"{v:.2f}"
            if isinstance(v, float)
            else f"{v:,}"
            if isinstance(v, int) and not isinstance(v, bool)
            else str(v)
        )
        lines.append(f"| {name} | {shown} | {'yes' if b['ok'] else '**no**'} |")
    return "\n".join(lines)
