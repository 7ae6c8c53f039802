"""analytics.awards.composite: percentile ranks x weights, worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics import awards


@pytest.fixture
def values():
    # four libraries; b is missing for library 4 (not reported)
    return pd.DataFrame({"library_id": [1, 2, 3, 4], "a": [10.0, 40.0, 20.0, 30.0], "b": [3.0, 1.0, 2.0, None]})


@pytest.mark.parametrize(
    "weights,order,scores",
    [
        # a alone: percentile ranks 1/4, 4/4, 2/4, 3/4
        ({"a": 1}, [2, 4, 3, 1], [100.0, 75.0, 50.0, 25.0]),
        # b alone: ranks among the three that reported 3/3, 1/3, 2/3; library 4 gets 0
        ({"b": 1}, [1, 3, 2, 4], [100.0, 200 / 3, 100 / 3, 0.0]),
        # equal weights: mean of both, e.g. library 2: (1 + 1/3) / 2, library 1: (0.25 + 1) / 2
        ({"a": 1, "b": 1}, [2, 1, 3, 4], [(1 + 1 / 3) / 2 * 100, 62.5, (0.5 + 2 / 3) / 2 * 100, 37.5]),
        # b weighs 0: the same as a alone
        ({"a": 2, "b": 0}, [2, 4, 3, 1], [100.0, 75.0, 50.0, 25.0]),
    ],
)
def test_scores_by_hand(values, weights, order, scores):
    out = awards.composite(values, weights)
    assert out["library_id"].tolist() == order
    assert out["score"].tolist() == pytest.approx(scores)


def test_points_add_up_to_the_score(values):
    out = awards.composite(values, {"a": 3, "b": 1})
    assert (out[["points:a", "points:b"]].sum(axis=1) - out["score"]).abs().max() < 1e-9
    row = out.set_index("library_id").loc[4]
    assert row["pct:b"] == 0 and row["points:a"] == pytest.approx(100 * 3 * 0.75 / 4)


def test_ties_share_a_rank_and_lower_can_be_better():
    v = pd.DataFrame({"library_id": [1, 2, 3], "x": [5.0, 5.0, 1.0]})
    out = awards.composite(v, {"x": 1})
    assert out["rank"].tolist() == [1, 1, 3] and out["library_id"].tolist() == [1, 2, 3]
    lower = awards.composite(v, {"x": 1}, {"x": False})
    assert lower["library_id"].tolist()[0] == 3


def test_no_weight_gives_no_score(values):
    out = awards.composite(values, {"a": 0})
    assert out["score"].isna().all()


def test_default_weights_name_known_measures():
    from analytics import reference

    codes = {i.code for i in reference.INDICATORS}
    for category, weights in awards.DEFAULT_WEIGHTS.items():
        assert category in awards.CATEGORY_TIERS
        assert set(weights) - {awards.ATTENDANCE, awards.REPORTING} <= codes
