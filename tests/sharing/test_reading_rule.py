"""The rule of who reads marked intelligence here (`sharing.reading`), as properties over every marking,
ceiling, group set and origin: the holder reads all; a lower marking or a higher ceiling never refuses more;
what a partner sent TLP:AMBER+STRICT or TLP:RED reaches no other organisation; need-to-know groups need one
in common; the labels the SQL condition uses agree with the rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from outrider.sharing import reading
from outrider.sharing.markings import Tlp

marks = st.sampled_from(list(Tlp))
groups = st.frozensets(st.sampled_from(["corridor-cell", "port-cell", "dam-cell"]), max_size=3)
readers = st.builds(reading.reader, holder=st.booleans(), policy_max=st.none() | marks, policy_groups=groups)


@given(marks, groups, st.booleans(), readers)
def test_the_rule(marking: Tlp, kept_to: frozenset[str], imported: bool, who: reading.Reader) -> None:
    why = reading.refusal(marking, kept_to, imported=imported, who=who)
    if who.holder:
        assert why is None
        return
    assert who.ceiling >= reading.CLIENT_CEILING  # a policy never lowers what intelligence always showed
    if imported and marking >= Tlp.amber_strict:
        assert why is not None and "receiving organisation" in why
    if why is None:
        assert marking <= who.ceiling and (not kept_to or kept_to & who.groups)
        for lower in Tlp:
            if lower <= marking:
                assert reading.refusal(lower, kept_to, imported=imported, who=who) is None
    else:
        assert why.startswith(f"withheld: marked {marking.label}")
        assert not any(g in why for g in kept_to)  # the reason never names the groups
    if not kept_to:
        assert (marking.label in reading.readable_labels(who, imported=imported)) == (why is None)


@given(marks, groups, st.booleans(), marks, groups)
def test_a_higher_policy_never_refuses_more(
    marking: Tlp, kept_to: frozenset[str], imported: bool, policy: Tlp, named: frozenset[str]
) -> None:
    lower = reading.reader(holder=False, policy_max=policy, policy_groups=named)
    higher = reading.reader(holder=False, policy_max=Tlp.red, policy_groups=named | {"dam-cell"})
    if reading.refusal(marking, kept_to, imported=imported, who=lower) is None:
        assert reading.refusal(marking, kept_to, imported=imported, who=higher) is None
