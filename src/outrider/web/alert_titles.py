"""Alert titles (and the sentences the system writes in a timeline or a refusal) in the reader's language.

A stored title stays English (the API and the audit keep it as the detector wrote it). For the pages, each
alert kind has the detector's wording as a template with named placeholders (the msgid the catalogs
translate); the values are read back from the title as the reader may see it, that is after the
need-to-know redaction of `alerts.views`, so a translated title never tells more than the English one.
Words of a vocabulary inside a title (an overdue reason, a risk level) are translated too. A title that
matches none of its kind's templates (an older wording, a kind without one) is shown as stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

from outrider.alerts.views import HIDDEN_MOVEMENT
from outrider.movements.checkin_events import SOS_KIND
from outrider.movements.field_pin_throttle import LOCK_KIND as PIN_LOCK_KIND
from outrider.movements.tracking import DURESS, INCIDENT, OFF_ROUTE, OVERDUE
from outrider.notify.drills import DRILL
from outrider.protocols.compliance import BREACH_ALERT
from outrider.protocols.refusals import ACTS
from outrider.web.i18n import N_
from outrider.web.vocabulary import Gettext, term

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
N_("a protected movement")  # HIDDEN_MOVEMENT, where a redacted title names one


@dataclass(frozen=True)
class TitleTemplates:
    """The wordings of one alert kind's title (most specific first) and the placeholders that hold a
    vocabulary's member: placeholder -> (vocabulary, how the title spells a member -> the member)."""

    wordings: tuple[str, ...]
    terms: Mapping[str, tuple[str, Callable[[str], str]]] = field(default_factory=dict)


def _same(value: str) -> str:
    return value


def _underscored(value: str) -> str:
    return value.replace(" ", "_")


TITLES: Mapping[str, TitleTemplates] = {
    OVERDUE: TitleTemplates(
        (N_("%(reference)s: overdue (%(reason)s)"),), {"reason": ("overdue_reason", _underscored)}
    ),
    OFF_ROUTE: TitleTemplates((N_("%(reference)s: check-in %(km)s km off the planned route"),)),
    DURESS: TitleTemplates((N_("%(reference)s: duress signal from the escort"),)),
    INCIDENT: TitleTemplates((N_("%(reference)s: incident reported"),)),
    SOS_KIND: TitleTemplates((N_("%(reference)s: SOS"),)),
    "risk_rising": TitleTemplates(
        (N_("%(reference)s: route risk rose from %(previous)s to %(level)s"),),
        {"previous": ("risk_level", _same), "level": ("risk_level", _same)},
    ),
    BREACH_ALERT: TitleTemplates((N_("%(reference)s: agreed protocol not followed (%(rules)s)"),)),
    "protocol_waiver_withdrawn": TitleTemplates(
        (N_("waiver of %(rule)s withdrawn for %(reference)s: re-check before it moves"),)
    ),
    "cordon_dwell": TitleTemplates(
        (
            N_(
                "%(plate)s has been inside the outer cordon for %(minutes)s min without inspection; "
                "a protected movement is due"
            ),
            N_("%(plate)s has been inside the outer cordon for %(minutes)s min without inspection"),
        )
    ),
    "cordon_loiter": TitleTemplates(
        (N_("%(plate)s seen %(count)s times along a planned route before the movement"),)
    ),
    "cordon_reconnaissance": TitleTemplates(
        (
            N_(
                "%(plate)s seen near %(count)s protected places within %(hours)s h; "
                "a protected movement between them is due"
            ),
            N_("%(plate)s seen near %(count)s protected places within %(hours)s h"),
        )
    ),
    DRILL: TitleTemplates((N_("EXERCISE: drill of the alert chain of %(organisation)s"),)),
    "commitment_overdue": TitleTemplates(
        (N_("commitment %(id)s (%(title)s) is past its deadline of %(deadline)s"),)
    ),
    PIN_LOCK_KIND: TitleTemplates(
        (N_("%(reference)s: field PINs locked after %(count)s wrong PINs within %(minutes)s minutes"),)
    ),
}


@cache
def _pattern(wording: str) -> re.Pattern[str]:
    """The wording as a pattern that reads its placeholders' values back from a title."""
    parts = _PLACEHOLDER.split(wording)
    # split() alternates text and placeholder names: text, name, text, name, ..., text
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(regex, re.S)


_ACT = {words: act for act, words in ACTS.items()}  # "the route clearance" -> clear

# Sentences the system writes that the pages show, by where they appear: the protocol gate's notes in a
# movement's timeline, by the entry's kind (`protocols.compliance`, `protocols.refusals`), and who can clear
# a rule that holds a movement (`protocols.refusals.who_clears`), why an itinerary is withheld. Any other
# note is a person's text.
NOTES: Mapping[str, TitleTemplates] = {
    "protocol_checked": TitleTemplates(
        (
            N_("no protocol is in force on %(day)s; the gate passes"),
            N_("%(act)s refused by the agreed protocol; the movement did not move on"),
        ),
        {"act": ("gate_act", lambda words: _ACT.get(words, words))},
    ),
    # why a waiver does not count now (`protocols.agreement.waiver_problem`)
    "waiver_problem": TitleTemplates(
        (
            N_("waiver is for another rule, protocol version or movement"),
            N_("waiver withdrawn at %(at)s"),
            N_("waiver lacks approval of %(parties)s"),
            N_("waiver justification shorter than %(n)s characters"),
            N_("waiver expired at %(at)s"),
        ),
        {"parties": ("protocol_party", _same)},
    ),
    # why a movement's itinerary is not shown (`access.need_to_know.itinerary_access`)
    "itinerary_note": TitleTemplates(
        (
            N_("not on the movement's need-to-know list"),
            N_("on the need-to-know list; released at %(release)s"),
        )
    ),
    "who_can_clear": TitleTemplates(
        (
            N_("both parties, by a joint waiver"),
            N_(
                "a duty officer or administrator of %(organisation)s: resolve the alert or record an "
                "override with a reason"
            ),
        )
    ),
}


def alert_title(gettext: Gettext, kind: str, title: str) -> str:
    """An alert's title (as the reader may see it) in the reader's language; as stored when no template of
    its kind matches it."""
    return _translated(gettext, TITLES.get(kind), title)


def system_note(gettext: Gettext, where: str, note: str) -> str:
    """A sentence shown at ``where`` (a timeline entry's kind, ``who_can_clear``) in the reader's language
    when the system wrote it; as written otherwise."""
    return _translated(gettext, NOTES.get(where), note)


def _translated(gettext: Gettext, templates: TitleTemplates | None, title: str) -> str:
    if templates is None or not isinstance(title, str):  # (a missing note stays missing)
        return title
    for wording in templates.wordings:
        found = _pattern(wording).fullmatch(title)
        if found is None:
            continue
        hidden = gettext(HIDDEN_MOVEMENT)
        values = {k: v.replace(HIDDEN_MOVEMENT, hidden) for k, v in found.groupdict().items()}
        for name, (vocabulary, member) in templates.terms.items():
            if name in values:  # the placeholders of this wording; a list is translated item by item
                items = values[name].split(", ")
                values[name] = ", ".join(term(gettext, vocabulary, member(i)) for i in items)
        return gettext(wording) % values
    return title


def filters(gettext: Gettext) -> dict[str, Callable[[str, str], str]]:
    """The template filters of one language: ``{{ a.title | alert_title(a.kind) }}`` and
    ``{{ e.details.note | system_note(e.kind) }}``."""

    def alert_title_filter(title: str, kind: str) -> str:
        return alert_title(gettext, kind, title)

    def system_note_filter(note: str, where: str) -> str:
        return system_note(gettext, where, note)

    return {"alert_title": alert_title_filter, "system_note": system_note_filter}
