"""Drive a running ``streamlit run`` server the way a browser does, over its websocket (benchmark, load).

A ``Session`` asks for reruns (a page and the URL's query string, as a browser sends them) and reads the
server's messages until the script has finished: the time that takes is the rerun's server time, and the
bytes received are what the browser would receive. Only loopback servers are meant.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from websockets.sync.client import connect

from ..config import ROOT


@dataclass
class Rerun:
    seconds: float
    bytes: int
    exceptions: list[str]
    texts: list[str]  # plain text of the elements drawn (titles, captions, metrics), to check what was shown
    chart_points: list[int]  # points of each chart drawn


def _array_length(value) -> int:
    """Points in a figure array: a list, or Plotly's base64 typed array ({"dtype", "bdata"})."""
    if isinstance(value, dict) and "bdata" in value:
        import base64

        import numpy as np
        return len(base64.b64decode(value["bdata"])) // np.dtype(value["dtype"]).itemsize
    return len(value) if isinstance(value, list) else 0


def chart_points(spec_json: str) -> int:
    """The number of points a Plotly figure (as JSON) draws."""
    spec = json.loads(spec_json)
    return sum(next((_array_length(trace[a]) for a in ("z", "x", "lat", "locations") if a in trace), 0)
               for trace in spec.get("data", []))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run app.py`` (or another script) on a free loopback port, with ``PLM_DB`` set.

    Lines the server writes to stderr are kept in ``log`` (the benchmark's timing lines among them)."""

    def __init__(self, db: str | Path, env: dict | None = None, script: str | Path | None = None):
        self.port = free_port()
        self.db = str(db)
        self.script = str(script or ROOT / "app.py")
        self.env = {**os.environ, "PLM_DB": self.db, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.log: list[str] = []

    def _read_log(self) -> None:
        for line in self.process.stderr:
            self.log.append(line.decode(errors="replace").rstrip())

    def timings(self) -> list[dict]:
        """The benchmark's per-rerun lines (PLM_BENCH=1), in order."""
        out = []
        for line in list(self.log):
            if line.startswith('{"bench"'):
                out.append(json.loads(line))
        return out

    def start(self, timeout: float = 120) -> Server:
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", self.script, "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats",
             "false"], cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        threading.Thread(target=self._read_log, daemon=True).start()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited: " + "\n".join(self.log[-30:]))
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise TimeoutError("server did not answer")

    def memory_mb(self, field: str = "VmRSS") -> float:
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def session(self) -> Session:
        return Session(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Session:
    """One browser-like session (one websocket) on the server."""

    def __init__(self, port: int | None = None, url: str | None = None, cookie: str | None = None):
        """On the server at loopback ``port``, or at ``url`` (``http://host:port``, e.g. a proxy), sending
        ``cookie`` (a proxy's session-affinity cookie, ``name=value``) with the websocket's request."""
        from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: F401 (imported early: protobuf start-up)

        base = url.replace("http", "ws", 1).rstrip("/") if url else f"ws://127.0.0.1:{port}"
        # Entered as a context manager (the connection is closed by close()): websockets 17 deprecates the
        # plain call, and from 12 on the connection's __enter__ returns it.
        # ping_interval=None: a browser sends no pings of its own, so a server too busy to answer one within
        # websockets' 20 s (40 sessions at national scale) must not end the session; the rerun timeout decides.
        self.ws = connect(f"{base}/_stcore/stream", subprotocols=["streamlit"], max_size=None, open_timeout=30,
                          ping_interval=None,
                          additional_headers={"Cookie": cookie} if cookie else None).__enter__()

    def rerun(self, page: str = "", query: dict | None = None, timeout: float = 120) -> Rerun:
        """Ask for a run of ``page`` (its URL path) with ``query``; wait until the script finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = urlencode(query or {})
        msg.rerun_script.page_name = page
        started = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        size, exceptions, texts, points = 0, [], [], []
        deadline = time.time() + timeout
        while True:
            frame = self.ws.recv(timeout=max(0.1, deadline - time.time()))
            size += len(frame)
            fwd = ForwardMsg()
            fwd.ParseFromString(frame)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    exceptions.append(element.exception.message)
                elif which in ("heading", "markdown", "text", "alert"):
                    texts.append(getattr(element, which).body)
                elif which == "metric":
                    texts.append(f"{element.metric.label}: {element.metric.body}")
                elif which == "plotly_chart":
                    points.append(chart_points(element.plotly_chart.spec))
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the script was restarted (a rerun it asked for); wait for that run
                return Rerun(time.perf_counter() - started, size, exceptions, texts, points)

    def close(self) -> None:
        self.ws.close()
