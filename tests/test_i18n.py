"""The message catalog and the language-aware formatting."""

import datetime as dt

import pytest

from analytics import i18n, store


def test_every_key_has_both_languages():
    missing = [(k, lang) for k, v in i18n.CATALOG.items() for lang in i18n.LANGUAGES if not v.get(lang)]
    assert missing == []


@pytest.mark.parametrize(
    "prefix,values",
    [
        ("tier", store.TIERS),
        ("strategy", store.STRATEGIES),
        ("level", store.MEETING_LEVELS),
        ("story", store.STORY_KINDS),
    ],
)
def test_every_domain_value_has_a_label(prefix, values):
    assert all(f"{prefix}.{v}" in i18n.CATALOG for v in values)


@pytest.mark.parametrize(
    "value,lang,decimals,expected",
    [
        (1234.5, "id", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (1234567, "id", 0, "1.234.567"),
        (1234567, "en", 0, "1,234,567"),
        (0.5, "id", 2, "0,50"),
        (-1234.25, "id", 2, "-1.234,25"),
        (None, "id", 0, "–"),
        (float("nan"), "en", 1, "–"),
    ],
)
def test_fmt_number(value, lang, decimals, expected):
    assert i18n.fmt_number(value, lang, decimals) == expected


@pytest.mark.parametrize(
    "fraction,lang,expected", [(0.8766, "id", "87,7%"), (0.8766, "en", "87.7%"), (1, "id", "100,0%")]
)
def test_fmt_percent(fraction, lang, expected):
    assert i18n.fmt_percent(fraction, lang) == expected


@pytest.mark.parametrize(
    "value,lang,expected",
    [
        ("2018-07-05", "id", "5 Juli 2018"),
        ("2018-07-05", "en", "5 July 2018"),
        (dt.date(2026, 12, 31), "id", "31 Desember 2026"),
        (None, "en", "–"),
    ],
)
def test_fmt_date(value, lang, expected):
    assert i18n.fmt_date(value, lang) == expected


def test_t_fills_placeholders_and_falls_back():
    assert i18n.t("filters.cycles_range", "en", first="2011-1", last="2018-3") == "cycles 2011-1–2018-3"
    assert i18n.t("filters.cycles_range", "xx", first="a", last="b") == "siklus a–b"
    assert i18n.t("no.such.key", "id") == "no.such.key"
