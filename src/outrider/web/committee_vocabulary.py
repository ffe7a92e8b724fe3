"""The joint committee's words as the pages show them: commitment kinds and stages (the cooperation schema's
codes), parties, evidence kinds, meeting states, attendance, outcome kinds, seats, assessment scores and the
states of proposals from the news. `web.vocabulary` gathers them with the others (``| term("...")``)."""

from __future__ import annotations

from outrider.committee.ladder import SCORES, Kind, Party, Stage
from outrider.committee.schemas import MeetingStatus, OutcomeKind, Presence, Role
from outrider.committee.schemas_commitments import EvidenceKind, ProposalState
from outrider.web.i18n import N_
from outrider.web.vocabulary_lists import Vocabulary, values

COMMITMENT_KINDS: dict[str, str] = {
    Kind.agreement: N_("agreement"),
    Kind.visit_or_meeting: N_("visit or meeting"),
    Kind.funding: N_("funding"),
    Kind.capacity_equipment: N_("capacity and equipment"),
    Kind.training: N_("training"),
    Kind.joint_exercise: N_("joint exercise"),
    Kind.intelligence_sharing: N_("intelligence sharing"),
    Kind.security_arrangement: N_("security arrangement"),
    Kind.action_against_group: N_("action against a group"),
    Kind.other: N_("other"),
}
STAGES: dict[str, str] = {
    Stage.announced: N_("announced"),
    Stage.pledged: N_("pledged"),
    Stage.agreed: N_("agreed"),
    Stage.funded: N_("funded"),
    Stage.under_way: N_("under way"),
    Stage.done: N_("done"),
    Stage.not_fulfilled: N_("not fulfilled"),
}
PARTIES: dict[str, str] = {Party.host: N_("host"), Party.partner: N_("partner")}
EVIDENCE_KINDS: dict[str, str] = {
    EvidenceKind.minutes: N_("approved minutes"),
    EvidenceKind.document: N_("document"),
    EvidenceKind.compliance_report: N_("compliance report"),
    EvidenceKind.news: N_("news report"),
    EvidenceKind.note: N_("note"),
}
MEETING_STATES: dict[str, str] = {
    MeetingStatus.planned: N_("planned"),
    MeetingStatus.held: N_("held, minutes not yet approved"),
    MeetingStatus.minutes_approved: N_("minutes approved by both parties"),
}
PRESENCE: dict[str, str] = {
    Presence.present: N_("present"),
    Presence.absent: N_("absent"),
    Presence.apologies: N_("apologies"),
}
OUTCOME_KINDS: dict[str, str] = {
    OutcomeKind.information: N_("information"),
    OutcomeKind.decision: N_("decision"),
    OutcomeKind.commitment: N_("commitment"),
}
SEATS: dict[str, str] = {
    Role.chair: N_("chair"),
    Role.member: N_("member"),
    Role.secretariat: N_("secretariat"),
    "admin": N_("administrator of a founding party"),
    "auditor": N_("auditor"),
}
# The meanings of the implementation scale, as the ladder words them (0 not started ... 3 done).
SCORE_WORDS = {"not started": N_("not started"), "begun": N_("begun"), "largely done": N_("largely done")}
ASSESSMENT_SCORES = {str(n): SCORE_WORDS.get(word, STAGES[Stage.done]) for n, word in SCORES.items()}
PROPOSAL_STATES: dict[str, str] = {
    ProposalState.proposed: N_("waiting for the secretariat"),
    ProposalState.accepted: N_("accepted"),
    ProposalState.rejected: N_("rejected"),
}


def committee_vocabularies() -> list[Vocabulary]:
    """The committee's vocabularies, their members taken from the domain's own enums."""
    return [
        Vocabulary("commitment_kind", values(Kind), COMMITMENT_KINDS),
        Vocabulary("commitment_stage", values(Stage), STAGES),
        Vocabulary("committee_party", values(Party), PARTIES),
        Vocabulary("evidence_kind", values(EvidenceKind), EVIDENCE_KINDS),
        Vocabulary("meeting_status", values(MeetingStatus), MEETING_STATES),
        Vocabulary("presence", values(Presence), PRESENCE),
        Vocabulary("outcome_kind", values(OutcomeKind), OUTCOME_KINDS),
        Vocabulary("committee_seat", tuple(str(k) for k in SEATS), SEATS),
        Vocabulary("assessment_score", tuple(ASSESSMENT_SCORES), ASSESSMENT_SCORES),
        Vocabulary("proposal_state", values(ProposalState), PROPOSAL_STATES),
    ]
