"""The deployment (analytics/serve.py, deploy/nginx.conf.template): two app processes behind nginx on one
database stay consistent (issue 15, item 4).

The figures a page shows are checked against the database's tables read with plain SQL, before and after
importing a file while both processes are busy rerunning the page through the proxy.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from analytics import db as dialects
from analytics import demo, importing, serve, snapshot, store
from analytics.config import ROOT
from analytics.i18n import t
from analytics.tools import load
from analytics.tools.server import Session, free_port
from tests.pg_support import pg_server  # noqa: F401 (fixture)

FIGURES = ("active", "reports", "activities", "participants")  # the overview's headline numbers checked
LABELS = {t(f"overview.{key}", "id"): key for key in FIGURES}
NEXT_RERUN_SECONDS = 20.0  # the stated time: an import is shown by each process's next rerun, within this


def database_figures(db) -> dict[str, float]:
    """The overview's headline figures of the last cycle, from the tables with plain SQL (the rules of
    docs/metrics.md: a library is active in a cycle from the cycle it joined up to the one it left; a report
    counts once per library; activities and participants are sums of two indicators over active libraries)."""
    with store.opened(db, readonly=True) as conn:
        last_id, last = conn.execute("SELECT id, seq FROM cycles ORDER BY seq DESC LIMIT 1").fetchone()
        active = {
            r[0]
            for r in conn.execute(
                "SELECT l.id FROM libraries l JOIN cycles j ON j.id = l.joined_cycle "
                "LEFT JOIN cycles x ON x.id = l.left_cycle WHERE j.seq <= ? AND (x.seq IS NULL OR x.seq >= ?)",
                (last, last),
            )
        }
        rows = [
            r
            for r in conn.execute(
                "SELECT library_id, indicator_code, value FROM reports WHERE cycle_id = ?", (last_id,)
            )
            if r[0] in active
        ]
    return {
        "active": len(active),
        "reports": len({r[0] for r in rows}),
        "activities": sum(r[2] for r in rows if r[1] == "kegiatan"),
        "participants": sum(r[2] for r in rows if r[1] == "peserta_kegiatan"),
    }


def _number(text: str) -> float:
    return float(text.strip().replace(".", "").replace(",", "."))  # Indonesian: 6.751 ; 78,2


def shown_figures(run) -> dict[str, float]:
    """The headline figures a rerun drew (its metric elements, 'label: value')."""
    assert not run.exceptions, run.exceptions
    out = {}
    for text in run.texts:
        label, _, value = text.partition(": ")
        if label in LABELS:
            assert LABELS[label] not in out, run.texts  # each figure once: one page, one state
            out[LABELS[label]] = _number(value)
    assert set(out) == set(FIGURES), run.texts
    return out


def reports_file(db, n: int = 40) -> bytes:
    """Reports of the last cycle for ``n`` active libraries that have none there yet: +n reports, +3 activities
    and +25 participants each (a long file: library, cycle, indicator, value, date)."""
    with store.opened(db, readonly=True) as conn:
        last_id, last = conn.execute("SELECT id, seq FROM cycles ORDER BY seq DESC LIMIT 1").fetchone()
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT l.id FROM libraries l JOIN cycles j ON j.id = l.joined_cycle "
                "LEFT JOIN cycles x ON x.id = l.left_cycle WHERE j.seq <= ? AND (x.seq IS NULL OR x.seq >= ?) "
                "AND l.id NOT IN (SELECT library_id FROM reports WHERE cycle_id = ?) ORDER BY l.id",
                (last, last, last_id),
            )
        ][:n]
    assert len(ids) == n
    lines = ["id_perpustakaan;siklus;indikator;nilai;tanggal_lapor"]
    lines += [
        f"{i};{last_id};{code};{value};" for i in ids for code, value in (("kegiatan", 3), ("peserta_kegiatan", 25))
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_the_configuration_sends_each_route_to_its_own_process_first(tmp_path):
    ports = [18601, 18602, 18603]
    conf = serve.nginx_config(serve.TEMPLATE.read_text(), tmp_path, "127.0.0.1:18600", ports)
    assert not re.search(r"@@[A-Z_]+@@", conf)
    assert "listen 127.0.0.1:18600;" in conf
    for i, own in enumerate(ports, start=1):
        group = re.search(rf"upstream plm_{i} {{(.*?)}}", conf, re.S).group(1)
        servers = re.findall(r"server 127\.0\.0\.1:(\d+)( backup)?", group)
        assert servers[0] == (str(own), "")  # its own process first, the others only as backups
        assert sorted(int(p) for p, b in servers[1:] if b) == sorted(set(ports) - {own})
    split = re.search(r"split_clients \S+ \$plm_new_route {(.*?)}", conf, re.S).group(1).split()
    assert split == ["33.33%", "1;", "33.33%", "2;", "*", "3;"]  # new browsers spread evenly
    assert conf.count("proxy_set_header X-Real-IP $remote_addr;") == 2  # sign-in throttling per client
    assert f"pid {tmp_path}/nginx.pid;" in conf and f"error_log {tmp_path}/error.log" in conf
    (tmp_path / "tmp").mkdir()
    (tmp_path / "nginx.conf").write_text(conf)
    check = subprocess.run(
        [
            serve.find_nginx(),
            "-t",
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            str(tmp_path / "error.log"),
        ],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr  # nginx itself accepts it, as a non-daemon in this folder


def _rerun_until(session: Session, stop: threading.Event, out: list) -> None:
    while not stop.is_set():
        began = time.time()
        run = session.rerun("", {}, timeout=60)
        out.append((began, time.time(), shown_figures(run)))


# The SQLite deployment (one file on this machine) runs the same data-version logic file by file; PostgreSQL is
# the deployment this is written for and stays in the default run (each variant takes 30-50 s on 2 cores).
@pytest.fixture(params=[pytest.param("sqlite", marks=pytest.mark.slow), "postgresql"])
def shared_db(request, seed_db_copy):
    """The seed demo data in one database both processes use: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        yield str(seed_db_copy)
        return
    url = request.getfixturevalue("pg_server").new_database()
    demo.build(url, "seed", 2018)
    yield url
    snapshot.forget(url)


@pytest.mark.slow  # tens of seconds: CI's second step (pytest -m 'slow or visual')
def test_two_processes_behind_nginx_show_one_state_and_follow_an_import(shared_db, tmp_path):
    db = shared_db
    # The stated time: a rerun that starts after the import committed shows it; on PostgreSQL a process asks
    # the server for the data version at most once per VERSION_TTL (1 s), so a rerun starting that long after.
    lag = snapshot.VERSION_TTL if dialects.is_url(db) else 0.0
    before = database_figures(db)
    data = reports_file(db)
    port = free_port()
    run_dir = tmp_path / "run"
    with serve.Deployment(db, processes=2, listen=f"127.0.0.1:{port}", app_port=free_port(), run_dir=run_dir) as dep:
        assert dep.ports[0] != dep.ports[1]
        # A new browser gets a route (1 or 2) with its first page; a browser that has one is not given another.
        with urllib.request.urlopen(dep.url + "/") as first_visit:
            assert re.fullmatch(r"plm_route=[12]; Path=/; HttpOnly; SameSite=Lax", first_visit.headers["Set-Cookie"])
        known = urllib.request.Request(dep.url + "/", headers={"Cookie": "plm_route=2"})
        with urllib.request.urlopen(known) as later:
            assert later.headers["Set-Cookie"] is None
        one = Session(url=dep.url, cookie="plm_route=1")
        two = Session(url=dep.url, cookie="plm_route=2")
        seen = {1: [], 2: []}
        stop = threading.Event()
        threads = [
            threading.Thread(target=_rerun_until, args=(s, stop, seen[i]), daemon=True) for i, s in ((1, one), (2, two))
        ]
        try:
            for thread in threads:
                thread.start()
            deadline = time.time() + 60
            while min(len(seen[1]), len(seen[2])) < 2 and time.time() < deadline:
                time.sleep(0.1)
            import_began = time.time()
            assert importing.run_import(db, data, "laporan.csv", "reports").status == "done"
            import_done = time.time()
            after = database_figures(db)
            while time.time() < import_done + NEXT_RERUN_SECONDS + 60:
                if all(sum(began > import_done + lag for began, _, _ in seen[i]) >= 2 for i in (1, 2)):
                    break
                time.sleep(0.1)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=90)
            one.close()
            two.close()
        # the import changed three of the four figures: a page drawn from parts of both states would show it
        assert after == {
            **before,
            "reports": before["reports"] + 40,
            "activities": before["activities"] + 120,
            "participants": before["participants"] + 1000,
        }
        for i in (1, 2):
            runs = seen[i]
            states = [("before" if f == before else "after" if f == after else f"MIXED {f}") for _, _, f in runs]
            assert set(states) <= {"before", "after"}, states  # whole states only, never a mix
            assert "after" in states and states[0] == "before", states
            first_after = states.index("after")
            assert set(states[first_after:]) == {"after"}, states  # never back to the old state
            for (began, ended, _), state in zip(runs, states):
                if began > import_done + lag:
                    assert state == "after", (i, states)  # the next rerun after the import shows it
                if ended < import_began:
                    assert state == "before"
            began, ended, _ = next(r for r in runs if r[0] > import_done + lag)
            assert ended - import_done < NEXT_RERUN_SECONDS
        time.sleep(0.5)  # nginx writes a websocket's log line when it closes
        log = (run_dir / "access.log").read_text()
        for route, port in ((1, dep.ports[0]), (2, dep.ports[1])):  # each session went to its own process
            lines = [x for x in log.splitlines() if "/_stcore/stream" in x and f"cookie={route} " in x]
            assert lines and all(f"upstream=127.0.0.1:{port}" in x for x in lines), log

        # The load test through the proxy (python -m analytics load --url): sessions get their route as
        # browsers do, every rerun shows the session's own filters.
        r = load.run(db, sessions=4, seconds=3, seed=5, settle=0.5, rounds=2, url=dep.url)
        assert r["errors"] == 0 and r["leaks"] == 0, (r["error_samples"], r["leak_samples"])
        assert r["min_reruns_per_session"] >= 1 and r["memory"]["bounded"] is None and r["ok"]
        assert set(r["sessions_per_route"]) <= {"plm_route=1", "plm_route=2"}
        assert sum(r["sessions_per_route"].values()) == 4 * 2

        # A process that dies: its browsers are served by the other meanwhile, and it is started again.
        first = dep.apps[0]
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
        assert serve.healthy(dep.url + "/_stcore/health", cookie="plm_route=1")  # failover to process 2
        assert dep.check() and first.alive()  # started again
        deadline = time.time() + 90
        while not serve.healthy(first.url + "/_stcore/health") and time.time() < deadline:
            time.sleep(0.2)
        again = Session(url=dep.url, cookie="plm_route=1")
        try:
            assert shown_figures(again.rerun()) == after
        finally:
            again.close()
    assert not (run_dir / "nginx.pid").exists() or not _running(run_dir)
    assert all(not app.alive() for app in dep.apps) and dep.proxy.poll() is not None


def _running(run_dir) -> bool:
    try:
        pid = int((run_dir / "nginx.pid").read_text())
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


@pytest.mark.parametrize("listen", ["x", "host:0", "70000"])
def test_a_bad_listen_address_is_refused_with_its_form(listen):
    with pytest.raises(serve.ServeError, match="PORT or HOST:PORT"):
        serve.parse_listen(listen)


def test_serve_runs_until_sigterm_and_then_stops_everything(seed_db, tmp_path):
    """The command IT staff run: it answers through nginx, and SIGTERM (systemctl stop) ends nginx and the app
    process in order, with exit code 0, even with a browser tab's websocket still open."""
    listen, app = serve.free_ports(1)
    run_dir = tmp_path / "run"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "analytics",
            "serve",
            "--processes",
            "1",
            "--listen",
            f"127.0.0.1:{listen}",
            "--app-port",
            str(app),
            "--run-dir",
            str(run_dir),
            "--db",
            str(seed_db),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 120
        while not serve.healthy(f"http://127.0.0.1:{listen}/_stcore/health") and time.time() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.3)
        nginx_pid = int((run_dir / "nginx.pid").read_text())
        tab = Session(url=f"http://127.0.0.1:{listen}", cookie="plm_route=1")  # a browser tab left open
        assert not tab.rerun().exceptions
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert f"dashboard at http://127.0.0.1:{listen}/" in err and "stopping" in err
    assert "killed" not in err  # nginx closed the open websocket itself (worker_shutdown_timeout), no SIGKILL
    assert serve.port_free(listen) and serve.port_free(app)  # nothing listens any more
    with pytest.raises(ProcessLookupError):
        os.kill(nginx_pid, 0)


def test_serve_refuses_a_database_that_does_not_exist(tmp_path):
    from click.testing import CliRunner

    from analytics.cli import main

    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no database at" in result.output
    assert not (tmp_path / "none.db").exists()
