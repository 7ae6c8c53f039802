"""Server-side timing of reruns for the benchmark: switched on by ``PLM_BENCH=1`` in the environment.

Each rerun then writes one JSON line to stderr: the script's time and the part of it spent in the page's
data work, ``analytics.views`` (aggregations over the dataset), ``analytics.queries`` (SQL reads) and
``analytics.awards`` (the awards page's ranking), so
that the benchmark can compare the two.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import sys
import threading
import time
from collections.abc import Callable

ENABLED = os.environ.get("PLM_BENCH") == "1"
# A folder: each rerun's cProfile statistics are written there too (for finding where a rerun's time goes).
PROFILE_DIR = os.environ.get("PLM_PROFILE")
_local = threading.local()  # one script thread per session: a per-thread counter keeps sessions apart


def _wrap(fn: Callable) -> Callable:
    def timed(*args, **kwargs):
        depth = getattr(_local, "depth", 0)
        if depth:
            return fn(*args, **kwargs)
        _local.depth = 1
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _local.views_seconds = getattr(_local, "views_seconds", 0.0) + time.perf_counter() - started
            _local.depth = 0

    return timed


def install() -> None:
    """Time every public function of analytics.views, analytics.queries and analytics.awards (the candidates'
    ranking: data work of the awards page) once per process, and the
    methods of ``views.Selection``: a page that reads ``sel.empty`` or ``sel.activity`` first makes the
    selection filter its rows there, which is data work wherever it is asked for."""
    from .. import awards, queries, views

    if not ENABLED or getattr(views, "_profiled", False):
        return
    for module in (views, queries, awards):
        for name in dir(module):
            fn = getattr(module, name)
            if callable(fn) and getattr(fn, "__module__", "") == module.__name__ and not isinstance(fn, type):
                setattr(module, name, _wrap(fn))
    cls = views.Selection
    for name, attr in list(vars(cls).items()):
        if isinstance(attr, functools.cached_property):
            timed = functools.cached_property(_wrap(attr.func))
            timed.__set_name__(cls, name)
            setattr(cls, name, timed)
        elif isinstance(attr, property):
            setattr(cls, name, property(_wrap(attr.fget)))
        elif inspect.isfunction(attr) and not name.startswith("__"):
            setattr(cls, name, _wrap(attr))
    views._profiled = True


def start() -> None:
    _local.views_seconds = 0.0
    _local.cpu_started = time.thread_time()
    if PROFILE_DIR:
        import cProfile

        _local.profile = cProfile.Profile()
        _local.profile.enable()


def finish(started: float, page: str) -> None:
    profile = getattr(_local, "profile", None)
    if profile is not None:
        profile.disable()
        _local.profile = None
        profile.dump_stats(os.path.join(PROFILE_DIR, f"{page or 'overview'}-{time.time_ns()}.prof"))
    if ENABLED:
        line = {
            "bench": "rerun",
            "page": page,
            "seconds": time.perf_counter() - started,
            "views_seconds": getattr(_local, "views_seconds", 0.0),
            "cpu_seconds": time.thread_time() - getattr(_local, "cpu_started", 0.0),
        }
        # One write per line: print() writes text and newline apart, and sessions' lines would interleave.
        sys.stderr.write(json.dumps(line) + "\n")
        sys.stderr.flush()
