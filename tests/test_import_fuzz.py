"""Property-based fuzzing of CSV input: never a traceback, always an import or a report, never a partial write."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import importing, store


@pytest.fixture(scope="module")
def small_db(seed_db_master, tmp_path_factory):
    """The seed database cut down (reports of two cycles only), so that a full dump per example is cheap."""
    path = tmp_path_factory.mktemp("fuzz") / "small.db"
    shutil.copy(seed_db_master, path)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM reports WHERE cycle_id NOT IN ('2018-2', '2018-3')")
    conn.execute("DELETE FROM attendance WHERE meeting_id IN (SELECT id FROM meetings WHERE cycle_id < '2018')")
    conn.execute("DELETE FROM awards WHERE meeting_id IN (SELECT id FROM meetings WHERE cycle_id < '2018')")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return path


HEADERS = {
    "reports": [
        "id_perpustakaan",
        "nama_perpustakaan",
        "kabupaten",
        "siklus",
        "indikator",
        "nilai",
        "kunjungan",
        "anggaran",
        "tanggal_lapor",
        "peserta_kegiatan",
        "peserta_perempuan",
        "No",
        "catatan",
        "x",
    ],
    "meetings": [
        "id_plm",
        "siklus",
        "tingkat",
        "wilayah",
        "tanggal_mulai",
        "tanggal_selesai",
        "id_perpustakaan",
        "nama_perpustakaan",
        "kabupaten",
        "jumlah_peserta",
        "peserta_perempuan",
        "presentasi",
        "lapak",
    ],
    "libraries": ["id", "nama", "jenjang", "kabupaten", "kecamatan", "desa", "siklus_bergabung", "siklus_keluar"],
    "visits": ["id_perpustakaan", "tanggal_kunjungan", "tim", "catatan"],
}
CELLS = st.one_of(
    st.sampled_from(
        [
            "123",
            "124",
            "1",
            "99999",
            "0",
            "-3",
            "2018-2",
            "2018-3",
            "2011-1",
            "2031-1",
            "kunjungan",
            "anggaran",
            "hantu",
            "Kabupaten",
            "Provinsi",
            "Nasional",
            "Gunungkidul",
            "34.03",
            "Bandung",
            "Desa",
            "TBM",
            "Kab/Kota",
            "Perpustakaan Desa Kelor",
            "TBM Baitul Qur'an",
            "1.234",
            "1.234,5",
            "12,5",
            "05/07/2018",
            "5 Juli 2018",
            "31/02/2018",
            "23/10/2018",
            "ya",
            "tidak",
            "",
            " ",
            "=1+1",
            '"',
            ";",
            "Rp 1.500.000",
            "1e400",
            "nan",
            "inf",
        ]
    ),
    st.text(max_size=12),
    st.integers(min_value=-10, max_value=5000).map(str),
)


@st.composite
def csv_files(draw):
    kind = draw(st.sampled_from(sorted(HEADERS)))
    columns = draw(st.lists(st.sampled_from(HEADERS[kind]), min_size=1, max_size=7))
    separator = draw(st.sampled_from([";", ",", "\t"]))
    rows = draw(st.lists(st.lists(CELLS, min_size=len(columns), max_size=len(columns)), max_size=8))
    lines = [separator.join(columns)] + [separator.join(r) for r in rows]
    if draw(st.booleans()):
        lines.insert(0, draw(st.text(max_size=20)))  # a title row, or noise
    text = "\r\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return kind, text.encode(encoding, errors="replace")


def _dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        # An import's own records (its row in imports, its audit row) are written even when it changes nothing.
        bookkeeping = ('INSERT INTO "imports"', 'INSERT INTO "audit_log"')
        return [line for line in conn.iterdump() if not line.startswith(bookkeeping)]
    finally:
        conn.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(case=csv_files())
def test_any_csv_gives_an_import_or_a_report_and_never_a_partial_write(small_db, case):
    kind, data = case
    before = _dump(small_db)
    audit = sqlite3.connect(small_db).execute("SELECT count(*) FROM imports").fetchone()[0]
    outcome = importing.run_import(small_db, data, "fuzz.csv", kind)
    assert outcome.status in ("done", "rejected", "duplicate"), outcome.error
    assert sqlite3.connect(small_db).execute("SELECT count(*) FROM imports").fetchone()[0] == audit + 1
    if outcome.status == "rejected":
        assert outcome.analysis.problems
        assert _dump(small_db) == before
        importing.report_frame(outcome.analysis.problems, "id")  # every problem renders
    elif outcome.status == "done":
        conn = sqlite3.connect(small_db)
        tables = [t for t in outcome.analysis.preview]
        written = sum(
            conn.execute(f"SELECT count(*) FROM {t} WHERE import_id = ?", (outcome.import_id,)).fetchone()[0]
            for t in tables
        )
        assert written == outcome.rows == sum(c["new"] + c["changed"] for c in outcome.analysis.preview.values())
        assert store.check(conn) == []
        conn.close()
        # Put the database back for the next example; undo must give exactly what was there.
        assert importing.undo(small_db, outcome.import_id).ok
        after = [line for line in _dump(small_db) if "import_changes" not in line]
        assert after == [line for line in before if "import_changes" not in line]
