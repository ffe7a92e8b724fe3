"""An Atom feed (RFC 4287) of CAP 1.2 messages: one entry per alert, its current CAP message as content.

Pure: values in, XML out. An entry's id is the alert's own URL (the same across its versions) and its
``updated`` the time of the version shown; the content is ``application/cap+xml``, the CAP ``<alert>``
element itself, so a CAP reader takes it from the feed without a second request.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from outrider.notify.cap import CapAlert, cap_element, one_line, xml_text

ATOM_NS = "http://www.w3.org/2005/Atom"
# Atom as the default namespace of what ElementTree writes (its default_namespace option refuses the
# unqualified attributes Atom uses); CAP keeps its "cap" prefix inside the entries.
ET.register_namespace("", ATOM_NS)
CAP_MEDIA_TYPE = "application/cap+xml"
ATOM_MEDIA_TYPE = "application/atom+xml"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One alert of the feed: its CAP message and the URL that names it."""

    cap: CapAlert
    url: str


def atom_time(value: datetime) -> str:
    """An RFC 3339 time in UTC, as Atom's date constructs take it."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}", attributes)
    if text is not None:
        child.text = xml_text(text)
    return child


def _entry(feed: ET.Element, entry: FeedEntry, *, sender: str, deployment: str) -> None:
    node = _add(feed, "entry")
    _add(node, "id", entry.url)
    _add(node, "title", one_line(entry.cap.title))
    _add(node, "updated", atom_time(entry.cap.sent))
    _add(node, "link", rel="alternate", href=entry.url)
    _add(node, "category", term=entry.cap.severity, label="severity")
    _add(node, "summary", one_line(entry.cap.title))
    content = _add(node, "content", type=CAP_MEDIA_TYPE)
    content.append(cap_element(entry.cap, sender=sender, deployment=deployment))


def atom_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    updated: datetime,
    entries: Sequence[FeedEntry],
    sender: str,
    deployment: str,
) -> bytes:
    """The feed document (UTF-8): newest change first; ``updated`` is the latest change, or ``updated``
    itself when there is no entry."""
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _add(feed, "id", feed_id)
    _add(feed, "title", title)
    latest = max((e.cap.sent for e in entries), default=updated)
    _add(feed, "updated", atom_time(latest))
    _add(feed, "link", rel="self", href=self_url, type=ATOM_MEDIA_TYPE)
    author = _add(feed, "author")
    _add(author, "name", "Outrider")
    _add(feed, "generator", "Outrider")
    for entry in sorted(entries, key=lambda e: (e.cap.sent, e.cap.alert_id), reverse=True):
        _entry(feed, entry, sender=sender, deployment=deployment)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
