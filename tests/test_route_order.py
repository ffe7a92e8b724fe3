"""Routes are matched in the order the application includes them; none may hide a later one.

The movements' routes (check-ins and the board, most of a control room's requests) come first so that
their requests match after few patterns; this holds only while no route of the API answers for a path
that a later route was meant to answer: no earlier route of a method takes every path of a later one while
the later names a literal where the earlier has a parameter (`/alerts/{alert_id}` before
`/alerts/cap.atom` would take the feed's requests)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute

from outrider.app import create_app
from outrider.movements.api import router as movements_router


def _routes(routes: list[Any], prefix: str = "") -> list[tuple[str, set[str]]]:
    found: list[tuple[str, set[str]]] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append((prefix + route.path, set(route.methods)))
        elif hasattr(route, "original_router"):  # an included router: its routes in their order
            found += _routes(route.original_router.routes, prefix + route.include_context.prefix)
    return found


def _hides(earlier: str, later: str) -> bool:
    """Whether the earlier pattern takes every path of the later one although the later names a literal
    segment where the earlier has a parameter (the later would then answer nothing it was meant for)."""
    a, b = earlier.strip("/").split("/"), later.strip("/").split("/")
    if len(a) != len(b):
        return False
    pairs = list(zip(a, b, strict=True))
    covers = all(x == y or x.startswith("{") for x, y in pairs)
    return covers and any(x.startswith("{") and not y.startswith("{") for x, y in pairs)


@pytest.fixture(scope="module")
def routes() -> list[tuple[str, set[str]]]:
    """The application's API routes in the order they are matched."""
    return _routes(create_app().router.routes)


def test_no_route_hides_a_later_one(routes: list[tuple[str, set[str]]]) -> None:
    assert len(routes) > 100
    hidden = [
        (earlier, later)
        for i, (earlier, methods) in enumerate(routes)
        for later, later_methods in routes[i + 1 :]
        if methods & later_methods and _hides(earlier, later)
    ]
    assert hidden == []


def test_the_movements_routes_are_matched_before_the_other_domains(
    routes: list[tuple[str, set[str]]],
) -> None:
    paths = [path for path, _ in routes]
    movements = [path for path, _ in _routes(movements_router.routes)]
    start = paths.index(movements[0])
    # only the application's own few routes (the OpenAPI document, health, docs) come before them
    assert start <= 3 and paths[start : start + len(movements)] == movements
