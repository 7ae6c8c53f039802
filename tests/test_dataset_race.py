"""The shared Dataset's per-library memo is read and evicted by concurrent sessions (Streamlit runs each
session in its own thread): no lookup may fail between a check and an update."""

from __future__ import annotations

import collections
import sys
import threading
import time

import pytest

from analytics import dataset


@pytest.fixture
def tiny_switch_interval():
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show within a second
    yield
    sys.setswitchinterval(before)


class SlowChecks(collections.OrderedDict):
    """An OrderedDict that yields the GIL right after every membership check and length read: the window
    between a check and the update that follows it, which real sessions hit rarely, opens every time."""

    def __contains__(self, key):
        found = super().__contains__(key)
        time.sleep(0)
        return found

    def __len__(self):
        n = super().__len__()
        time.sleep(0)
        return n


def test_concurrent_memo_lookups_and_evictions_never_fail(seed_db, monkeypatch, tiny_switch_interval):
    ds = dataset.load(seed_db)
    ds.__dict__["_memos"] = SlowChecks()
    monkeypatch.setattr(dataset, "MEMO_ENTRIES", 2)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def hammer(worker: int) -> None:
        start.wait()
        try:
            for i in range(500):
                key = ("race", (worker + i) % 5)
                assert ds._memo(key, lambda k=key: k) == key
        except BaseException as exc:  # noqa: BLE001 - any failure in a thread is the finding
            errors.append(exc)

    threads = [threading.Thread(target=hammer, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, f"{len(errors)} threads failed, first: {errors[0]!r}"
    assert len(ds._memos) <= 2
