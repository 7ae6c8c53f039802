"""What a rerun computes from the shared dataset is cached under the data version that dataset was read at.

A rerun loads its dataset at the version it sees first; when an import commits before the rerun keys a result
(the selection, a deck, a map's values) on the version asked again, that result, computed from the old data,
was cached under the new version, and every later rerun showed the old figures from it (CI, two processes on
PostgreSQL behind nginx: the import never appeared).
"""

from __future__ import annotations

import pytest

from analytics import filters, store
from analytics.app import cache


@pytest.fixture
def fresh_caches(seed_db_copy, monkeypatch):
    monkeypatch.setenv("PLM_DB", str(seed_db_copy))
    for cached in (cache._load, cache._selection):
        cached.clear()
    yield str(seed_db_copy)
    for cached in (cache._load, cache._selection):
        cached.clear()


def test_a_result_is_keyed_by_the_version_its_dataset_was_read_at(fresh_caches):
    path = fresh_caches
    first = cache.data_version(path)
    old = cache._load(path, first)
    with store.opened(path) as conn:  # an import commits between the rerun's load and its selection
        conn.execute("UPDATE libraries SET name = name || ' (baru)' WHERE id = (SELECT min(id) FROM libraries)")
        conn.commit()
    now = cache.data_version(path)
    assert now != first
    stale = cache.selection(old, filters.Filters())
    assert stale.ds is old
    new = cache._load(path, now)
    assert new is not old
    assert cache.selection(new, filters.Filters()).ds is new  # never the old data under the new version
    first_id = int(new.libraries["id"].min())
    assert new.choices.libraries[first_id][0].endswith(" (baru)")
