"""A real PostgreSQL server for the tests, started by the tests themselves (no pytest-postgresql needed).

``initdb`` in a temporary folder, password authentication (scram-sha-256) for the role ``plm``, listening on a free
TCP port of 127.0.0.1 only; the server runs as an unprivileged user when the tests run as root (PostgreSQL refuses
root). Nothing is skipped: without PostgreSQL 15's binaries the fixture FAILS, naming the package to install.

Use in a test module::

    from tests.pg_support import pg_server, pg_url, target  # noqa: F401  (fixtures)

``pg_url`` is a fresh empty database per test; ``target`` is parametrised: a SQLite file path, then a PostgreSQL
URL, so a test written once runs on both.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

BIN = Path(os.environ.get("PLM_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER, PASSWORD = "plm", "plm-test-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(args: list[str], **kw) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "nobody", "--", *args]
    return subprocess.run(args, capture_output=True, text=True, **kw)


class Server:
    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.data = root / "data"

    def url(self, dbname: str = "postgres", *, user: str = USER, password: str = PASSWORD) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{dbname}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)


@pytest.fixture(scope="session")
def pg_server():
    missing = [b for b in ("initdb", "pg_ctl", "postgres", "pg_dump") if not (BIN / b).exists()]
    if missing:
        pytest.fail(
            f"PostgreSQL binaries missing in {BIN} ({', '.join(missing)}): install Debian's postgresql-15 "
            f"(or set PLM_PG_BIN); the PostgreSQL tests never skip",
            pytrace=False,
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail("psycopg is not installed: pip install 'psycopg[binary]'", pytrace=False)
    root = Path(tempfile.mkdtemp(prefix="plm-pg-"))
    os.chmod(root, 0o755)
    (root / "pw").write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(root, nobody.pw_uid, nobody.pw_gid)
        os.chown(root / "pw", nobody.pw_uid, nobody.pw_gid)
    server = Server(root, _free_port())
    init = _as_server_user(
        [
            str(BIN / "initdb"),
            "-D",
            str(server.data),
            "-U",
            USER,
            "--auth=scram-sha-256",
            f"--pwfile={root / 'pw'}",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        timeout=120,
    )
    if init.returncode != 0:
        pytest.fail(f"initdb failed: {init.stderr.strip()[-800:]}", pytrace=False)
    options = f"-c listen_addresses=127.0.0.1 -p {server.port} -k {root} -c fsync=off -c full_page_writes=off"
    start = _as_server_user(
        [
            str(BIN / "pg_ctl"),
            "-D",
            str(server.data),
            "-l",
            str(root / "log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        ],
        timeout=120,
    )
    if start.returncode != 0:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        pytest.fail(f"PostgreSQL did not start: {start.stderr.strip()} {log[-800:]}", pytrace=False)
    try:
        yield server
    finally:
        _as_server_user([str(BIN / "pg_ctl"), "-D", str(server.data), "-m", "immediate", "-w", "stop"], timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty database on the test server."""
    return pg_server.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:
    """Where a test's database lives: a SQLite file path, or a PostgreSQL URL (an empty database)."""
    if request.param == "sqlite":
        return str(tmp_path / "plm.db")
    return request.getfixturevalue("pg_server").new_database()
