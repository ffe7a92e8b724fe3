"""Strings as dense integer codes for the compiled cordon monitor: plates, sites, places and zones."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

I8 = npt.NDArray[np.int64]


class _CodeDict(dict[str, int]):
    """name -> code; a missing name gets a new code."""

    def __init__(self, owner: Codes) -> None:
        super().__init__()
        self.owner = owner

    def __missing__(self, key: str) -> int:
        return self.owner.add(key)


class Codes:
    """Strings as dense integer codes; codes the state no longer refers to are given to new strings."""

    def __init__(self, permanent: Iterable[str] = (), limit: int = 1 << 36) -> None:
        self.names: list[str | None] = []
        self._free: list[int] = []
        self._limit = limit
        self.code: dict[str, int] = _CodeDict(self)
        for name in permanent:
            _ = self.code[name]
        self.permanent = len(self.names)

    def add(self, name: str) -> int:
        if self._free:
            c = self._free.pop()
            self.names[c] = name
        else:
            c = len(self.names)
            if c >= self._limit:
                raise ValueError(f"more than {self._limit} distinct values held at once")
            self.names.append(name)
        self.code[name] = c
        return c

    def encode(self, names: Sequence[str]) -> I8:
        return np.fromiter(map(self.code.__getitem__, names), np.int64, count=len(names))

    def release(self, live: npt.NDArray[np.bool_]) -> None:
        names, code = self.names, self.code
        for c in np.flatnonzero(~live[: len(names)]).tolist():
            name = names[c]
            if c >= self.permanent and name is not None:
                del code[name]
                names[c] = None
                self._free.append(c)


class ZoneLookup(dict[str, int]):
    """zone id -> code; -1 for a zone that does not exist."""

    def __missing__(self, key: str) -> int:
        return -1


@dataclass(frozen=True, slots=True)
class Coded:
    """A dictionary-encoded column, as Arrow, pandas and polars categoricals are: row i is
    ``values[codes[i]]``. Only the values a batch uses are looked up, once each."""

    codes: npt.NDArray[np.integer[Any]]
    values: Sequence[str]

    def via(self, lookup: Callable[[str], int]) -> I8:
        """The column with each value replaced by ``lookup(value)``."""
        codes = np.asarray(self.codes, np.int64)
        if len(codes) and (codes.min() < 0 or codes.max() >= len(self.values)):
            raise ValueError("a code points outside the values")
        used = np.zeros(len(self.values), np.bool_)
        used[codes] = True
        idx = np.flatnonzero(used)
        table = np.zeros(len(self.values), np.int64)
        table[idx] = np.fromiter((lookup(self.values[i]) for i in idx.tolist()), np.int64, count=len(idx))
        return table[codes]


Column = Sequence[str] | Coded


def via(column: Column, lookup: Callable[[str], int]) -> I8:
    """A column of strings (or a dictionary-encoded one) as the codes ``lookup`` gives."""
    if isinstance(column, Coded):
        return column.via(lookup)
    return np.fromiter(map(lookup, column), np.int64, count=len(column))
