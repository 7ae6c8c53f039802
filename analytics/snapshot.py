"""The dashboard's frames, read from the database once per data version, and kept up to date after an import.

The source of truth is the database: a SQLite file or a PostgreSQL server (``analytics/db.py``).

**Data version** (``fingerprint``). SQLite: the file's inode, size and modification times (and its WAL's): any
write changes it. PostgreSQL: one small query (``queries.data_version_row``): the imports done and undone, the
latest of them, and the transactions that last wrote ``meta`` (a rebuilt demo, a migration). An import or an
undo changes it when it commits, and every process reading the same server computes the same value. A process
asks the server at most once per ``VERSION_TTL`` seconds (on one kept connection): an import through one app
process is seen by the others within that time, at their next rerun.

**Snapshot on disk** (SQLite only): Parquet files beside the database (``<db>.snapshot/<fingerprint>/``), so
that a new process starts in a second. On PostgreSQL there is no file to keep them beside and the processes
may run on other machines: each process reads the server when it starts (no on-disk snapshot).

**Refresh** (``refresh``): after an import, only what it changed is read again. Every import records the keys
of the rows it inserted or changed (``import_changes``); comparing the imports' states with the ones the frames
were read at gives the imports done or undone since, and their keys name the library-cycles whose reports and
attendance are read again; the small frames they touched (libraries, meetings, visits) are read whole. A change
that is not an import's (a rebuilt demo, a migration, another file in place, edits by hand, new cycles or
indicators) is read in full. ``load`` refreshes from the frames this process read last.

A full read takes the big ``reports`` table without joins (SQLite's text joins cost more than the read), in two
processes over halves of the library ids on SQLite (one ``COPY`` on PostgreSQL), and turns cycle and indicator
codes into integers at once. Every read sees one state of the database: PostgreSQL reads in one repeatable-read
transaction (and its version in the same one); SQLite compares the fingerprints before and after and reads
again when they differ.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import shutil
import sqlite3
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from . import db, store

FORMAT = 6  # bump when the frames' layout changes: old snapshots are then rebuilt
FRAMES = (
    "libraries",
    "attendance",
    "submissions",
    "values",
    "visits",
    "meetings",
    "provinces",
    "districts",
    "cycles",
    "indicators",
    "imports",
    "identity",
)
WORKERS = 2
PARALLEL_FROM_ROWS = 400_000
UNDATED = "~"  # sorts after every ISO date, so the earliest date of a report is a real one when it has any
READ_ATTEMPTS = 5
VERSION_TTL = 1.0  # seconds a PostgreSQL data version is reused by this process before the server is asked again
SEQ_SPAN = 1 << 16  # library_id * SEQ_SPAN + seq: one integer per library-cycle (cycle ordinals are below it)


def fingerprint(path: str | Path) -> str:
    """The data version: changes whenever the data changes (see the module docstring).

    SQLite: an empty WAL holds nothing: SQLite creates one when a connection first reads in WAL mode and deletes
    it when the last writer-capable connection closes, so counting it would make connections that write nothing
    (a sign-in check, ``python -m analytics info``) look like new data and rebuild the snapshot.
    """
    if db.is_url(path):
        return _pg_version(str(path))
    p = Path(path)
    parts = [FORMAT]
    for f in (p, p.with_name(p.name + "-wal")):
        if f.exists():
            st = f.stat()
            if f is not p and st.st_size == 0:
                continue
            parts += [st.st_ino, st.st_size, st.st_mtime_ns]
    return hashlib.sha1(json.dumps(parts).encode()).hexdigest()[:16]


def data_version(conn) -> str:
    """The data version of an open PostgreSQL connection (``queries.data_version_row``, one small query)."""
    from . import queries

    try:
        row = queries.data_version_row(conn)
    except sqlite3.DatabaseError:  # db.DatabaseError: no tables yet
        if conn.in_transaction:
            conn.rollback()
        row = ("no tables",)
    return hashlib.sha1(json.dumps([FORMAT, *row], default=str).encode()).hexdigest()[:16]


_VERSION_LOCK = threading.Lock()
_VERSION_CONNS: dict[str, db.PgConnection] = {}
_VERSIONS: dict[str, tuple[float, str]] = {}


def _pg_version(url: str, *, fresh: bool = False) -> str:
    """The server's data version, asked on one connection kept per server (reconnecting once if it was lost)
    and reused for ``VERSION_TTL`` seconds unless ``fresh``."""
    with _VERSION_LOCK:
        kept = _VERSIONS.get(url)
        if kept and not fresh and time.monotonic() - kept[0] < VERSION_TTL:
            return kept[1]
        for attempt in (1, 2):
            conn = _VERSION_CONNS.get(url)
            if conn is None:
                conn = store.connect(url, readonly=True)
                conn.isolation_level = None  # each query on its own: always the latest committed state
                _VERSION_CONNS[url] = conn
            try:
                version = data_version(conn)
                break
            except sqlite3.OperationalError:  # db.OperationalError: the server went away; a new connection
                _VERSION_CONNS.pop(url, None)
                try:
                    conn.close()
                except Exception:  # noqa: BLE001 - a broken connection may fail to close as well
                    pass
                if attempt == 2:
                    raise
        _VERSIONS[url] = (time.monotonic(), version)
        return version


def forget(url: str) -> None:
    """Close the kept version connection of a server (tests drop their databases; a long-lived app never
    needs it)."""
    with _VERSION_LOCK:
        _VERSIONS.pop(url, None)
        conn = _VERSION_CONNS.pop(url, None)
    if conn is not None:
        conn.close()
    _LAST.pop(url, None)


def directory(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".snapshot")


def _connect(path: str) -> sqlite3.Connection:
    return store.connect(path, readonly=True)


def _arrays(rows: list[tuple], seq_of: dict, indicator_of: dict) -> dict[str, np.ndarray]:
    """Report rows (library, cycle, indicator, value, date) as integer-keyed arrays."""
    n = len(rows)
    lib = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    seq = np.fromiter((seq_of[r[1]] for r in rows), dtype=np.int64, count=n)
    ind = np.fromiter((indicator_of[r[2]] for r in rows), dtype=np.int16, count=n)
    val = np.fromiter((r[3] for r in rows), dtype=np.float64, count=n)
    sub = np.array([r[4] or "" for r in rows], dtype="U10") if n else np.array([], dtype="U10")
    return {"library_id": lib, "seq": seq, "indicator": ind, "value": val, "submitted_on": sub}


def _read_reports(args: tuple[str, int, int, dict, dict]) -> dict[str, np.ndarray]:
    """Report values of libraries ``lo..hi`` as integer-keyed arrays (runs in a worker process)."""
    path, lo, hi, seq_of, indicator_of = args
    conn = _connect(path)
    try:
        rows = conn.execute(
            "SELECT library_id, cycle_id, indicator_code, value, submitted_on FROM reports "
            "WHERE library_id BETWEEN ? AND ?",
            (lo, hi),
        ).fetchall()
    finally:
        conn.close()
    return _arrays(rows, seq_of, indicator_of)


def _in_parallel(ranges: list[tuple]) -> list[dict[str, np.ndarray]]:
    """Read the ranges in worker processes; in this process if workers cannot be started."""
    # fork is safe only in a single-threaded process; the Streamlit server has threads, so it spawns.
    method = "fork" if threading.active_count() == 1 else "spawn"
    try:
        with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context(method)) as pool:
            return list(pool.map(_read_reports, ranges))
    except (BrokenProcessPool, OSError, RuntimeError):
        return [_read_reports(r) for r in ranges]


def _codes(cycles: pd.DataFrame, indicators: pd.DataFrame) -> tuple[dict, list, dict]:
    seq_of = dict(zip(cycles["id"], cycles["seq"].astype(int)))
    codes = list(indicators["code"])
    return seq_of, codes, {c: i for i, c in enumerate(codes)}


def _reports_pg(conn, cycles: pd.DataFrame, indicators: pd.DataFrame) -> dict[str, np.ndarray]:
    """Every report row of a PostgreSQL database, in one ``COPY`` (as CSV: parsed by pandas, not row by row)."""
    from . import queries

    seq_of, codes, _ = _codes(cycles, indicators)
    buf = io.BytesIO()
    with conn.raw.cursor() as cur, cur.copy(queries.REPORTS_COPY) as copy:
        for block in copy:
            buf.write(block)
    buf.seek(0)
    names = ["library_id", "cycle_id", "indicator_code", "value", "submitted_on"]
    if not buf.getbuffer().nbytes:
        return _arrays([], seq_of, {})
    raw = pd.read_csv(
        buf,
        header=None,
        names=names,
        keep_default_na=False,
        dtype={
            "library_id": np.int64,
            "cycle_id": object,
            "indicator_code": object,
            "value": np.float64,
            "submitted_on": object,
        },
    )
    cycle_ids = list(seq_of)
    cyc = pd.Categorical(raw["cycle_id"], categories=cycle_ids).codes
    ind = pd.Categorical(raw["indicator_code"], categories=codes).codes
    if (cyc < 0).any() or (ind < 0).any():
        raise RuntimeError("a report names a cycle or indicator that is not in their tables")
    seqs = np.array([seq_of[c] for c in cycle_ids], dtype=np.int64)
    return {
        "library_id": raw["library_id"].to_numpy(np.int64),
        "seq": seqs[cyc],
        "indicator": ind.astype(np.int16),
        "value": raw["value"].to_numpy(np.float64),
        "submitted_on": raw["submitted_on"].to_numpy(dtype="U10"),
    }


def _values_frame(cols: dict[str, np.ndarray], codes: list) -> pd.DataFrame:
    # Narrow integer keys: half the memory, and grouping on them is faster than on text.
    return pd.DataFrame(
        {
            "library_id": cols["library_id"].astype(np.int32),
            "seq": cols["seq"].astype(np.int16),
            "indicator": pd.Categorical.from_codes(cols["indicator"], categories=codes),
            "value": cols["value"],
        }
    )


def _by_cycle(values: pd.DataFrame) -> pd.DataFrame:
    """Sorted by cycle: a range of cycles is then a contiguous slice (Dataset.values_between)."""
    return values.iloc[np.argsort(values["seq"].to_numpy(), kind="stable")].reset_index(drop=True)


def _submissions(cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """One submission per library and cycle: its earliest non-empty date (the report's date); None when none
    of its values has a date ("date unknown"). A blank must never win the minimum: it sorts before every date."""
    dates = cols["submitted_on"]
    dates = np.where(dates >= "0", dates, UNDATED) if len(dates) else dates  # blank or spaces: below "0"
    sub = pd.DataFrame({"library_id": cols["library_id"], "seq": cols["seq"], "submitted_on": dates})
    sub = sub.groupby(["library_id", "seq"], sort=True)["submitted_on"].min().reset_index()
    sub["submitted_on"] = sub["submitted_on"].astype(object).where(sub["submitted_on"] != UNDATED, None)
    return sub


def _reports(path: str, conn: sqlite3.Connection, cycles: pd.DataFrame, indicators: pd.DataFrame):
    seq_of, codes, indicator_of = _codes(cycles, indicators)
    if db.is_postgres(conn):
        parts = [_reports_pg(conn, cycles, indicators)]
    else:
        lo, hi, n = conn.execute("SELECT min(library_id), max(library_id), count(*) FROM reports").fetchone()
        if not n:
            parts = [_read_reports((path, 0, -1, seq_of, indicator_of))]
        elif n < PARALLEL_FROM_ROWS:
            parts = [_read_reports((path, lo, hi, seq_of, indicator_of))]
        else:
            # Split the id range where each half holds about half the rows (the table is clustered by library).
            mid = conn.execute(
                "SELECT library_id FROM reports ORDER BY library_id LIMIT 1 OFFSET ?", (n // 2,)
            ).fetchone()[0]
            ranges = [(path, lo, mid - 1, seq_of, indicator_of), (path, mid, hi, seq_of, indicator_of)]
            parts = _in_parallel(ranges)
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    return _by_cycle(_values_frame(cols, codes)), _submissions(cols)


def _identity(path, conn) -> str:
    """Which database the frames come from: a file replaced by another (a rebuilt demo, a restored backup), or
    a PostgreSQL database whose ``meta`` was rewritten, is another one, and is read in full."""
    from . import queries

    if db.is_postgres(conn):
        return "pg:" + queries.meta_generation(conn)
    st = os.stat(path)
    return f"file:{st.st_dev}:{st.st_ino}"


def _small_frames(conn) -> dict[str, pd.DataFrame]:
    from . import queries

    return {
        "provinces": queries.provinces(conn),
        "districts": queries.districts(conn),
        "cycles": queries.cycles(conn),
        "indicators": queries.indicators(conn),
        "meta": pd.DataFrame(list(store.meta(conn).items()), columns=["key", "value"]),
        "imports": queries.import_states(conn),
    }


@contextmanager
def _reading(path):
    """A connection whose reads all see one state of the database: on PostgreSQL one repeatable-read
    transaction; on SQLite one read transaction (a file in WAL mode keeps it from writers' commits)."""
    conn = store.connect(path, readonly=True)
    try:
        if db.is_postgres(conn):
            import psycopg

            conn.raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        else:
            conn.isolation_level = None
            conn.execute("BEGIN")
        yield conn
    finally:
        conn.close()


def _read(path, conn) -> dict[str, pd.DataFrame]:
    from . import queries

    frames = _small_frames(conn)
    frames.update(
        {
            "libraries": queries.libraries(conn),
            "attendance": queries.attendance_by_library_cycle(conn),
            "visits": queries.visits(conn),
            "meetings": queries.meetings(conn),
        }
    )
    frames["values"], frames["submissions"] = _reports(path, conn, frames["cycles"], frames["indicators"])
    frames["identity"] = pd.DataFrame({"identity": [_identity(path, conn)]})
    return frames


def read_sqlite(path: str | Path) -> dict[str, pd.DataFrame]:
    """Every frame from the database (the slow path, used to build a snapshot): a SQLite file or a PostgreSQL
    URL (the name stays for its callers)."""
    if db.is_url(path):
        with _reading(path) as conn:
            return _read(path, conn)
    path = str(path)
    with store.opened(path, readonly=True) as conn:
        return _read(path, conn)


read_database = read_sqlite


# --- refresh after an import ------------------------------------------------------------------------------------

STRUCTURE = ("provinces", "districts", "cycles", "indicators", "meta")  # a change here: read everything again


def refresh(path: str | Path, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame] | None:
    """The frames of the database's current state, made from ``frames`` (an earlier state of the same database,
    as ``read_sqlite``/``load`` returned it) by reading again only what the imports done or undone since changed.

    None when that is not enough and everything must be read (``read_sqlite``): another database or file,
    changed provinces, districts, cycles, indicators or meta (a rebuilt demo, a migration), an import forgotten,
    or a change that no import explains (an edit by hand). ``frames`` are not changed.
    """
    if not db.is_url(path):
        path = str(path)
    with _reading(path) as conn:
        return _refresh(path, conn, frames)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return (
        a.shape == b.shape
        and list(a.columns) == list(b.columns)
        and all(a[c].astype(object).tolist() == b[c].astype(object).tolist() for c in a.columns)
    )


def _refresh(path, conn, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame] | None:
    from . import queries

    if "imports" not in frames or "identity" not in frames:
        return None
    if frames["identity"]["identity"].iloc[0] != _identity(path, conn):
        return None
    small = _small_frames(conn)
    if not all(_same(small[name], frames[name]) for name in STRUCTURE):
        return None
    before = dict(zip(frames["imports"]["id"].tolist(), frames["imports"]["status"].tolist()))
    now = dict(zip(small["imports"]["id"].tolist(), small["imports"]["status"].tolist()))
    if not set(before) <= set(now):
        return None  # an import the frames saw is gone: not a history of imports
    since = sorted(i for i, status in now.items() if before.get(i) != status)
    if not since:
        return None  # the data changed, and no import says how
    touched: dict[str, list] = {}
    written = [i for i in since if now[i] in ("done", "undone")]
    if written and "import_changes" in db.tables(conn):
        for table, key in queries.import_change_keys(conn, written):
            touched.setdefault(table, []).append(json.loads(key))
    out = dict(frames)
    out["imports"] = small["imports"]
    if "libraries" in touched:
        out["libraries"] = queries.libraries(conn)
    if "meetings" in touched:  # a meeting moved to another cycle moves its attendance: read it all (small)
        out["meetings"] = queries.meetings(conn)
        out["attendance"] = queries.attendance_by_library_cycle(conn)
    elif "attendance" in touched:
        ids = sorted({int(k[1]) for k in touched["attendance"]})
        kept = frames["attendance"][~frames["attendance"]["library_id"].isin(ids)]
        fresh = queries.attendance_of_libraries(conn, ids)
        out["attendance"] = (
            pd.concat([kept, fresh.astype(kept.dtypes.to_dict())], ignore_index=True)
            .sort_values(["library_id", "seq"], kind="stable")
            .reset_index(drop=True)
        )
    if "visits" in touched:
        out["visits"] = queries.visits(conn)
    if "reports" in touched:
        pairs = {(int(k[0]), str(k[1])) for k in touched["reports"]}
        out["values"], out["submissions"] = _patch_reports(conn, frames, pairs)
    return out


def _touched_rows(frame: pd.DataFrame, keys: np.ndarray) -> np.ndarray:
    """Positions of the rows of ``frame`` (``library_id``, ``seq``) whose library-cycle is among ``keys``
    (``library_id * SEQ_SPAN + seq``): a lookup by library first, so only their rows are compared."""
    lib = frame["library_id"].to_numpy()
    if not len(lib):
        return np.zeros(0, dtype=np.int64)
    hit = np.zeros(max(int(lib.max()), int(keys.max() // SEQ_SPAN)) + 1, dtype=bool)
    hit[keys // SEQ_SPAN] = True
    maybe = np.flatnonzero(hit[lib])
    pair = lib[maybe].astype(np.int64) * SEQ_SPAN + frame["seq"].to_numpy()[maybe]
    return maybe[np.isin(pair, keys)]


def _patch_values(values: pd.DataFrame, drop: np.ndarray, new: pd.DataFrame) -> pd.DataFrame:
    """``values`` (sorted by cycle) without the rows at ``drop`` and with ``new`` put in their cycle's place:
    column by column in numpy (no sort and no take of millions of rows)."""
    new = new.iloc[np.argsort(new["seq"].to_numpy(), kind="stable")]
    kept_seq = np.delete(values["seq"].to_numpy(), drop)
    at = np.searchsorted(kept_seq, new["seq"].to_numpy(), side="right")
    columns = {}
    for name in values.columns:
        old, add = values[name], new[name]
        if isinstance(old.dtype, pd.CategoricalDtype):
            codes = np.insert(np.delete(old.cat.codes.to_numpy(), drop), at, add.cat.codes.to_numpy())
            columns[name] = pd.Categorical.from_codes(codes, dtype=old.dtype)
        else:
            columns[name] = np.insert(np.delete(old.to_numpy(), drop), at, add.to_numpy().astype(old.dtype))
    return pd.DataFrame(columns)


def _patch_reports(conn, frames: dict[str, pd.DataFrame], pairs: set[tuple[int, str]]):
    """``values`` and ``submissions`` with the reports of these (library, cycle) pairs read again."""
    from . import queries

    seq_of, codes, indicator_of = _codes(frames["cycles"], frames["indicators"])
    rows = queries.reports_of(conn, sorted(pairs))
    cols = _arrays(rows, seq_of, indicator_of)
    keys = np.unique(np.array([lib * SEQ_SPAN + seq_of[c] for lib, c in pairs], dtype=np.int64))
    values = _patch_values(frames["values"], _touched_rows(frames["values"], keys), _values_frame(cols, codes))
    subs = frames["submissions"]
    kept = np.ones(len(subs), dtype=bool)
    kept[_touched_rows(subs, keys)] = False
    subs = pd.concat([subs[kept], _submissions(cols).astype(subs.dtypes.to_dict())], ignore_index=True)
    order = np.lexsort((subs["seq"].to_numpy(), subs["library_id"].to_numpy()))
    return values, subs.iloc[order].reset_index(drop=True)


# --- loading ----------------------------------------------------------------------------------------------------

_LAST: dict[str, tuple[str, dict[str, pd.DataFrame]]] = {}  # per database: the version and frames read last
_LAST_LOCK = threading.Lock()


def _remember(name: str, version: str, frames: dict[str, pd.DataFrame]) -> None:
    with _LAST_LOCK:
        _LAST.pop(name, None)
        _LAST[name] = (version, frames)
        while len(_LAST) > 2:  # the current database and one more (tests, a switch): never a growing store
            _LAST.pop(next(iter(_LAST)))


def _previous(name: str) -> dict[str, pd.DataFrame] | None:
    with _LAST_LOCK:
        kept = _LAST.get(name)
    return kept[1] if kept else None


def load(path: str | Path) -> dict[str, pd.DataFrame]:
    """The frames of the database at ``path`` (a file or a URL) at its current version: the ones this process
    read last when still current, else refreshed from them after imports (``refresh``), else from the file's
    snapshot (SQLite), else read in full (and, on SQLite, a new snapshot is written for the next process)."""
    if db.is_url(path):
        return _load_pg(str(path))
    path = Path(path)
    name = str(path)
    before = fingerprint(path)
    kept = _LAST.get(name)
    if kept and kept[0] == before:
        return dict(kept[1])
    target = directory(path) / before
    if (target / "done").exists():
        try:
            frames = {name: pd.read_parquet(target / f"{name}.parquet") for name in (*FRAMES, "meta")}
            _remember(str(path), before, frames)
            return dict(frames)
        except (OSError, ValueError):
            pass  # a damaged snapshot is rebuilt below
    previous = _previous(name)
    for _ in range(READ_ATTEMPTS):
        frames = refresh(path, previous) if previous is not None else None
        refreshed = frames is not None
        if frames is None:
            frames = read_sqlite(path)
        after = fingerprint(path)
        if after == before:  # nothing wrote while we read: one consistent state, never a half-updated mix
            _remember(name, before, frames)
            if refreshed:  # the next process starts from it; this one goes on without waiting for the write
                threading.Thread(target=_write_quietly, args=(path, before, frames), daemon=True).start()
            else:
                _write(path, before, frames)
            return dict(frames)
        before = after  # another process wrote meanwhile: read again
    raise RuntimeError(f"{path} kept changing while it was read ({READ_ATTEMPTS} attempts)")


def _load_pg(url: str) -> dict[str, pd.DataFrame]:
    """PostgreSQL: frames and their version come from one repeatable-read transaction (no on-disk snapshot)."""
    kept = _LAST.get(url)
    if kept and kept[0] == _pg_version(url, fresh=True):
        return dict(kept[1])
    previous = kept[1] if kept else None
    with _reading(url) as conn:
        frames = _refresh(url, conn, previous) if previous is not None else None
        if frames is None:
            frames = _read(url, conn)
        version = data_version(conn)
    _remember(url, version, frames)
    return dict(frames)


def _write_quietly(path: Path, key: str, frames: dict[str, pd.DataFrame]) -> None:
    """``_write`` in a background thread: a snapshot only saves the next process time, so no failure of it may
    reach anyone."""
    try:
        _write(path, key, frames)
    except Exception:  # noqa: BLE001 - see the docstring
        pass


def _write(path: Path, key: str, frames: dict[str, pd.DataFrame]) -> None:
    base = directory(path)
    tmp = base / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
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
