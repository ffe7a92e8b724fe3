"""What of the stored events one reader's organisation may count: a risk shown to a reader is computed from
the events its organisation may read, as intelligence shows them (docs/sharing.md, "Who reads marked
intelligence here"), so no score, driver, surface cell or alert tells a reader of an event it may not read.

Risk sits below sharing, which decides who reads what, so the decision comes through a function that the
composition root registers (`risk.reader_rule`): for an organisation, the ids of the events it may not
read (None when it reads every one: the holder). Without it a reader counts no event at all (fail closed).

The holder's index (``stored.current_index``) is shared; a reader for whom some events are withheld gets a
copy without them, built once per holder index and withheld set and kept in a small cache, so a marking
changed without a new incident revision is honoured on the next read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from outrider.risk import stored
from outrider.risk.index import IncidentIndex
from outrider.risk.parameters import RiskParameters
from outrider.risk.reader_rule import withheld_for

_LOCK = threading.Lock()
_KEEP = 8  # reader indexes kept (about 29 MB each for 200,000 incidents): a few organisations' scopes
_readers: OrderedDict[tuple[int, frozenset[str]], tuple[IncidentIndex, IncidentIndex]] = OrderedDict()


@dataclass(frozen=True)
class Sight:
    """The index one reader counts on, the incident-set revision, whether it is the holder's whole index
    (nothing withheld counts now), and whether the reader may read every stored event (so what was stored
    for the holder earlier is the reader's too)."""

    index: IncidentIndex
    revision: int
    whole: bool
    reads_all: bool = False


def sight(session: Session, params: RiskParameters, organization_id: int | None) -> Sight:
    """The index a reader of ``organization_id`` counts on (None: the holder's own, for the jobs)."""
    index, revision = stored.current_index(session, params)
    if organization_id is None:
        return Sight(index, revision, True, True)
    try:
        withheld = _withheld(session, organization_id)
    except LookupError:  # unwired: fail closed, count nothing
        return Sight(IncidentIndex(min_confidence=params.min_confidence), revision, False)
    counting = _counting(index, withheld)
    if not counting:  # nothing withheld counts: the holder's index is the reader's
        return Sight(index, revision, True, not withheld)
    return Sight(reader_index(index, counting), revision, False)


def _counting(index: IncidentIndex, withheld: frozenset[int] | None) -> frozenset[str]:
    return frozenset(i for e in withheld or () if (i := f"ev-{e}") in index)


def counting_withheld(
    session: Session, params: RiskParameters, organization_id: int
) -> frozenset[str] | None:
    """The withheld incidents (by id) that count on the holder's index for a reader of the organisation,
    without building its index (None when unwired: it counts nothing)."""
    index, _revision = stored.current_index(session, params)
    try:
        return _counting(index, _withheld(session, organization_id))
    except LookupError:
        return None


def _withheld(session: Session, organization_id: int) -> frozenset[int] | None:
    """The withheld events, asked once per session and organisation (a page of many movements' levels)."""
    memo: dict[int, frozenset[int] | None] = session.info.setdefault("risk.withheld", {})
    if organization_id not in memo:
        memo[organization_id] = withheld_for(session, organization_id)
    return memo[organization_id]


def counts_for(session: Session, organization_id: int) -> Callable[[int], bool]:
    """Whether an event (by id) counts for a reader of the organisation, for lists of events."""
    try:
        withheld = _withheld(session, organization_id)
    except LookupError:  # unwired: fail closed
        return lambda _event_id: False
    if not withheld:
        return lambda _event_id: True
    return lambda event_id: event_id not in withheld


def reader_index(index: IncidentIndex, withheld: frozenset[str]) -> IncidentIndex:
    """The holder's index without the withheld incidents (by id; cached: one build per index and set)."""
    key = (id(index), withheld)
    with _LOCK:
        found = _readers.get(key)
        if found is not None and found[0] is index:  # the holder index is kept in the entry: ids stay unique
            _readers.move_to_end(key)
            return found[1]
    own = index.copy()
    own.remove(withheld)
    own.rebuild()
    with _LOCK:
        _readers[key] = (index, own)
        while len(_readers) > _KEEP:
            _readers.popitem(last=False)
    return own


def forget() -> None:
    """Drop the cached reader indexes (tests that rebuild databases)."""
    with _LOCK:
        _readers.clear()
