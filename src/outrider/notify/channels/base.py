"""The channel interface the dispatcher codes against, and the channel of each name.

`Message`, `Outcome`, `Channel` and `ChannelConfig` are defined in `message.py` (the concrete channels use
them too) and re-exported here with `channel_for`, which picks the implementation of a channel name.
"""

from __future__ import annotations

from outrider.errors import InvalidInput
from outrider.notify.channels.message import (
    CHANNEL_NAMES,
    NOT_CONFIGURED,
    Channel,
    ChannelConfig,
    Message,
    Outcome,
)
from outrider.notify.channels.sms import SmsChannel
from outrider.notify.channels.smtp import SmtpChannel
from outrider.notify.channels.webhooks import WebhookChannel

__all__ = [
    "CHANNEL_NAMES",
    "NOT_CONFIGURED",
    "Channel",
    "ChannelConfig",
    "Message",
    "Outcome",
    "channel_for",
]


def channel_for(name: str, config: ChannelConfig) -> Channel:
    """The channel called ``name`` ("email", "webhook" or "sms") configured by ``config``."""
    if name == "email":
        return SmtpChannel(config)
    if name == "webhook":
        return WebhookChannel(config)
    if name == "sms":
        return SmsChannel(config)
    choices = ", ".join(CHANNEL_NAMES)
    raise InvalidInput(f"no channel {name!r}", errors=[{"loc": ["channel"], "msg": f"one of {choices}"}])
