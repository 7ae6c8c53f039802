"""Switch off Nagle's algorithm on the app server's TCP sockets (a workaround for Streamlit 1.67).

Streamlit 1.67 binds its listening socket itself with ``socket.socket(family)``, whose protocol number is 0,
and asyncio only sets ``TCP_NODELAY`` on accepted sockets whose protocol is ``IPPROTO_TCP``. Without it a
rerun's second small message waits for the browser's acknowledgement of the first, which the browser delays
(40 ms on Linux, up to 200 ms on Windows): measured here, an empty page's rerun takes 44 ms instead of 6 ms.

``enable()`` sets ``TCP_NODELAY`` on every TCP socket the process holds: the sessions already connected and
the listening socket, whose setting the connections accepted later inherit (Linux). Elsewhere (no
``/proc/self/fd``) it does nothing.

No Streamlit issue for it was found. The same mechanism, a pre-bound listening socket of protocol 0 whose
accepted connections asyncio leaves without ``TCP_NODELAY``, is reported upstream for uvicorn
(https://github.com/Kludex/uvicorn/issues/3149) and asyncio (https://github.com/python/cpython/issues/148783).

Only on the Streamlit versions in ``CHECKED`` (where tests/test_internals.py showed the defect and the fix on a
real server) does it act; on any other version it warns once and does nothing, so a Streamlit upgrade
(requirements.txt bounds it to 1.67.x) is a prompt to check again rather than a silent change.
"""

from __future__ import annotations

import os
import socket
import warnings

# Streamlit minor versions (major.minor) on which the workaround was checked against a running server.
CHECKED = ("1.67",)

_done = False


def streamlit_checked(version: str | None = None) -> bool:
    """Whether the (installed) Streamlit is one of the ``CHECKED`` minor versions."""
    if version is None:
        import streamlit

        version = streamlit.__version__
    return ".".join(version.split(".")[:2]) in CHECKED


def _tcp_sockets() -> list[int]:
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return []
    fds = []
    for name in names:
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                fds.append(int(name))
        except OSError:  # closed meanwhile
            continue
    return fds


def enable() -> int:
    """Set TCP_NODELAY on the process's TCP sockets (once per process); returns how many were set."""
    global _done
    if _done:
        return 0
    _done = True
    if not streamlit_checked():
        import streamlit

        warnings.warn(
            f"analytics.tools.nodelay: Streamlit {streamlit.__version__} is not one of the checked versions "
            f"{CHECKED}; TCP_NODELAY left as Streamlit sets it (see this module)",
            stacklevel=2,
        )
        return 0
    count = 0
    for fd in _tcp_sockets():
        try:
            sock = socket.socket(fileno=fd)
        except OSError:
            continue
        try:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                count += 1
        except OSError:
            pass
        finally:
            sock.detach()  # the descriptor stays open: it belongs to the server
    return count
