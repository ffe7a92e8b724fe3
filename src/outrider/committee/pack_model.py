"""The meeting pack and the minutes as values (pure core): what the HTML and the PDF render, and their
headings in English, Chinese (simplified) and Urdu.

The pack carries the follow-up of commitments: the open ones, the overdue ones (past their deadline on
the meeting's day), each side's last assessment (side by side, never averaged) and the evidence entered
since the committee's previous meeting. A restricted item a reader may not read keeps its title only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from outrider.languages import LANGUAGES, words
from outrider.languages import RTL_LANGUAGES as RTL

__all__ = ["LANGUAGES", "RTL"]

# key -> (English, Chinese (simplified), Urdu)
HEADINGS: dict[str, tuple[str, str, str]] = {
    "pack": ("Meeting pack", "会议材料", "اجلاس کی دستاویزات"),
    "minutes": ("Minutes", "会议纪要", "روداد"),
    "meeting": ("Meeting", "会议", "اجلاس"),
    "when": ("Date and time", "日期和时间", "تاریخ اور وقت"),
    "place": ("Place", "地点", "مقام"),
    "status": ("Status", "状态", "حیثیت"),
    "agenda": ("Agenda", "议程", "ایجنڈا"),
    "attendance": ("Attendance", "出席情况", "حاضری"),
    "follow_up": ("Follow-up of commitments", "承诺的跟进", "وعدوں کی پیروی"),
    "open": ("Open commitments", "未完成的承诺", "زیر تکمیل وعدے"),
    "overdue": ("Overdue commitments", "逾期的承诺", "تاخیر شدہ وعدے"),
    "assessments": ("Each side's last assessment", "双方最近的评估", "ہر فریق کا تازہ ترین جائزہ"),
    "evidence": (
        "New evidence since the last meeting",
        "自上次会议以来的新证据",
        "پچھلے اجلاس کے بعد نئے شواہد",
    ),
    "sections": ("Record of the meeting", "会议记录", "اجلاس کا ریکارڈ"),
    "outcomes": ("Outcomes", "成果", "نتائج"),
    "approvals": ("Approval of the minutes", "纪要的批准", "روداد کی منظوری"),
    "commitment": ("Commitment", "承诺", "وعدہ"),
    "kind": ("Kind", "类型", "قسم"),
    "stage": ("Stage", "阶段", "مرحلہ"),
    "deadline": ("Deadline", "截止日期", "آخری تاریخ"),
    "date": ("Date", "日期", "تاریخ"),
    "source": ("Source", "来源", "ماخذ"),
    "host": ("Host", "东道方", "میزبان"),
    "partner": ("Partner", "伙伴方", "شراکت دار"),
    "restricted": ("Restricted item", "限制阅读的议题", "محدود نکتہ"),
    "disagree": ("The two sides disagree", "双方看法不一致", "دونوں فریقوں کی رائے مختلف ہے"),
    "none": ("None", "无", "کوئی نہیں"),
    "hash": ("Minutes hash (SHA-256)", "纪要哈希值 (SHA-256)", "روداد کا ہیش (SHA-256)"),
    "approved": ("Approved by both parties", "双方已批准", "دونوں فریقوں نے منظور کیا"),
    "awaiting": ("Awaiting the signature of", "等待签署方", "دستخط کا انتظار"),
    "tampered": (
        "The stored minutes no longer match what was signed",
        "存储的纪要与已签署的内容不一致",
        "محفوظ روداد دستخط شدہ متن سے مطابقت نہیں رکھتی",
    ),
}


def heading(key: str, lang: str) -> str:
    """The heading in the language asked for (English for an unknown language)."""
    return words({key: HEADINGS[key]}, lang)[key]


def headings(lang: str) -> dict[str, str]:
    """Every heading in one language."""
    return words(HEADINGS, lang)


@dataclass(frozen=True, slots=True)
class PackOutcome:
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class PackItem:
    position: int
    title: str
    restricted: bool
    text: str | None  # None: a restricted item the reader is not named on
    outcomes: tuple[PackOutcome, ...] = ()
    generated: bool = False


@dataclass(frozen=True, slots=True)
class PackAssessment:
    party: str
    score: int
    note: str
    at: datetime


@dataclass(frozen=True, slots=True)
class PackCommitment:
    id: int
    title: str
    kind: str
    stage: str
    promisor: str | None
    beneficiary: str | None
    deadline: date | None
    overdue: bool
    assessments: tuple[PackAssessment, ...] = ()

    @property
    def disagree(self) -> bool:
        """Both sides assessed, and not alike (shown side by side, never averaged)."""
        return len({a.score for a in self.assessments}) > 1


@dataclass(frozen=True, slots=True)
class PackEvidence:
    commitment_id: int
    commitment_title: str
    date: date
    kind: str
    title: str
    source: str


@dataclass(frozen=True, slots=True)
class PackAttendee:
    name: str
    party: str | None  # None for a guest
    status: str


@dataclass(frozen=True, slots=True)
class PackSection:
    position: int
    item_title: str | None
    text: str | None  # None: about a restricted item the reader is not named on


@dataclass(frozen=True, slots=True)
class PackApproval:
    party: str
    signer: str
    at: datetime
    verified: bool


@dataclass(frozen=True, slots=True)
class Pack:
    """One meeting's pack and minutes, as one reader may read them."""

    committee: str
    meeting_id: int
    number: int
    title: str
    starts_at: datetime  # in the meeting's zone
    timezone: str
    place: str
    status: str
    previous_meeting_at: datetime | None
    items: tuple[PackItem, ...]
    attendance: tuple[PackAttendee, ...]
    commitments: tuple[PackCommitment, ...]
    evidence: tuple[PackEvidence, ...]
    sections: tuple[PackSection, ...]
    minutes_hash: str
    approved: bool
    tampered: bool
    awaiting: tuple[str, ...]
    approvals: tuple[PackApproval, ...]

    @property
    def overdue(self) -> tuple[PackCommitment, ...]:
        """The open commitments past their deadline on the meeting's day."""
        return tuple(c for c in self.commitments if c.overdue)
