"""A table drawn with a fixed height (``widgets.table(..., height=N)``) is only as tall as its rows: the awards
page's candidate table of 4 rows stood 420 px tall, seven empty rows under the four (seen at 1366x768)."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.app import widgets

ROW_PX = 35  # Streamlit's data grid: one row, and the header row, are 35 px tall (its default row height)


@pytest.fixture
def drawn(monkeypatch):
    """The keyword arguments of each ``st.dataframe`` call ``widgets.table`` makes."""
    calls = []
    monkeypatch.setattr(widgets.st, "dataframe", lambda *args, **kwargs: calls.append(kwargs))
    return calls


@pytest.mark.parametrize("rows", [0, 1, 4, 9])
def test_a_short_table_is_no_taller_than_its_rows(drawn, rows):
    widgets.table(pd.DataFrame({"name": [f"L{i}" for i in range(rows)]}), None, "id", height=420)
    height = drawn[0]["height"]
    assert isinstance(height, int)
    shown = max(rows, 1)  # an empty table shows one empty row under its header
    assert (shown + 1) * ROW_PX <= height <= (shown + 1) * ROW_PX + 4  # the rows, the header and the grid's border


@pytest.mark.parametrize("rows", [12, 600])
def test_a_long_table_keeps_the_height_asked_for_and_scrolls(drawn, rows):
    widgets.table(pd.DataFrame({"name": [f"L{i}" for i in range(rows)]}), None, "id", height=420)
    assert drawn[0]["height"] == 420


def test_a_table_without_a_height_is_left_to_streamlit(drawn):
    widgets.table(pd.DataFrame({"name": ["a", "b"]}), None, "id")
    assert drawn[0]["height"] == "auto"


def test_a_table_shows_the_columns_asked_for_and_its_csv_has_every_column_under_the_same_headers(drawn, monkeypatch):
    """Wide tables show the columns that fit the page (``columns``); their CSV still has every column, each under
    the header the table gives it (a table's own label, else the catalog's)."""
    saved = []
    monkeypatch.setattr(widgets, "download", lambda frame, name, lang, headers=None: saved.append((frame, headers)))
    frame = pd.DataFrame({"library_id": [7], "name": ["Kelor"], "tier": ["desa"], "district": ["Gunungkidul"]})
    widgets.table(frame, "missing", "id", labels={"name": "Perpustakaan"}, columns=["library_id", "name"])
    assert list(drawn[0]["column_config"]) == ["library_id", "name"]
    ((csv_frame, headers),) = saved
    assert list(csv_frame.columns) == ["library_id", "name", "tier", "district"]
    assert headers == {
        "library_id": widgets.column_label("library_id", "id"),
        "name": "Perpustakaan",
        "tier": widgets.column_label("tier", "id"),
        "district": widgets.column_label("district", "id"),
    }
    assert headers["tier"] == "Jenjang" and headers["district"] == "Kabupaten/kota"
