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
