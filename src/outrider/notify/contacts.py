"""A user's contact points: added, verified by a code sent to them, disabled; each change audited.

A code is 6 digits, kept hashed, good for 15 minutes and 5 tries; a point is used by the plans only once
verified and while enabled. Only its owner manages a contact point (an administrator cannot route someone
else's calls to an address of their choosing).

Codes are bounded (``code_quota``): 3 an hour to one point, 10 a day for one user, 5 a day to one address
whoever asks. A code past a bound is refused (429, ``Retry-After``) and the refusal is audited once the
request has rolled back; nothing is sent and no point is added. Counting the codes sent and recording a new
one are one turn per user and per address (``_take_turn``): two requests at once cannot both count five.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import struct
from collections import defaultdict
from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session

from outrider import db
from outrider.access.policy import Caller
from outrider.audit import service as audit_service
from outrider.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from outrider.notify import code_quota, outbox
from outrider.notify.channels import addresses
from outrider.notify.directory_models import ContactPoint
from outrider.notify.models import Notification

CODE_TTL = timedelta(minutes=15)
MAX_TRIES = 5
# Codes cost a message each (an SMS costs money): a user keeps at most so many points, and asks for a new
# code at most once a minute.
MAX_POINTS = 10
RESEND_AFTER = timedelta(minutes=1)
VERIFY = "verify"  # the outbox purpose of a code: the outbox is where codes sent are counted
THROTTLED = "verification_codes_throttled"  # the refusal's problem+json `code`
REFUSED_AUDIT = "notify.contact.code_refused"


def _hash(point_id: int, code: str) -> str:
    return hashlib.sha256(f"{point_id}:{code}".encode()).hexdigest()


def normalised(channel: str, address: str) -> str:
    """The address as it will be used, or InvalidInput beside ``address``."""
    if channel == "email":
        return addresses.email_address(address)
    if channel == "sms":
        return addresses.phone_number(address)
    raise InvalidInput("unknown channel", errors=[{"loc": ["channel"], "msg": "email or sms"}])


def _audit(session: Session, caller: Caller, action: str, point: ContactPoint, now: datetime) -> None:
    # The address stays out of the chain: it is personal, and the point's id names it for those who may see.
    audit_service.record(
        session,
        actor=caller,
        action=action,
        object_type="contact_point",
        object_id=point.id,
        details={"channel": point.channel, "user_id": point.user_id},
        now=now,
    )


def _send_code(session: Session, caller: Caller, point: ContactPoint, now: datetime) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    point.code_hash = _hash(point.id, code)
    point.code_expires_at = now + CODE_TTL
    point.code_attempts = 0
    text = f"Your Outrider verification code is {code}. It expires in 15 minutes."
    outbox.enqueue(
        session,
        purpose=VERIFY,
        channel=point.channel,
        address=point.address,
        target=outbox.user_target(point.user_id),
        user_id=point.user_id,
        organization_id=caller.organization_id,
        body={"subject": "Outrider verification code", "text": text, "code": code},
        now=now,
    )
    session.flush()


def _take_turn(session: Session, *subject: object) -> None:
    """Hold the subject's turn until the transaction ends: the codes a request counts are then the codes
    sent, none counted by two requests at once. On PostgreSQL an advisory lock keyed on the subject (read
    committed: without it two requests counted before either recorded its code); on SQLite the write turn,
    which serialises every writer. A user's turn is taken before an address's, never the other way."""
    if session.get_bind().dialect.name != "postgresql":
        db.write_turn(session)
        return
    digest = hashlib.blake2b(repr(("verification_code", *subject)).encode(), digest_size=8).digest()
    key = struct.unpack(">q", digest)[0]  # a signed 64-bit key; two subjects that share one only wait
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def add(session: Session, *, caller: Caller, channel: str, address: str, now: datetime) -> ContactPoint:
    """Add a contact point of the caller's and send it a code (a disabled one of the same address comes
    back, unverified); the same enabled address twice is a conflict."""
    value = normalised(channel, address)
    _take_turn(session, "user", caller.user_id)
    _take_turn(session, "address", channel, value)
    point = session.scalar(
        select(ContactPoint).where(
            ContactPoint.user_id == caller.user_id,
            ContactPoint.channel == channel,
            ContactPoint.address == value,
        )
    )
    if point is not None and point.disabled_at is None:
        raise Conflict(f"you already have this {channel} contact point (id {point.id})")
    enabled = session.scalar(
        select(func.count())
        .select_from(ContactPoint)
        .where(ContactPoint.user_id == caller.user_id, ContactPoint.disabled_at.is_(None))
    )
    if int(enabled or 0) >= MAX_POINTS:
        raise Conflict(f"you have {MAX_POINTS} contact points: disable one before adding another")
    if point is not None:
        _not_too_soon(point, now)
    _within_bounds(session, caller, point, channel, value, now)
    if point is None:
        point = ContactPoint(user_id=caller.user_id, channel=channel, address=value, created_at=now)
        session.add(point)
        session.flush()
    point.disabled_at, point.verified_at = None, None
    _send_code(session, caller, point, now)
    _audit(session, caller, "notify.contact.add", point, now)
    return point


def _not_too_soon(point: ContactPoint, now: datetime) -> None:
    if point.code_expires_at is not None and now < point.code_expires_at - CODE_TTL + RESEND_AFTER:
        raise Conflict("a code was sent less than a minute ago: wait for it, or ask again in a minute")


def codes_sent(
    session: Session, *, user_id: int, channel: str, address: str, now: datetime
) -> dict[str, list[datetime]]:
    """When codes went out within the longest bound's window, per scope of ``code_quota``: to this
    address from this user (the point), from this user to any address, and to this address from anyone
    (found through the users who added it: one indexed read of the outbox by user)."""
    adders = select(ContactPoint.user_id).where(
        ContactPoint.channel == channel, ContactPoint.address == address
    )
    to_address = and_(
        Notification.user_id.in_(adders), Notification.channel == channel, Notification.address == address
    )
    rows = session.execute(
        select(
            Notification.user_id, Notification.channel, Notification.address, Notification.created_at
        ).where(
            Notification.purpose == VERIFY,
            Notification.created_at > now - code_quota.LONGEST,
            or_(Notification.user_id == user_id, to_address),
        )
    ).all()
    same = [(uid, at) for uid, ch, addr, at in rows if (ch, addr) == (channel, address)]
    return {
        code_quota.POINT: [at for uid, at in same if uid == user_id],
        code_quota.USER: [at for uid, _ch, _addr, at in rows if uid == user_id],
        code_quota.ADDRESS: [at for _uid, at in same],
    }


def _within_bounds(
    session: Session, caller: Caller, point: ContactPoint | None, channel: str, address: str, now: datetime
) -> None:
    sent = codes_sent(session, user_id=caller.user_id, channel=channel, address=address, now=now)
    found = code_quota.refusal(sent, now)
    if found is None:
        return
    # the minute shown is never before the bound lifts
    until = (found.until + timedelta(seconds=59, microseconds=999_999)).isoformat(timespec="minutes")
    point_id = point.id if point is not None else None

    def keep(session: Session) -> None:  # the refusal is kept though the request rolls back
        audit_service.record(
            session,
            actor=caller,
            action=REFUSED_AUDIT,
            object_type="contact_point",
            object_id=point_id if point_id is not None else "new",
            details={
                "channel": channel,
                "user_id": caller.user_id,
                "bound": found.bound.scope,
                "until": until,
            },
            now=now,
        )

    msg = f"too many verification codes ({found.bound.says}): ask again after {until}"
    raise TooManyRequests(
        msg,
        errors=[{"loc": ["address"], "msg": msg}],
        after_rollback=keep,
        code=THROTTLED,
        retry_after=max(1, int((found.until - now).total_seconds())),
    )


def own(session: Session, *, caller: Caller, contact_id: int) -> ContactPoint:
    """One of the caller's contact points (another's answers 404, as a missing one)."""
    point = session.get(ContactPoint, contact_id)
    if point is None or point.user_id != caller.user_id:
        raise NotFound(f"contact point {contact_id} not found")
    return point


def resend(session: Session, *, caller: Caller, contact_id: int, now: datetime) -> ContactPoint:
    """A new code for an unverified contact point (the old one stops working, the tries start again)."""
    _take_turn(session, "user", caller.user_id)  # before the point is read: its last code is current
    point = own(session, caller=caller, contact_id=contact_id)
    _take_turn(session, "address", point.channel, point.address)
    if point.disabled_at is not None or point.verified_at is not None:
        raise Conflict(f"contact point {point.id} is {'disabled' if point.disabled_at else 'verified'}")
    _not_too_soon(point, now)
    _within_bounds(session, caller, point, point.channel, point.address, now)
    _send_code(session, caller, point, now)
    _audit(session, caller, "notify.contact.code", point, now)
    return point


def _count_try(point_id: int) -> Callable[[Session], None]:
    def record(session: Session) -> None:
        row = session.get(ContactPoint, point_id)
        if row is not None:
            row.code_attempts += 1

    return record


def verify(session: Session, *, caller: Caller, contact_id: int, code: str, now: datetime) -> ContactPoint:
    """Mark a contact point verified by its code; a wrong code counts a try (kept though refused)."""
    point = own(session, caller=caller, contact_id=contact_id)
    if point.disabled_at is not None:
        raise Conflict(f"contact point {point.id} is disabled")
    if point.verified_at is not None:
        raise Conflict(f"contact point {point.id} is already verified")

    def bad(msg: str, after_rollback: Callable[[Session], None] | None = None) -> InvalidInput:
        errors = [{"loc": ["code"], "msg": msg}]
        return InvalidInput(f"code: {msg}", errors=errors, after_rollback=after_rollback)

    if point.code_attempts >= MAX_TRIES:
        raise bad("too many tries: ask for a new code")
    if point.code_expires_at is None or now >= point.code_expires_at:
        raise bad("the code has expired: ask for a new one")
    if not hmac.compare_digest(point.code_hash, _hash(point.id, code.strip())):
        left = MAX_TRIES - point.code_attempts - 1
        raise bad(f"wrong code ({left} tries left)", after_rollback=_count_try(point.id))
    point.verified_at, point.code_hash, point.code_expires_at = now, "", None
    session.flush()
    _audit(session, caller, "notify.contact.verify", point, now)
    return point


def disable(session: Session, *, caller: Caller, contact_id: int, now: datetime) -> ContactPoint:
    """Stop using a contact point (it stays listed, disabled)."""
    point = own(session, caller=caller, contact_id=contact_id)
    if point.disabled_at is not None:
        raise Conflict(f"contact point {point.id} is already disabled")
    point.disabled_at = now
    session.flush()
    _audit(session, caller, "notify.contact.disable", point, now)
    return point


def list_own(session: Session, *, caller: Caller) -> list[ContactPoint]:
    """The caller's contact points, oldest first."""
    stmt = select(ContactPoint).where(ContactPoint.user_id == caller.user_id).order_by(ContactPoint.id)
    return list(session.scalars(stmt))


def verified(session: Session, user_ids: Collection[int]) -> dict[int, list[tuple[str, str]]]:
    """The verified, enabled contact points of these users: (channel, address) by user."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if not user_ids:
        return found
    stmt = (
        select(ContactPoint.user_id, ContactPoint.channel, ContactPoint.address)
        .where(
            ContactPoint.user_id.in_(sorted(set(user_ids))),
            ContactPoint.verified_at.is_not(None),
            ContactPoint.disabled_at.is_(None),
        )
        .order_by(ContactPoint.id)
    )
    for uid, channel, address in session.execute(stmt):
        found[uid].append((channel, address))
    return found
