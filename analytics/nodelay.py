"""Switch off Nagle's algorithm on the app server's TCP sockets (a workaround for Streamlit 1.67).

Streamlit 1.67 binds its listening socket itself with ``socket.socket(family)``, whose protocol number is 0,
and asyncio only sets ``TCP_NODELAY`` on accepted sockets whose protocol is ``IPPROTO_TCP``. Without it a
rerun's second small message waits for the browser's acknowledgement of the first, which the browser delays
(40 ms on Linux, up to 200 ms on Windows): measured here, an empty page's rerun takes 44 ms instead of 6 ms.

``enable()`` sets ``TCP_NODELAY`` on every TCP socket the process holds: the sessions already connected and
the listening socket, whose setting the connections accepted later inherit (Linux). Elsewhere (no
``/proc/self/fd``) it does nothing.
"""

from __future__ import annotations

import os
import socket

_done = False


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
