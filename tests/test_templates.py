"""Templates: the headers the importer reads, instructions in both languages, and a filled template imports."""

from __future__ import annotations

import io
import sqlite3

import openpyxl
import pytest

from analytics import importing
from analytics.importing import templates
from analytics.importing.columns import KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_an_xlsx_and_a_csv_template(kind, seed_db):
    book = openpyxl.load_workbook(io.BytesIO(templates.xlsx(kind)))
    assert book.sheetnames == ["Data", "Petunjuk - Instructions"]
    header = [c.value for c in book["Data"][1]]
    assert header == templates.headers(kind)
    assert templates.csv(kind).decode("utf-8-sig").strip() == ";".join(header)
    help_text = " ".join(str(c.value) for row in book["Petunjuk - Instructions"].iter_rows() for c in row if c.value)
    assert "Isi lembar Data" in help_text and "Fill in the Data sheet" in help_text
    # An empty template is recognised (its header found) and says there are no rows, nothing else.
    with sqlite3.connect(seed_db) as conn:
        analysis = importing.analyse(conn, templates.xlsx(kind), f"t_{kind}.xlsx", kind)
    assert [p.reason for p in analysis.problems] == ["no_rows"]


def test_a_filled_reports_template_imports(seed_db_copy):
    book = openpyxl.load_workbook(io.BytesIO(templates.xlsx("reports")))
    sheet = book["Data"]
    header = [c.value for c in sheet[1]]
    row = dict.fromkeys(header)
    row.update(
        {
            "nama_perpustakaan": "Perpustakaan Desa Kelor",
            "kabupaten_kota": "Gunungkidul",
            "siklus": "2018-3",
            "kunjungan": 1500,
            "kegiatan": 7,
            "tanggal_lapor": "10 Januari 2019",
        }
    )
    sheet.append([row[h] for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = importing.run_import(seed_db_copy, buffer.getvalue(), "filled.xlsx", "reports")
    assert outcome.status == "done", outcome.analysis.problems
    conn = sqlite3.connect(seed_db_copy)
    assert sorted(
        conn.execute(
            "SELECT l.name, r.indicator_code, r.value, r.submitted_on FROM reports r JOIN "
            "libraries l ON l.id = r.library_id WHERE r.import_id = ?",
            (outcome.import_id,),
        )
    ) == [
        ("Perpustakaan Desa Kelor", "kegiatan", 7.0, "2019-01-10"),
        ("Perpustakaan Desa Kelor", "kunjungan", 1500.0, "2019-01-10"),
    ]
