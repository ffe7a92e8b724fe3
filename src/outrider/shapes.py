"""Read shapes built from stored rows: the fields a shape shares with its row by name, the rest given."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def read_of(model: type[M], row: object, **given: Any) -> M:
    """`model` from the row's attributes of the same names as its fields, with `given` fields over them."""
    values = {
        name: getattr(row, name) for name in model.model_fields if name not in given and hasattr(row, name)
    }
    return model.model_validate({**values, **given})
