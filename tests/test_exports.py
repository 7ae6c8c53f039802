"""Exports cannot run formulas, and numbers stay numbers."""

import io

import openpyxl
import pandas as pd
import pytest

from analytics import exports


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1:A2)", "'+SUM(A1:A2)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ('=HYPERLINK("http://x","klik")', '\'=HYPERLINK("http://x","klik")'),
        ("-12", "-12"),
        ("+3,5", "+3,5"),
        ("Perpustakaan Desa Kelor", "Perpustakaan Desa Kelor"),
        ("TBM Baitul Qur'an", "TBM Baitul Qur'an"),
        (42, 42),
        (-3.5, -3.5),
    ],
)
def test_neutralise_cell(cell, expected):
    assert exports.neutralise_cell(cell) == expected


def test_csv_keeps_numbers_and_neutralises_text():
    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "Kelor"], "value": [-5, 1234.5]})
    text = exports.to_csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines() == ["name,value", "'=cmd|' /C calc'!A0,-5.0", "Kelor,1234.5"]
    assert frame.loc[0, "name"].startswith("=")  # the input frame is not changed


def test_xlsx_cells_are_text_not_formulas():
    frame = pd.DataFrame({"name": ["=1+1", "@x"], "value": [-7, 2]})
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes(frame)))
    sheet = book.active
    assert [c.value for c in sheet["A"]] == ["name", "'=1+1", "'@x"]
    assert [c.data_type for c in sheet["A"]][1:] == ["s", "s"]
    assert [c.value for c in sheet["B"]] == ["value", -7, 2]
