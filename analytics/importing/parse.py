"""Pure value parsers for spreadsheet cells: Indonesian-locale numbers and dates, tiers, levels, flags, names.

Each parser takes one cell (text from a CSV, or the typed value openpyxl gives) and returns the parsed value,
or ``None`` when the cell cannot be read. ``map_unique`` applies a parser once per distinct value, which is
what keeps a 100,000-row file fast: columns repeat the same few values.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable

import pandas as pd

MONTHS = {
    # Indonesian and English month names and their usual abbreviations.
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "february": 2,
    "feb": 2,
    "pebruari": 2,
    "maret": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "agustus": 8,
    "august": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "desember": 12,
    "december": 12,
    "des": 12,
    "dec": 12,
}

TIERS = {
    "provinsi": "provinsi",
    "province": "provinsi",
    "provincial": "provinsi",
    "perpustakaan provinsi": "provinsi",
    "kabupaten_kota": "kabupaten_kota",
    "kab/kota": "kabupaten_kota",
    "kabupaten/kota": "kabupaten_kota",
    "kab kota": "kabupaten_kota",
    "kab": "kabupaten_kota",
    "kabupaten": "kabupaten_kota",
    "kota": "kabupaten_kota",
    "district": "kabupaten_kota",
    "district/city": "kabupaten_kota",
    "city": "kabupaten_kota",
    "desa": "desa",
    "perpustakaan desa": "desa",
    "village": "desa",
    "kelurahan": "desa",
    "desa/kelurahan": "desa",
    "tbm": "tbm",
    "taman bacaan masyarakat": "tbm",
    "community reading garden": "tbm",
}

LEVELS = {
    "kabupaten": "kabupaten",
    "kab/kota": "kabupaten",
    "kabupaten/kota": "kabupaten",
    "kab": "kabupaten",
    "kota": "kabupaten",
    "district": "kabupaten",
    "regency": "kabupaten",
    "provinsi": "provinsi",
    "province": "provinsi",
    "provincial": "provinsi",
    "nasional": "nasional",
    "national": "nasional",
}

STORY_KINDS = {
    "achievement": "achievement",
    "pencapaian": "achievement",
    "capaian": "achievement",
    "prestasi": "achievement",
    "obstacle": "obstacle",
    "hambatan": "obstacle",
    "kendala": "obstacle",
    "challenge": "challenge",
    "tantangan": "challenge",
    "innovation": "innovation",
    "inovasi": "innovation",
}

FLAGS = {
    "1": 1,
    "0": 0,
    "ya": 1,
    "tidak": 0,
    "yes": 1,
    "no": 0,
    "y": 1,
    "t": 0,
    "n": 0,
    "true": 1,
    "false": 0,
    "benar": 1,
    "salah": 0,
    "v": 1,
    "✓": 1,
    "✔": 1,
    "-": 0,
}

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "′": "'"})
_SPACES = re.compile(r"\s+")
_NUMBER_JUNK = re.compile(r"^(?:rp\.?|idr)\s*|\s|\u00a0|\u202f", re.IGNORECASE)
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$")
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_CYCLE = re.compile(r"^(\d{4})\s*[-/. ]\s*(1|2|3|i{1,3})$", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_WORDS = re.compile(r"^(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-,]+(\d{4})$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3}


def is_blank(value) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and value.strip() == "")
    )


def as_written(value) -> str:
    """A cell's text as the person wrote it, only trimmed; numbers as Excel shows them. What is stored.

    Names keep their typographic apostrophes, accents (composed or not) and inner spaces: ``name_key`` is
    the form they are compared in, never the form they are stored in.
    """
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def clean_text(value) -> str:
    """Trimmed text with single spaces and one kind of apostrophe; numbers as Excel shows them.

    For comparing and for messages only: stored text comes from ``as_written``.
    """
    text = as_written(value)
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return _SPACES.sub(" ", text).strip()


def name_key(value) -> str:
    """The form two names are compared in: case, extra spaces, accents written composed or decomposed and
    apostrophe variants do not matter."""
    return clean_text(value).casefold()


def header_key(value) -> str:
    """A column header as a lookup key: ``"Nama Perpustakaan "`` -> ``"nama_perpustakaan"``."""
    text = clean_text(value).casefold()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def number(value, decimal_comma: bool = True) -> float | None:
    """``"1.234,5"`` -> 1234.5 (Indonesian), ``"1,234.5"`` -> 1234.5, ``"Rp 1.500.000"`` -> 1500000.0.

    With ``decimal_comma`` (a ``;``-separated CSV or a workbook) a lone ``.`` followed by groups of three
    digits is a thousands separator; otherwise a lone ``,`` followed by groups of three digits is.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = _NUMBER_JUNK.sub("", value.strip())
    if not text:
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if not decimal_comma and _THOUSANDS_COMMA.match(text):
            text = text.replace(",", "")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        else:
            return None
    elif "." in text and decimal_comma and _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    if not _PLAIN.match(text):
        return None
    result = float(text)
    return result if math.isfinite(result) else None


def date(value) -> dt.date | None:
    """``05/07/2018`` (day first), ``5 Juli 2018``, ``2018-07-05`` or a date cell -> ``date(2018, 7, 5)``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = clean_text(value).casefold()
    try:
        if m := _ISO.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.match(text):
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return dt.date(year, int(m[2]), int(m[1]))
        if (m := _WORDS.match(text)) and m[2] in MONTHS:
            return dt.date(int(m[3]), MONTHS[m[2]], int(m[1]))
    except ValueError:  # 31/02/2018 and the like
        return None
    return None


def cycle(value) -> str | None:
    """``"2018-2"``, ``"2018/2"``, ``"2018 II"`` -> ``"2018-2"``.

    Excel turns a typed ``2018-2`` into the date 1 February 2018; such a date cell (day 1, month 1–3) is read
    back as the cycle it was meant to be.
    """
    if isinstance(value, dt.datetime) and value.day == 1 and value.month <= 3 and not value.hour:
        return f"{value.year}-{value.month}"
    if not isinstance(value, str):
        return None
    m = _CYCLE.match(clean_text(value))
    if not m:
        return None
    term = m[2].lower()
    return f"{m[1]}-{_ROMAN.get(term, term)}"


def lookup(table: dict[str, str]) -> Callable[[object], str | None]:
    """A parser for a closed vocabulary: the cell's name key looked up in ``table``."""
    return lambda value: table.get(name_key(value))


def flag(value) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return int(value)
    return FLAGS.get(name_key(value))


def map_unique(series: pd.Series, parser: Callable[[object], object]) -> pd.Series:
    """``series.map(parser)``, calling the parser once per distinct value (object dtype, None when unread)."""
    values = series.tolist()
    cache: dict = {}
    out = []
    for v in values:
        try:
            out.append(cache[v])
        except KeyError:
            cache[v] = r = parser(v)
            out.append(r)
        except TypeError:  # unhashable cell: never from CSV or openpyxl, but stay safe
            out.append(parser(v))
    return pd.Series(out, index=series.index, dtype=object)
