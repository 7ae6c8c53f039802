"""``python -m analytics migrate``: a schema-0 database (tests/fixtures/schema_v0.sql, filled from the seed demo
database) reaches the current schema keeping every row, passes ``check`` and loads in the app."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import dataset, importing, migrate, store
from analytics.config import ROOT

V0_SQL = Path(__file__).parent / "fixtures" / "schema_v0.sql"
APP = str(ROOT / "app.py")
# An import recorded before message/user existed: it must survive with them NULL.
V0_IMPORT = (
    7,
    "reports",
    "laporan lama.csv",
    "ab" * 32,
    3,
    "done",
    "2017-01-05T10:00:00+00:00",
    "2017-01-05T10:00:02+00:00",
)


def v0_columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: [r[1] for r in conn.execute(f"PRAGMA table_info([{t}])")] for t in tables}


def make_v0(seed: Path, target: Path) -> Path:
    """The schema-0 file: the v0 tables, every row of the seed database copied into their columns."""
    conn = sqlite3.connect(target)
    conn.executescript(V0_SQL.read_text())
    conn.execute("ATTACH DATABASE ? AS src", (str(seed),))
    for table, columns in v0_columns(conn).items():
        names = ", ".join(f"[{c}]" for c in columns)
        conn.execute(f"INSERT INTO main.[{table}] ({names}) SELECT {names} FROM src.[{table}]")
    conn.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?)", V0_IMPORT)
    conn.commit()
    conn.execute("DETACH DATABASE src")
    conn.close()
    return target


def contract_dump(path: Path, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Every row of every v0 table, in the v0 columns, in a fixed order."""
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(
                f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{t}] ORDER BY {', '.join(f'[{c}]' for c in cols)}"
            ).fetchall()
            for t, cols in columns.items()
        }
    finally:
        conn.close()


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.fixture
def v0(seed_db, tmp_path):
    return make_v0(seed_db, tmp_path / "old.db")


@pytest.fixture
def v0_cols(v0):
    conn = sqlite3.connect(v0)
    try:
        return v0_columns(conn)
    finally:
        conn.close()


def test_the_fixture_is_schema_0_and_holds_the_seed_rows(v0, seed_db):
    with store.opened(v0, readonly=True) as conn:
        assert store.schema_version(conn) == 0
        missing = store.missing_schema(conn)
        counts = store.row_counts(conn)
    assert missing["tables"] == ["meta", *store.ACCOUNT_TABLES]
    assert {
        "cycles.seq",
        "provinces.lat",
        "provinces.lon",
        "imports.message",
        "imports.user",
        "libraries.import_id",
        "reports.import_id",
        "stories.import_id",
    } <= set(missing["columns"])
    with store.opened(seed_db, readonly=True) as conn:
        seed_counts = store.row_counts(conn)
    assert counts["reports"] == seed_counts["reports"] > 50_000
    assert counts["libraries"] == seed_counts["libraries"]
    assert counts["imports"] == 1


def test_migrate_keeps_every_row_and_reaches_the_current_schema(v0, v0_cols, seed_db):
    before = contract_dump(v0, v0_cols)
    result = run_cli("migrate", "--db", str(v0))
    assert result.returncode == 0, result.stderr
    assert f"{v0}: schema 0 -> {store.SCHEMA_VERSION}" in result.stdout
    assert "cycles: added seq" in result.stdout and "created table meta" in result.stdout
    assert all(f"created table {t}" in result.stdout for t in store.ACCOUNT_TABLES)

    # every row of every table, column by column, as it was
    assert contract_dump(v0, v0_cols) == before
    with store.opened(v0, readonly=True) as conn:
        assert store.check(conn) == []
        assert store.missing_schema(conn) == {"tables": [], "columns": [], "indexes": []}
        assert store.schema_version(conn) == store.SCHEMA_VERSION
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        assert store.meta(conn)["schema_version"] == str(store.SCHEMA_VERSION)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        seqs = conn.execute("SELECT id, seq FROM cycles ORDER BY id").fetchall()
        imported = conn.execute("SELECT id, status, message, user FROM imports").fetchall()
        nulls = conn.execute("SELECT count(*) FROM reports WHERE import_id IS NOT NULL").fetchone()[0]
    # the rebuilt cycles table has the current constraints (seq NOT NULL UNIQUE), not only the column
    with pytest.raises(sqlite3.IntegrityError), sqlite3.connect(v0) as conn:
        conn.execute("INSERT INTO cycles VALUES ('2030-1', 2030, 1, '2030-01-01', '2030-04-30', ?)", (seqs[0][1],))
    # seq = year * 3 + term - 1, exactly what the current schema's builder writes
    assert seqs == sqlite3.connect(seed_db).execute("SELECT id, seq FROM cycles ORDER BY id").fetchall()
    assert imported == [(7, "done", None, None)] and nulls == 0

    # the backup beside the file is the untouched schema-0 database
    backups = sorted(v0.parent.glob("old.db.schema0-*.bak"))
    assert len(backups) == 1 and f"backup: {backups[0]}" in result.stdout
    assert contract_dump(backups[0], v0_cols) == before
    with store.opened(backups[0], readonly=True) as conn:
        assert store.schema_version(conn) == 0


def test_migrated_database_computes_province_points_from_their_districts(v0, seed_db):
    migrate.migrate(v0)
    got = dict(((c, (la, lo)) for c, la, lo in sqlite3.connect(v0).execute("SELECT code, lat, lon FROM provinces")))
    expect = dict(
        (
            (c, (la, lo))
            for c, la, lo in sqlite3.connect(seed_db).execute(
                "SELECT province_code, avg(lat), avg(lon) FROM districts GROUP BY province_code"
            )
        )
    )
    assert got.keys() >= expect.keys() and all(got[c] == pytest.approx(expect[c]) for c in expect)


def test_a_current_database_is_left_alone(seed_db_copy):
    dump = list(sqlite3.connect(seed_db_copy).iterdump())
    result = run_cli("migrate", "--db", str(seed_db_copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{seed_db_copy}: already at schema {store.SCHEMA_VERSION}"
    assert list(sqlite3.connect(seed_db_copy).iterdump()) == dump
    assert not list(seed_db_copy.parent.glob("*.bak"))


def test_migrating_twice_changes_nothing_the_second_time(v0):
    first = migrate.migrate(v0)
    assert first.changed and first.backup.exists()
    dump = list(sqlite3.connect(v0).iterdump())
    second = migrate.migrate(v0)
    assert not second.changed and second.lines() == [f"{v0}: already at schema {store.SCHEMA_VERSION}"]
    assert list(sqlite3.connect(v0).iterdump()) == dump
    assert len(list(v0.parent.glob("*.bak"))) == 1


def test_a_failure_during_the_migration_leaves_the_file_as_it_was(v0, monkeypatch):
    dump = list(sqlite3.connect(v0).iterdump())
    # provinces is rebuilt after cycles and libraries... an expression that fails at run time stops it midway
    monkeypatch.setitem(migrate.COMPUTED, ("provinces", "lat"), "(SELECT no_such_column FROM districts)")
    with pytest.raises(sqlite3.OperationalError):
        migrate.migrate(v0)
    assert list(sqlite3.connect(v0).iterdump()) == dump
    with store.opened(v0, readonly=True) as conn:
        assert store.schema_version(conn) == 0


def test_a_newer_database_is_refused(seed_db_copy):
    conn = sqlite3.connect(seed_db_copy)
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    conn.close()
    result = run_cli("migrate", "--db", str(seed_db_copy))
    assert result.returncode == 1
    assert f"newer than this program's {store.SCHEMA_VERSION}" in result.stderr


def test_missing_file_is_a_clear_error(tmp_path):
    result = run_cli("migrate", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1 and "no database at" in result.stderr


def test_migrated_database_loads_and_takes_imports(v0, seed_db):
    migrate.migrate(v0)
    ds = dataset.load(v0)
    seed = dataset.load(seed_db)
    assert len(ds.libraries) == len(seed.libraries) and len(ds.values) == len(seed.values)
    assert list(ds.cycles["seq"]) == list(seed.cycles["seq"])
    data = b"id_perpustakaan;siklus;indikator;nilai\r\n123;2018-3;kunjungan;4321\r\n"
    outcome = importing.run_import(v0, data, "r.csv", "reports", user="ani")
    assert outcome.status == "done", outcome.error
    assert importing.undo(v0, outcome.import_id, user="ani").ok
    with store.opened(v0, readonly=True) as conn:
        assert store.check(conn) == []


@pytest.fixture
def fresh_caches(monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    yield monkeypatch
    st.cache_data.clear()
    st.cache_resource.clear()


def overview(db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("PLM_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(APP, default_timeout=120).run()


def test_migrated_database_shows_the_same_overview_as_the_seed(v0, seed_db, fresh_caches):
    migrate.migrate(v0)
    at = overview(v0, fresh_caches)
    assert not at.exception, [e.message for e in at.exception]
    migrated = {m.label: m.value for m in at.metric}
    seed = {m.label: m.value for m in overview(seed_db, fresh_caches).metric}
    assert migrated and migrated == seed


def test_old_schema_in_the_app_is_an_error_message_not_a_traceback(v0, fresh_caches):
    at = overview(v0, fresh_caches)
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and ("Basis data tidak dapat dibaca" in errors[0] or "skema lama" in errors[0]), errors
    assert not at.metric


def test_old_schema_in_the_app_names_the_migrate_command(v0, fresh_caches):
    at = overview(v0, fresh_caches)
    assert any("python -m analytics migrate" in e.value for e in at.error)


# --- schema 1 -> 2: the account tables (issue 15) -----------------------------------------------------------------


def make_v1(seed: Path, target: Path) -> Path:
    """A schema-1 file: the seed database as schema 1 wrote it, i.e. without the account tables and their
    indexes, and recording version 1."""
    import shutil

    shutil.copy(seed, target)
    conn = sqlite3.connect(target)
    for table in ("user_areas", "audit_log", "users"):
        conn.execute(f"DROP TABLE {table}")  # their indexes go with them
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    return target


@pytest.fixture
def v1(seed_db, tmp_path):
    return make_v1(seed_db, tmp_path / "v1.db")


def all_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def test_schema_1_gains_the_account_tables_keeping_every_row(v1):
    with store.opened(v1, readonly=True) as conn:
        assert store.schema_version(conn) == 1
        assert store.missing_schema(conn)["tables"] == list(store.ACCOUNT_TABLES)
        assert store.check(conn) == []  # the rules of the tables it lacks are not run on it
    # An import done before the upgrade (an import today also writes audit_log, which schema 1 lacks: it fails
    # there, and the CLI asks for migrate first).
    data = b"id_perpustakaan;siklus;indikator;nilai\r\n123;2018-3;kunjungan;4321\r\n"
    assert importing.run_import(v1, data, "r.csv", "reports", user="ani").status == "failed"
    with sqlite3.connect(v1) as conn:
        conn.execute(
            'INSERT INTO imports(kind, file_name, sha256, rows, status, started_at, "user") '
            "VALUES ('reports', 'r.csv', 'x', 1, 'done', '2026-01-01T00:00:00+00:00', 'ani')"
        )
    conn.close()
    before = all_rows(v1)
    assert before["imports"] and len(before["reports"]) > 50_000
    result = run_cli("migrate", "--db", str(v1))
    assert result.returncode == 0, result.stderr
    assert f"{v1}: schema 1 -> 2" in result.stdout
    assert [line.strip() for line in result.stdout.splitlines() if "created table" in line] == [
        f"created table {t}" for t in store.ACCOUNT_TABLES
    ]
    after = all_rows(v1)
    assert {t: rows for t, rows in after.items() if t in before and t != "meta"} == {
        t: rows for t, rows in before.items() if t != "meta"
    }
    assert all(after[t] == [] for t in store.ACCOUNT_TABLES)
    with store.opened(v1, readonly=True) as conn:
        assert store.check(conn) == [] and store.schema_version(conn) == 2
        assert store.missing_schema(conn) == {"tables": [], "columns": [], "indexes": []}
    # the migrated file takes users at once
    added = run_cli("users", "add", "admin@example.org", "--name", "Admin", "--role", "national_admin", "--db", str(v1))
    assert added.returncode == 0, added.stderr


def test_the_users_command_on_a_schema_1_file_names_the_migration(v1):
    result = run_cli("users", "list", "--db", str(v1))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"python -m analytics migrate --db {v1}" in result.stderr
