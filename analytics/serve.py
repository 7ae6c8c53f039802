"""``python -m analytics serve``: several app processes behind nginx, for a deployment (docs/deployment.md).

One command starts everything, in the foreground, as the user who runs it (no root):

- N ``streamlit run app.py`` processes on loopback ports (``127.0.0.1:8501`` ...), all on the same database
  (``PLM_DB``: a SQLite file on this machine or a PostgreSQL URL) and with one shared cookie secret;
- nginx (Debian's package) in front of them, with the configuration written from ``deploy/nginx.conf.template``
  into a run folder that also holds its pid file, logs and temporary files, and the app processes' logs.

nginx keeps each browser on one process (a ``plm_route`` cookie; see the template), which Streamlit needs: a
session's websocket, its uploads and its sign-in live in one process. The command watches the processes: an
app process that exits is started again (its browsers reconnect and start a new session), and when nginx
exits everything is stopped. Ctrl-C or SIGTERM stops nginx first (no new requests), then the app processes.

A Python module rather than a shell script: it shares the other commands' ``--db``/``PLM_DB`` handling (a URL's
password is never printed), the tests and the load test (``python -m analytics load --processes N``) start
exactly what a deployment runs, and supervising processes and cleaning up on a signal is plain code here.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from . import db as dialects
from .config import ROOT

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
ROUTE_COOKIE = "plm_route"
START_TIMEOUT = 180.0  # seconds for an app process to answer its health check (a first start may build caches)
RESTARTS = 5  # an app process that exits this many times within RESTART_WINDOW seconds is not started again
RESTART_WINDOW = 300.0


class ServeError(RuntimeError):
    """A deployment that cannot start: a port in use, no nginx, a configuration nginx refuses."""


def find_nginx(given: str | None = None) -> str:
    """The nginx program: ``given``, else on PATH, else Debian's /usr/sbin/nginx (not on a user's PATH)."""
    for candidate in [given] if given else ["nginx", "/usr/sbin/nginx"]:
        found = shutil.which(candidate)
        if found:
            return found
    raise ServeError(f"nginx not found ({given or 'nginx, /usr/sbin/nginx'}); on Debian: apt-get install nginx-light")


def parse_listen(listen: str | int) -> tuple[str, int]:
    """``8500`` or ``HOST:8500`` -> (host, port); host '' means every interface."""
    text = str(listen)
    host, _, port = text.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ServeError(f"--listen wants PORT or HOST:PORT, not {text!r}")
    return host.strip("[]"), int(port)


def nginx_config(template: str, run: Path, listen: str | int, ports: list[int]) -> str:
    """The template with its ``@@NAMES@@`` filled in for the app processes on ``ports`` (route i -> ports[i-1])."""
    host, port = parse_listen(listen)
    n = len(ports)
    share = f"{100 / n:.2f}".rstrip("0").rstrip(".")
    split = "\n".join(f"        {share}% {i};" for i in range(1, n)) + f"\n        * {n};"
    routes = "\n".join(f'        "{i}" {i};' for i in range(1, n + 1))
    known = "\n".join(f'        "{i}" "";' for i in range(1, n + 1))
    upstreams = []
    for i, own in enumerate(ports, start=1):
        lines = [f"        server 127.0.0.1:{own} max_fails=1 fail_timeout=5s;"]
        lines += [f"        server 127.0.0.1:{other} backup;" for other in ports if other != own]
        upstreams.append(f"    upstream plm_{i} {{\n" + "\n".join(lines) + "\n    }")
    values = {
        "RUN": str(run),
        "LISTEN": f"{host}:{port}" if host else str(port),
        "SPLIT": split,
        "ROUTES": routes,
        "ROUTES_KNOWN": known,
        "UPSTREAMS": "\n".join(upstreams),
    }

    def fill(marker: re.Match) -> str:
        if marker.group(1) not in values:
            raise ServeError(
                f"unknown marker {marker.group(0)} in the nginx template; known: "
                + ", ".join(f"@@{k}@@" for k in values)
            )
        return values[marker.group(1)]

    return re.sub(r"@@([A-Z_]+)@@", fill, template)


def free_ports(n: int) -> tuple[int, int]:
    """A free loopback port for nginx and the first of ``n`` free consecutive ports after it (tests, load)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + n < 65536 and all(port_free(p) for p in range(base, base + n + 1)):
            return base, base + 1
    raise ServeError(f"no {n + 1} consecutive free ports found")


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """Nothing listens on ``port``. SO_REUSEADDR as nginx and Streamlit bind: connections of a process just
    stopped (TIME_WAIT) do not make a port look taken, so a restart does not fail."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def healthy(url: str, timeout: float = 2.0, cookie: str | None = None) -> bool:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def _nginx_version(nginx: str) -> tuple[int, ...]:
    out = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(x) for x in found.groups()) if found else (0, 0, 0)


class App:
    """One ``streamlit run`` process on a loopback port; its output goes to a log file in the run folder (or,
    when ``capture``, into ``lines``: for the tests and the load test, which read its timing lines)."""

    def __init__(self, number: int, port: int, command: list[str], env: dict, log: Path, capture: bool):
        self.number, self.port, self.command, self.env, self.log_path = number, port, command, env, log
        self.capture = capture
        self.lines: list[str] = []
        self.process: subprocess.Popen | None = None
        self.exits: list[float] = []

    def start(self) -> None:
        if self.capture:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            threading.Thread(target=self._read, args=(self.process,), daemon=True).start()
        else:
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(
                    self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stderr:
            self.lines.append(line.decode(errors="replace").rstrip())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def memory_mb(self, field: str = "VmRSS") -> float:
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self, timeout: float = 20) -> bool:
        return _stop(self.process, signal.SIGTERM, timeout)


def _stop(process: subprocess.Popen | None, sig: int, timeout: float) -> bool:
    """Send ``sig`` and wait; kill after ``timeout`` seconds. True when it had to be killed."""
    if process is None or process.poll() is not None:
        return False
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
        return True
    return False


class Deployment:
    """nginx on ``listen`` in front of ``processes`` app processes on ``db``; see the module's docstring.

    ``run_dir``: where the configuration, pid file and logs go (a new temporary folder when None, removed by
    ``stop`` unless the start or a process failed). ``app_port``: the first app process's port (the others
    follow it); default ``listen``'s port + 1.
    ``script``: the app to run (default app.py; the load test runs a copy of the committed code).
    ``capture``: keep the app processes' stderr in memory instead of log files (the load test reads timings).
    """

    def __init__(
        self,
        db: str | Path,
        processes: int = 2,
        listen: str | int = 8500,
        app_port: int | None = None,
        run_dir: str | Path | None = None,
        nginx: str | None = None,
        template: str | Path | None = None,
        script: str | Path | None = None,
        env: dict | None = None,
        capture: bool = False,
        say=None,
    ):
        if processes < 1:
            raise ServeError("--processes must be at least 1")
        self.db = str(db)
        self.listen = str(listen)
        self.host, self.port = parse_listen(listen)
        first = app_port or self.port + 1
        self.ports = list(range(first, first + processes))
        self.nginx = find_nginx(nginx)
        self.template = Path(template or TEMPLATE)
        self.script = str(script or ROOT / "app.py")
        self.extra_env = env or {}
        self.capture = capture
        self.say = say or (lambda message: None)
        self._own_run = run_dir is None
        self.run = Path(run_dir) if run_dir else None
        self.apps: list[App] = []
        self.proxy: subprocess.Popen | None = None
        self.stopping = False
        self.failed = False

    @property
    def url(self) -> str:
        host = self.host if self.host not in ("", "0.0.0.0", "*", "::") else "127.0.0.1"
        return f"http://{host}:{self.port}"

    def _environment(self) -> dict:
        env = {**os.environ, "PLM_DB": self.db, **self.extra_env}
        # One cookie secret for every process: a session's signed cookies (upload protection, OIDC sign-in)
        # stay valid if nginx has to send the browser to another process. A configured one wins.
        env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        # Wrong sign-in attempts are counted per client: the address nginx saw, not nginx's own (docs/accounts.md).
        env.setdefault("PLM_CLIENT_IP_HEADER", "X-Real-IP")
        return env

    def _app_command(self, port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            self.script,
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ]

    def write_config(self) -> Path:
        if self.run is None:
            self.run = Path(tempfile.mkdtemp(prefix="plm-serve-"))
        self.run.mkdir(parents=True, exist_ok=True)
        (self.run / "tmp").mkdir(exist_ok=True)
        if os.geteuid() == 0:
            # As root nginx's workers run as 'nobody': they must reach the temporary folders it creates.
            for folder in (self.run, self.run / "tmp"):
                folder.chmod(0o755)
        conf = self.run / "nginx.conf"
        conf.write_text(nginx_config(self.template.read_text(), self.run.resolve(), self.listen, self.ports))
        return conf

    def _nginx_command(self, *extra: str) -> list[str]:
        command = [self.nginx, "-p", str(self.run), "-c", str(self.run / "nginx.conf")]
        if _nginx_version(self.nginx) >= (1, 19, 5):  # -e: no attempt to open /var/log/nginx/error.log first
            command += ["-e", str(self.run / "error.log")]
        return [*command, *extra]

    def start(self, timeout: float = START_TIMEOUT) -> Deployment:
        for port in (self.port, *self.ports):
            if not port_free(port, "127.0.0.1" if port != self.port or not self.host else self.host):
                raise ServeError(f"port {port} is in use (choose others with --listen and --app-port)")
        conf = self.write_config()
        check = subprocess.run(self._nginx_command("-t", "-q"), capture_output=True, text=True)
        if check.returncode != 0:
            raise ServeError(f"nginx refuses {conf}: {check.stderr.strip()}")
        env = self._environment()
        self.apps = [
            App(i, port, self._app_command(port), env, self.run / f"app-{i}.log", self.capture)
            for i, port in enumerate(self.ports, start=1)
        ]
        try:
            for app in self.apps:
                app.start()
            self.say(f"starting {len(self.apps)} app process(es) on {dialects.describe(self.db)}; logs in {self.run}")
            deadline = time.time() + timeout
            waiting = list(self.apps)
            while waiting:
                for app in list(waiting):
                    if not app.alive():
                        raise ServeError(
                            f"app process {app.number} exited at start; see {app.log_path}"
                            + ("\n" + "\n".join(list(app.lines)[-20:]) if app.capture else "")
                        )
                    if healthy(app.url + "/_stcore/health"):
                        waiting.remove(app)
                if waiting and time.time() > deadline:
                    raise ServeError(f"app process(es) {[a.number for a in waiting]} did not answer in {timeout:.0f} s")
                if waiting:
                    time.sleep(0.2)
            self.proxy = subprocess.Popen(
                self._nginx_command(),
                stdout=subprocess.DEVNULL,
                stderr=open(self.run / "nginx.stderr", "ab"),
                start_new_session=True,
            )
            deadline = time.time() + 30
            while not healthy(self.url + "/_stcore/health"):
                if self.proxy.poll() is not None or time.time() > deadline:
                    raise ServeError(f"nginx did not start; see {self.run / 'error.log'}")
                time.sleep(0.1)
        except BaseException:
            self.failed = True  # keep the run folder: its logs say why
            self.stop()
            raise
        self.say(
            f"dashboard at {self.url}/ ({len(self.apps)} process(es): ports {', '.join(str(p) for p in self.ports)})"
        )
        return self

    def check(self) -> bool:
        """One round of supervision: start again an app process that exited (unless it keeps exiting).
        False when the deployment cannot go on (nginx gone, or a process exiting again and again)."""
        if self.stopping:
            return False
        if self.proxy is None or self.proxy.poll() is not None:
            self.say(f"nginx exited (code {self.proxy.returncode if self.proxy else '?'}); stopping")
            return False
        now = time.time()
        for app in self.apps:
            if app.alive():
                continue
            app.exits = [t for t in app.exits if now - t < RESTART_WINDOW] + [now]
            if len(app.exits) >= RESTARTS:
                self.say(
                    f"app process {app.number} exited {len(app.exits)} times in {RESTART_WINDOW:.0f} s; "
                    f"stopping (see {app.log_path})"
                )
                return False
            self.say(f"app process {app.number} exited (code {app.process.returncode}); starting it again")
            app.start()
        return True

    def serve_forever(self, every: float = 1.0) -> int:
        """Supervise until Ctrl-C or SIGTERM (exit code 0) or until the deployment cannot go on (1)."""

        def interrupt(*_):
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, interrupt)
        try:
            while self.check():
                time.sleep(every)
            self.failed = True  # keep the run folder: its logs say why
            return 1
        except KeyboardInterrupt:
            self.say("stopping")
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.stop()

    def memory_mb(self, field: str = "VmRSS") -> float:
        """The app processes' memory together (nginx's few MB not counted)."""
        return sum(app.memory_mb(field) for app in self.apps)

    def stop(self) -> None:
        """nginx first (gracefully: SIGQUIT lets open requests finish), then the app processes."""
        self.stopping = True
        if _stop(self.proxy, signal.SIGQUIT, 10):
            self.say("nginx did not stop within 10 s: killed")
        for app in self.apps:
            if app.process is not None and app.process.poll() is None:
                app.process.send_signal(signal.SIGTERM)
        for app in self.apps:
            if app.stop():
                self.say(f"app process {app.number} did not stop within 20 s: killed")
        if self._own_run and self.run is not None and not self.failed:
            shutil.rmtree(self.run, ignore_errors=True)

    def __enter__(self) -> Deployment:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
