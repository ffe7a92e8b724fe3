"""Invented news reports for the demo, ingested through the intelligence pipeline like real ones.

Every report describes a fictional attack at a real place on the demo corridor; the dates are relative to
the day the demo is loaded, so risk on the demo movements reflects recent incidents. Two reports describe
the same fictional event, so the demo also shows linking.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.intel import ingest as intel_ingest

# (days before the load day the report was published, file name, text)
REPORTS: tuple[tuple[int, str, str], ...] = (
    (
        3,
        "demo-dasu-roadside-bomb",
        "Roadside bomb hits police van near Dasu\n\n"
        "DASU: A roadside bomb struck a police van escorting a supply convoy on the Karakoram Highway near "
        "Dasu yesterday, killing two policemen and wounding three others, officials said.\n"
        "The device was planted under a culvert, a police spokesman said. No group claimed responsibility.\n",
    ),
    (
        2,
        "demo-dasu-second-outlet",
        "Two policemen killed in Dasu bomb attack\n\n"
        "Two policemen were killed and three injured when a bomb planted by the roadside exploded near their "
        "van near Dasu in Upper Kohistan two days ago, a district police officer said.\n",
    ),
    (
        40,
        "demo-bisham-convoy",
        "Gunmen fire on workers' convoy near Bisham\n\n"
        "Gunmen opened fire on a convoy carrying construction workers near Bisham yesterday, killing four "
        "people, including two guards, police said. The attackers fled into the hills.\n",
    ),
    (
        120,
        "demo-dalbandin-car-bomb",
        "Suicide car bomb targets bus near Dalbandin\n\n"
        "A suicide bomber rammed an explosives-laden car into a bus carrying workers near Dalbandin "
        "yesterday, killing six people and wounding eleven, officials said.\n",
    ),
    (
        25,
        "demo-turbat-police-station",
        "Police station attacked in Turbat\n\n"
        "Militants armed with rifles and grenades attacked a police station in Turbat late yesterday, "
        "killing five policemen, police said. Two attackers were also killed.\n",
    ),
    (
        200,
        "demo-quetta-ied",
        "Blast hits security vehicle in Quetta\n\n"
        "An improvised explosive device went off next to a security forces vehicle in Quetta yesterday, "
        "killing three soldiers and wounding nine people, police said.\n",
    ),
    (
        9,
        "demo-karachi-checkpoint",
        "Grenade thrown at checkpoint in Karachi\n\n"
        "Unidentified men on a motorcycle threw a hand grenade at a police checkpoint in Karachi yesterday, "
        "wounding two policemen, police said. Nobody was killed.\n",
    ),
)


def load_reports(session: Session, *, analyst: Caller, now: datetime) -> int:
    """Ingest the demo reports as the analyst; the number of incidents stored."""
    stored = 0
    for days, name, text in REPORTS:
        published = (now - timedelta(days=days)).date()
        item = intel_ingest.IngestItem(source=f"demo:{name}", doc_id=name, data=text.encode("utf-8"))
        for outcome in intel_ingest.ingest(
            session, caller=analyst, items=[item], now=now, published=published
        ):
            if outcome.error is not None:  # the demo's own text: a failure here is a bug, not bad input
                raise RuntimeError(f"demo report {name}: {outcome.error}")
            stored += outcome.incidents
    return stored
