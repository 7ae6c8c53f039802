"""Faults: an import killed mid-write, the database replaced or rewritten while the app runs, a missing or
unreadable file, and backups taken while an import writes. Each outcome is checked against the file itself."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import dataset, importing, snapshot, store
from analytics.config import ROOT
from analytics.tools.server import Server
from tests.sql_support import HEADER, q

APP = str(ROOT / "app.py")
BIG_ROWS = 200_000
WRITING_WAL_BYTES = 1_000_000  # the WAL passes this only while the import's transaction writes report rows
ACTIVE_LABEL = "Perpustakaan mitra aktif"


def reports_digest(path) -> str:
    h = hashlib.sha256()
    for row in q(path, "SELECT * FROM reports ORDER BY library_id, cycle_id, indicator_code"):
        h.update(repr(row).encode())
    return h.hexdigest()


def big_reports_csv(db: Path, target: Path, rows: int = BIG_ROWS) -> Path:
    """A long reports file of ``rows`` distinct library/cycle/indicator rows, every value 5 (so that no part
    exceeds its whole); most rows are new, some change existing values."""
    libs = [r[0] for r in q(db, "SELECT id FROM libraries ORDER BY id")]
    cycles = [r[0] for r in q(db, "SELECT id FROM cycles ORDER BY seq")]
    codes = [r[0] for r in q(db, "SELECT code FROM indicators ORDER BY code")]
    keys = ((lib, c, code) for c in cycles for lib in libs for code in codes)
    with open(target, "w", newline="", encoding="utf-8") as f:
        f.write(HEADER)
        for _, (lib, c, code) in zip(range(rows), keys):
            f.write(f"{lib};{c};{code};5;\r\n")
    return target


@pytest.fixture(scope="module")
def big_csv(seed_db_master, tmp_path_factory):
    return big_reports_csv(seed_db_master, tmp_path_factory.mktemp("big") / "laporan_besar.csv")


def wal_size(db: Path) -> int:
    try:
        return os.path.getsize(f"{db}-wal")
    except OSError:
        return 0


def start_import(db: Path, csv: Path) -> subprocess.Popen:
    """``python -m analytics import`` in another process, with SQLite's default page cache (2,000 KiB): with
    the import's own 64 MiB this file's changes would stay in memory until the commit, and the WAL would only
    grow at the commit; with the default one the transaction spills to the WAL while it writes, which is the
    case these tests kill or back up in the middle of."""
    code = (
        "import sys; from analytics import importing; importing.WRITE_CACHE_KIB = 2000; "
        "from analytics.cli import main; sys.argv[0] = 'analytics'; main()"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, "import", str(csv), "--kind", "reports", "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_until_writing(proc: subprocess.Popen, db: Path, timeout: float = 60) -> float:
    """Seconds until the import's transaction is writing report rows (the WAL grows past 1 MB)."""
    started = time.perf_counter()
    while wal_size(db) < WRITING_WAL_BYTES:
        assert proc.poll() is None, "the import ended before it wrote: " + proc.stderr.read().decode()[-500:]
        assert time.perf_counter() - started < timeout
        time.sleep(0.005)
    return time.perf_counter() - started


# --- the server killed during an import ------------------------------------------------------------------


def test_an_import_killed_while_writing_leaves_the_database_as_it_was(seed_db_copy, big_csv):
    db = seed_db_copy
    before = reports_digest(db)
    count_before = q(db, "SELECT count(*) FROM reports")[0][0]
    proc = start_import(db, big_csv)
    writing_after = wait_until_writing(proc, db)
    time.sleep(0.2)  # well inside the ~2 s the write takes
    wal = wal_size(db)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL, "the import finished before it was killed"
    print(f"killed {writing_after + 0.2:.2f} s after start, WAL {wal / 1e6:.1f} MB")

    with store.opened(db) as conn:  # a writable connection: it recovers (discards) the uncommitted WAL frames
        assert store.check(conn) == []
    # The audit row was committed before the write transaction began; nothing finished it: it stays 'running'.
    assert q(db, "SELECT status, rows, finished_at FROM imports") == [("running", 0, None)]
    assert reports_digest(db) == before

    again = importing.run_import(db, big_csv.read_bytes(), big_csv.name, "reports", user="ani")
    assert again.status == "done", again.error  # the duplicate check only matches 'done' imports
    new = again.analysis.preview["reports"]["new"]
    assert new > 0 and q(db, "SELECT count(*) FROM reports")[0][0] == count_before + new
    assert q(db, "SELECT status FROM imports ORDER BY id") == [("running",), ("done",)]


# --- backups while an import writes ----------------------------------------------------------------------


def test_backups_taken_while_an_import_writes_are_whole_databases(seed_db_copy, big_csv, tmp_path):
    db = seed_db_copy
    count_before = q(db, "SELECT count(*) FROM reports")[0][0]
    proc = start_import(db, big_csv)
    wait_until_writing(proc, db)
    seen, during = [], 0
    target = tmp_path / "backup.db"
    while proc.poll() is None or not seen:
        writing = proc.poll() is None and wal_size(db) >= WRITING_WAL_BYTES
        store.backup(db, target)
        with store.opened(target, readonly=True) as conn:
            assert store.check(conn) == []
            seen.append(conn.execute("SELECT count(*) FROM reports").fetchone()[0])
        during += writing
    assert proc.wait(timeout=60) == 0, proc.stderr.read().decode()[-500:]
    count_after = q(db, "SELECT count(*) FROM reports")[0][0]
    assert count_after > count_before
    assert set(seen) <= {count_before, count_after}, seen  # never a part of the import
    assert during >= 1, "no backup was taken while the import wrote"
    store.backup(db, target)
    assert q(target, "SELECT count(*) FROM reports")[0][0] == count_after


# --- the database changed under a running app ------------------------------------------------------------


def active_libraries(db) -> int:
    """Libraries active in the last cycle (the overview's first headline), by independent SQL."""
    return q(
        db,
        """
        SELECT count(*) FROM libraries l JOIN cycles j ON j.id = l.joined_cycle
        LEFT JOIN cycles x ON x.id = l.left_cycle
        WHERE j.seq <= (SELECT max(seq) FROM cycles) AND (x.seq IS NULL OR x.seq >= (SELECT max(seq) FROM cycles))
    """,
    )[0][0]


def shown_active(run) -> int:
    assert not run.exceptions, run.exceptions
    values = [t.split(": ", 1)[1] for t in run.texts if t.startswith(ACTIVE_LABEL + ": ")]
    assert len(values) == 1, run.texts
    return int(values[0].replace(".", ""))


def add_libraries(db: Path, n: int) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO libraries(name, tier, district_code, subdistrict, village, cohort, joined_cycle) "
            "VALUES (?, 'desa', '34.03', 'Wonosari', ?, 'ekspansi_2018', '2018-3')",
            [(f"Perpustakaan Desa Ganti {i}", f"Desa {i}") for i in range(n)],
        )
    conn.close()


def test_the_app_follows_the_file_when_it_is_replaced_or_rewritten(seed_db_master, tmp_path):
    db = tmp_path / "live.db"
    shutil.copy(seed_db_master, db)
    with Server(db) as server:
        session = server.session()
        try:
            first = shown_active(session.rerun())
            assert first == active_libraries(db)

            # in place: an import on the same file while the server runs
            data = (
                b"Name,Tier,District,Subdistrict,Village,Joined cycle\r\n"
                b"Perpustakaan Desa Uji Satu,Desa,Gunungkidul,Wonosari,Kepek,2018-3\r\n"
                b"Perpustakaan Desa Uji Dua,Desa,Gunungkidul,Karangmojo,Bejiharjo,2018-3\r\n"
            )
            assert importing.run_import(db, data, "baru.csv", "libraries").status == "done"
            assert shown_active(session.rerun()) == active_libraries(db) == first + 2

            # replaced atomically by another file with five more libraries
            other = tmp_path / "other.db"
            shutil.copy(seed_db_master, other)
            add_libraries(other, 5)
            os.replace(other, db)
            assert shown_active(session.rerun()) == active_libraries(db) == first + 5

            # replaced by a file that is not a database: the app's message, no traceback, no old numbers
            garbage = tmp_path / "garbage.db"
            garbage.write_bytes(os.urandom(64 * 1024))
            os.replace(garbage, db)
            run = session.rerun()
            assert not run.exceptions, run.exceptions
            assert any(t.startswith("Basis data tidak dapat dibaca") for t in run.texts), run.texts
            assert not any(t.startswith(ACTIVE_LABEL) for t in run.texts)

            # and a good file again: the new numbers, nothing cached from before
            good = tmp_path / "good.db"
            shutil.copy(seed_db_master, good)
            os.replace(good, db)
            assert shown_active(session.rerun()) == active_libraries(db) == first
        finally:
            session.close()


def test_a_write_during_the_load_is_never_mixed_into_the_frames(seed_db_copy, monkeypatch):
    """snapshot.load reads the tables one query at a time; a write between two of them is read again."""
    db = seed_db_copy
    new_id = q(db, "SELECT max(id) + 1 FROM libraries")[0][0]
    reads = []
    original = snapshot._reports

    def write_between(path, conn, cycles, indicators):
        if not reads:  # the first read: another process writes after libraries were read, before reports
            other = sqlite3.connect(db)
            with other:
                other.execute(
                    "INSERT INTO libraries(id, name, tier, district_code, cohort, joined_cycle) "
                    "VALUES (?, 'Perpustakaan Desa Sela', 'desa', '34.03', 'ekspansi_2018', '2018-1')",
                    (new_id,),
                )
                other.execute(
                    "INSERT INTO reports(library_id, cycle_id, indicator_code, value) "
                    "VALUES (?, '2018-1', 'kunjungan', 77)",
                    (new_id,),
                )
            other.close()
        out = original(path, conn, cycles, indicators)
        reads.append(out)
        return out

    monkeypatch.setattr(snapshot, "_reports", write_between)
    ds = dataset.load(db)
    assert len(reads) == 2  # the first read saw the change and was discarded
    assert new_id in set(reads[0][0]["library_id"])  # ... it had the new reports
    assert new_id in set(ds.libraries["id"]) and new_id in set(ds.values["library_id"])  # the result: both


# --- a missing or unreadable file ------------------------------------------------------------------------


@pytest.fixture
def app_on(monkeypatch):
    def open_app(path: Path) -> AppTest:
        monkeypatch.setenv("PLM_DB", str(path))
        st.cache_data.clear()
        st.cache_resource.clear()
        return AppTest.from_file(APP, default_timeout=120).run()

    yield open_app
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_missing_file_is_built_as_the_demo_database_there(tmp_path, app_on):
    """The documented first start: PLM_DB names a file that does not exist, so the seed demo is built there and
    every page says it shows demo data."""
    db = tmp_path / "new.db"
    at = app_on(db)
    assert not at.exception, [e.message for e in at.exception]
    assert db.is_file()
    with store.opened(db, readonly=True) as conn:
        assert store.meta(conn)["demo"] == "1" and store.check(conn) == []
    assert any(i.value.startswith("Data demo (skala seed") for i in at.info)
    assert at.metric and at.metric[0].label == ACTIVE_LABEL


@pytest.mark.parametrize(
    "kind",
    [
        "directory",
        "random_bytes",
        "truncated",
        "path_through_a_file",
    ],
)
def test_an_unreadable_file_is_a_clear_message(kind, tmp_path, app_on, seed_db_master):
    db = tmp_path / "plm.db"
    if kind == "directory":
        db.mkdir()
    elif kind == "random_bytes":
        db.write_bytes(os.urandom(100_000))
    elif kind == "truncated":  # the first 64 KB of a real database: a valid header, then nothing
        db.write_bytes(seed_db_master.read_bytes()[:65536])
    else:  # a path through a file: it does not exist, and the first-start demo cannot be built there
        (tmp_path / "afile").write_text("x")
        db = tmp_path / "afile" / "plm.db"
    at = app_on(db)
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(f"Basis data tidak dapat dibaca: {db} ("), errors
    assert not at.metric
