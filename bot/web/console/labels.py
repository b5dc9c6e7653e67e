"""Words for the console's codes (channels, outcomes, crisis kinds, delivery states).

Marked with ``N_`` so Babel extracts them; pages translate them when shown.
"""

from __future__ import annotations

from bot.i18n import N_

CHANNELS = {
    "sms": N_("SMS"),
    "whatsapp": N_("WhatsApp"),
    "telegram": N_("Telegram"),
    "console": N_("Console (demo)"),
}
OUTCOMES = {
    "connected": N_("Connected to a service"),
    "referred": N_("Referred"),
    "no_response": N_("No response"),
    "other": N_("Other"),
}
CRISIS = {
    "self_harm": N_("Self-harm"),
    "overdose": N_("Overdose"),
    "violence": N_("Violence at home"),
}
DELIVERY = {
    "pending": N_("Queued"),
    "sending": N_("Sending"),
    "accepted": N_("Sent"),
    "queued": N_("Sent"),
    "sent": N_("Sent"),
    "delivered": N_("Delivered"),
    "read": N_("Read"),
    "undelivered": N_("Not delivered"),
    "failed": N_("Failed"),
    "skipped": N_("Not sent"),
    "canceled": N_("Not sent"),
    "scheduled": N_("Queued"),
}
LANGUAGES = {"en": N_("English"), "es": N_("Spanish")}
AUTHORS = {"texter": N_("Texter"), "bot": N_("Homeward bot"), "navigator": N_("Navigator")}
AUDIT = {
    "login": N_("signed in"),
    "login_failed": N_("failed sign-in"),
    "logout": N_("signed out"),
    "view": N_("viewed"),
    "reply": N_("replied"),
    "note": N_("added a note"),
    "name": N_("noted the first name"),
    "claim": N_("claimed"),
    "assign": N_("assigned"),
    "release": N_("released"),
    "close": N_("closed"),
    "disable": N_("disabled an account"),
    "enable": N_("enabled an account"),
    "resolve_report": N_("marked a texters' report checked"),
}
REPORT_KINDS = {
    "closed": N_("Closed"),
    "moved": N_("Moved"),
    "wrong_number": N_("Wrong number"),
    "refused": N_("Would not take them"),
    "hours": N_("Wrong hours"),
    "other": N_("Other"),
}
FLASH = {
    "sent": N_("Sent. The delivery status updates below."),
    "noted": N_("Note saved."),
    "named": N_("First name saved."),
    "claimed": N_("You have this conversation now."),
    "assigned": N_("Assigned."),
    "released": N_("Released: it is back in the queue for anyone."),
    "closed": N_("Closed. The texter is back with the bot."),
    "checked": N_("Marked checked."),
}
PROBLEMS = {
    "empty": N_("Write something first: the message is empty."),
    "too_long": N_("Too long for one text: keep it within 3 SMS segments (about 450 letters)."),
    "closed": N_("This conversation is closed: nothing can be sent or changed."),
    "opted_out": N_("This texter opted out (STOP): nothing can be sent until they text START."),
    "outcome": N_("Choose an outcome to close the conversation."),
    "no_service": N_("Choose a service from the list first."),
    "no_saved": N_("Choose a saved reply first."),
    "no_navigator": N_("Choose an active navigator."),
    "expired": N_("Your session ended, so this was not sent. Copy it, sign in, and send it again."),
    "failed": N_(
        "Sign-in failed: check the email and password. After 5 wrong tries an account "
        "waits 15 minutes."
    ),
}
