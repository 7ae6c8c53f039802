"""The dashboard's read path on PostgreSQL: the same frames as from SQLite, a data version every process agrees
on, and one import through one process seen by another."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pandas as pd
import psycopg
import pytest

from analytics import demo, snapshot
from analytics.config import ROOT
from tests.pg_support import pg_server  # noqa: F401  (fixture)
from tests.test_postgres_cli import cli


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


READER = r"""
import sys
from analytics import dataset, snapshot
url = sys.argv[1]
for line in sys.stdin:
    command, *args = line.split()
    if command == "version":
        print(snapshot.fingerprint(url), flush=True)
    elif command == "value":  # a library's value of an indicator in a cycle, as the dashboard's dataset holds it
        ds = dataset.load(url)
        lib, cycle, code = int(args[0]), args[1], args[2]
        v = ds.values[(ds.values["library_id"] == lib) & (ds.values["seq"] == ds.seq_of[cycle])
                      & (ds.values["indicator"] == code)]["value"].tolist()
        print(v[0] if v else "none", flush=True)
"""


class Reader:
    """Another Python process reading the server the way an app process does."""

    def __init__(self, url: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", READER, url], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def ask(self, *words) -> str:
        self.proc.stdin.write(" ".join(map(str, words)) + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def changed_within(reader: Reader, before: str, seconds: float) -> tuple[str, float]:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        now = reader.ask("version")
        if now != before:
            return now, time.monotonic() - started
        time.sleep(0.1)
    return before, seconds


@pytest.mark.slow  # tens of seconds: CI's second step (pytest -m 'slow or visual')
def test_an_import_through_one_process_is_seen_by_another(pg_server, tmp_path):  # noqa: F811
    url = pg_server.new_database()
    demo.build(url, "seed", 2018)
    with psycopg.connect(url) as conn:
        ((lib, code, value),) = conn.execute(
            "SELECT library_id, indicator_code, value FROM reports WHERE cycle_id = '2018-3' ORDER BY 1, 2 LIMIT 1"
        ).fetchall()
    first, second = Reader(url), Reader(url)
    try:
        assert first.ask("value", lib, "2018-3", code) == str(value)
        v0 = first.ask("version")
        assert second.ask("version") == v0 and len(v0) == 16  # two processes, one server: one version
        rejected = tmp_path / "bad.csv"
        rejected.write_text("library_id,cycle,indicator,value\n1,2099-9,kunjungan,x\n")
        assert cli("import", str(rejected), "--kind", "reports", "--db", url).exit_code == 1
        time.sleep(snapshot.VERSION_TTL + 0.2)
        assert first.ask("version") == v0  # nothing was written: the same version (no reload)
        good = tmp_path / "good.csv"
        good.write_text(f"library_id,cycle,indicator,value\n{lib},2018-3,{code},{value + 17}\n")
        done = subprocess.run(
            [sys.executable, "-m", "analytics", "import", str(good), "--kind", "reports", "--db", url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        v1, waited = changed_within(second, v0, snapshot.VERSION_TTL + 2)
        assert v1 != v0 and waited <= snapshot.VERSION_TTL + 0.5
        assert first.ask("version") == v1 or changed_within(first, v0, snapshot.VERSION_TTL + 2)[0] == v1
        with psycopg.connect(url) as conn:
            ((stored,),) = conn.execute(
                "SELECT value FROM reports WHERE library_id = %s AND cycle_id = '2018-3' AND indicator_code = %s",
                (lib, code),
            ).fetchall()
        assert stored == value + 17
        assert second.ask("value", lib, "2018-3", code) == str(stored)  # the other process's figures
        undone = subprocess.run(
            [sys.executable, "-m", "analytics", "undo", "2", "--db", url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert undone.returncode == 0, undone.stdout + undone.stderr
        v2, _ = changed_within(first, v1, snapshot.VERSION_TTL + 2)
        assert v2 not in (v0, v1)
        assert first.ask("value", lib, "2018-3", code) == str(value)
        demo.build(url, "seed", 2018)  # a rebuilt demo: the same rows, a new version
        v3, _ = changed_within(
            second, changed_within(second, v1, snapshot.VERSION_TTL + 2)[0], snapshot.VERSION_TTL + 2
        )
        assert v3 not in (v0, v1, v2)
    finally:
        first.close()
        second.close()
