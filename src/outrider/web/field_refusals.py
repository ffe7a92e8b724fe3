"""The field's refusals in the user's language: the field app's (by each problem's stable `code`, else its
type), and the catalogs that translate the replies to SMS check-ins (`movements.sms_words`, registered by
the app with `speak_sms`).

The words never tell a duress PIN from the check-in PIN: a duress check-in is answered as an accepted one,
so it has no refusal of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from outrider.movements import sms_words
from outrider.web import i18n
from outrider.web.i18n import N_

# What the field app says of an action the server refused: by the problem's `code`, else by its type's
# slug; `other` for anything else. `%(time)s` is when a lock ends (from `Retry-After`), on the phone's clock.
APP_REFUSALS: Mapping[str, str] = {
    "wrong_pin": N_("wrong PIN"),
    "pin_required": N_("a PIN is needed: you have set field PINs, so report it again with your PIN"),
    "pin_locked": N_("too many wrong PINs: check-ins with a PIN are refused until %(time)s"),
    "device_order": N_("this phone's actions arrived out of order: this one was not recorded"),
    "key_reused": N_("this action was already sent as another report"),
    "key_elsewhere": N_("this action was already sent for another movement"),
    "not_on_road": N_("the movement is not on the road"),
    "before_departure": N_("the time is before the movement's departure"),
    "in_future": N_("the phone's clock is ahead: the time is in the future"),
    "not-found": N_("the movement is not found, or is no longer one of yours"),
    "forbidden": N_("you may not report progress on this movement"),
    "conflict": N_("it conflicts with what the server holds"),
    "rule-violation": N_("a rule of the arrangement refuses it"),
    "invalid-input": N_("the server found it invalid"),
    "too-many-requests": N_("too many attempts: try again later"),
    "other": N_("the server refused it (%(status)s)"),
}


def app_refusals(gettext: Callable[[str], str]) -> dict[str, str]:
    """The field app's refusals in the page's language, by code (the script fills in the values)."""
    return {code: gettext(message) for code, message in APP_REFUSALS.items()}


def speak_sms() -> None:
    """Let SMS replies speak the pages' languages (their templates are in the same catalogs)."""
    sms_words.register(lambda language: i18n.translations(language).gettext)
