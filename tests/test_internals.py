"""The Streamlit and Plotly internals the code leans on, each checked where it is used, so that an upgrade that
changes one fails here instead of degrading silently:

- ``PagesManager.uses_pages_directory`` (app.py, analytics/app/navigation.py): the class flag that makes Streamlit run a
  ``pages/`` script alone, without the entrypoint;
- the ``/_stcore/stream`` websocket and its protobuf messages (analytics/tools/server.py: benchmark, load test);
- the listening socket Streamlit binds itself, whose connections lack ``TCP_NODELAY`` (analytics/tools/nodelay.py);
- ``go.Figure(..., _validate=False)`` (analytics/charts.py).

requirements.txt bounds Streamlit to one minor version for these; when it is raised, run this file first.
"""

from __future__ import annotations

import json
import os

import plotly.graph_objects as go
import pytest

from analytics import charts
from analytics.tools.server import Server

# --- pages/ runner: PagesManager.uses_pages_directory ---


def test_pages_manager_has_the_class_flag_the_app_sets():
    from streamlit.runtime.pages_manager import PagesManager

    assert "uses_pages_directory" in vars(PagesManager)  # a class attribute, shared by every session


def test_pages_manager_sets_the_flag_from_a_pages_folder_only_while_unset(tmp_path, monkeypatch):
    """Streamlit turns the flag on when the entrypoint has a pages/ folder, unless someone set it before (as
    app.py and page.current_filters do)."""
    from streamlit.runtime.pages_manager import PagesManager

    (tmp_path / "pages").mkdir()
    main = str(tmp_path / "main.py")
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    PagesManager(main)
    assert PagesManager.uses_pages_directory is True
    PagesManager.uses_pages_directory = False
    PagesManager(main)
    assert PagesManager.uses_pages_directory is False


MAIN = """
import streamlit as st
st.text("main ran")
st.navigation([st.Page("pages/home.py", default=True), st.Page("pages/other.py")]).run()
"""
HOME = "import streamlit as st\nst.text('home ran')\n"
OTHER = """
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
st.text(f"other ran, flag {PagesManager.uses_pages_directory}")
PagesManager.uses_pages_directory = False  # what page.current_filters does when a page runs alone
"""


def test_a_pages_script_runs_alone_until_the_flag_is_cleared(tmp_path, seed_db):
    """On a real server: the process's first request for a page runs that pages/ script without the entrypoint
    (Streamlit's older multipage API, chosen by the flag); once the flag is False every request runs the
    entrypoint, which draws the shared sidebar and navigation. The app's patch is pointless if the first half
    stops being true, and broken if the second does."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "main.py").write_text(MAIN)
    (tmp_path / "pages" / "home.py").write_text(HOME)
    (tmp_path / "pages" / "other.py").write_text(OTHER)
    with Server(seed_db, script=tmp_path / "main.py") as server:
        first = server.session()
        alone = first.rerun("other").texts
        first.close()
        second = server.session()
        routed = second.rerun("other").texts
        second.close()
    assert alone == ["other ran, flag True"]
    assert routed == ["main ran", "other ran, flag False"]


# --- the websocket client (analytics/tools/server.py) ---

ELEMENTS = """
import streamlit as st
st.title("A title")
st.metric("Libraries", 42)
st.plotly_chart({"data": [{"type": "bar", "x": ["a", "b", "c"], "y": [1, 2, 3]}], "layout": {}})
if st.query_params.get("boom") == "1":
    raise ValueError("boom on purpose")
"""


@pytest.mark.filterwarnings("error:connect\\(\\) must be used as a context manager")
def test_the_websocket_client_reads_what_a_real_server_draws(tmp_path, seed_db):
    """BackMsg/ForwardMsg over /_stcore/stream: a rerun comes back with its texts, chart points and errors."""
    script = tmp_path / "elements.py"
    script.write_text(ELEMENTS)
    with Server(seed_db, script=script) as server:
        session = server.session()
        plain = session.rerun("")
        failing = session.rerun("", {"boom": "1"})
        session.close()
    assert plain.texts == ["A title", "Libraries: 42"]
    assert plain.chart_points == [3]
    assert plain.exceptions == []
    assert plain.bytes > 0 and plain.seconds > 0
    assert failing.exceptions == ["boom on purpose"]


def test_the_protobuf_fields_the_client_reads_exist():
    """Every message field analytics/tools/server.py names, including those the server test above does not draw."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.Element_pb2 import Element
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    assert {"query_string", "page_name"} <= set(BackMsg().rerun_script.DESCRIPTOR.fields_by_name)
    assert {"delta", "script_finished"} <= set(ForwardMsg.DESCRIPTOR.fields_by_name)
    assert ForwardMsg.FINISHED_EARLY_FOR_RERUN != ForwardMsg.FINISHED_SUCCESSFULLY
    element = Element.DESCRIPTOR.fields_by_name
    assert {"exception", "heading", "markdown", "text", "alert", "metric", "plotly_chart"} <= set(element)
    for which in ("heading", "markdown", "text", "alert"):
        assert "body" in element[which].message_type.fields_by_name
    assert {"label", "body"} <= set(element["metric"].message_type.fields_by_name)
    assert "spec" in element["plotly_chart"].message_type.fields_by_name
    assert "message" in element["exception"].message_type.fields_by_name


# --- TCP_NODELAY (analytics/tools/nodelay.py) ---

SOCKETS = """
import json, os, socket
import streamlit as st
from analytics.tools import nodelay


def tcp_sockets():
    out = []
    for name in os.listdir("/proc/self/fd"):
        try:
            if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                continue
            sock = socket.socket(fileno=int(name))
        except OSError:
            continue
        try:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
                listening = bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
                out.append({"listening": listening,
                            "peer_port": None if listening else sock.getpeername()[1],
                            "nodelay": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)})
        except OSError:
            pass
        finally:
            sock.detach()
    return out


before = tcp_sockets()
nodelay.enable()
st.text(json.dumps({"before": before, "after": tcp_sockets()}))
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="the workaround needs /proc/self/fd (Linux)")
def test_streamlit_still_leaves_nagle_on_and_enable_turns_it_off(tmp_path, seed_db):
    """On a real server: the session's accepted socket has no TCP_NODELAY (the defect: Streamlit's listening
    socket object has protocol 0, so asyncio skips it; if this fails, Streamlit fixed it and
    analytics/tools/nodelay.py can go); after
    ``enable()`` the accepted socket has it, and so has a connection accepted later (inherited)."""
    script = tmp_path / "sockets.py"
    script.write_text(SOCKETS)
    with Server(seed_db, script=script) as server:
        first = server.session()
        first_port = first.ws.socket.getsockname()[1]
        one = json.loads(first.rerun("").texts[0])
        second = server.session()
        second_port = second.ws.socket.getsockname()[1]
        two = json.loads(second.rerun("").texts[0])
        first.close()
        second.close()

    def listener(state):
        [found] = [s for s in state if s["listening"]]
        return found

    def accepted(state, port):
        [found] = [s for s in state if s["peer_port"] == port]
        return found

    assert listener(one["before"])["nodelay"] == 0
    assert accepted(one["before"], first_port)["nodelay"] == 0
    assert listener(one["after"])["nodelay"] == 1
    assert accepted(one["after"], first_port)["nodelay"] == 1
    assert accepted(two["before"], second_port)["nodelay"] == 1  # accepted after enable(): inherited


# --- go.Figure(..., _validate=False) (analytics/charts.py) ---


def test_figure_without_validation_skips_it():
    """The speed-up relies on _validate=False accepting the dict unchecked: a bad property passes unseen."""
    bad = {"data": [{"type": "bar", "x": [1], "y": [2], "bogus": 1}], "layout": {}}
    go.Figure(bad, _validate=False)
    with pytest.raises(ValueError, match="bogus"):
        go.Figure(bad)


def test_figure_without_validation_serialises_as_a_validated_one():
    """A chart as the app builds it (unvalidated) gives the same JSON as the same dicts validated by Plotly."""
    spec = {
        "data": [
            {
                "type": "bar",
                "x": ["Aceh", "Bali", "Jambi"],
                "y": [0.5, 0.75, 0.25],
                "name": "rate",
                "marker": {"color": "#0072B2"},
                "hovertemplate": "%{x}: %{y:.0%}<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": ["Aceh", "Bali", "Jambi"],
                "y": [1, 2, 3],
                "line": {"width": 3},
            },
        ],
        "layout": {
            "title": {"text": "Attendance", "font": {"size": 22}, "x": 0, "xanchor": "left"},
            "font": {"size": 16},
            "height": 400,
            "template": {},
            "yaxis": {"tickformat": ".0%"},
            "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
        },
    }
    fast = go.Figure(json.loads(json.dumps(spec)), _validate=False)
    checked = go.Figure(json.loads(json.dumps(spec)))
    assert_same_but_template(json.loads(fast.to_json()), json.loads(checked.to_json()))


def assert_same_but_template(fast: dict, checked: dict) -> None:
    """Equal, but for the empty template: validated, Plotly fills ``template: {}`` with a bare default trace
    per type (``{"data": {"scatter": [{"type": "scatter"}]}}``), which sets nothing."""
    fast_template = fast["layout"].pop("template")
    checked_template = checked["layout"].pop("template")
    assert fast_template == {}
    assert set(checked_template) <= {"data"}
    assert all(trace == {"type": kind} for kind, traces in checked_template.get("data", {}).items() for trace in traces)
    assert fast == checked


def test_the_charts_module_builds_unvalidated_figures_that_validate():
    """charts._figure's output (every chart goes through it): the same JSON once Plotly validates it."""
    fig = charts._figure([{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], title="T")
    assert_same_but_template(json.loads(fig.to_json()), json.loads(go.Figure(fig.to_dict()).to_json()))
