"""The data the import steps hand each other: problems found, sheets read, tables located."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (sheet, Excel row, column), the value, and why (a catalog key)."""

    reason: str  # the key suffix: the message is ``import.reason.<reason>``
    sheet: str = ""
    row: int | None = None  # the row number a person sees in Excel (1-based), None for the whole file
    column: str = ""
    value: str = ""
    params: tuple[tuple[str, object], ...] = ()

    @property
    def key(self) -> str:
        return f"import.reason.{self.reason}"


def problem(
    reason: str, sheet: str = "", row: int | None = None, column: str = "", value: object = "", **params
) -> Problem:
    text = "" if value is None else str(value)
    return Problem(reason, sheet, row, column, text[:200], tuple(sorted(params.items())))


class Rejected(Exception):
    """The file cannot be read at all (empty, wrong type, protected, too big): one problem says why."""

    def __init__(self, reason: str, **params):
        super().__init__(reason)
        self.problem = problem(reason, **params)


@dataclass
class RawSheet:
    """A sheet's cells as read: rows of values (text for CSV, typed for XLSX) and their Excel row numbers."""

    name: str
    rows: list[list]
    numbers: list[int]


@dataclass
class Table:
    """A sheet's data under its located header.

    ``frame`` has one column per recognised header (named by column name; for wide reports ``ind:<code>``),
    plus ``_sheet`` and ``_row``. ``constants`` holds values given above the header (``Siklus: 2018-2``),
    which apply to every row; ``headers`` keeps the header text each column had, for messages.
    """

    sheet: str
    header_row: int
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    constants: dict[str, int] = field(default_factory=dict)  # column -> the row it was given on
