"""Shapes built from other objects: the fields a shape shares by name with its source, the rest given."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, cast

from pydantic import BaseModel

T = TypeVar("T")


def read_of(shape: type[T], source: object, **given: Any) -> T:
    """A pydantic model or dataclass from the same-named attributes of `source`, `given` over them."""
    if issubclass(shape, BaseModel):
        return cast(T, shape.model_validate(_values(list(shape.model_fields), source, given)))
    names = [f.name for f in dataclasses.fields(cast(Any, shape))]
    return shape(**_values(names, source, given))


def _values(names: list[str], source: object, given: dict[str, Any]) -> dict[str, Any]:
    values = {name: getattr(source, name) for name in names if name not in given and hasattr(source, name)}
    return {**values, **given}
