"""The command line, run as a user would: ``python -m analytics ...`` in a subprocess and through click."""

import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from analytics.cli import main


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize("command", ["demo", "info", "check", "backup"])
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "--db" in result.output


def test_demo_then_info_then_check_then_backup(tmp_path):
    db = tmp_path / "cli.db"
    built = run("demo", "--scale", "seed", "--db", str(db))
    assert built.returncode == 0, built.stderr
    assert "seed scale, seed 2018" in built.stdout
    info = run("info", "--db", str(db))
    assert info.returncode == 0
    lines = dict(line.split()[:2] for line in info.stdout.splitlines()[1:])
    conn = sqlite3.connect(db)
    assert lines["libraries"] == f"{conn.execute('SELECT count(*) FROM libraries').fetchone()[0]:,}" == "890"
    assert lines["reports"] == f"{conn.execute('SELECT count(*) FROM reports').fetchone()[0]:,}"
    conn.close()
    check = run("check", "--db", str(db))
    assert check.returncode == 0 and check.stdout.strip().endswith(": ok")
    out = tmp_path / "copy.db"
    backup = run("backup", "--out", str(out), "--db", str(db))
    assert backup.returncode == 0
    assert sqlite3.connect(out).execute("SELECT count(*) FROM libraries").fetchone()[0] == 890


def test_plm_db_environment_variable_points_elsewhere(tmp_path, seed_db):
    import os

    env = dict(os.environ, PLM_DB=str(seed_db))
    info = run("info", env=env)
    assert info.returncode == 0 and str(seed_db) in info.stdout


def test_check_exits_non_zero_on_a_broken_database(seed_db_copy):
    conn = sqlite3.connect(seed_db_copy)
    conn.execute("INSERT INTO visits(library_id, visit_date) VALUES (424242, '2018-01-01')")
    conn.commit()
    conn.close()
    result = run("check", "--db", str(seed_db_copy))
    assert result.returncode == 1
    assert "visits: 1 row(s) refer to a missing libraries row" in result.stderr


def test_missing_database_is_a_clear_error(tmp_path):
    result = run("info", "--db", str(tmp_path / "nothing.db"))
    assert result.returncode != 0
    assert "no database at" in result.stderr and "python -m analytics demo" in result.stderr
