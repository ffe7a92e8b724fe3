"""Input types shared by every face: what an id, an offset, a date and a text may be, refused at the edge.

The database decides the limits: ids are 32-bit INTEGER columns on PostgreSQL, text columns refuse NUL
there, and dates far from today overflow when a zone or a duration is applied. A value outside these
limits is bad input (422, one line from the CLI), never a server error.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

MAX_ID = 2**31 - 1  # the largest INTEGER of PostgreSQL (SQLite's are wider; the smaller one rules)
MAX_OFFSET = MAX_ID
FIRST_YEAR, LAST_YEAR = 1900, 2199
_Moment = TypeVar("_Moment", date, datetime)

Id = Annotated[int, Field(ge=1, le=MAX_ID, description="an object's id")]
"""An object's id as every face accepts it: a positive 32-bit integer."""

Version = Annotated[int, Field(ge=1, le=MAX_ID, description="a version number")]
"""A version number (of a protocol): stored in the same 32-bit columns as ids."""

Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="skip this many items")]
"""How many items to skip in a page."""


def id_problem(value: int) -> str | None:
    """Why ``value`` cannot be an id, or None when it can."""
    if 1 <= value <= MAX_ID:
        return None
    return f"an id is a whole number from 1 to {MAX_ID}"


def _in_range(value: _Moment) -> _Moment:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return value


def _aware_in_range(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("needs a time zone (an offset such as +05:00, or Z)")
    return _in_range(value)


When = Annotated[datetime, AfterValidator(_aware_in_range)]
"""A moment with its time zone, between the years 1900 and 2199."""

Day = Annotated[date, AfterValidator(_in_range)]
"""A calendar day between the years 1900 and 2199."""


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 country code in capitals; ValueError when ``value`` is not one."""
    v = value.strip().upper()
    if len(v) != 2 or not v.isalpha():
        raise ValueError("must be an ISO 3166-1 alpha-2 country code such as PK or CN")
    return v


Country = Annotated[str, AfterValidator(country_code)]
"""A country (of an organisation, of a person's nationality) as its ISO 3166-1 alpha-2 code."""


def nul_location(value: Any, loc: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where the first NUL character sits in decoded JSON (a key or a string value), or None."""
    if isinstance(value, str):
        return loc if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                return (*loc, str(key))
            found = nul_location(item, (*loc, str(key)))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_location(item, (*loc, index))
            if found is not None:
                return found
    return None


def _null_only_where_allowed(schema: dict[str, Any], model: type[BaseModel]) -> None:
    # The document says what the validator enforces: `null` is offered only where it clears a value.
    nullable: frozenset[str] = getattr(model, "nullable", frozenset())
    for name, prop in schema.get("properties", {}).items():
        branches = prop.get("anyOf")
        if name in nullable or not branches:
            continue
        kept = [b for b in branches if b.get("type") != "null"]
        if len(kept) == 1:
            del prop["anyOf"]
            prop.update(kept[0])
        else:
            prop["anyOf"] = kept


class Patch(BaseModel):
    """A partial update: a field left out keeps its value; `null` is refused unless it clears an optional one.

    Without this, `{"name": null}` reached a NOT NULL column and answered 500.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_null_only_where_allowed)
    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError("may not be null; leave the field out to keep its value")
        return value
