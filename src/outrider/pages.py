"""The page shape every list endpoint and `--json` list command returns."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, the total that match, and where the page starts."""

    items: list[T]
    total: int
    limit: int
    offset: int
