"""Downloads that are safe to open in a spreadsheet: CSV and XLSX with formula cells neutralised.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula
by Excel or LibreOffice (CSV/formula injection). Such cells get a leading apostrophe, which spreadsheets
show as plain text. Numbers are never changed: numeric columns are left as they are, and a text cell that
is just a number (``-12`` or ``+3,5``) cannot run as a formula either.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from . import db, i18n

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")


def neutralise_cell(value):
    """``"=HYPERLINK(...)"`` -> ``"'=HYPERLINK(...)"``; numbers and harmless text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) cannot run as formulas."""
    out = frame.copy()
    for column in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column])):
            out[column] = out[column].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame, lang: str = "en", headers: dict | None = None) -> bytes:
    """UTF-8 CSV with a byte-order mark, so that Excel shows Indonesian names correctly.

    ``lang="id"`` writes what a spreadsheet set to Indonesian reads as columns and numbers: ``;`` between
    fields, ``,`` as the decimal mark (``i18n.csv_dialect``), and the column names renamed by ``headers`` (names
    not in it are kept). English keeps ``,`` / ``.``; its callers pass no headers (the frame's own column names,
    what scripts and the oracle read)."""
    separator, decimal = i18n.csv_dialect(lang)
    renamed = frame.rename(columns={c: headers[c] for c in frame.columns if headers and c in headers})
    return neutralise(renamed).to_csv(index=False, sep=separator, decimal=decimal).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()


XLSX_MAX_ROWS = 1_048_575  # a worksheet holds 1,048,576 rows, one of them the header
EXPORTABLE = (
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
    "imports",
)


def table_frame(conn, table: str) -> pd.DataFrame:
    """A whole table of the contract as a frame (``table`` must be one of ``EXPORTABLE``)."""
    if table not in EXPORTABLE:
        raise ValueError(f"unknown table {table!r}; one of {', '.join(EXPORTABLE)}")
    return db.frame(conn, f"SELECT * FROM [{table}]")  # noqa: S608 - checked against EXPORTABLE


def table_bytes(conn, table: str, fmt: str) -> bytes:
    """The table as neutralised CSV or XLSX bytes; XLSX refuses tables larger than a worksheet."""
    frame = table_frame(conn, table)
    if fmt == "csv":
        return to_csv_bytes(frame)
    if fmt == "xlsx":
        if len(frame) > XLSX_MAX_ROWS:
            raise ValueError(f"{len(frame)} rows do not fit in an XLSX worksheet; use csv")
        return to_xlsx_bytes(frame, sheet_name=table)
    raise ValueError(f"unknown format {fmt!r}")
