"""Every user-visible domain word in the reader's language: each member of each domain vocabulary (taken
from the domain's enums, literals and sources at test time) has a label that both catalogs translate, and
every alert kind raised anywhere has a title template in the detector's words. The titles themselves are
tried in `test_web_alert_titles.py`, the demo's pages in Chinese and Urdu in
`test_web_vocabulary_pages.py`."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path
from typing import get_args

import pytest

from outrider.access.need_to_know import Relationship
from outrider.accounts.schemas import OrgKind, Role
from outrider.alerts.schemas import Severity
from outrider.cordon.alert_desk import ALERT_ITINERARY_FIELDS
from outrider.intel.schemas import AttackType, DatePrecision, TargetType, Weapon
from outrider.movements.board import BOARD_FIELDS
from outrider.movements.field import FIELD_FIELDS
from outrider.movements.lifecycle import Status
from outrider.movements.overdue import Reason
from outrider.movements.schemas import ATTACK_TYPES, CheckInStatus
from outrider.movements.service import ITINERARY_FIELDS
from outrider.protocols import document, engine
from outrider.registry.schemas import SiteKind, VehicleKind
from outrider.risk.parameters import LEVEL_NAMES
from outrider.web import i18n, vocabulary
from outrider.web.alert_titles import NOTES, TITLES
from outrider.web.vocabulary import VOCABULARIES

SRC = Path(vocabulary.__file__).resolve().parents[1]
CATALOGS = ("zh_Hans", "ur")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

# The domain's own lists, read here and not from the vocabulary module: a member added to one of them fails
# the test until the vocabulary labels it and both catalogs translate the label.
DOMAIN: dict[str, tuple[str, ...]] = {
    "movement_status": tuple(Status),
    "severity": tuple(Severity),
    "checkin_status": tuple(CheckInStatus),
    "overdue_reason": tuple(Reason),
    "role": tuple(Role),
    "relationship": tuple(Relationship),
    "org_kind": tuple(OrgKind),
    "attack_type": (*AttackType, *ATTACK_TYPES),
    "weapon": tuple(Weapon),
    "target_type": tuple(TargetType),
    "date_precision": tuple(DatePrecision),
    "rule_outcome": get_args(engine.Outcome),
    "rule_severity": get_args(document.Severity),
    "rule_phase": (*get_args(document.Phase), *get_args(engine.EvalPhase)),
    "risk_level": LEVEL_NAMES,
    "site_kind": tuple(SiteKind),
    "vehicle_kind": tuple(VehicleKind),
    "itinerary_field": (*ITINERARY_FIELDS, *BOARD_FIELDS, *FIELD_FIELDS, *ALERT_ITINERARY_FIELDS),
}


def _catalog(name: str) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in i18n.read_catalog(name) if m.id and m.string}


@pytest.fixture(scope="module")
def catalogs() -> dict[str, dict[str, str]]:
    return {name: _catalog(name) for name in CATALOGS}


def _untranslated(catalogs: dict[str, dict[str, str]], english: str) -> list[str]:
    return [name for name, found in catalogs.items() if not found.get(english) or found[english] == english]


# --- what the sources raise and record ------------------------------------------------------------------


# Only the modules that call one of these are parsed (reading the rest would only cost time).
_CALLS = (
    "raise_alert",
    "raise_about_movement",
    "raise_on",
    "event(",
    "CordonAlert(",
    "_decided(",
    "channel=",
)
_CONSTANT = re.compile(r'^([A-Z][A-Z0-9_]*)(?:: *str)? *= *"([^"\\]*)"', re.M)


@cache
def _texts() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sorted(SRC.rglob("*.py"))}


@cache
def _sources() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(text)) for path, text in _texts().items() if any(c in text for c in _CALLS)]


def _constants() -> dict[str, set[str]]:
    """Module-level ``NAME = "text"`` constants of every module, by name."""
    found: dict[str, set[str]] = {}
    for text in _texts().values():
        for name, value in _CONSTANT.findall(text):
            found.setdefault(name, set()).add(value)
    return found


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _argument(call: ast.Call, keyword: str, position: int) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[position] if len(call.args) > position else None


RAISERS = {"raise_alert": 99, "raise_about_movement": 99, "raise_on": 2}
# the raisers that pass on a ``kind`` given to them: raise_about_movement and raise_on (their callers are
# scanned) and the cordon's ``cordon_<kind>`` (its kinds are the CordonAlert kinds its rules build)
PASSERS = (("alerts", "service.py"), ("movements", "tracking.py"), ("cordon", "service.py"))


def raised_alert_kinds() -> set[str]:
    """Every alert kind the sources raise: literals, module constants, and the cordon's ``cordon_<kind>``
    for each kind its rules build; any other expression fails (the scan must learn it)."""
    constants, kinds, unknown = _constants(), set(), []
    cordon = {
        str(c.args[0].value)
        for _p, tree in _sources()
        for c in ast.walk(tree)
        if isinstance(c, ast.Call)
        and _name(c) == "CordonAlert"
        and c.args
        and isinstance(c.args[0], ast.Constant)
    }
    for path, tree in _sources():
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n) in RAISERS):
            kind = _argument(call, "kind", RAISERS[_name(call)])
            if isinstance(kind, ast.Constant):
                kinds.add(str(kind.value))
            elif isinstance(kind, ast.Name) and len(constants.get(kind.id, ())) == 1:
                kinds |= constants[kind.id]
            elif isinstance(kind, ast.Name) and kind.id == "kind" and path.parts[-2:] in PASSERS:
                continue  # a raiser passing on its own ``kind`` (raise_on; the cordon's cordon_<kind>)
            else:
                unknown.append(f"{path.name}:{call.lineno}")
    assert not unknown, f"alert kinds the scan cannot read: {unknown}"
    return kinds | {f"cordon_{k}" for k in cordon}


def recorded_timeline_kinds() -> set[str]:
    """Every kind of timeline event the sources record through `movements.service.event` (and the waivers'
    `_waiver_event`); the approvals record their decision (approve, reject, request_changes)."""
    constants, kinds, unknown = _constants(), set(), []
    for path, tree in _sources():
        for call in (
            n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n) in ("event", "_waiver_event")
        ):
            kind = _argument(call, "kind", 2 if _name(call) == "event" else 3)
            if len(call.args) < 3 or path.parts[-2] not in ("movements", "protocols"):
                continue  # another function called ``event`` (intelligence events, the CLI)
            if isinstance(kind, ast.Constant):
                kinds.add(str(kind.value))
            elif isinstance(kind, ast.Name) and len(constants.get(kind.id, ())) == 1:
                kinds |= constants[kind.id]
            elif isinstance(kind, ast.Name) and kind.id == "decision":
                kinds |= {"approve", "reject", "request_changes"}
            elif not (isinstance(kind, ast.Name) and kind.id == "kind" and path.name == "waivers.py"):
                unknown.append(f"{path.name}:{call.lineno}")
    assert not unknown, f"timeline kinds the scan cannot read: {unknown}"
    return kinds


def _strings(node: ast.expr) -> set[str]:
    """The texts an argument may be: a literal, or either branch of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    raise AssertionError(f"the scan cannot read {ast.unparse(node)}")


def recorded_review_actions() -> set[str]:
    """Every decision an analyst's review records (`intel.review`: ``_decided`` and ``_reviewed``)."""
    found: set[str] = set()
    tree = next(t for p, t in _sources() if p.parent.name == "intel" and p.name == "review.py")
    for call in (
        n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n) in ("_decided", "_reviewed")
    ):
        action = call.args[2 if _name(call) == "_decided" else 3]
        if not (isinstance(action, ast.Name) and action.id == "action"):  # passed on by _reviewed
            found |= _strings(action)
    return found


# --- every member labelled, every label translated --------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DOMAIN))
def test_every_member_of_the_domain_has_a_translated_label(
    name: str, catalogs: dict[str, dict[str, str]]
) -> None:
    words = VOCABULARIES[name]
    for member in DOMAIN[name]:
        label = words.label(member)
        assert label, f"{name}: {member!r} has no label in web/vocabulary.py"
        assert not _untranslated(catalogs, label), f"{name}: {label!r} is not translated"


def test_every_vocabulary_labels_all_its_members_and_both_catalogs_translate_them(
    catalogs: dict[str, dict[str, str]],
) -> None:
    missing = [f"{v.name}: {m}" for v in VOCABULARIES.values() for m in v.members if not v.label(m)]
    assert not missing
    untranslated = {
        label: _untranslated(catalogs, label)
        for v in VOCABULARIES.values()
        for label in v.labels.values()
        if _untranslated(catalogs, label)
    }
    assert not untranslated


def test_every_alert_kind_raised_has_a_label_and_a_title_template(
    catalogs: dict[str, dict[str, str]],
) -> None:
    kinds = raised_alert_kinds()
    assert {"movement_overdue", "risk_rising", "cordon_dwell", "protocol_waiver_withdrawn"} <= kinds
    for kind in kinds:
        assert VOCABULARIES["alert_kind"].label(kind), f"alert kind {kind!r} has no label"
        assert f"alert_{kind}" in VOCABULARIES["timeline"].members
        assert kind in TITLES, f"alert kind {kind!r} has no title template in web/alert_titles.py"
    for templates in [*TITLES.values(), *NOTES.values()]:  # and the gate's notes in a timeline
        for wording in templates.wordings:
            assert not _untranslated(catalogs, wording), wording
            for name, translated in catalogs.items():
                assert set(PLACEHOLDER.findall(translated[wording])) == set(PLACEHOLDER.findall(wording)), (
                    name
                )


def test_every_timeline_kind_recorded_has_a_label() -> None:
    kinds = recorded_timeline_kinds()
    assert {"planned", "approve", "protocol_checked", "waiver_withdrawn"} <= kinds
    members = set(VOCABULARIES["timeline"].members)
    assert kinds <= members, sorted(kinds - members)
    assert {f"checkin_{s}" for s in CheckInStatus} <= members


def test_every_review_decision_recorded_has_a_label() -> None:
    actions = recorded_review_actions()
    assert {"confirm", "reject", "merge"} <= actions
    assert actions <= set(VOCABULARIES["review_action"].members)


def test_every_channel_a_caller_is_given_has_a_label() -> None:
    given = {
        str(kw.value.value)
        for _p, tree in _sources()
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and _name(call) in ("caller_of", "Caller", "Actor")
        for kw in call.keywords
        if kw.arg == "channel" and isinstance(kw.value, ast.Constant)
    }
    assert {"web", "cli"} <= given
    assert given <= set(VOCABULARIES["channel"].members), given


def test_the_title_templates_keep_the_detectors_words() -> None:
    """Each fixed piece of a title template is written by a detector somewhere in the sources: a detector
    rewording its title fails here (its titles would otherwise stay English)."""
    source = "\n".join(text for path, text in _texts().items() if "web" not in path.parts)
    raised = raised_alert_kinds()  # a template ready for a kind no source raises yet is not held to it
    for kind, templates in [*((k, t) for k, t in TITLES.items() if k in raised), *NOTES.items()]:
        for wording in templates.wordings:
            for piece in PLACEHOLDER.split(wording)[::2]:
                for part in piece.split("; "):  # a title may be written in parts (a dwell: "; ... is due")
                    words = part.strip(" :;()")
                    assert not words or words in source, (kind, words)


def test_the_default_protocols_rule_titles_are_translated_and_other_titles_kept(
    catalogs: dict[str, dict[str, str]],
) -> None:
    titles = vocabulary.default_rule_titles()
    assert len(titles) >= 15
    for rule_id, title in titles.items():
        assert not _untranslated(catalogs, title), rule_id
    zh = i18n.translations("zh-Hans").gettext
    rule_id, title = next(iter(titles.items()))
    assert vocabulary.rule_title(zh, title, rule_id) == catalogs["zh_Hans"][title]
    # the parties' own wording (another title for the id, or another id) is user data: shown as written
    assert vocabulary.rule_title(zh, title + " (amended)", rule_id) == title + " (amended)"
    assert vocabulary.rule_title(zh, title, "their-own-rule") == title
    parties = vocabulary.VOCABULARIES["protocol_party"]
    assert len(parties.members) >= 2 and all(parties.label(p) for p in parties.members)
