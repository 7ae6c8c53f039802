"""The command line on PostgreSQL (issue 15, item 3): ``--db``/``PLM_DB`` take a ``postgresql://`` URL.

Every test that builds data runs twice through the ``target`` fixture: on a SQLite file and on a real PostgreSQL
server the tests start themselves (tests/pg_support.py). Results are read back with plain sqlite3/psycopg, not
through the code under test.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from analytics.cli import main
from tests.pg_support import BIN, PASSWORD, pg_server, pg_url, target  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent
GOOD = Path(__file__).parent / "fixtures" / "import" / "good"
BAD = Path(__file__).parent / "fixtures" / "import" / "bad"


def cli(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def is_pg(where: str) -> bool:
    return where.startswith("postgresql://")


def sql(where: str, query: str, params=()) -> list[tuple]:
    """Rows of a query run with the plain driver (autocommit), independent of analytics.db."""
    if is_pg(where):
        import psycopg

        with psycopg.connect(where, autocommit=True) as conn:
            cur = conn.execute(query.replace("?", "%s"), params or None)
            return cur.fetchall() if cur.description else []
    conn = sqlite3.connect(where)
    try:
        rows = conn.execute(query, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def tables(where: str) -> set[str]:
    if is_pg(where):
        return {r[0] for r in sql(where, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    return {r[0] for r in sql(where, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


# --- an unreachable server or wrong credentials ----------------------------------------------------------------

COMMANDS = [
    ["demo"],
    ["info"],
    ["check"],
    ["migrate"],
    ["users", "list"],
    ["backup", "--out", "b.dump"],
    ["import", str(GOOD / "libraries_en.csv"), "--kind", "libraries"],
    ["undo", "1"],
    ["export", "libraries", "--out", "x.csv"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] + (f"-{c[1]}" if c[0] == "users" else ""))
@pytest.mark.parametrize("via", ["--db", "PLM_DB"])
def test_unreachable_server_one_line_exit_1_and_no_stray_files(tmp_path, monkeypatch, command, via):
    """Before issue 15, ``--db postgresql://...`` made SQLite files under a folder named "postgresql:"."""
    monkeypatch.chdir(tmp_path)
    url = f"postgresql://plm:{PASSWORD}@127.0.0.1:{closed_port()}/plm"
    if via == "--db":
        result = cli(*command, "--db", url)
    else:
        result = cli(*command, env={"PLM_DB": url})
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: cannot connect to postgresql://plm@127.0.0.1:")
    assert "Traceback" not in result.output and PASSWORD not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert list(tmp_path.iterdir()) == []  # no "postgresql:" folder, no dump, no export
    assert not (ROOT / "postgresql:").exists()


def test_wrong_password_is_refused_clearly_and_nothing_is_written(pg_server, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    url = pg_server.new_database()
    wrong = url.replace(PASSWORD, "not-the-password")
    result = cli("demo", "--db", wrong)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "password authentication failed" in result.output
    assert "not-the-password" not in result.output and "Traceback" not in result.output
    assert tables(url) == set() and list(tmp_path.iterdir()) == []


# --- the commands on both stores -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_counts(tmp_path_factory) -> dict[str, int]:
    """Row counts of the seed demo written as a SQLite file, counted with plain sqlite3."""
    path = tmp_path_factory.mktemp("seed-cli") / "seed.db"
    assert cli("demo", "--db", path).exit_code == 0
    conn = sqlite3.connect(path)
    names = [
        "provinces",
        "districts",
        "cycles",
        "indicators",
        "libraries",
        "meetings",
        "attendance",
        "reports",
        "awards",
        "stories",
        "visits",
    ]
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in names}


def test_demo_info_check_on_both(target, seed_counts):  # noqa: F811
    built = cli("demo", "--db", target)
    assert built.exit_code == 0, built.output
    for table, n in seed_counts.items():
        assert sql(target, f"SELECT count(*) FROM {table}") == [(n,)], table
    assert seed_counts["reports"] > 10_000  # the comparison above compares something
    info = cli("info", "--db", target)
    assert info.exit_code == 0 and "schema 2, demo seed seed 2018" in info.output
    assert f"reports      {seed_counts['reports']:>12,}" in info.output
    assert PASSWORD not in info.output
    ok = cli("check", "--db", target)
    assert ok.exit_code == 0 and ok.output.strip().endswith(": ok")
    # a domain rule no constraint enforces: more female attendees than attendees
    sql(
        target,
        "UPDATE attendance SET attendees_female = attendees + 3 WHERE meeting_id = "
        "(SELECT min(meeting_id) FROM attendance)",
    )
    broken = cli("check", "--db", target)
    assert broken.exit_code == 1
    assert "attendance:" in broken.output and "more female attendees than attendees" in broken.output


def test_schema_keeps_check_constraints_and_foreign_keys(target):  # noqa: F811
    assert cli("demo", "--db", target).exit_code == 0
    import psycopg

    errors = (sqlite3.IntegrityError, psycopg.errors.IntegrityError)
    with pytest.raises(errors):  # CHECK (tier IN ...)
        sql(target, "UPDATE libraries SET tier = 'planet' WHERE id = 1")
    with pytest.raises(errors):  # REFERENCES districts(code)
        if not is_pg(target):  # SQLite enforces foreign keys per connection: as store.connect does
            conn = sqlite3.connect(target)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("UPDATE libraries SET district_code = '99.99' WHERE id = 1")
        else:
            sql(target, "UPDATE libraries SET district_code = '99.99' WHERE id = 1")
    assert sql(target, "SELECT tier, district_code FROM libraries WHERE id = 1")[0][0] != "planet"
    if is_pg(target):  # REAL became double precision, not PostgreSQL's 4-byte real
        assert sql(
            target,
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'reports' AND column_name = 'value'",
        ) == [("double precision",)]


def test_backup_restores_to_the_same_rows(target, tmp_path):  # noqa: F811
    assert cli("demo", "--db", target).exit_code == 0
    out = tmp_path / "backup.out"
    done = cli("backup", "--db", target, "--out", out)
    assert done.exit_code == 0 and out.stat().st_size > 0
    want = sql(target, "SELECT count(*), sum(value) FROM reports")
    if is_pg(target):
        restored = target.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(restored, autocommit=True) as conn:
            conn.execute("CREATE DATABASE restored_check")
        copy = target.rsplit("/", 1)[0] + "/restored_check"
        env = {"PGPASSWORD": PASSWORD, "PATH": "/usr/bin:/bin"}
        run = subprocess.run(
            [str(BIN / "pg_restore"), "--no-owner", f"--dbname={copy.replace(PASSWORD, '')}", str(out)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
        assert sql(copy, "SELECT count(*), sum(value) FROM reports") == want
        with psycopg.connect(restored, autocommit=True) as conn:
            conn.execute("DROP DATABASE restored_check")
    else:
        assert sql(str(out), "SELECT count(*), sum(value) FROM reports") == want


def test_migrate_creates_the_schema_in_an_empty_postgres_database(pg_url, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    first = cli("migrate", "--db", pg_url)
    assert first.exit_code == 0, first.output
    assert "created table libraries" in first.output and "schema_version 0 -> 2" in first.output
    assert {"users", "user_areas", "audit_log", "libraries", "reports"} <= tables(pg_url)
    assert sql(pg_url, "SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]
    again = cli("migrate", "--db", pg_url)
    assert again.exit_code == 0 and "already at schema 2" in again.output
    assert cli("check", "--db", pg_url).exit_code == 0


def test_users_commands_on_both(target):  # noqa: F811
    assert cli("demo", "--db", target).exit_code == 0
    added = cli(
        "users",
        "add",
        "Ani@Example.org",
        "--name",
        "Ani",
        "--role",
        "district_officer",
        "--area",
        "34.03",
        "--db",
        target,
    )
    assert added.exit_code == 0, added.output
    assert sql(target, "SELECT email, role FROM users") == [("ani@example.org", "district_officer")]
    assert sql(target, "SELECT district_code FROM user_areas") == [("34.03",)]
    twice = cli("users", "add", "ani@example.org", "--name", "Ani", "--role", "viewer", "--db", target)
    assert twice.exit_code == 1 and "already exists" in twice.output
    moved = cli("users", "set-role", "ani@example.org", "province_officer", "--area", "34", "--db", target)
    assert moved.exit_code == 0, moved.output
    assert sql(target, "SELECT province_code, district_code FROM user_areas") == [("34", None)]
    listed = cli("users", "list", "--db", target)
    assert "ani@example.org\tAni\tprovince_officer\t34" in listed.output
    assert cli("users", "remove", "ani@example.org", "--db", target).exit_code == 0
    assert sql(target, "SELECT count(*) FROM users") == [(0,)]
    assert sql(target, "SELECT count(*) FROM user_areas") == [(0,)]  # ON DELETE CASCADE kept
    assert [r[0] for r in sql(target, "SELECT action FROM audit_log ORDER BY id")] == [
        "user.add",
        "user.set_role",
        "user.remove",
    ]
    audit = cli("audit", "--limit", "2", "--db", target)
    assert audit.exit_code == 0, audit.output
    assert [line.split("\t")[2] for line in audit.output.splitlines()[1:]] == ["user.remove", "user.set_role"]


def test_import_atomic_idempotent_and_undo_on_both(target):  # noqa: F811
    assert cli("demo", "--db", target).exit_code == 0
    libraries = sql(target, "SELECT count(*) FROM libraries")[0][0]
    reports = sql(target, "SELECT count(*), sum(value) FROM reports")
    dry = cli("import", GOOD / "libraries_en.csv", "--kind", "libraries", "--dry-run", "--db", target, "--lang", "en")
    assert dry.exit_code == 0 and "libraries    New 2  Changed 0  Unchanged 1" in dry.output, dry.output
    assert sql(target, "SELECT count(*) FROM imports") == [(0,)]
    rejected = cli("import", BAD / "many_problems.csv", "--kind", "reports", "--db", target, "--lang", "en")
    assert rejected.exit_code == 1 and "Nothing was written." in rejected.output
    assert sql(target, "SELECT count(*), sum(value) FROM reports") == reports
    assert sql(target, "SELECT kind, status FROM imports") == [("reports", "rejected")]
    done = cli("import", GOOD / "libraries_en.csv", "--kind", "libraries", "--db", target, "--lang", "en")
    assert done.exit_code == 0 and "Import 2 done: 2 rows written." in done.output, done.output
    assert sql(target, "SELECT count(*) FROM libraries") == [(libraries + 2,)]
    top = sql(target, "SELECT max(id) FROM libraries WHERE import_id IS NULL")[0][0]
    assert sql(target, "SELECT id FROM libraries WHERE import_id = 2 ORDER BY id") == [(top + 1,), (top + 2,)]
    who = sql(target, 'SELECT "user" FROM imports WHERE id = 2')[0][0]
    assert who and who != "plm"  # the OS user, not PostgreSQL's role (``user`` unquoted would read that)
    again = cli("import", GOOD / "libraries_en.csv", "--kind", "libraries", "--db", target, "--lang", "en")
    assert again.exit_code == 0 and "already imported (import 2)" in again.output
    assert sql(target, "SELECT count(*) FROM libraries") == [(libraries + 2,)]
    undone = cli("undo", "2", "--db", target, "--lang", "en")
    assert undone.exit_code == 0 and "Import 2 undone" in undone.output, undone.output
    assert sql(target, "SELECT count(*) FROM libraries") == [(libraries,)]
    assert sql(target, "SELECT status FROM imports ORDER BY id") == [("rejected",), ("undone",), ("duplicate",)]
    refused = cli("undo", "2", "--db", target, "--lang", "en")
    assert refused.exit_code == 1


def test_import_of_a_library_after_undo_gets_a_fresh_id_on_both(target):  # noqa: F811
    """Ids are given as max(id) + 1 under the write lock on both stores (an identity would lag behind them)."""
    assert cli("demo", "--db", target).exit_code == 0
    assert cli("import", GOOD / "libraries_en.csv", "--kind", "libraries", "--db", target).exit_code == 0
    assert cli("users", "add", "b@example.org", "--name", "B", "--role", "viewer", "--db", target).exit_code == 0
    assert sql(target, "SELECT id FROM imports") == [(1,)]
    assert sql(target, "SELECT id FROM users") == [(1,)]


def test_an_empty_postgres_database_is_named_with_the_way_out(pg_url):  # noqa: F811
    result = cli("info", "--db", pg_url)
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: no PLM tables in {pg_url.replace(':' + PASSWORD, '')}; build them "
        "with: python -m analytics demo (demo data) or python -m analytics migrate "
        "(empty)"
    )


def test_a_server_that_drops_the_connection_mid_command_gives_one_line(pg_url, monkeypatch):  # noqa: F811
    """The server really ends the command's session (pg_terminate_backend) between two of its queries."""
    from analytics import store

    assert cli("demo", "--db", pg_url).exit_code == 0
    real = store.row_counts

    def cut_then_count(conn, *args, **kwargs):
        sql(
            pg_url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'plm-analytics' AND pid != pg_backend_pid()",
        )
        return real(conn, *args, **kwargs)

    monkeypatch.setattr(store, "row_counts", cut_then_count)
    result = cli("info", "--db", pg_url)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: lost the database: postgresql://plm@127.0.0.1:")
    assert "Traceback" not in result.output and PASSWORD not in result.output


def test_bench_says_it_needs_sqlite_for_now(pg_url, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    assert cli("migrate", "--db", pg_url).exit_code == 0
    result = cli("bench", "--db", pg_url)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: bench reads a SQLite file only for now")
    assert list(tmp_path.iterdir()) == [] and not (ROOT / "postgresql:").exists()  # old bench made one there


def test_pack_on_postgres_equals_the_pack_of_the_same_demo_in_sqlite(pg_url, tmp_path, seed_db_copy):  # noqa: F811
    """pack reads through the dashboard's frames and queries (issue 15, read path): the same meeting pack."""
    lite = str(seed_db_copy)  # the seed demo, scale seed, seed 2018: what `demo` builds
    assert cli("demo", "--db", pg_url).exit_code == 0
    for where, out in ((pg_url, "pg.md"), (lite, "lite.md")):
        result = cli("pack", "--db", where, "--province", "34", "--out", str(tmp_path / out))
        assert result.exit_code == 0, result.output
    pg, sqlite = ((tmp_path / name).read_text() for name in ("pg.md", "lite.md"))
    assert "Yogyakarta" in pg and len(pg) > 100_000
    # the one difference: the pack names its database (the URL's database "t_...", the file "seed.db")
    assert pg.replace(f"dari {pg_url.rsplit('/', 1)[1]}.", "dari DB.") == sqlite.replace("dari seed.db.", "dari DB.")
