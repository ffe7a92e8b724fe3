"""An alert as a CAP 1.2 message (OASIS Common Alerting Protocol, ``urn:oasis:names:tc:emergency:cap:1.2``).

Pure: plain values in (the title and facts a reader may see, already redacted by the caller), XML out, so
nothing here can show more than it was given. The mapping (docs/alerts.md, "CAP and the Atom feed"):

- ``identifier`` ``outrider:<deployment>:alert:<id>:<version>``; ``status`` Exercise for a drill, else
  Actual; ``msgType`` Alert on the first issue, Update on a change, Cancel when resolved, the two latter
  with ``references`` (``sender,identifier,sent`` of the earlier messages);
- ``scope`` Restricted with a restriction text; one ``info`` in English: category Security, the kind's
  label as ``event``, urgency, severity and certainty from Outrider's severity, the redacted title as
  ``headline``; one ``area``, with a ``circle`` only when the caller passes a position.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ET.register_namespace("cap", CAP_NS)

RESTRICTION = (
    "Outrider need-to-know: for the duty staff of the receiving organisation only; do not forward or publish."
)
UNDISCLOSED_AREA = "Not disclosed to this reader"

# Outrider severity -> (urgency, severity, certainty) of CAP.
SEVERITY_MAP: dict[str, tuple[str, str, str]] = {
    "critical": ("Immediate", "Extreme", "Observed"),
    "high": ("Immediate", "Severe", "Observed"),
    "warning": ("Expected", "Moderate", "Likely"),
    "info": ("Future", "Minor", "Possible"),
}
UNKNOWN = ("Unknown", "Unknown", "Unknown")

# The detectors' kinds in words (a kind not listed is shown as its name, underscores as spaces).
EVENT_LABELS = {
    "movement_overdue": "Protected movement overdue",
    "movement_off_route": "Protected movement off its route",
    "movement_duress": "Duress signal from an escort",
    "movement_incident": "Incident on a protected movement",
    "cordon_dwell": "Vehicle dwelling in a cordon",
    "cordon_loiter": "Vehicle loitering near a protected place",
    "cordon_reconnaissance": "Possible hostile reconnaissance",
    "protocol_breach": "Security protocol breached",
    "protocol_waiver_withdrawn": "Protocol waiver withdrawn",
    "risk_rising": "Risk level rising",
}
# what a CAP identifier or sender may not contain: white space, commas, and the XML-restricted < and &
_NOT_IN_IDENTIFIER = re.compile(r"[\s,<&]+")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class MsgType(StrEnum):
    """The CAP message types Outrider writes."""

    alert = "Alert"
    update = "Update"
    cancel = "Cancel"


@dataclass(frozen=True, slots=True)
class CapReference:
    """An earlier message that an Update or Cancel refers to."""

    sender: str
    identifier: str
    sent: datetime

    def text(self) -> str:
        """``sender,identifier,sent`` as CAP's ``references`` lists it."""
        return f"{self.sender},{self.identifier},{cap_time(self.sent)}"


@dataclass(frozen=True, slots=True)
class CapAlert:
    """What a CAP message of an alert says, as the reader may know it (redacted by the caller)."""

    alert_id: int
    version: int
    kind: str
    severity: str
    title: str
    sent: datetime
    msg_type: MsgType = MsgType.alert
    exercise: bool = False
    description: str = ""
    references: tuple[CapReference, ...] = ()
    area_desc: str = UNDISCLOSED_AREA
    circle: tuple[float, float, float] | None = None  # latitude, longitude (WGS 84), radius in km
    web: str | None = None


def token(value: str, *, fallback: str = "outrider") -> str:
    """A value fit for a CAP identifier or sender: no white space, comma, < or &."""
    cleaned = _NOT_IN_IDENTIFIER.sub("-", value.strip()).strip("-")
    return cleaned or fallback


def identifier(deployment: str, alert_id: int, version: int) -> str:
    """The CAP identifier of one version of an alert's message."""
    return f"outrider:{token(deployment)}:alert:{alert_id}:{version}"


def cap_time(value: datetime) -> str:
    """A time as CAP 1.2 writes it: to the second, with its offset, UTC as ``-00:00`` (never ``Z``)."""
    if value.tzinfo is None:
        raise ValueError("a CAP time needs its time zone")
    text = value.replace(microsecond=0).isoformat()
    return text[:-6] + "-00:00" if value.utcoffset() == UTC.utcoffset(None) else text


def event_label(kind: str) -> str:
    """The words of an alert kind (the CAP ``event``)."""
    return EVENT_LABELS.get(kind) or one_line(kind.replace("_", " ")).capitalize() or "Alert"


def xml_text(value: str) -> str:
    """The text without the characters XML 1.0 cannot carry (control characters, lone surrogates), its
    line ends as a parser reads them back (``\\n``)."""
    return _NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(value: str) -> str:
    """The text on one line, its runs of white space single spaces (a headline, an event)."""
    return " ".join(xml_text(value).split())


def _add(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    child = ET.SubElement(parent, f"{{{CAP_NS}}}{name}")
    if text is not None:
        child.text = xml_text(text)
    return child


def _circle(circle: tuple[float, float, float]) -> str:
    lat, lon, radius = circle
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and radius >= 0):
        raise ValueError("a CAP circle needs a latitude, a longitude and a radius of 0 km or more")
    return f"{lat:.5f},{lon:.5f} {radius:.3f}"


def _info(root: ET.Element, alert: CapAlert) -> None:
    info = _add(root, "info")
    _add(info, "language", "en")
    _add(info, "category", "Security")
    _add(info, "event", event_label(alert.kind))
    if alert.msg_type is MsgType.cancel:
        _add(info, "responseType", "AllClear")
    urgency, severity, certainty = SEVERITY_MAP.get(alert.severity, UNKNOWN)
    for name, value in (("urgency", urgency), ("severity", severity), ("certainty", certainty)):
        _add(info, name, value)
    _add(info, "senderName", "Outrider")
    _add(info, "headline", one_line(alert.title))
    if alert.description:
        _add(info, "description", alert.description)
    if alert.web:
        _add(info, "web", alert.web)
    for name, value in (("outrider-kind", alert.kind), ("outrider-severity", alert.severity)):
        parameter = _add(info, "parameter")
        _add(parameter, "valueName", name)
        _add(parameter, "value", value)
    area = _add(info, "area")
    _add(area, "areaDesc", alert.area_desc or UNDISCLOSED_AREA)
    if alert.circle is not None:
        _add(area, "circle", _circle(alert.circle))


def cap_element(alert: CapAlert, *, sender: str, deployment: str) -> ET.Element:
    """The ``<alert>`` element of a CAP 1.2 message."""
    if alert.msg_type is not MsgType.alert and not alert.references:
        raise ValueError("an Update or Cancel must reference the message it changes")
    root = ET.Element(f"{{{CAP_NS}}}alert")
    _add(root, "identifier", identifier(deployment, alert.alert_id, alert.version))
    _add(root, "sender", token(sender))
    _add(root, "sent", cap_time(alert.sent))
    _add(root, "status", "Exercise" if alert.exercise else "Actual")
    _add(root, "msgType", alert.msg_type.value)
    _add(root, "scope", "Restricted")
    _add(root, "restriction", RESTRICTION)
    if alert.exercise:
        _add(root, "note", "Exercise: a drill of the alert chain, not a real event.")
    if alert.references:
        _add(root, "references", " ".join(r.text() for r in alert.references))
    _info(root, alert)
    return root


def cap_xml(alert: CapAlert, *, sender: str, deployment: str) -> bytes:
    """A CAP 1.2 document (UTF-8, with its XML declaration)."""
    element = cap_element(alert, sender=sender, deployment=deployment)
    document: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=True, default_namespace=CAP_NS)
    return document
