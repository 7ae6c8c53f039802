"""The one filter model every page shares, its URL form, and its description in words.

Query parameters: ``lang`` (id|en), ``province``, ``district`` (codes), ``tier``, ``cohort``, ``from``, ``to``
(cycle ids), ``indicator`` (code), ``library`` (id). ``parse`` never raises: an unknown or malformed value is
dropped with a warning and the default is used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .i18n import DEFAULT_LANGUAGE, LANGUAGES, MONTHS, pick, t
from .reference import cycle_dates

PARAMS = (
    "lang",
    "province",
    "district",
    "tier",
    "cohort",
    "from",
    "to",
    "indicator",
    "library",
    "compare",
    "present",
    "slide",
)
MAX_SLIDE = 999
COMPARE_KINDS = {"p": "province", "d": "district", "l": "library"}
MAX_COMPARE = 6
MAX_PARAM_LENGTH = 64
DEFAULT_INDICATOR = "kunjungan"


@dataclass(frozen=True)
class Filters:
    lang: str = DEFAULT_LANGUAGE
    province: str | None = None
    district: str | None = None
    tier: str | None = None
    cohort: str | None = None
    from_cycle: str | None = None  # first cycle of the range; None = the first cycle
    to_cycle: str | None = None  # last cycle of the range; None = the last cycle
    indicator: str = DEFAULT_INDICATOR
    library: int | None = None
    compare: tuple[str, ...] = ()  # entities on the compare page: "p:34", "d:34.03", "l:123" (one kind)
    present: bool = False  # presentation mode: the agenda deck, one slide per screen
    slide: int = 1  # the slide shown in presentation mode (1 = the first)

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)


@dataclass(frozen=True)
class Choices:
    """The values a filter may take, read from the database."""

    provinces: Mapping[str, str]  # code -> name
    districts: Mapping[str, tuple[str, str]]  # code -> (province code, name)
    tiers: tuple[str, ...]
    cohorts: tuple[str, ...]
    cycles: tuple[str, ...]  # in order
    indicators: Mapping[str, tuple[str, str]]  # code -> (name_id, name_en)
    libraries: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # id -> (name, district code)

    def cycle_index(self, cycle: str) -> int:
        return self.cycles.index(cycle)


@dataclass(frozen=True)
class LinkProblem:
    """A URL parameter that was ignored (unknown code, bad range): the page says so in the language."""

    param: str
    value: str


_SAFE = re.compile(r"^[A-Za-z0-9_.\-]+$")


def _clean(value) -> str | None:
    """The raw text of a parameter, or None when it is blank, too long or holds unexpected characters."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    value = str(value).strip()  # no Unicode folding: fullwidth "３４" is not the code "34" (a warning, not a match)
    if not value or len(value) > MAX_PARAM_LENGTH or not _SAFE.match(value):
        return None
    return value


def parse(params: Mapping[str, object], choices: Choices) -> tuple[Filters, list[LinkProblem]]:
    """Filters from query parameters; every unusable value becomes a warning and falls back to its default."""
    warnings: list[LinkProblem] = []
    values: dict[str, object] = {}

    def take(name: str, valid) -> str | None:
        raw = params.get(name)
        if raw is None or raw == "":
            return None
        value = _clean(raw)
        if value is None or not valid(value):
            warnings.append(LinkProblem(name, str(raw)[:MAX_PARAM_LENGTH]))
            return None
        return value

    lang = take("lang", lambda v: v in LANGUAGES)
    values["lang"] = lang or DEFAULT_LANGUAGE
    province = take("province", lambda v: v in choices.provinces)
    district = take("district", lambda v: v in choices.districts)
    if district and province and choices.districts[district][0] != province:
        warnings.append(LinkProblem("district", district))
        district = None
    if district and not province:
        province = choices.districts[district][0]
    values.update(province=province, district=district)
    values["tier"] = take("tier", lambda v: v in choices.tiers)
    values["cohort"] = take("cohort", lambda v: v in choices.cohorts)
    first = take("from", lambda v: v in choices.cycles)
    last = take("to", lambda v: v in choices.cycles)
    if first and last and choices.cycle_index(first) > choices.cycle_index(last):
        warnings.append(LinkProblem("from", first))
        first = None
    values.update(from_cycle=first, to_cycle=last)
    values["indicator"] = take("indicator", lambda v: v in choices.indicators) or DEFAULT_INDICATOR
    library = take("library", lambda v: v.isdigit() and int(v) in choices.libraries)
    values["library"] = int(library) if library else None
    values["compare"] = _parse_compare(params.get("compare"), choices, warnings)
    values["present"] = take("present", lambda v: v in ("0", "1")) == "1"
    slide = take("slide", lambda v: v.isdigit() and 1 <= int(v) <= MAX_SLIDE)
    values["slide"] = int(slide) if slide else 1
    return Filters(**values), warnings


def _valid_entity(item: str, choices: Choices) -> bool:
    kind, _, code = item.partition(":")
    if kind == "p":
        return code in choices.provinces
    if kind == "d":
        return code in choices.districts
    return kind == "l" and code.isdigit() and int(code) in choices.libraries


def _parse_compare(raw, choices: Choices, warnings: list) -> tuple[str, ...]:
    """Up to six entities of one kind, e.g. ``p:34,p:33``; anything else is a warning and no selection."""
    if raw is None or raw == "":
        return ()
    text = raw[-1] if isinstance(raw, list | tuple) else str(raw)
    items = [i.strip() for i in text.split(",") if i.strip()]
    ok = (
        len(text) <= MAX_PARAM_LENGTH * 2
        and 0 < len(items) <= MAX_COMPARE
        and len({i.partition(":")[0] for i in items}) == 1
        and all(re.fullmatch(r"[pdl]:[0-9.]{1,12}", i) and _valid_entity(i, choices) for i in items)
    )
    if not ok:
        warnings.append(LinkProblem("compare", text[:MAX_PARAM_LENGTH]))
        return ()
    return tuple(dict.fromkeys(items))


def to_params(f: Filters) -> dict[str, str]:
    """The query parameters of a view: only what differs from the default, so links stay short."""
    out = {
        "lang": f.lang if f.lang != DEFAULT_LANGUAGE else None,
        "province": f.province,
        "district": f.district,
        "tier": f.tier,
        "cohort": f.cohort,
        "from": f.from_cycle,
        "to": f.to_cycle,
        "indicator": f.indicator if f.indicator != DEFAULT_INDICATOR else None,
        "library": str(f.library) if f.library is not None else None,
        "compare": ",".join(f.compare) if f.compare else None,
        "present": "1" if f.present else None,
        "slide": str(f.slide) if f.slide != 1 else None,
    }
    return {k: v for k, v in out.items() if v}


def cycle_bounds(f: Filters, choices: Choices) -> tuple[str, str]:
    """The first and last cycle of the range (defaults: all cycles)."""
    return f.from_cycle or choices.cycles[0], f.to_cycle or choices.cycles[-1]


APPLIES = ("region", "tier", "cohort", "cycles", "indicator")  # the filters a page can apply, for ``describe``
# The filters each page applies, by the page's URL path ("" is the overview): its caption names only these
# (``describe``), and the load test expects exactly that caption. Presentation, pack and slides apply all.
_REGION_PAGE = ("region", "tier", "cohort", "cycles")
PAGE_APPLIES = {
    "": _REGION_PAGE,
    "participation": _REGION_PAGE,
    "data-quality": _REGION_PAGE,
    "stories": _REGION_PAGE,
    "awards": _REGION_PAGE,
    "impact": APPLIES,
    "compare": ("tier", "cohort", "cycles", "indicator"),  # the region filter only narrows the list to pick from
    "library": ("indicator",),  # a library's profile covers all its cycles
    "present": APPLIES,
}
NAME_KEYS = {
    "region": "filters.province",
    "tier": "filters.tier",
    "cohort": "filters.cohort",
    "cycles": "filters.cycles",
    "indicator": "filters.indicator",
}


def describe(
    f: Filters, choices: Choices, applies: tuple[str, ...] | frozenset[str] = APPLIES, months: bool = True
) -> str:
    """The filters a page applies, in words, for its caption: 'DI Yogyakarta › Gunungkidul · Desa ·
    2016-1–2018-3'. ``applies`` names the filters the page applies (of ``APPLIES``); a filter that is set but
    not applied is named as such at the end, never described as if it were counted. ``months``: the months the
    range covers after it ('(Jan 2016–Des 2018)'); the presentation's caption leaves them out (one line at
    1280 px; the deck's opening and every slide's part line name the months)."""
    lang = f.lang
    parts = []
    if "region" in applies:
        if f.district:
            parts.append(f"{choices.provinces[f.province]} › {choices.districts[f.district][1]}")
        elif f.province:
            parts.append(choices.provinces[f.province])
        else:
            parts.append(t("filters.all_indonesia", lang))
    if f.tier and "tier" in applies:
        parts.append(t(f"tier.{f.tier}", lang))
    if f.cohort and "cohort" in applies:
        parts.append(t("filters.cohort_is", lang, cohort=cohort_label(f.cohort, lang)))
    first, last = cycle_bounds(f, choices)
    if "cycles" in applies:
        span = f" ({cycle_span(first, last, lang)})" if months else ""
        parts.append(t("filters.cycles_range", lang, first=first, last=last) + span)
    names = choices.indicators.get(f.indicator)
    if names and "indicator" in applies:
        parts.append(t("filters.indicator_is", lang, indicator=pick(names, lang)))
    ignored = [
        name
        for name, set_ in (
            ("region", f.province or f.district),
            ("tier", f.tier),
            ("cohort", f.cohort),
            ("cycles", f.from_cycle or f.to_cycle),
        )
        if set_ and name not in applies
    ]
    if ignored:
        parts.append(t("filters.not_applied", lang, filters=", ".join(t(NAME_KEYS[n], lang) for n in ignored)))
    return " · ".join(parts)


def cohort_label(cohort: str | None, lang: str) -> str:
    """``ekspansi_2017`` -> 'Ekspansi 2017' (id) / 'Expansion 2017' (en); unknown shapes are shown as they are."""
    if not cohort:
        return ""
    wave, _, year = str(cohort).rpartition("_")
    key = f"cohort.{wave}"
    name = t(key, lang)
    return f"{name} {year}" if name != key and year.isdigit() else str(cohort)


_CYCLE = re.compile(r"^(\d{4})-([123])$")


def _month(month: int, lang: str) -> str:
    """A month's short name: 'Agu' (id), 'Aug' (en)."""
    return MONTHS[lang if lang in MONTHS else DEFAULT_LANGUAGE][month - 1][:3]


def cycle_months(cycle: str, lang: str, year: bool = True) -> str:
    """The months a cycle covers: ``2018-3`` -> 'Sep–Des 2018' (id) / 'Sep–Dec 2018' (en); cycle 1 is
    January–April, 2 May–August, 3 September–December (reference.cycle_dates). Unknown shapes give ''."""
    match = _CYCLE.match(str(cycle))
    if not match:
        return ""
    start, end = cycle_dates(int(match[1]), int(match[2]))
    return f"{_month(start.month, lang)}–{_month(end.month, lang)}" + (f" {end.year}" if year else "")


def cycle_label(cycle: str | None, lang: str, year: bool = True) -> str:
    """A cycle code with its months, for people: ``2018-3`` -> '2018-3 · Sep–Des 2018' (issue 13, item 9);
    without ``year`` (where room is short: the sidebar's range slider) '2018-3 · Sep–Des'."""
    if not cycle:
        return ""
    months = cycle_months(cycle, lang, year)
    return f"{cycle} · {months}" if months else str(cycle)


def cycle_span(first: str, last: str, lang: str) -> str:
    """The months a range of cycles covers: ``2011-1``, ``2018-3`` -> 'Jan 2011–Des 2018'."""
    a, b = _CYCLE.match(str(first)), _CYCLE.match(str(last))
    if not (a and b):
        return ""
    start = cycle_dates(int(a[1]), int(a[2]))[0]
    end = cycle_dates(int(b[1]), int(b[2]))[1]
    return f"{_month(start.month, lang)} {start.year}–{_month(end.month, lang)} {end.year}"


def warning_text(w: LinkProblem, lang: str) -> str:
    return t("filters.bad_param", lang, param=w.param, value=w.value)
