"""Real-world files in, values checked against the source by hand; bad files out, database untouched."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from analytics import i18n, importing, store
from analytics.importing import read

FIXTURES = Path(__file__).parent / "fixtures" / "import"
BAD = FIXTURES / "bad"
GOOD = FIXTURES / "good"
MANIFEST = json.loads((BAD / "manifest.json").read_text(encoding="utf-8"))


def dump(path) -> list[str]:
    """Every statement that rebuilds the database, but the audit table's rows."""
    conn = sqlite3.connect(path)
    try:
        return [line for line in conn.iterdump() if not line.startswith('INSERT INTO "imports"')]
    finally:
        conn.close()


def imports(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, kind, file_name, status, rows, message FROM imports ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def shared_db(seed_db_master, tmp_path_factory):
    """One writable copy for the whole corpus: each bad file must leave it as it was anyway."""
    target = tmp_path_factory.mktemp("bad") / "seed.db"
    shutil.copy(seed_db_master, target)
    return target


@pytest.fixture(scope="module")
def clean_dump(seed_db_master):
    return dump(seed_db_master)


def test_the_corpus_is_large_enough_and_complete():
    assert len(MANIFEST) >= 25
    assert sorted(MANIFEST) == sorted(p.name for p in BAD.iterdir() if p.name != "manifest.json")


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_file_is_rejected_with_its_reasons_and_nothing_changes(name, shared_db, clean_dump):
    spec = MANIFEST[name]
    before = imports(shared_db)
    outcome = importing.run_import(
        shared_db, (BAD / name).read_bytes(), name, spec["kind"], user="test", sheet=spec.get("sheet")
    )
    assert outcome.status == "rejected"
    assert sorted({p.reason for p in outcome.analysis.problems}) == sorted(spec["reasons"])
    if "where" in spec:
        assert [[p.row, p.column] for p in outcome.analysis.problems] == spec["where"]
    # The data is exactly as before; the audit table gained exactly one row saying so.
    assert dump(shared_db) == clean_dump
    after = imports(shared_db)
    assert after[:-1] == before and len(after) == len(before) + 1
    assert after[-1][1:5] == (spec["kind"], name, "rejected", 0)
    assert after[-1][5]  # the reason is recorded
    # Every problem reads in both languages, with its value and without a placeholder left over.
    for lang in i18n.LANGUAGES:
        for text in importing.report_frame(outcome.analysis.problems, lang).iloc[:, 4]:
            assert text and "{" not in text and not text.startswith("import.")


def test_every_problem_is_reported_with_counts_per_reason(seed_db):
    with store.opened(seed_db, readonly=True) as conn:
        analysis = importing.analyse(conn, (BAD / "many_problems.csv").read_bytes(), "many_problems.csv", "reports")
    rows = [(p.row, p.column, p.value, p.reason) for p in analysis.problems]
    assert rows == [
        (3, "id_perpustakaan", "abc", "not_an_integer"),
        (4, "nilai", "-1", "negative"),
        (4, "indikator", "kunjungan", "duplicate_in_file"),  # the same library, cycle and indicator as row 2
        (5, "nilai", "x", "not_a_number"),
        (5, "indikator", "kunjungan", "duplicate_in_file"),
        (6, "siklus", "2019-9", "bad_cycle"),
        (6, "indikator", "hantu", "unknown_indicator"),
    ]
    counts = importing.reason_counts(analysis.problems, "en")
    assert dict(zip(counts["Reason"], counts["Count"])) == {
        "Not a whole number": 1,
        "Duplicate in file": 2,
        "Negative number": 1,
        "Not a number": 1,
        "Unreadable cycle": 1,
        "Unknown indicator": 1,
    }
    indonesian = importing.report_frame(analysis.problems, "id")
    assert list(indonesian.columns) == ["Lembar", "Baris", "Kolom", "Nilai", "Alasan"]
    assert indonesian.iloc[2]["Alasan"] == "Baris ganda: sama dengan baris 2 di berkas ini."


def test_ambiguous_district_names_the_two_ways_to_write_it(seed_db):
    with store.opened(seed_db, readonly=True) as conn:
        analysis = importing.analyse(conn, (BAD / "ambiguous_district.csv").read_bytes(), "x.csv", "libraries")
    text = importing.report_frame(analysis.problems[:1], "en").iloc[0, 4]
    assert text == (
        'Both a regency and a city have this name; write "Kabupaten Bandung" or "Kota Bandung", or the code.'
    )


@pytest.mark.parametrize("limit,attr,reason", [(100, "MAX_BYTES", "too_large"), (1, "MAX_ROWS", "too_many_rows")])
def test_limits(limit, attr, reason, seed_db_copy, monkeypatch):
    monkeypatch.setattr(read, attr, limit)
    data = b"id_perpustakaan;siklus;indikator;nilai\r\n" + b"123;2018-1;kunjungan;5\r\n" * 10
    before = dump(seed_db_copy)
    outcome = importing.run_import(seed_db_copy, data, "x.csv", "reports")
    assert [p.reason for p in outcome.analysis.problems] == [reason]
    assert dump(seed_db_copy) == before


# --- good files: every value compared with the source, as written in make_fixtures.py -----------------------


def _library(conn, name, district) -> int:
    return conn.execute("SELECT id FROM libraries WHERE name = ? AND district_code = ?", (name, district)).fetchone()[0]


def test_indonesian_locale_csv_imports_its_values(seed_db_copy):
    conn = sqlite3.connect(seed_db_copy)
    kelor = _library(conn, "Perpustakaan Desa Kelor", "34.03")
    gardu = _library(conn, "Perpustakaan Desa Gardu Pintar 2", "34.03")
    khasanah = _library(conn, "Perpustakaan Desa Khasanah Info", "34.03")
    baitul = _library(conn, "TBM Baitul Qur'an", "18.05")  # the file writes Qur’an with a curly apostrophe
    khasanah_submitted = conn.execute(
        "SELECT submitted_on FROM reports WHERE library_id = ? AND cycle_id = "
        "'2018-3' AND indicator_code = 'kunjungan'",
        (khasanah,),
    ).fetchone()
    outcome = importing.run_import(
        seed_db_copy,
        (GOOD / "laporan_kabupaten_id.csv").read_bytes(),
        "laporan_kabupaten_id.csv",
        "reports",
        user="ani",
    )
    assert outcome.status == "done", outcome.analysis.problems
    rows = conn.execute(
        "SELECT library_id, indicator_code, value, submitted_on FROM reports "
        "WHERE import_id = ? AND cycle_id = '2018-3' ORDER BY 1, 2",
        (outcome.import_id,),
    ).fetchall()
    keep = khasanah_submitted[0] if khasanah_submitted else None
    assert sorted(rows) == sorted(
        [
            (kelor, "kunjungan", 1234.0, "2019-01-05"),
            (kelor, "penjualan_lapak", 1_500_000.0, "2019-01-05"),
            (gardu, "kunjungan", 3210.0, "2019-01-05"),
            (gardu, "penjualan_lapak", 2_750_000.0, "2019-01-05"),
            (gardu, "anggaran", 12_500_000.5, "2019-01-05"),
            (baitul, "kunjungan", 87.0, "2019-01-14"),
            (khasanah, "kunjungan", 0.0, keep),
            (
                khasanah,
                "penjualan_lapak",
                0.0,
                conn.execute(
                    "SELECT submitted_on FROM reports WHERE library_id = ? AND cycle_id = '2018-3' "
                    "AND indicator_code = 'penjualan_lapak'",
                    (khasanah,),
                ).fetchone()[0],
            ),
        ]
    )
    assert outcome.rows == 8
    assert conn.execute("SELECT status, rows, user FROM imports WHERE id = ?", (outcome.import_id,)).fetchone() == (
        "done",
        8,
        "ani",
    )
    conn.close()


def test_messy_workbook_imports_two_plms(seed_db_copy):
    conn = sqlite3.connect(seed_db_copy)
    existing = conn.execute(
        "SELECT id FROM meetings WHERE level = 'kabupaten' AND region_code = '34.03' AND start_date = '2018-10-23'"
    ).fetchone()[0]
    meetings_before = conn.execute("SELECT count(*) FROM meetings").fetchone()[0]
    # The workbook's libraries have no row at that PLM yet, so every value written comes from the workbook
    # (an empty optional cell would otherwise keep whatever the demo data holds).
    conn.execute(
        "DELETE FROM attendance WHERE meeting_id = ? AND library_id IN (SELECT id FROM libraries "
        "WHERE district_code = '34.03')",
        (existing,),
    )
    conn.commit()
    outcome = importing.run_import(seed_db_copy, (GOOD / "plm_messy.xlsx").read_bytes(), "plm_messy.xlsx", "meetings")
    assert outcome.status == "done", outcome.analysis.problems
    assert conn.execute("SELECT count(*) FROM meetings").fetchone()[0] == meetings_before + 1
    new = conn.execute(
        "SELECT id, cycle_id, level, region_code, start_date, end_date, venue, title FROM meetings WHERE import_id = ?",
        (outcome.import_id,),
    ).fetchall()
    assert [r[1:] for r in new] == [
        ("2018-3", "provinsi", "34", "2018-11-12", "2018-11-13", "Hotel Eastparc", "PLM Provinsi DIY 2018-3")
    ]
    new_id = new[0][0]
    ids = {
        n: _library(conn, n, "34.03")
        for n in (
            "Perpustakaan Desa Kelor",
            "Perpustakaan Desa Wiladeg",
            "TBM Pulutan Cerdas",
            "Perpustakaan Desa Gardu Pintar 2",
        )
    }
    got = conn.execute(
        "SELECT meeting_id, library_id, attendees, attendees_female, presented, lapak "
        "FROM attendance WHERE import_id = ?",
        (outcome.import_id,),
    ).fetchall()
    assert sorted(got) == sorted(
        [
            (existing, ids["Perpustakaan Desa Kelor"], 3, 2, 1, 0),
            (existing, ids["Perpustakaan Desa Wiladeg"], 4, 1, 0, 0),
            (existing, ids["TBM Pulutan Cerdas"], 2, 0, 1, 0),
            (new_id, ids["Perpustakaan Desa Kelor"], 1, 0, 0, 0),
            (new_id, ids["Perpustakaan Desa Gardu Pintar 2"], 2, 2, 0, 1),
        ]
    )
    assert store.check(conn) == []
    conn.close()


def test_registry_file_adds_new_libraries_and_matches_names(seed_db_copy):
    conn = sqlite3.connect(seed_db_copy)
    top = conn.execute("SELECT max(id) FROM libraries").fetchone()[0]
    kelor_before = conn.execute("SELECT * FROM libraries WHERE name = 'Perpustakaan Desa Kelor'").fetchone()
    outcome = importing.run_import(
        seed_db_copy, (GOOD / "libraries_en.csv").read_bytes(), "libraries_en.csv", "libraries"
    )
    assert outcome.status == "done", outcome.analysis.problems
    assert outcome.analysis.preview == {"libraries": {"new": 2, "changed": 0, "unchanged": 1}}
    new = conn.execute(
        "SELECT id, name, tier, district_code, subdistrict, village, joined_cycle FROM libraries "
        "WHERE id > ? ORDER BY id",
        (top,),
    ).fetchall()
    assert new == [
        (top + 1, "Perpustakaan Desa Sumber Ilmu Baru", "desa", "34.71", "Gondokusuman", "Baciro", "2018-3"),
        (top + 2, "TBM Gardu Baca", "tbm", "34.04", "Depok", "Caturtunggal", "2018-2"),
    ]
    assert conn.execute("SELECT * FROM libraries WHERE name = 'Perpustakaan Desa Kelor'").fetchone() == kelor_before
    conn.close()
