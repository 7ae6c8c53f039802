"""The dashboard's read path on PostgreSQL: the same frames as from SQLite, a data version every process agrees
on, and one import through one process seen by another."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics import demo, snapshot
from tests.pg_support import pg_server  # noqa: F401  (fixture)


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame in one row order (its columns left to right) with plain values: for comparing contents."""
    out = frame.astype(object).where(frame.notna(), None)
    out = out.sort_values(list(out.columns), key=lambda c: c.astype(str), kind="stable")
    return out.reset_index(drop=True)


@pytest.fixture(scope="module")
def seed_pg(pg_server):  # noqa: F811
    url = pg_server.new_database()
    demo.build(url, "seed", 2018)
    yield url
    snapshot.forget(url)


def test_frames_from_postgres_equal_the_frames_from_sqlite(seed_pg, seed_db):
    pg = snapshot.read_sqlite(seed_pg)
    lite = snapshot.read_sqlite(seed_db)
    assert set(pg) == set(lite)
    for name in lite:
        if name == "identity":
            continue
        assert list(pg[name].columns) == list(lite[name].columns), name
        assert pg[name].dtypes.astype(str).tolist() == lite[name].dtypes.astype(str).tolist(), name
        pd.testing.assert_frame_equal(canonical(pg[name]), canonical(lite[name]), obj=name)
    assert (np.diff(pg["values"]["seq"].to_numpy()) >= 0).all()  # sorted by cycle, as Dataset.values_between needs
