"""What one send attempt came to, whichever channel made it.

Its own module so the outbox worker can name it without importing the
channels' SDKs: twilio and PTB load only when their channel is switched on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SendOutcome:
    """What happened to one attempt."""

    kind: str  # "sent" | "retry" | "failed" | "skipped"
    provider_id: str = ""
    status: str = ""
    error: str = ""
    stop_contact: bool = False
    retry_after: float | None = None  # what the platform asked for, in seconds
    # The provider may have taken the message (a timeout, a connection lost after
    # the request went out): look it up before sending it again.
    unsure: bool = False


class LookupFailed(Exception):
    """The provider could not say whether it took a message (its list did not answer)."""
