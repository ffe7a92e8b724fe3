"""SMS replies in the sender's language. Their words are the English templates of `sms_checkin` and
`sms_text`; the catalogs that translate them are the web pages' (a face above this domain), so the app
registers them when it starts (`outrider.app`). Unregistered, a reply is English."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from outrider.movements.field_schemas import SmsReply
from outrider.movements.sms_checkin import REFUSED, SmsAnswer

Gettext = Callable[[str], str]
_catalogs: dict[str, Callable[[str], Gettext]] = {}


def register(gettext_of: Callable[[str], Gettext]) -> None:
    """Translate replies with ``gettext_of(language)`` (idempotent: the last registration wins)."""
    _catalogs["replies"] = gettext_of


def _say(gettext: Gettext, template: str, values: Mapping[str, object]) -> str:
    text = gettext(template)
    return text % dict(values) if values else text


def reply(answer: SmsAnswer) -> SmsReply:
    """The reply to an SMS in the sender's language (English when the sender is no user, or chose none)."""
    found = _catalogs.get("replies")
    gettext: Gettext = found(answer.language) if found is not None else str
    said = _say(gettext, answer.template, answer.values)
    text = said if answer.accepted else _say(gettext, REFUSED, {"reason": said})
    return SmsReply(accepted=answer.accepted, reply=text)
