"""Fields of incidents found (issue 20, round 12): an attack no group claimed, and the event's values chosen
from reports where some tell the claim or the bomber and others say nothing."""

from outrider.intel.linking import event_values


def _member(published: str, **fields: object) -> dict[str, object]:
    base = {"date": "2031-05-03", "date_precision": "day", "country": "PK", "admin1": "Sindh"}
    return {**base, "city": "Karachi", "lat": 24.86, "lon": 67.0, "published": published, **fields}


def test_a_report_that_tells_the_claim_or_the_bomber_outweighs_those_silent() -> None:
    members = [
        _member("2031-05-03", claimed=False, suicide=False),
        _member("2031-05-04", claimed=False, suicide=False),
        _member("2031-05-05", claimed=True, suicide=True),
    ]
    got = event_values(members)
    assert (got["claimed"], got["suicide"]) == (True, True)


def test_reports_that_all_say_nothing_leave_the_attack_unclaimed() -> None:
    got = event_values([_member("2031-05-03", claimed=False), _member("2031-05-04", claimed=None)])
    assert got["claimed"] is False
