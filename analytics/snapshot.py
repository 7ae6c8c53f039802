"""A columnar snapshot of the dashboard's frames (Parquet), so that a new process starts in a second.

SQLite stays the source of truth. The snapshot lives beside the database (``<db>.snapshot/``) under a
fingerprint of the database file (inode, size and modification times of the file and its WAL): any write,
an import or a rebuilt demo, changes the fingerprint, and the next load rebuilds the snapshot from SQLite.

Rebuilding reads the big ``reports`` table without joins (SQLite's text joins cost more than the read), in
two processes over halves of the library ids, and turns cycle and indicator codes into integers at once.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import sqlite3
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np
import pandas as pd

from . import store

FORMAT = 5  # bump when the frames' layout changes: old snapshots are then rebuilt
FRAMES = ("libraries", "attendance", "submissions", "values", "visits", "meetings", "provinces", "districts",
          "cycles", "indicators")
WORKERS = 2
PARALLEL_FROM_ROWS = 400_000
UNDATED = "~"  # sorts after every ISO date, so the earliest date of a report is a real one when it has any
READ_ATTEMPTS = 5  # below this a second process costs more than it saves


def fingerprint(path: str | Path) -> str:
    """Changes whenever the database file (or its WAL) changes."""
    p = Path(path)
    parts = [FORMAT]
    for f in (p, p.with_name(p.name + "-wal")):
        if f.exists():
            st = f.stat()
            parts += [st.st_ino, st.st_size, st.st_mtime_ns]
    return hashlib.sha1(json.dumps(parts).encode()).hexdigest()[:16]


def directory(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".snapshot")


def _connect(path: str) -> sqlite3.Connection:
    return store.connect(path, readonly=True)


def _read_reports(args: tuple[str, int, int, dict, dict]) -> dict[str, np.ndarray]:
    """Report values of libraries ``lo..hi`` as integer-keyed arrays (runs in a worker process)."""
    path, lo, hi, seq_of, indicator_of = args
    conn = _connect(path)
    try:
        rows = conn.execute("SELECT library_id, cycle_id, indicator_code, value, submitted_on FROM reports "
                            "WHERE library_id BETWEEN ? AND ?", (lo, hi)).fetchall()
    finally:
        conn.close()
    n = len(rows)
    lib = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    seq = np.fromiter((seq_of[r[1]] for r in rows), dtype=np.int64, count=n)
    ind = np.fromiter((indicator_of[r[2]] for r in rows), dtype=np.int16, count=n)
    val = np.fromiter((r[3] for r in rows), dtype=np.float64, count=n)
    sub = np.array([r[4] or "" for r in rows], dtype="U10") if n else np.array([], dtype="U10")
    return {"library_id": lib, "seq": seq, "indicator": ind, "value": val, "submitted_on": sub}


def _in_parallel(ranges: list[tuple]) -> list[dict[str, np.ndarray]]:
    """Read the ranges in worker processes; in this process if workers cannot be started."""
    # fork is safe only in a single-threaded process; the Streamlit server has threads, so it spawns.
    method = "fork" if threading.active_count() == 1 else "spawn"
    try:
        with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context(method)) as pool:
            return list(pool.map(_read_reports, ranges))
    except (BrokenProcessPool, OSError, RuntimeError):
        return [_read_reports(r) for r in ranges]


def _reports(path: str, conn: sqlite3.Connection, cycles: pd.DataFrame, indicators: pd.DataFrame):
    seq_of = dict(zip(cycles["id"], cycles["seq"].astype(int)))
    codes = list(indicators["code"])
    indicator_of = {c: i for i, c in enumerate(codes)}
    lo, hi, n = conn.execute("SELECT min(library_id), max(library_id), count(*) FROM reports").fetchone()
    if not n:
        parts = [_read_reports((path, 0, -1, seq_of, indicator_of))]
    elif n < PARALLEL_FROM_ROWS:
        parts = [_read_reports((path, lo, hi, seq_of, indicator_of))]
    else:
        # Split the id range where each half holds about half the rows (the table is clustered by library).
        mid = conn.execute("SELECT library_id FROM reports ORDER BY library_id LIMIT 1 OFFSET ?",
                           (n // 2,)).fetchone()[0]
        ranges = [(path, lo, mid - 1, seq_of, indicator_of), (path, mid, hi, seq_of, indicator_of)]
        parts = _in_parallel(ranges)
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    # Narrow integer keys: half the memory, and grouping on them is faster than on text.
    values = pd.DataFrame({
        "library_id": cols["library_id"].astype(np.int32), "seq": cols["seq"].astype(np.int16),
        "indicator": pd.Categorical.from_codes(cols["indicator"], categories=codes),
        "value": cols["value"]})
    # Sorted by cycle: a range of cycles is then a contiguous slice (Dataset.values_between).
    values = values.iloc[np.argsort(values["seq"].to_numpy(), kind="stable")].reset_index(drop=True)
    # One submission per library and cycle: its earliest non-empty date (the report's date); None when none
    # of its values has a date ("date unknown"). A blank must never win the minimum: it sorts before every date.
    dates = cols["submitted_on"]
    dates = np.where(dates >= "0", dates, UNDATED) if len(dates) else dates  # blank or spaces: below "0"
    sub = pd.DataFrame({"library_id": cols["library_id"], "seq": cols["seq"], "submitted_on": dates})
    sub = sub.groupby(["library_id", "seq"], sort=True)["submitted_on"].min().reset_index()
    sub["submitted_on"] = sub["submitted_on"].astype(object).where(sub["submitted_on"] != UNDATED, None)
    return values, sub


def read_sqlite(path: str | Path) -> dict[str, pd.DataFrame]:
    """Every frame from SQLite (the slow path, used to build a snapshot)."""
    from . import queries

    path = str(path)
    with store.opened(path, readonly=True) as conn:
        frames = {
            "provinces": queries.provinces(conn), "districts": queries.districts(conn),
            "cycles": queries.cycles(conn), "indicators": queries.indicators(conn),
            "libraries": queries.libraries(conn), "attendance": queries.attendance_by_library_cycle(conn),
            "visits": queries.visits(conn), "meetings": queries.meetings(conn),
        }
        frames["values"], frames["submissions"] = _reports(path, conn, frames["cycles"], frames["indicators"])
        frames["meta"] = pd.DataFrame(list(store.meta(conn).items()), columns=["key", "value"])
    return frames


def load(path: str | Path) -> dict[str, pd.DataFrame]:
    """The frames of the database at ``path``: from its snapshot when current, else from SQLite (and then a
    new snapshot is written for the next process)."""
    path = Path(path)
    before = fingerprint(path)
    target = directory(path) / before
    if (target / "done").exists():
        try:
            return {name: pd.read_parquet(target / f"{name}.parquet") for name in (*FRAMES, "meta")}
        except (OSError, ValueError):
            pass  # a damaged snapshot is rebuilt below
    for _ in range(READ_ATTEMPTS):
        frames = read_sqlite(path)
        after = fingerprint(path)
        if after == before:  # nothing wrote while we read: one consistent state, never a half-updated mix
            _write(path, before, frames)
            return frames
        before = after  # another process wrote meanwhile: read again
    raise RuntimeError(f"{path} kept changing while it was read ({READ_ATTEMPTS} attempts)")


def _write(path: Path, key: str, frames: dict[str, pd.DataFrame]) -> None:
    base = directory(path)
    tmp = base / f".{key}.{os.getpid()}.tmp"
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "done").write_text(key)
        final = base / key
        if final.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            os.replace(tmp, final)
        for old in base.iterdir():  # keep only the current snapshot
            if old.name != key and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # a read-only folder: run without a snapshot
