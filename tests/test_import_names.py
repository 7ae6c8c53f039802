"""Names are stored as written; they are normalised only to find what they refer to (issue 12, item 10).

Every check reads the stored row back with plain SQL and compares it with the text the file holds.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import unicodedata

from analytics import importing

# Each name as a person wrote it: typographic apostrophes, accents (composed and decomposed), ñ, a
# non-breaking space and a narrow no-break space inside, two spaces inside, a ligature-free umlaut.
NAMES = [
    "Rumah Baca Ma\u2019rifat",
    "TBM Caf\u00e9 Literasi",
    "TBM Cafe\u0301 Kedua",  # e + combining acute accent: not composed on the way in
    "Perpustakaan Desa Pe\u00f1a Jaya",
    "Pojok Baca\u00a0Nur\u2018aini",
    "TBM  Dua\u202fSpasi",
    "Perpustakaan Desa Gr\u00fcn \u201cCerdas\u201d",
]


def libraries_csv(names, district="Kabupaten Sleman", surround=" \u00a0") -> bytes:
    rows = "".join(f"{surround}{name}{surround};TBM;{district};2018-2\r\n" for name in names)
    return ("Nama Perpustakaan;Jenjang;Kabupaten/Kota;Siklus bergabung\r\n" + rows).encode("utf-8")


def stored(conn, import_id) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM libraries WHERE import_id = ? ORDER BY id", (import_id,))]


def test_names_are_stored_exactly_as_written_by_run_import(seed_db_copy):
    outcome = importing.run_import(seed_db_copy, libraries_csv(NAMES), "perpustakaan.csv", "libraries")
    assert outcome.status == "done", outcome.analysis.problems
    conn = sqlite3.connect(seed_db_copy)
    # Surrounding spaces (ordinary and non-breaking) are trimmed; nothing inside the name changes.
    assert stored(conn, outcome.import_id) == NAMES
    assert [len(n) for n in stored(conn, outcome.import_id)] == [len(n) for n in NAMES]
    conn.close()


def test_names_are_stored_exactly_as_written_by_the_import_command(seed_db_copy, tmp_path):
    path = tmp_path / "perpustakaan.csv"
    path.write_bytes(libraries_csv(NAMES))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "import",
            str(path),
            "--kind",
            "libraries",
            "--db",
            str(seed_db_copy),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(seed_db_copy)
    import_id = conn.execute("SELECT max(id) FROM imports WHERE status = 'done'").fetchone()[0]
    assert stored(conn, import_id) == NAMES
    conn.close()


def test_other_free_text_is_stored_as_written(seed_db_copy):
    data = (
        "Nama Perpustakaan;Jenjang;Kabupaten/Kota;Kecamatan;Desa\r\n"
        "TBM Sa\u2019adah;TBM;Kabupaten Sleman;Ngaglik\u00a0Utara;Sardonoharjo  Lor\r\n"
    ).encode("utf-8")
    outcome = importing.run_import(seed_db_copy, data, "perpustakaan.csv", "libraries")
    assert outcome.status == "done", outcome.analysis.problems
    conn = sqlite3.connect(seed_db_copy)
    row = conn.execute(
        "SELECT name, subdistrict, village FROM libraries WHERE import_id = ?", (outcome.import_id,)
    ).fetchone()
    assert row == ("TBM Sa\u2019adah", "Ngaglik\u00a0Utara", "Sardonoharjo  Lor")
    conn.close()


def _count(conn, district):
    return conn.execute("SELECT count(*) FROM libraries WHERE district_code = ?", (district,)).fetchone()[0]


def test_a_straight_apostrophe_finds_the_library_stored_with_a_curly_one(seed_db_copy):
    first = importing.run_import(seed_db_copy, libraries_csv(["Rumah Baca Ma\u2019rifat"]), "a.csv", "libraries")
    assert first.status == "done", first.analysis.problems
    conn = sqlite3.connect(seed_db_copy)
    ((lid, district),) = conn.execute(
        "SELECT id, district_code FROM libraries WHERE import_id = ?", (first.import_id,)
    ).fetchall()
    before = _count(conn, district)
    # The same library written with a straight apostrophe, other case and spacing: found, not added.
    again = importing.run_import(seed_db_copy, libraries_csv(["rumah  baca MA'RIFAT"]), "b.csv", "libraries")
    assert again.status == "done", again.analysis.problems
    assert _count(conn, district) == before
    assert conn.execute("SELECT name FROM libraries WHERE id = ?", (lid,)).fetchone()[0] == "Rumah Baca Ma\u2019rifat"
    # A report naming it with the straight apostrophe lands on that library.
    report = b"Nama Perpustakaan;Kabupaten/Kota;Siklus;Kunjungan\r\nRumah Baca Ma'rifat;Sleman;2018-3;41\r\n"
    outcome = importing.run_import(seed_db_copy, report, "laporan.csv", "reports")
    assert outcome.status == "done", outcome.analysis.problems
    assert conn.execute(
        "SELECT library_id, value FROM reports WHERE import_id = ?", (outcome.import_id,)
    ).fetchall() == [(lid, 41.0)]
    conn.close()


def test_a_curly_apostrophe_or_decomposed_accent_finds_the_library_stored_plainly(seed_db_copy):
    conn = sqlite3.connect(seed_db_copy)
    lid = conn.execute(
        "SELECT id FROM libraries WHERE name = ? AND district_code = '18.05'", ("TBM Baitul Qur'an",)
    ).fetchone()[0]
    composed = "TBM Caf\u00e9 Literasi"
    first = importing.run_import(seed_db_copy, libraries_csv([composed]), "a.csv", "libraries")
    assert first.status == "done", first.analysis.problems
    cafe = conn.execute("SELECT id FROM libraries WHERE import_id = ?", (first.import_id,)).fetchone()[0]
    report = (
        "Nama Perpustakaan;Kabupaten/Kota;Siklus;Kunjungan\r\n"
        "TBM Baitul Qur\u2019an;Tulang Bawang;2018-3;87\r\n"
        f"{unicodedata.normalize('NFD', composed)};Sleman;2018-3;12\r\n"
    ).encode()
    outcome = importing.run_import(seed_db_copy, report, "laporan.csv", "reports")
    assert outcome.status == "done", outcome.analysis.problems
    assert sorted(
        conn.execute("SELECT library_id, value FROM reports WHERE import_id = ?", (outcome.import_id,)).fetchall()
    ) == sorted([(lid, 87.0), (cafe, 12.0)])
    # The names the reports file used did not rename anything.
    assert conn.execute("SELECT name FROM libraries WHERE id = ?", (lid,)).fetchone()[0] == "TBM Baitul Qur'an"
    conn.close()


def test_two_spellings_of_one_name_in_a_file_are_duplicates(seed_db_copy):
    data = libraries_csv(["Rumah Baca Ma\u2019rifat", "Rumah Baca Ma'rifat"])
    outcome = importing.run_import(seed_db_copy, data, "perpustakaan.csv", "libraries")
    assert outcome.status == "rejected"
    assert [p.reason for p in outcome.analysis.problems] == ["duplicate_in_file"]


def test_a_story_is_stored_as_written_and_not_appended_again_in_another_spelling(seed_db_copy):
    conn = sqlite3.connect(seed_db_copy)
    lid = conn.execute(
        "SELECT id FROM libraries WHERE name = ? AND district_code = '18.05'", ("TBM Baitul Qur'an",)
    ).fetchone()[0]
    text = "Kelas membaca Al\u2011Qur\u2019an\u00a0untuk anak:\n\u201cseru\u201d  sekali"

    def story_file(body: str) -> bytes:
        quoted = body.replace('"', '""')
        return (f'id_perpustakaan;siklus;jenis_cerita;cerita\r\n{lid};2018-3;Pencapaian;"{quoted}"\r\n').encode()

    first = importing.run_import(seed_db_copy, story_file(text), "cerita.csv", "stories")
    assert first.status == "done", first.analysis.problems
    assert conn.execute("SELECT text FROM stories WHERE import_id = ?", (first.import_id,)).fetchall() == [(text,)]
    # The same story with straight quotes and apostrophe and single spaces is the same content: not appended.
    plain = "Kelas membaca Al\u2011Qur'an untuk anak: \u201cseru\u201d sekali"
    again = importing.run_import(seed_db_copy, story_file(plain), "cerita2.csv", "stories")
    assert again.analysis.preview["stories"] == {"new": 0, "changed": 0, "unchanged": 1}
    conn.close()
