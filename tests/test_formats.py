"""Issue 13 item 8 / issue 14 item 4: every table on every page in the chosen language's number format, sortable
as numbers, with its column headers from the catalog by column name.

Streamlit's own number formats ("localized", "percent", printf "%.1f") follow the browser's locale or are English,
so in Indonesian a table could show 2,123 / 0.938 / 94.69 % next to 2.250 / 79,1 % elsewhere. The tables read here
are what AppTest receives (the frame and its column configuration), on the seed database."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from analytics.i18n import CATALOG
from tests.apptest_support import open_page

pytestmark = pytest.mark.usefixtures("fresh_caches")

FIGURE_SPACE = "\u2007"
NUMBER = re.compile(r"^[\u2007 ]*[-+]?(\d[\d.,]*)( ?%)?$")  # a cell that is a number as text (not "2016-1")
# Written the English way, as no Indonesian number is: a dot before 1-2 or 4+ digits (0.5, 94.69, 0.9381),
# a leading "0." (0.938), a comma before exactly three digits at the end (2,123: Indonesian shows at most
# two decimals).
ENGLISH = re.compile(r"\d\.\d{1,2}(?!\d)|\d\.\d{4,}|(?<![\d.,])0\.\d|\d,\d{3}(?![\d])")
BROWSER_FORMATS = ("localized", "percent", "dollar", "euro", "accounting", "compact")


def _pages():
    """Every page that shows a table or offers a CSV, at national level (regions fold into "others", so the full
    tables show) and in a province; the library profile on each of its tabs."""
    yield "pages/overview.py", {}, None
    yield "pages/compare.py", {"compare": "p:34,p:33"}, None
    yield "pages/stories.py", {}, None
    yield "pages/participation.py", {}, None
    yield "pages/participation.py", {"province": "34", "to": "2018-1"}, None
    yield "pages/data_quality.py", {}, None
    yield "pages/data_quality.py", {"province": "34"}, None
    yield "pages/impact.py", {}, None
    yield "pages/awards.py", {}, None
    for tab in ("Semua indikator", "Penghargaan, kunjungan & cerita"):
        yield "pages/library.py", {"library": "125"}, tab


def _tables(script, params, tab):
    at = open_page(script, **params)
    if tab is not None:
        at.session_state["library_tab"] = tab
        at.run()
        assert not at.exception, [e.message for e in at.exception]
    for element in at.dataframe:
        yield element.value, json.loads(element.proto.columns or "{}")


@pytest.fixture(scope="module")
def opened(seed_db):
    """([(page, frame, column configuration)] of every table, {file name: bytes} of every CSV download), the
    pages opened once for the tests below."""
    import os

    import streamlit as st

    os.environ["PLM_DB"] = str(seed_db)
    st.cache_data.clear()
    st.cache_resource.clear()
    tables, downloads = [], {}
    original = st.download_button

    def spy(*args, **kwargs):
        data = args[1] if len(args) > 1 else kwargs.get("data")
        if str(kwargs.get("file_name") or "").endswith(".csv"):
            downloads[kwargs["file_name"]] = data() if callable(data) else data
        return original(*args, **kwargs)

    st.download_button = spy
    try:
        for script, params, tab in _pages():
            for frame, config in _tables(script, params, tab):
                tables.append((f"{script} {params} {tab or ''}", frame, config))
    finally:
        st.download_button = original
    return tables, downloads


@pytest.fixture(scope="module")
def shown_tables(opened):
    return opened[0]


def _indonesian_value(text: str) -> float:
    """'1.234,5' -> 1234.5, '94,7%' -> 94.7 (the number as an Indonesian reader reads it)."""
    body = NUMBER.match(text).group(1)
    return float(body.replace(".", "").replace(",", "."))


def _collation_key(text: str) -> tuple:
    """How the browser orders two text cells: the table sorts text with ``String.localeCompare`` (Unicode's
    root collation: spaces before punctuation before digits, checked in Chromium: figure-space padded
    '  950' < '2.250'); code points would put the figure space after the digits."""
    rank = {" ": 0, FIGURE_SPACE: 0, "-": 1, "–": 1, ",": 2, ".": 3, "%": 4}
    return tuple(rank.get(c, 10 + int(c) if c.isdigit() else 100 + ord(c)) for c in text)


def test_every_table_number_is_in_indonesian(shown_tables):
    """No cell written the English way; no fractional number left to Streamlit (which writes it 0.938, or per
    the browser's locale); no column given a browser-locale format."""
    checked = 0
    for where, frame, config in shown_tables:
        for column in frame.columns:
            values = frame[column]
            fmt = (config.get(str(column), {}).get("type_config") or {}).get("format")
            assert fmt not in BROWSER_FORMATS, (where, column, fmt)
            if values.dtype.kind == "f":
                assert values.dropna().eq(values.dropna().round()).all(), (where, column)  # 0.938
                assert fmt is not None and "," not in fmt, (where, column, fmt)
            if pd.api.types.is_string_dtype(values) or values.dtype == object:
                label = config.get(str(column), {}).get("label") or str(column)
                if label in ("ID", "Kode"):  # region and district codes ("34.03") are names, not numbers
                    continue
                for cell in values.dropna().astype(str):
                    if NUMBER.match(cell):
                        checked += 1
                        assert not ENGLISH.search(cell), (where, column, cell)
    assert checked > 50


def test_number_columns_sort_as_numbers(shown_tables):
    """A column of numbers sent as text (to carry the Indonesian marks) still sorts by value: 950 before
    2.250, 95,0% before 100,0% (the browser sorts text, so the cells are padded to one width)."""
    columns = 0
    for where, frame, config in shown_tables:
        for column in frame.columns:
            values = frame[column]
            if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
                continue
            cells = [str(v) for v in values.dropna() if str(v).strip(FIGURE_SPACE + " –")]
            if len(set(cells)) < 2 or not all(NUMBER.match(c) for c in cells):
                continue
            label = config.get(str(column), {}).get("label") or str(column)
            if label in ("ID", "Kode") or any(c.lstrip(FIGURE_SPACE + " ").startswith("-") for c in cells):
                continue
            columns += 1
            by_text = sorted(cells, key=_collation_key)
            assert [_indonesian_value(c) for c in by_text] == sorted(_indonesian_value(c) for c in cells), (
                where,
                column,
                by_text[:8],
            )
    assert columns > 5


def test_same_column_same_header_everywhere(shown_tables):
    """Headers come from the catalog by column name: a column named ``district`` is "Kabupaten/kota" on every
    page, ``tier`` "Jenjang", ``rank`` "Peringkat"."""
    seen: dict[str, set[str]] = {}
    for _, frame, config in shown_tables:
        for column in frame.columns:
            seen.setdefault(str(column), set()).add(config.get(str(column), {}).get("label") or str(column))
    for column in ("district", "tier", "rank", "category", "start_date", "libraries"):
        assert column in seen, column
        assert seen[column] == {CATALOG[f"col.{column}"]["id"]}, (column, seen[column])


def test_display_formats_and_pads_each_language():
    """Hand-worked: 2250 -> '2.250' (id) / '2,250' (en); 0.9469 -> '94,7%' / '94.7%'; 12.345 -> '12,35';
    a gap -> '–'; the widest cell sets the width of the others."""
    from analytics.app import widgets

    frame = pd.DataFrame(
        {
            "n": [950, 2250, 12],
            "rate": [0.9469, 1.0, None],
            "value": [12.345, 3.0, 1000.5],
            "district": ["Sleman", "Bantul", "Kulon Progo"],
        }
    )
    shown, config = widgets.display(frame, "id", percent=("rate",))
    pad = FIGURE_SPACE
    assert list(shown["n"]) == [pad * 2 + "950", "2.250", pad * 3 + "12"]
    assert list(shown["rate"]) == [pad + "94,7%", "100,0%", pad * 5 + "–"]
    assert list(shown["value"]) == [pad * 3 + "12,35", pad * 4 + "3,00", "1.000,50"]
    assert config["district"]["label"] == "Kabupaten/kota" and config["n"]["label"] == "n"
    shown, config = widgets.display(frame, "en", percent=("rate",), labels={"n": "Count"})
    assert list(shown["n"]) == [pad * 2 + "950", "2,250", pad * 3 + "12"]
    assert shown["rate"].iloc[0] == pad + "94.7%" and config["district"]["label"] == "District"
    assert config["n"]["label"] == "Count"


def test_recent_imports_have_catalog_headers(seed_db_copy, monkeypatch):
    """The import page listed its recent imports under the database's own column names (file_name,
    started_at) on an Indonesian screen."""
    import sqlite3

    from analytics import importing
    from tests import test_auth

    monkeypatch.setenv("PLM_DB", str(seed_db_copy))
    test_auth.add_user(seed_db_copy)
    data = b"id_perpustakaan;siklus;indikator;nilai\r\n123;2018-3;kunjungan;4321\r\n"
    assert importing.run_import(seed_db_copy, data, "r.csv", "reports", user="ani@example.org").status == "done"
    at = test_auth.signed_in(seed_db_copy)
    at.query_params["lang"] = "id"
    at.run()
    assert not at.exception
    config = json.loads(at.dataframe[-1].proto.columns)
    columns = [r[1] for r in sqlite3.connect(seed_db_copy).execute("PRAGMA table_info(imports)")]
    labels = {c: config[c]["label"] for c in at.dataframe[-1].value.columns}
    assert labels["file_name"] == "Berkas" and labels["started_at"] == "Mulai" and labels["rows"] == "Baris"
    assert not set(labels.values()) & (set(columns) - {"id"}), labels  # no column shown under its own name


def test_indonesian_csv_headers_all_come_from_the_catalog(opened, seed_db):
    """Every header of every Indonesian CSV a page offers is a catalog text (or an indicator's Indonesian name,
    the awards columns' labels): no English column name ("median_change_pct", "lat"), no unfilled
    "< {min} perpustakaan", no header twice in one file."""
    import sqlite3

    captured = opened[1]
    texts = {entry["id"] for entry in CATALOG.values()}
    texts |= {n for (n,) in sqlite3.connect(seed_db).execute("SELECT name_id FROM indicators")}
    filled = [re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(x)) + "$") for x in texts if "{" in x]
    assert len(captured) > 12, sorted(captured)
    for name, raw in captured.items():
        header = raw.decode("utf-8-sig").splitlines()[0].split(";")
        assert len(header) == len(set(header)), (name, header)
        assert not [h for h in header if "{" in h or (h not in texts and not any(f.match(h) for f in filled))], (
            name,
            header,
        )
