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
from dataclasses import dataclass, field
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
    # Every word drawn, for the own-area check (analytics/tools/load.py): the texts above, table cells and
    # headers, the text of each chart (titles, labels, hover text; not a map's outlines) and the labels and
    # options of widgets (e.g. the provinces a select box offers).
    strings: list[str] = field(default_factory=list)
    widgets: list[dict] = field(default_factory=list)  # {"kind", "id", "label", "form_id", "type"/"submit"}


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
    return sum(
        next((_array_length(trace[a]) for a in ("z", "x", "lat", "locations") if a in trace), 0)
        for trace in spec.get("data", [])
    )


def _strings(value, skip=("geojson", "bdata", "dtype")) -> list[str]:
    """The strings inside a JSON value (a Plotly figure), not under the keys ``skip``: a map's outlines name
    every province whatever is drawn on them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in skip for s in _strings(v, skip)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, skip)]
    return []


def table_strings(arrow_bytes: bytes) -> list[str]:
    """Column names, index and cells of a table as sent to the browser (Arrow IPC), as text."""
    if not arrow_bytes:
        return []
    import pyarrow as pa

    table = pa.ipc.open_stream(arrow_bytes).read_all()
    out = [str(name) for name in table.column_names]
    for column in table.columns:
        out += [str(v) for v in column.to_pylist() if v is not None]
    return out


def _widget(kind: str, w) -> tuple[dict, list[str]]:
    """A widget's identity (to send its value back) and the words it shows (label, options)."""
    info = {
        "kind": kind,
        "id": getattr(w, "id", ""),
        "label": getattr(w, "label", ""),
        "form_id": getattr(w, "form_id", ""),
    }
    if kind == "text_input":
        info["type"] = w.type  # TextInput.DEFAULT, .PASSWORD, ...
    if kind == "button":
        info["submit"] = w.is_form_submitter
    words = [info["label"]] if info["label"] else []
    options = getattr(w, "options", None)
    if options is not None:
        words += [o if isinstance(o, str) else getattr(o, "content", "") for o in options]
    return info, words


WIDGETS = ("text_input", "button", "selectbox", "radio", "multiselect", "button_group", "slider", "checkbox")


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
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                self.script,
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
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
        self.ws = connect(
            f"{base}/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=30,
            ping_interval=None,
            additional_headers={"Cookie": cookie} if cookie else None,
        ).__enter__()

    def rerun(
        self, page: str = "", query: dict | None = None, timeout: float = 120, widgets: dict | None = None
    ) -> Rerun:
        """Ask for a run of ``page`` (its URL path) with ``query``; wait until the script finished.
        ``widgets``: widget id -> value sent with the run as a browser sends a widget's new value (``True``
        for a button: its trigger, a ``str`` for a text input)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = urlencode(query or {})
        msg.rerun_script.page_name = page
        for widget_id, value in (widgets or {}).items():
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            if value is True:
                state.trigger_value = True
            else:
                state.string_value = str(value)
        started = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        size, exceptions, texts, points, strings, drawn = 0, [], [], [], [], []
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
                    strings.append(texts[-1])
                elif which == "metric":
                    texts.append(f"{element.metric.label}: {element.metric.body}")
                    strings.append(texts[-1])
                elif which == "plotly_chart":
                    points.append(chart_points(element.plotly_chart.spec))
                    strings += _strings(json.loads(element.plotly_chart.spec))
                elif which in ("dataframe", "table"):
                    strings += table_strings(getattr(element, which).arrow_data.data)
                elif which in WIDGETS:
                    info, words = _widget(which, getattr(element, which))
                    drawn.append(info)
                    strings += words
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the script was restarted (a rerun it asked for); wait for that run
                return Rerun(time.perf_counter() - started, size, exceptions, texts, points, strings, drawn)

    def sign_in(
        self, email: str, password: str, page: str = "import", query: dict | None = None, timeout: float = 120
    ) -> bool:
        """Sign in by the password form as a browser does: open ``page`` (the import page draws the form in every
        viewing mode), then send the form's email and password fields and its submit button's trigger in one
        run (a form sends its widgets' values together on submit). True when the next run of the page draws no
        password field."""
        first = self.rerun(page, query, timeout)
        inputs = [w for w in first.widgets if w["kind"] == "text_input" and w["form_id"]]
        submit = [w for w in first.widgets if w["kind"] == "button" and w.get("submit")]
        if len(inputs) != 2 or not submit:
            return False
        from streamlit.proto.TextInput_pb2 import TextInput

        values = {w["id"]: password if w["type"] == TextInput.PASSWORD else email for w in inputs}
        self.rerun(page, query, timeout, widgets={**values, submit[0]["id"]: True})
        # The form's st.rerun() may end that run before the next one draws the page: ask for the page again.
        after = self.rerun(page, query, timeout)
        return not any(w["kind"] == "text_input" and w.get("type") == TextInput.PASSWORD for w in after.widgets)

    def close(self) -> None:
        self.ws.close()
