"""Bytes in, sheets out: file type sniffing, limits, CSV (any Excel locale) and XLSX, header location.

Nothing here touches the database. Every refusal raises ``Rejected`` with one problem; the caller records it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pandas as pd

from . import columns as cols
from . import parse
from .model import Problem, RawSheet, Rejected, Table, problem

MAX_BYTES = 20 * 1024 * 1024  # an upload larger than this is refused before it is read
MAX_ROWS = 200_000  # data rows in one file, all sheets together
MAX_UNCOMPRESSED = 300 * 1024 * 1024  # an .xlsx whose parts unpack to more is treated as a zip bomb
MAX_RATIO = 200  # ... and so is one whose part compresses better than this (real sheets: 5-30x)
HEADER_SCAN = 30  # the header must be within this many non-empty rows from the top of a sheet
CSV_SHEET = "CSV"

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"MZ", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")
KNOWN_EXTENSIONS = (*TEXT_EXTENSIONS, ".xlsx", ".xls", ".xlsm", "")


def _extension(file_name: str) -> str:
    m = re.search(r"(\.[A-Za-z0-9]{1,5})$", file_name or "")
    return m[1].lower() if m else ""


def read_sheets(data: bytes, file_name: str) -> tuple[list[RawSheet], bool]:
    """The file's sheets, and whether text numbers use a decimal comma. Raises ``Rejected``."""
    if not data:
        raise Rejected("empty_file")
    if len(data) > MAX_BYTES:
        raise Rejected("too_large", value=len(data), limit=MAX_BYTES // (1024 * 1024))
    ext = _extension(file_name)
    if data.startswith(OLE2):
        # Both a password-protected .xlsx and an old .xls are OLE2 compound documents, not zips.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise Rejected("password_protected")
        raise Rejected("old_excel")
    if data.startswith(ZIP):
        return _read_xlsx(data, ext), True
    if ext not in KNOWN_EXTENSIONS or data.startswith(_BINARY_MAGIC) or ext in (".xlsx", ".xlsm", ".xls"):
        raise Rejected("wrong_type", value=ext or file_name)
    text = _decode(data)
    return _read_csv(text)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16 with a BOM
        text = data.decode("utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Indonesian Windows saves "CSV" as Windows-1252; latin-1 takes the few bytes it leaves undefined.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if "\x00" in text[:65536]:
        raise Rejected("wrong_type", value="binary")
    return text


def _delimiter(lines: list[str]) -> str:
    """``;`` (Indonesian Excel), tab, or ``,``: the one present on most of the first lines."""
    sample = [ln for ln in lines[:50] if ln.strip()]
    if not sample:
        return ","
    for candidate in (";", "\t"):
        if sum(candidate in ln for ln in sample) * 2 >= len(sample):
            return candidate
    return ","


def _read_csv(text: str) -> tuple[list[RawSheet], bool]:
    delimiter = _delimiter(text.splitlines()[:50])
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise Rejected("corrupt", value=str(exc)) from None
    if len(records) > MAX_ROWS + HEADER_SCAN:
        raise Rejected("too_many_rows", value=len(records), limit=MAX_ROWS)
    rows = [[c.strip() for c in r] for r in records]
    # A CSV with ";" or tabs comes from a locale whose decimal separator is the comma.
    return [RawSheet(CSV_SHEET, rows, list(range(1, len(rows) + 1)))], delimiter != ","


def _read_xlsx(data: bytes, ext: str) -> list[RawSheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Rejected("corrupt", value="zip") from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise Rejected("wrong_type", value=ext or "zip")
    if "xl/workbook.bin" in names:
        raise Rejected("wrong_type", value=".xlsb")
    if ext == ".xlsm" or "xl/vbaProject.bin" in names:
        raise Rejected("macros")
    if any(n.startswith("xl/externalLinks/") for n in names):
        raise Rejected("external_links")
    total = sum(i.file_size for i in infos)
    ratio = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > 1_000_000), default=0)
    if total > MAX_UNCOMPRESSED or ratio > MAX_RATIO:
        raise Rejected("zip_bomb", value=total)
    import openpyxl  # imported here: reading CSV should not pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook; all mean the same here
        raise Rejected("corrupt", value=type(exc).__name__) from None
    sheets = []
    count = 0
    for ws in book.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        count += len(rows)
        if count > MAX_ROWS + HEADER_SCAN * len(book.worksheets):
            raise Rejected("too_many_rows", value=count, limit=MAX_ROWS)
        # A merged cell keeps its value in the top-left cell only; spread it so headers and labels read whole.
        for merged in ws.merged_cells.ranges:
            top = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else None
            for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
                line = rows[r - 1]
                for c in range(merged.min_col, merged.max_col + 1):
                    if c - 1 < len(line):
                        line[c - 1] = top
        rows = [[c.strip() if isinstance(c, str) else ("" if c is None else c) for c in r] for r in rows]
        sheets.append(RawSheet(ws.title, rows, list(range(1, len(rows) + 1))))
    return sheets


# --- locating the table in a sheet --------------------------------------------------------------------------


def _matches(kind: str, indicator_keys: dict[str, str]) -> dict[str, str]:
    """header key -> column name, and for reports also indicator code/name keys -> ``ind:<code>``."""
    out = cols.alias_map(kind)
    if kind == "reports":
        for key, code in indicator_keys.items():
            out.setdefault(key, f"ind:{code}")
    return out


def _is_blank_row(row: list) -> bool:
    # Cells arrive stripped, with "" for empty (both readers), so this is the whole test.
    return all(c == "" for c in row)


def locate(
    sheets: list[RawSheet], kind: str, indicator_keys: dict[str, str] | None = None, sheet: str | None = None
) -> tuple[list[Table], list[Problem]]:
    """Find each sheet's header row (the row naming most known columns) and cut its data rows out.

    Sheets without a recognisable header (an instructions sheet, a chart) are passed over; a file in which
    no sheet has one is a problem. ``sheet`` restricts the import to the sheet of that name.
    """
    matches = _matches(kind, indicator_keys or {})
    if sheet is not None:
        wanted = [s for s in sheets if s.name.casefold() == sheet.casefold()]
        if not wanted:
            raise Rejected("sheet_missing", value=sheet, sheets=", ".join(s.name for s in sheets))
        sheets = wanted
    tables: list[Table] = []
    problems: list[Problem] = []
    for raw in sheets:
        found = _locate_one(raw, kind, matches, problems)
        if found is not None:
            tables.append(found)
    if not tables:
        if sheet is None and all(all(_is_blank_row(r) for r in s.rows) for s in sheets):
            raise Rejected("empty_file")
        expected = ", ".join(c.aliases[0] for c in cols.COLUMNS[kind] if c.required) or ", ".join(
            c.aliases[0] for c in cols.COLUMNS[kind][:3]
        )
        raise Rejected("no_header", sheet=sheets[0].name if len(sheets) == 1 else "", kind=kind, expected=expected)
    if sum(len(t.frame) for t in tables) > MAX_ROWS:
        raise Rejected("too_many_rows", value=sum(len(t.frame) for t in tables), limit=MAX_ROWS)
    if not problems and all(t.frame.empty for t in tables):
        raise Rejected("no_rows", sheet=tables[0].sheet)
    return tables, problems


def _locate_one(raw: RawSheet, kind: str, matches: dict[str, str], problems: list[Problem]) -> Table | None:
    best, best_score, seen = None, 1, 0
    for i, row in enumerate(raw.rows):
        if _is_blank_row(row):
            continue
        seen += 1
        if seen > HEADER_SCAN:
            break
        score = len({matches[k] for k in map(parse.header_key, row) if k in matches})
        if score > best_score:
            best, best_score = i, score
    if best is None:
        return None
    header = raw.rows[best]
    header_row = raw.numbers[best]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    for j, cell in enumerate(header):
        key = parse.header_key(cell)
        name = matches.get(key)
        if name is None:
            if key and key not in cols.IGNORED and not _known_elsewhere(key, kind):
                unknown.append(parse.clean_text(cell))
            continue
        if name in positions:
            problems.append(
                problem("duplicate_column", raw.name, header_row, parse.clean_text(cell), parse.clean_text(cell))
            )
            continue
        positions[name] = j
        headers[name] = parse.clean_text(cell)
    if kind == "reports" and "indicator_code" not in positions:
        # In a wide report every other column must be an indicator.
        problems += [problem("unknown_indicator", raw.name, header_row, u, u) for u in unknown]
    # Labelled values above the header ("Siklus: 2018-2", or label and value in two cells) apply to every row.
    constants: dict[str, object] = {}
    constant_rows: dict[str, int] = {}
    for i in range(best):
        cells = [c for c in raw.rows[i] if not parse.is_blank(c)]
        if not cells:
            continue
        label, value = cells[0], cells[1] if len(cells) > 1 else None
        if isinstance(label, str) and ":" in label and value is None:
            label, _, value = label.partition(":")
        name = matches.get(parse.header_key(str(label).rstrip(":")))
        if name and not name.startswith("ind:") and name not in positions and not parse.is_blank(value):
            constants[name] = value.strip() if isinstance(value, str) else value
            constant_rows[name] = raw.numbers[i]
            headers[name] = parse.clean_text(label).rstrip(":")
    data, numbers = [], []
    for i in range(best + 1, len(raw.rows)):
        row = raw.rows[i]
        if _is_blank_row(row):
            continue
        # The second row of a header merged over two rows repeats the header (merged cells were spread).
        if row[: len(header)] == header:
            continue
        data.append([row[j] if j < len(row) else "" for j in positions.values()])
        numbers.append(raw.numbers[i])
    frame = pd.DataFrame(data, columns=list(positions), dtype=object)
    for name, value in constants.items():
        frame[name] = pd.Series([value] * len(frame), index=frame.index, dtype=object)
    frame["_sheet"] = raw.name
    frame["_row"] = numbers
    return Table(raw.name, header_row, frame, headers, constant_rows)


def _known_elsewhere(key: str, kind: str) -> bool:
    """A header of another kind's column (e.g. ``kecamatan`` in a report) is descriptive, not an indicator."""
    return any(key in c.aliases for k in cols.KINDS for c in cols.COLUMNS[k] if k != kind)
