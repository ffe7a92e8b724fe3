"""One event told twice in one report: a table's row or a listing's item and the body's story of it. Pure.

"| 19 Feb | Kunduz | Kunduz city, Sehdarak sq. | IED (sticky bomb) | 4 | 9 |" and, below the table, "THE
KUNDUZ BOMBING. At about 1630 local time on Thursday a magnetic bomb ... exploded": the row is an item (an
event of its own, `items`), the story is told apart from the items, and both are at the same town on the same
day. A report tells one attack at one town on one day once in its body and once in its table; the row's event
joins the story's (the one told first keeps its place in the report's order).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from outrider.intel.extract import Event


def told_once(events: list[Event]) -> list[Event]:
    """The events with each item's event that tells the same town's same day as a story told apart from the
    items merged with that story's event, into the one told first."""
    stories = [ev for ev in events if ev.item is None and _dated_town(ev)]
    if not stories or len(stories) == len(events):
        return events
    pos = {id(ev): k for k, ev in enumerate(events)}
    gone: set[int] = set()
    for ev in events:
        story = next((s for s in stories if id(s) not in gone and ev.item is not None and _same(s, ev)), None)
        if story is None:
            continue
        first, second = (story, ev) if pos[id(story)] < pos[id(ev)] else (ev, story)
        first.mentions = sorted(first.mentions + second.mentions, key=lambda m: m.start)
        gone.add(id(second))
    return [ev for ev in events if id(ev) not in gone]


def _dated_town(ev: Event) -> bool:
    return ev.place is not None and ev.place.name is not None and ev.when.precision == "day"


def _same(story: Event, row: Event) -> bool:
    if not _dated_town(row) or story.place is None or row.place is None:
        return False
    return story.place.name == row.place.name and story.when.value == row.when.value
