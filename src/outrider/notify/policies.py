"""Escalation policies, the pure core: validating one, choosing the one for an alert, resolving it against
who is on duty into the plan frozen with the alert, and which steps of a plan are due at an instant.

A policy's steps are called at ``after_minutes`` since the chain started (strictly increasing). A round is
the steps once; the next round starts when the last step's delay (its minutes after the step before it,
or after the start for a single step) has passed again, so a round lasts ``last + (last - previous)``
minutes; ``repeat`` more rounds follow the first. An expired acknowledgement or a reopening starts the next
round at once (`restart`), a whole round even when the repeats were spent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from outrider.alerts.schemas import SEVERITY_RANK, Severity
from outrider.errors import InvalidInput

CHANNELS = ("email", "sms", "webhook")
PERSON_CHANNELS = frozenset({"email", "sms"})
ROLES = frozenset({"admin", "coordinator", "duty_officer", "liaison", "auditor", "analyst"})
MAX_REPEAT = 10
MAX_MINUTES = 7 * 24 * 60
MAX_TARGETS = 50

Problem = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Candidate:
    """What choosing a policy reads of one active policy version."""

    id: int
    organization_id: int | None
    kinds: tuple[str, ...]
    min_severity: str


def _target_problems(target: Any, loc: list[str | int]) -> list[Problem]:
    if not isinstance(target, dict) or len(target) != 1:
        return [{"loc": loc, "msg": "a target is one of {roster: name}, {role: name}, {user_id: id}"}]
    ((key, value),) = target.items()
    if key == "roster" and isinstance(value, str) and value.strip():
        return []
    if key == "role" and value in ROLES:
        return []
    if key == "role":
        return [{"loc": [*loc, "role"], "msg": f"unknown role; one of {', '.join(sorted(ROLES))}"}]
    if key == "user_id" and isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31:
        return []
    return [{"loc": loc, "msg": "a target is one of {roster: name}, {role: name}, {user_id: id}"}]


def _step_problems(i: int, step: Any, before: int | None) -> list[Problem]:
    loc: list[str | int] = ["steps", i]
    if not isinstance(step, dict):
        return [{"loc": loc, "msg": "a step is an object with after_minutes, channels and targets"}]
    out: list[Problem] = []
    minutes = step.get("after_minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= MAX_MINUTES:
        out.append({"loc": [*loc, "after_minutes"], "msg": f"a whole number of minutes, 0 to {MAX_MINUTES}"})
    elif before is not None and minutes <= before:
        out.append(
            {"loc": [*loc, "after_minutes"], "msg": f"must be later than the step before ({before} min)"}
        )
    channels = step.get("channels")
    if not isinstance(channels, list) or not channels:
        out.append({"loc": [*loc, "channels"], "msg": f"at least one of {', '.join(CHANNELS)}"})
    elif any(c not in CHANNELS for c in channels) or len(set(channels)) != len(channels):
        out.append({"loc": [*loc, "channels"], "msg": f"each once, of {', '.join(CHANNELS)}"})
    targets = step.get("targets")
    if not isinstance(targets, list) or not targets:
        out.append({"loc": [*loc, "targets"], "msg": "at least one target (a roster, a role or a user)"})
    elif len(targets) > MAX_TARGETS:
        out.append({"loc": [*loc, "targets"], "msg": f"at most {MAX_TARGETS} targets"})
    else:
        for j, target in enumerate(targets):
            out.extend(_target_problems(target, [*loc, "targets", j]))
    extra = set(step) - {"after_minutes", "channels", "targets"}
    if extra:
        out.append({"loc": loc, "msg": f"unknown fields: {', '.join(sorted(extra))}"})
    return out


def validate(steps: Any, repeat: Any) -> list[dict[str, Any]]:
    """The steps of a valid policy, normalised; InvalidInput naming every problem beside its field."""
    problems: list[Problem] = []
    if not isinstance(steps, list) or not steps:
        problems.append({"loc": ["steps"], "msg": "a policy needs at least one step"})
        steps = []
    before: int | None = None
    for i, step in enumerate(steps):
        problems.extend(_step_problems(i, step, before))
        minutes = step.get("after_minutes") if isinstance(step, dict) else None
        if isinstance(minutes, int) and not isinstance(minutes, bool):
            before = minutes if before is None else max(before, minutes)
    if not isinstance(repeat, int) or isinstance(repeat, bool) or not 0 <= repeat <= MAX_REPEAT:
        problems.append({"loc": ["repeat"], "msg": f"a whole number from 0 to {MAX_REPEAT}"})
    elif repeat and not problems and round_minutes([s["after_minutes"] for s in steps]) == 0:
        problems.append({"loc": ["repeat"], "msg": "a policy that repeats needs its last step after 0 min"})
    if problems:
        raise InvalidInput("the escalation policy is invalid", errors=problems)
    return [
        {"after_minutes": s["after_minutes"], "channels": list(s["channels"]), "targets": list(s["targets"])}
        for s in steps
    ]


def from_arrangement(escalation: Iterable[tuple[int, Sequence[str]]]) -> list[dict[str, Any]]:
    """The joint arrangement's escalation (minutes, roles) as a policy's steps, on every channel."""
    return [
        {"after_minutes": m, "channels": list(CHANNELS), "targets": [{"role": r} for r in roles]}
        for m, roles in escalation
    ]


def _matches(c: Candidate, kind: str, severity: str) -> bool:
    return (not c.kinds or kind in c.kinds) and SEVERITY_RANK[Severity(severity)] >= SEVERITY_RANK[
        Severity(c.min_severity)
    ]


def choose(
    candidates: Iterable[Candidate], *, organization_id: int | None, kind: str, severity: str
) -> Candidate | None:
    """The policy for an alert: the owner organisation's matching policy, most specific first (naming the
    kind before any kind, then the higher minimum severity, then the older); else the joint default."""
    pool = [c for c in candidates if _matches(c, kind, severity)]

    def specific(c: Candidate) -> tuple[int, int, int]:
        return (0 if c.kinds else 1, -SEVERITY_RANK[Severity(c.min_severity)], c.id)

    own = sorted(
        (c for c in pool if organization_id is not None and c.organization_id == organization_id),
        key=specific,
    )
    if own:
        return own[0]
    joint = sorted((c for c in pool if c.organization_id is None), key=specific)
    return joint[0] if joint else None


def resolve(
    steps: Sequence[Mapping[str, Any]],
    *,
    on_duty_by_roster: Mapping[str, Sequence[int]],
    users_by_role: Mapping[str, Sequence[int]],
    users: Iterable[int],
    webhooks: Sequence[int],
) -> list[dict[str, Any]]:
    """The policy's steps resolved at one instant: who each step calls (on duty on its rosters, holding its
    roles, named and active: ``users``), each person once per step, and the webhook endpoints it posts to."""
    known = set(users)
    frozen: list[dict[str, Any]] = []
    for n, step in enumerate(steps, start=1):
        targets: list[dict[str, Any]] = []
        seen: set[int] = set()
        for target in step["targets"]:
            found: Sequence[int]
            if "roster" in target:
                found, via = on_duty_by_roster.get(target["roster"], ()), f"roster:{target['roster']}"
            elif "role" in target:
                found, via = users_by_role.get(target["role"], ()), f"role:{target['role']}"
            else:
                uid = int(target["user_id"])
                found, via = ((uid,) if uid in known else ()), "user"
            for uid in found:
                if uid not in seen:
                    seen.add(uid)
                    targets.append({"user_id": uid, "via": via})
        frozen.append(
            {
                "step": n,
                "after_minutes": int(step["after_minutes"]),
                "channels": list(step["channels"]),
                "targets": targets,
                "webhooks": list(webhooks) if "webhook" in step["channels"] else [],
            }
        )
    return frozen


def round_minutes(after: Sequence[int]) -> int:
    """How long a round lasts: the last step's minutes plus its delay after the step before it."""
    last = after[-1]
    previous = after[-2] if len(after) > 1 else 0
    return last + (last - previous)


def due_calls(
    after: Sequence[int],
    *,
    repeat: int,
    started_at: datetime,
    last: tuple[int, int],
    now: datetime,
) -> list[tuple[int, int]]:
    """The (round, step) pairs due at ``now`` after ``last`` (the last called), in order: rounds 0 to
    ``repeat``, or the round ``last`` is in when a restart took it past them."""
    if not after:
        return []
    period = round_minutes(after)
    last_round, last_step = last
    out: list[tuple[int, int]] = []
    for rnd in range(last_round, max(repeat, last_round) + 1):
        for n, minutes in enumerate(after, start=1):
            if (rnd, n) <= (last_round, last_step):
                continue
            if started_at + timedelta(minutes=rnd * period + minutes) > now:
                return out
            out.append((rnd, n))
    return out


def restart(after: Sequence[int], *, last_round: int, now: datetime) -> tuple[datetime, int, int]:
    """A chain called again from now (an acknowledgement lapsed, the alert reopened): the new start, and
    the (round, step) to count as called, so that the next round's first step is due at its minutes."""
    nxt = last_round + 1
    return now - timedelta(minutes=nxt * round_minutes(after)), nxt, 0
