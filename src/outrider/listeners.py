"""The listening sockets of `outrider serve --workers N`: one socket per worker process, so the kernel spreads
connections over the workers.

uvicorn's workers share the one socket their supervisor bound, and a keep-alive connection stays with the
process that accepted it. An idle process that wakes on a queue of new connections accepts them all in one
go, so sixteen clients connecting at once could land fifteen on one process (measured: one worker at 95 % of
a core, the other at 20 %) while Python runs one process on one core at a time. On Linux each worker
instead listens on a socket of its own bound with `SO_REUSEPORT` to the same address: the kernel hands
each new connection to one of those sockets by a hash of its addresses and ports, so connections spread
over the workers whatever each is doing. Elsewhere (`SO_REUSEPORT` balances on Linux only) the workers
share one socket as before.
"""

from __future__ import annotations

import socket
import sys
from typing import Any


def spreads_connections() -> bool:
    """Whether this system balances connections over sockets bound with SO_REUSEPORT (Linux does)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


class WorkerListener(socket.socket):
    """The supervisor's socket, bound to the serving address with SO_REUSEPORT and never listening.

    It reserves the address (and answers the question of a port taken) before any worker starts. Handed
    to a worker process (multiprocessing pickles what it passes to a spawned process), it arrives as a
    new socket of the worker's own bound to the same address, not as a copy of this one: the worker
    listens on it, and the kernel balances connections over the workers' sockets. A socket that is bound
    but not listening takes no connection.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (bind_reuse_port, (self.family, self.getsockname()))


def bind_reuse_port(family: int, address: tuple[Any, ...]) -> socket.socket:
    """A new TCP socket bound to ``address`` with SO_REUSEPORT (not yet listening)."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    _reuse(sock)
    sock.bind(address)
    sock.set_inheritable(True)
    return sock


def worker_listener(host: str, port: int) -> WorkerListener:
    """The supervisor's socket for ``host``:``port`` (IPv6 when the host has a colon); OSError when taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # A socket bound without SO_REUSEPORT first, as a single server binds: it fails when anything (a server
    # still running, reuse-port or not) holds the address, where two reuse-port servers would share it.
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        address = probe.getsockname()  # the port the system chose when asked for 0
    sock = WorkerListener(family, socket.SOCK_STREAM)
    try:
        _reuse(sock)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def _reuse(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
