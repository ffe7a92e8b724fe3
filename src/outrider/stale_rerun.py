"""Run a request again when its optimistic SQLite transaction found its reads stale (see `outrider.db`).

On SQLite a request first runs with deferred transactions, so readers never queue behind writers. A
transaction that read, saw another commit land, and then wanted to write cannot continue (its reads may
be out of date); it rolled back before anything was sent, so the whole request runs once more, this
time with the write lock taken at BEGIN, which cannot go stale. PostgreSQL requests pass straight through.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from outrider.db import get_engine, is_stale_snapshot, optimistic_sqlite


class StaleRerun:
    """ASGI middleware: one optimistic run of a request on SQLite, and one locked run if it went stale."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or get_engine().dialect.name != "sqlite":
            await self.app(scope, receive, send)
            return
        body: list[Message] = []
        while True:  # the body is kept (BodyLimit, outside, bounds it) so that a second run can read it
            message = await receive()
            body.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        started = False
        with optimistic_sqlite() as mode:

            async def sending(message: Message) -> None:
                nonlocal started
                if not started:
                    started = True
                    mode.optimistic = False  # what runs after the first byte (a stream) cannot run again
                await send(message)

            try:
                await self.app(_fresh(scope), _replay(body, receive), sending)
                return
            except Exception as exc:
                if started or not is_stale_snapshot(exc):
                    raise
        await self.app(_fresh(scope), _replay(body, receive), send)


def _fresh(scope: Scope) -> Scope:
    # Each run gets its own request state: nothing the first run noted may leak into the second.
    return dict(scope, state=dict(scope.get("state", {})))


def _replay(body: list[Message], receive: Receive) -> Receive:
    pending = list(body)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()  # then the client's disconnect, as the server reports it

    return replayed
