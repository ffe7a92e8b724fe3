"""`outrider serve --workers N` on Linux: each worker listens on a socket of its own (SO_REUSEPORT), so the
kernel spreads connections over the workers instead of one worker taking them all from a shared socket."""

from __future__ import annotations

import pickle
import socket
from collections.abc import Iterator
from multiprocessing.reduction import ForkingPickler

import pytest

from outrider import listeners

pytestmark = pytest.mark.skipif(
    not listeners.spreads_connections(), reason="SO_REUSEPORT balances on Linux only"
)


def _in_a_worker(listener: socket.socket) -> socket.socket:
    # what a spawned worker process receives: multiprocessing pickles the sockets it passes with this pickler
    received = pickle.loads(ForkingPickler.dumps([listener]))  # noqa: S301  (our own bytes)
    assert isinstance(received, list) and len(received) == 1
    sock: socket.socket = received[0]
    return sock


@pytest.fixture
def supervisor() -> Iterator[listeners.WorkerListener]:
    listener = listeners.worker_listener("127.0.0.1", 0)
    yield listener
    listener.close()


def test_a_worker_receives_a_socket_of_its_own_on_the_same_address(
    supervisor: listeners.WorkerListener,
) -> None:
    first, second = _in_a_worker(supervisor), _in_a_worker(supervisor)
    try:
        assert type(first) is socket.socket and first.fileno() != supervisor.fileno()
        assert first.getsockname() == second.getsockname() == supervisor.getsockname()
        assert first.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
        assert first.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 0  # the worker's server listens
    finally:
        first.close()
        second.close()


def test_connections_spread_over_the_workers_sockets(supervisor: listeners.WorkerListener) -> None:
    workers = [_in_a_worker(supervisor), _in_a_worker(supervisor)]
    clients: list[socket.socket] = []
    try:
        for sock in workers:
            sock.listen(128)
            sock.setblocking(False)
        for _ in range(64):
            clients.append(socket.create_connection(supervisor.getsockname(), timeout=5))
        accepted = [0, 0]
        for n, sock in enumerate(workers):
            while True:
                try:
                    sock.accept()[0].close()
                except BlockingIOError:
                    break
                accepted[n] += 1
        # every connection reached a worker (none queued on the supervisor's socket, which does not listen),
        # and each worker got a share: by the kernel's hash all 64 on one side has a chance of 2 in 2^64
        assert sum(accepted) == 64 and min(accepted) > 0, accepted
    finally:
        for s in clients + workers:
            s.close()


def test_an_address_in_use_is_refused_reuse_port_or_not() -> None:
    plain = socket.socket()
    plain.bind(("127.0.0.1", 0))
    plain.listen()
    other = listeners.worker_listener("127.0.0.1", 0)
    running = _in_a_worker(other)  # a server of the same user already serving with reuse-port workers
    running.listen()
    try:
        for taken in (plain.getsockname()[1], other.getsockname()[1]):
            with pytest.raises(OSError, match="in use"):
                listeners.worker_listener("127.0.0.1", taken)
    finally:
        for s in (plain, other, running):
            s.close()


def test_ipv6_hosts_get_an_ipv6_socket() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        listener = listeners.worker_listener("::1", 0)
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback here: {exc}")
    try:
        assert listener.family == socket.AF_INET6
        worker = _in_a_worker(listener)
        assert worker.family == socket.AF_INET6 and worker.getsockname()[1] == listener.getsockname()[1]
        worker.close()
    finally:
        listener.close()
