"""Issue 12, cause 2: every filter a page's caption names is applied on that page, and a filter the page does
not apply is not claimed.

Each page is opened under AppTest on the seed database with and without one filter. What the page counts —
its metrics, the data of its charts, its tables and its listed texts (never the captions, which describe the
filters) — must differ when the filter is applied, on a database where it must differ (the seed has
libraries of every tier and cohort in every province, and a range changes every series). A filter the page
does not apply must be named in the caption as not applied, and must not be described as if it counted.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_support import open_page

pytestmark = pytest.mark.usefixtures("fresh_caches")  # the app on the seed database, empty caches

# The filters each page applies (what widgets.header is told), and a value of each that changes what is counted.
REGION = {"province": "34"}
TIER = {"tier": "tbm"}
COHORT = {"cohort": "pilot_2011"}
CYCLES = {"from": "2017-1", "to": "2018-1"}
INDICATOR = {"indicator": "kegiatan"}
FILTERS = {"region": REGION, "tier": TIER, "cohort": COHORT, "cycles": CYCLES, "indicator": INDICATOR}
ALL_BUT_INDICATOR = ("region", "tier", "cohort", "cycles")
PAGES = {
    # page: (script, applied filters, parameters every run of the page needs)
    "overview": ("pages/overview.py", ALL_BUT_INDICATOR, {}),
    "participation": ("pages/participation.py", ALL_BUT_INDICATOR, {}),
    "impact": ("pages/impact.py", (*ALL_BUT_INDICATOR, "indicator"), {}),
    "data_quality": ("pages/data_quality.py", ALL_BUT_INDICATOR, {}),
    "compare": ("pages/compare.py", ("tier", "cohort", "cycles", "indicator"), {"compare": "p:33,p:35"}),
    "library": ("pages/library.py", ("indicator",), {"library": "123"}),
    "awards": ("pages/awards.py", ALL_BUT_INDICATOR, {}),
    "stories": ("pages/stories.py", ALL_BUT_INDICATOR, {}),
}
NOT_APPLIED = {"id": "tidak berlaku di halaman ini", "en": "not applied on this page"}
# How the caption describes an applied filter (Indonesian), so that "not claimed" can be checked.
DESCRIBED = {
    "region": "DI Yogyakarta",
    "tier": "TBM",
    "cohort": "angkatan Pilot 2011",
    "cycles": "siklus 2017-1–2018-1",
}


def counted(at: AppTest) -> str:
    """What the page shows as numbers and lists: metrics, chart data, tables and texts (not captions)."""
    parts = [f"{m.label}={m.value}" for m in at.metric]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        parts.append(
            json.dumps(
                [
                    {
                        k: v
                        for k, v in trace.items()
                        if k in ("x", "y", "z", "customdata", "text", "values", "locations")
                    }
                    for trace in spec.get("data", [])
                ],
                sort_keys=True,
                default=str,
            )
        )
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [t.value for t in at.text]
    return "\n".join(parts)


def caption(at: AppTest) -> str:
    return at.caption[0].value  # the header's caption: the filters in words


@pytest.fixture(scope="module")
def baselines():
    return {}


def baseline(baselines, page: str) -> str:
    if page not in baselines:
        script, _, needed = PAGES[page]
        baselines[page] = counted(open_page(script, **needed))
    return baselines[page]


CASES = [(page, name) for page, (_, applied, _) in PAGES.items() for name in applied]


@pytest.mark.parametrize("page, name", CASES, ids=[f"{p}-{n}" for p, n in CASES])
def test_each_filter_the_caption_names_changes_what_is_counted(baselines, page, name):
    script, _, needed = PAGES[page]
    at = open_page(script, **needed, **FILTERS[name])
    if name in DESCRIBED:
        assert DESCRIBED[name] in caption(at)
    assert NOT_APPLIED["id"] not in caption(at)
    assert counted(at) != baseline(baselines, page), f"{name} is named on {page} but changes nothing"


NOT_APPLIED_CASES = [
    (page, name)
    for page, (_, applied, _) in PAGES.items()
    for name in ("region", "tier", "cohort", "cycles")
    if name not in applied
]


@pytest.mark.parametrize("page, name", NOT_APPLIED_CASES, ids=[f"{p}-{n}" for p, n in NOT_APPLIED_CASES])
def test_a_filter_the_page_does_not_apply_is_not_claimed(page, name):
    script, _, needed = PAGES[page]
    at = open_page(script, **needed, **FILTERS[name])
    text = caption(at)
    assert DESCRIBED[name] not in text
    assert NOT_APPLIED["id"] in text


def test_caption_speaks_english_too():
    at = open_page("pages/library.py", library="123", lang="en", **TIER)
    assert NOT_APPLIED["en"] in caption(at) and "Library tier" in caption(at)
