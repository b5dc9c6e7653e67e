"""A texter's right to erase: DELETE / BORRAR, confirmed, removes what we hold on them.

Everything goes (profile, transcript, handoffs, queued messages, navigators'
notes, the plan linked to their number with its appointments and reminders,
follow-ups); the monthly counts they were part of stay, since they name no
one (``bot.storage.usage``). One thing stays when
the texter had opted out: the contact row with the keyed hash of their number
and ``opted_out`` set, so STOP still holds; nothing in it says who they are.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.storage.care_models import FollowUpRow, LinkAttemptRow, ScheduledRow
from bot.storage.models import (
    ContactRow,
    HandoffRow,
    MessageRow,
    OutboxRow,
    PendingMessageRow,
)
from bot.storage.people import erase_people_of
from bot.storage.reports import forget_reporter
from bot.storage.staff import NoteRow


def erase_contact(session: Session, contact: ContactRow) -> None:
    """Erase a contact's data in this transaction (an opt-out survives as a hash)."""
    erase_people_of(session, contact.id)  # their plan, appointments and reminders
    forget_reporter(session, contact.id)
    for table in (MessageRow, HandoffRow, PendingMessageRow, OutboxRow, NoteRow):
        session.execute(delete(table).where(table.contact_id == contact.id))
    for care in (FollowUpRow, LinkAttemptRow, ScheduledRow):
        session.execute(delete(care).where(care.contact_id == contact.id))
    if not contact.opted_out:
        session.delete(contact)
        session.flush()
        return
    contact.user_sealed = ""
    contact.last_query_sealed = ""
    contact.location_sealed = ""
    contact.first_name_sealed = ""
    contact.thread_sealed = ""
    contact.zip_code = None
    contact.last_category = None
    contact.last_results = []
    contact.page = 0
    contact.awaiting = ""
    contact.detail_service = None
    contact.handoff_open = False
    contact.language = "en"
    session.flush()
