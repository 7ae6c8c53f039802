"""The import, template, undo and export commands, run as a user would (subprocess)."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from analytics.cli import main

BAD = Path(__file__).parent / "fixtures" / "import" / "bad"
GOOD = Path(__file__).parent / "fixtures" / "import" / "good"


def run(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", ["import", "undo", "export"])
def test_new_commands_have_help_and_take_db(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "--db" in result.output


def test_rejected_file_exits_non_zero_with_the_report_on_stderr(seed_db_copy):
    result = run(
        "import", str(BAD / "many_problems.csv"), "--kind", "reports", "--db", str(seed_db_copy), "--lang", "en"
    )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert "CSV:3:id_perpustakaan: Must be a whole number. [abc]" in lines
    assert (
        "CSV:6:indikator: Unknown indicator code. See the indicator list on the template's Instructions sheet. "
        "[hantu]" in lines
    )
    assert "      2  Duplicate in file" in lines
    assert lines[-1] == "File rejected: 7 problem(s). Nothing was written."
    conn = sqlite3.connect(seed_db_copy)
    assert conn.execute("SELECT kind, status FROM imports").fetchall() == [("reports", "rejected")]


def test_import_dry_run_then_import_then_undo(seed_db_copy):
    db = str(seed_db_copy)
    conn = sqlite3.connect(seed_db_copy)
    dry = run("import", str(GOOD / "libraries_en.csv"), "--kind", "libraries", "--dry-run", "--db", db, "--lang", "en")
    assert dry.returncode == 0, dry.stderr
    assert "libraries    New 2  Changed 0  Unchanged 1" in dry.stdout
    assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    done = run("import", str(GOOD / "libraries_en.csv"), "--kind", "libraries", "--db", db, "--lang", "en")
    assert done.returncode == 0 and "Import 1 done: 2 rows written." in done.stdout
    assert conn.execute("SELECT count(*) FROM libraries WHERE import_id = 1").fetchone()[0] == 2
    again = run("import", str(GOOD / "libraries_en.csv"), "--kind", "libraries", "--db", db, "--lang", "en")
    assert again.returncode == 0 and "already imported (import 1)" in again.stdout
    undo = run("undo", "1", "--db", db, "--lang", "en")
    assert undo.returncode == 0 and "Import 1 undone" in undo.stdout
    assert conn.execute("SELECT count(*) FROM libraries WHERE import_id = 1").fetchone()[0] == 0
    refused = run("undo", "1", "--db", db, "--lang", "en")
    assert refused.returncode == 1 and "only a done import can be undone" in refused.stderr


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_template_command_writes_the_template(tmp_path, suffix):
    out = tmp_path / f"t{suffix}"
    result = run("template", "reports", "--out", str(out))
    assert result.returncode == 0 and out.exists()
    if suffix == ".csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbfid_perpustakaan;nama_perpustakaan;kabupaten_kota;siklus")
    else:
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == ["Data", "Petunjuk - Instructions"]


def test_export_neutralises_formulas_and_keeps_numbers(seed_db_copy, tmp_path):
    conn = sqlite3.connect(seed_db_copy)
    conn.execute("UPDATE libraries SET name = '=HYPERLINK(\"http://x\")' WHERE id = 1")
    conn.commit()
    csv_out, xlsx_out = tmp_path / "l.csv", tmp_path / "l.xlsx"
    assert (
        run("export", "libraries", "--format", "csv", "--out", str(csv_out), "--db", str(seed_db_copy)).returncode == 0
    )
    text = csv_out.read_text(encoding="utf-8-sig").splitlines()
    assert text[1].startswith('1,"\'=HYPERLINK(""http://x"")",kabupaten_kota,34.03')
    assert len(text) == 1 + conn.execute("SELECT count(*) FROM libraries").fetchone()[0]
    assert (
        run("export", "reports", "--format", "xlsx", "--out", str(xlsx_out), "--db", str(seed_db_copy)).returncode == 0
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_out.read_bytes()), read_only=True).active
    first = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    expected = conn.execute("SELECT library_id, cycle_id, indicator_code, value FROM reports LIMIT 1").fetchone()
    assert first[:4] == expected
    bad = run("export", "sqlite_master", "--out", str(tmp_path / "x.csv"), "--db", str(seed_db_copy))
    assert bad.returncode != 0
