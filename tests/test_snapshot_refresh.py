"""After an import, ``snapshot.refresh`` reads again only what the import changed, and the frames it makes equal
the frames read in full, on SQLite and on PostgreSQL: imports that add, change and undo reports, change
attendance, add visits, add a library (and its reports); and it declines (None: read in full) what no import
explains."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest

from analytics import dataset, db, demo, importing, snapshot, store
from tests.pg_support import pg_server, target  # noqa: F401  (fixtures)
from tests.test_postgres_cli import GOOD, sql


def _column(series: pd.Series) -> np.ndarray:
    """A column as a sortable array: numbers as floats (NaN for missing), categories by code, text as text (a
    missing value as a marker no text has)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(np.int64)
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(np.float64, na_value=np.nan)
    return np.array(["\0missing" if pd.isna(v) else str(v) for v in series.tolist()], dtype=object)


def assert_same(a: pd.DataFrame, b: pd.DataFrame, name: str) -> None:
    """Same columns, dtypes (and categories) and rows, in any row order."""
    assert list(a.columns) == list(b.columns) and [str(t) for t in a.dtypes] == [str(t) for t in b.dtypes], name
    assert len(a) == len(b), name
    for c in a.columns:
        if isinstance(a[c].dtype, pd.CategoricalDtype):
            assert list(a[c].cat.categories) == list(b[c].cat.categories), (name, c)
    ca, cb = ([_column(f[c]) for c in f.columns] for f in (a, b))
    oa, ob = (
        np.lexsort(
            [
                np.unique(c, return_inverse=True)[1] if c.dtype == object else np.nan_to_num(c, nan=-1e300)
                for c in reversed(cols)
            ]
        )
        for cols in (ca, cb)
    )
    for c, x, y in zip(a.columns, ca, cb):
        x, y = x[oa], y[ob]
        same = np.array_equal(x, y, equal_nan=True) if x.dtype != object else (x == y).all()
        assert same, (name, c)


def assert_same_frames(refreshed: dict, full: dict) -> None:
    assert set(refreshed) == set(full)
    for name in full:
        assert_same(refreshed[name], full[name], name)
    assert (np.diff(refreshed["values"]["seq"].to_numpy()) >= 0).all()  # sorted by cycle (values_between)
    a, b = dataset.from_frames(refreshed), dataset.from_frames(full)
    for name in ("libraries", "activity", "values", "visits", "meetings"):
        assert_same(getattr(a, name), getattr(b, name), name)


def run_import(where: str, text: str, kind: str):
    outcome = importing.run_import(where, text.encode(), f"{kind}-{abs(hash(text))}.csv", kind, user="test")
    assert outcome.status == "done", outcome.message("en")
    return outcome.import_id


def refreshed_equals_full(where: str, frames: dict) -> dict:
    out = snapshot.refresh(where, frames)
    assert out is not None, "refresh declined an import's change"
    assert_same_frames(out, snapshot.read_sqlite(where))
    return out


def test_refresh_after_imports_and_undo_equals_a_full_read(target, monkeypatch):  # noqa: F811
    demo.build(target, "seed", 2018)
    frames = snapshot.read_sqlite(target)
    # a changed value, and a new one where the library reported nothing that cycle (an earlier date: the report's
    # date changes too), and one in a library-cycle without any report yet
    ((lib, cycle, code, value),) = sql(
        target,
        "SELECT library_id, cycle_id, indicator_code, value FROM reports "
        "WHERE cycle_id = '2018-2' ORDER BY library_id, indicator_code LIMIT 1",
    )
    (missing,) = sql(
        target,
        "SELECT code FROM indicators WHERE code NOT IN (SELECT indicator_code FROM reports "
        "WHERE library_id = ? AND cycle_id = '2018-2') ORDER BY code LIMIT 1",
        (lib,),
    )[0]
    ((other,),) = sql(
        target,
        "SELECT min(l.id) FROM libraries l JOIN cycles j ON j.id = l.joined_cycle "
        "WHERE j.seq <= (SELECT seq FROM cycles WHERE id = '2018-2') AND l.left_cycle IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.library_id = l.id "
        "AND r.cycle_id = '2018-2')",
    )
    reports = run_import(
        target,
        "library_id,cycle,indicator,value,submitted_on\n"
        f"{lib},2018-2,{code},{value + 5},\n{lib},2018-2,{missing},3,2018-08-01\n"
        f"{other},2018-2,kunjungan,40,2018-08-20\n",
        "reports",
    )
    full_reads = []
    monkeypatch.setattr(snapshot, "_reports", lambda *a: full_reads.append(a))  # refresh must not read them all
    frames = refreshed_equals_full_but_reports_patched(target, frames, full_reads, monkeypatch)
    assert sorted(
        frames["values"].query("library_id == @other and seq == @seq_of(@frames, '2018-2')")["value"].tolist()
    ) == [40.0]

    ((meeting, attendee),) = sql(
        target,
        "SELECT a.meeting_id, a.library_id FROM attendance a JOIN meetings m "
        "ON m.id = a.meeting_id WHERE m.cycle_id = '2018-1' ORDER BY 1, 2 LIMIT 1",
    )
    run_import(target, f"meeting_id,library_id,attendees,attendees_female\n{meeting},{attendee},9,4\n", "meetings")
    run_import(target, f"library_id,visit_date,team,notes\n{lib},2018-07-02,Tim A,catatan\n", "visits")
    frames = refreshed_equals_full(target, frames)

    assert importing.undo(target, reports, user="test").ok
    frames = refreshed_equals_full(target, frames)
    restored = frames["values"][
        (frames["values"]["library_id"] == lib)
        & (frames["values"]["indicator"] == code)
        & (frames["values"]["seq"] == seq_of(frames, "2018-2"))
    ]["value"].tolist()
    assert restored == [value]

    new_libraries = run_import(target, (GOOD / "libraries_en.csv").read_text(encoding="utf-8-sig"), "libraries")
    ((new,),) = sql(target, "SELECT max(id) FROM libraries WHERE import_id = ?", (new_libraries,))
    run_import(
        target, f"library_id,cycle,indicator,value,submitted_on\n{new},2018-3,kegiatan,2,2019-01-10\n", "reports"
    )
    frames = refreshed_equals_full(target, frames)
    assert new in set(frames["libraries"]["id"]) and new in set(frames["values"]["library_id"])

    rejected = importing.run_import(
        target, b"library_id,cycle,indicator,value\n1,2099-9,kunjungan,x\n", "bad.csv", "reports"
    )
    assert rejected.status == "rejected"
    refreshed_equals_full(target, frames)  # an import that wrote nothing: nothing to read again


def seq_of(frames: dict, cycle: str) -> int:
    return int(frames["cycles"].set_index("id").loc[cycle, "seq"])


def refreshed_equals_full_but_reports_patched(where, frames, full_reads, monkeypatch) -> dict:
    out = snapshot.refresh(where, frames)
    assert out is not None and full_reads == []  # only the import's library-cycles were read
    monkeypatch.undo()
    assert_same_frames(out, snapshot.read_sqlite(where))
    return out


def test_refresh_declines_what_no_import_explains(target, tmp_path):  # noqa: F811
    demo.build(target, "seed", 2018)
    frames = snapshot.read_sqlite(target)
    assert snapshot.refresh(target, frames) is None  # nothing changed: nothing an import explains
    with store.opened(target) as conn:  # an edit by hand
        conn.execute("UPDATE reports SET value = value + 1 WHERE library_id = (SELECT min(library_id) FROM reports)")
        conn.commit()
    assert snapshot.refresh(target, frames) is None
    frames = snapshot.read_sqlite(target)
    # another database in its place: a rebuilt demo (a new file moved in; on PostgreSQL its meta rewritten)
    if db.is_url(target):
        with store.opened(target) as conn:
            conn.execute("UPDATE meta SET value = value")
            conn.commit()
    else:
        shutil.copy(target, tmp_path / "other.db")
        os.replace(tmp_path / "other.db", target)
    assert snapshot.refresh(target, frames) is None
    frames = snapshot.read_sqlite(target)
    with store.opened(target) as conn:  # a new cycle (structure): read in full
        conn.execute(
            "INSERT INTO cycles(id, year, term, start_date, end_date, seq) "
            "VALUES ('2030-1', 2030, 1, '2030-01-01', '2030-04-30', 999)"
        )
        conn.commit()
    run_import(target, "library_id,visit_date,team\n1,2018-07-03,Tim B\n", "visits")
    assert snapshot.refresh(target, frames) is None
    frames = snapshot.read_sqlite(target)
    run_import(target, "library_id,visit_date,team\n1,2018-07-04,Tim B\n", "visits")
    assert snapshot.refresh(target, frames) is not None  # the control: an import alone is refreshed


@pytest.mark.parametrize("kept", [True, False], ids=["in-memory", "from-disk"])
def test_load_after_an_import_refreshes_instead_of_reading_all(seed_db_copy, monkeypatch, kept):
    """``snapshot.load`` (the app's path) refreshes from the frames it read last, and its result equals a full
    read; a new process (nothing kept in memory) reads the file's snapshot, then the database in full."""
    first = snapshot.load(seed_db_copy)
    run_import(str(seed_db_copy), "library_id,cycle,indicator,value\n1,2018-3,kegiatan,77\n", "reports")
    if not kept:
        snapshot._LAST.clear()
    full_reads = []
    original = snapshot._reports
    monkeypatch.setattr(snapshot, "_reports", lambda *a: full_reads.append(1) or original(*a))
    after = snapshot.load(seed_db_copy)
    assert full_reads == ([] if kept else [1])
    monkeypatch.undo()
    assert_same_frames(after, snapshot.read_sqlite(seed_db_copy))
    assert not first["values"].equals(after["values"])
