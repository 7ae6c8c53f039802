"""Issue 13 item 11: "How did visits change since joining, by cohort?" in one view on the impact page.

What the page draws (AppTest) is checked against plain SQL written from docs/metrics.md ("Change since joining",
tests/oracle_sql.py ``Oracle.change_by_cohort``), never against analytics.views."""

from __future__ import annotations

import pytest

from analytics.filters import cohort_label
from analytics.i18n import t
from tests import oracle_sql
from tests.oracle_sql import Oracle, View, decode


@pytest.fixture(scope="module")
def oracle(seed_db):
    return Oracle(seed_db)


def cohort_figure(r: oracle_sql.Rendered, lang: str) -> dict | None:
    prefix = t("impact.change_by_cohort_title", lang, indicator="\x00").split("\x00")[1]
    return next((f for f in r.figures if oracle_sql._title(f).endswith(prefix)), None)


@pytest.mark.parametrize(
    "view", [View(), View(province="33", cohort="ekspansi_2017", last="2017-3", indicator="kegiatan")], ids=str
)
def test_every_cohort_side_by_side_with_its_median_change(seed_db, oracle, view):
    oracle_sql.clear_caches()
    r = oracle_sql.render(seed_db, "impact", view.params(), lang="en")
    assert not r.errors, r.errors
    expected = oracle.change_by_cohort(view)
    assert len(expected) == (1 if view.cohort else 4)  # the seed has four cohorts; a cohort filter narrows to one
    fig = cohort_figure(r, "en")
    assert fig is not None, [oracle_sql._title(f) for f in r.figures]
    bars = fig["data"][0]
    names = list(bars["y"])[::-1]  # drawn bottom-up: the first cohort (the oldest) at the top
    values = decode(bars["x"])[::-1]
    texts = list(bars["text"])[::-1]
    shown = {n: (v, txt) for n, v, txt in zip(names, values, texts)}
    assert sorted(shown) == sorted(cohort_label(c, "en") for c in expected["cohort"])
    for row in expected.itertuples():
        value, text = shown[cohort_label(row.cohort, "en")]
        assert value == pytest.approx(row.median_change_pct, abs=1e-9)
        assert oracle_sql.number(text) == pytest.approx(100 * row.median_change_pct, abs=0.05 + 1e-6)
        assert f"(n = {row.libraries:,})" in text
    if not view.cohort:  # oldest cohort first
        assert names[0] == cohort_label("pilot_2011", "en")
    frame = r.csv[f"{view.indicator}-change-by-cohort"]
    got = frame.set_index("cohort")
    for row in expected.itertuples():
        assert got.loc[row.cohort, "libraries"] == row.libraries
        assert got.loc[row.cohort, "median_change_pct"] == pytest.approx(row.median_change_pct, abs=1e-9)


def test_in_indonesian_the_cohorts_and_numbers_read_indonesian(seed_db, oracle, monkeypatch):
    import json

    from tests.apptest_support import open_page

    monkeypatch.setenv("PLM_DB", str(seed_db))
    oracle_sql.clear_caches()
    at = open_page("pages/impact.py", district="34.03")
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    fig = cohort_figure(oracle_sql.Rendered([], [], figures, {}, [], [], []), "id")
    assert fig is not None
    expected = oracle.change_by_cohort(View(district="34.03"))
    assert len(expected) >= 2
    texts = dict(zip(fig["data"][0]["y"], fig["data"][0]["text"]))
    for row in expected.itertuples():
        text = texts[cohort_label(row.cohort, "id")]
        assert oracle_sql.id_number(text) == pytest.approx(100 * row.median_change_pct, abs=0.05 + 1e-6)
        assert "," in text.split("%")[0]  # Indonesian decimal comma


def test_median_bars_is_a_valid_figure_with_quartile_whiskers():
    import json

    import pandas as pd
    import plotly.graph_objects as go
    import plotly.io as pio

    from analytics import charts

    frame = pd.DataFrame(
        {
            "cohort": ["pilot_2011", "ekspansi_2016"],
            "m": [0.5, -0.25],
            "q1": [0.25, -0.5],
            "q3": [1.0, 0.0],
            "n": [12, 3],
        }
    )
    fig = charts.median_bars(
        frame,
        x="m",
        y="cohort",
        n="n",
        low="q1",
        high="q3",
        percent=True,
        lang="en",
        title="T",
        labels={"m": "Change (%)"},
        names={"pilot_2011": "Pilot <b>2011</b>"},
    )
    spec = json.loads(pio.to_json(go.Figure(fig.to_dict()), validate=True, engine="json"))
    bar = spec["data"][0]
    assert bar["y"] == ["ekspansi_2016", "Pilot &lt;b&gt;2011&lt;/b&gt;"]  # first row at the top; names escaped
    assert bar["text"] == ["-25.0% (n = 3)", "50.0% (n = 12)"]
    assert decode(bar["error_x"]["array"]) == [0.25, 0.5]  # up to q3
    assert decode(bar["error_x"]["arrayminus"]) == [0.25, 0.25]  # down to q1
    assert spec["layout"]["xaxis"]["title"]["text"] == "Change (%)"
    assert spec["layout"]["separators"] == ".,"  # numbers in the language given (English)
