"""Who may read a marked piece of intelligence inside Outrider, as a pure core: deny unless allowed.

A marking (TLP 2.0) says how far an object may travel; reading it on Outrider's own pages, API or command
line is a disclosure to the reader's organisation as much as a release is. So an organisation reads what
it could receive:

- the **holder** (the founding host-security organisation, whose intelligence it is) reads everything it
  holds: what a partner sent it `TLP:AMBER+STRICT` is "within the recipient's organisation";
- every other organisation reads up to `TLP:AMBER` (its default: the holder's clients and partners in the
  joint arrangement, on a need-to-know basis, as intelligence was always read), or up to the highest
  marking of its own agreed release policy when that is higher;
- an object kept to **need-to-know groups** is read outside the holder only by an organisation whose
  agreed policy names one of them;
- what came **from a partner** marked `TLP:AMBER+STRICT` or `TLP:RED` stays within the receiving
  organisation: no other organisation reads it, whatever its policy (the partner that sent it reads it
  back, as far as its own ceiling goes: ``imported`` is False for it).
"""

from __future__ import annotations

from dataclasses import dataclass

from outrider.sharing.markings import Tlp

# The highest marking an organisation without a policy saying more reads (the holder's clients' level).
CLIENT_CEILING = Tlp.amber
# An import marked at or above this stays within the organisation that received it.
RECEIVER_ONLY = Tlp.amber_strict


@dataclass(frozen=True, slots=True)
class Reader:
    """What the reader's organisation may read: all (the holder), or up to a ceiling and in some groups."""

    holder: bool
    ceiling: Tlp = CLIENT_CEILING
    groups: frozenset[str] = frozenset()


def reader(
    *, holder: bool, policy_max: Tlp | None = None, policy_groups: frozenset[str] = frozenset()
) -> Reader:
    """The reader of an organisation: the holder, or one with its agreed policy's terms (if any)."""
    if holder:
        return Reader(holder=True, ceiling=Tlp.red)
    ceiling = max(CLIENT_CEILING, policy_max) if policy_max is not None else CLIENT_CEILING
    return Reader(holder=False, ceiling=ceiling, groups=policy_groups)


def refusal(marking: Tlp, ntk_groups: frozenset[str], *, imported: bool, who: Reader) -> str | None:
    """Why ``who`` may not read an object so marked (None when it may): the words a withheld text shows.

    The reason names the marking, never the need-to-know groups (their names tell what they are about)."""
    if who.holder:
        return None
    if imported and marking >= RECEIVER_ONLY:
        return f"withheld: marked {marking.label}, for the receiving organisation only"
    if marking > who.ceiling:
        return f"withheld: marked {marking.label}"
    if ntk_groups and not ntk_groups & who.groups:
        return f"withheld: marked {marking.label}, kept to need-to-know groups"
    return None


def readable_labels(who: Reader, *, imported: bool) -> tuple[str, ...]:
    """The marking labels ``who`` reads on an object of ours (``imported`` False) or a partner's."""
    top = min(who.ceiling, Tlp(RECEIVER_ONLY - 1)) if imported and not who.holder else who.ceiling
    return tuple(t.label for t in Tlp if t <= top)
