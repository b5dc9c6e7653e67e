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
    "take_over": N_("took over"),
    "read": N_("read the live transcript"),
    "queue_read": N_("saw the last words in the queue"),
    "assign": N_("assigned"),
    "release": N_("released"),
    "close": N_("closed"),
    "disable": N_("disabled an account"),
    "enable": N_("enabled an account"),
}
FLASH = {
    "sent": N_("Sent. The delivery status updates below."),
    "noted": N_("Note saved."),
    "named": N_("First name saved."),
    "claimed": N_("You have this conversation now."),
    "taken_over": N_("You have this conversation now; the other navigator is told."),
    "assigned": N_("Assigned."),
    "released": N_("Released: it is back in the queue for anyone."),
    "closed": N_("Closed. The texter is back with the bot."),
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
        "Sign-in failed: check the email, the password and, if your account has one, "
        "the 6-digit code. After several wrong tries, each new try has to wait a little longer."
    ),
    "wait": N_("Too many failed sign-ins: wait {seconds} seconds, then try again."),
    "needs_2fa": N_(
        "Admins need a second factor here: ask for one with `homeward navigator totp EMAIL` "
        "on the server, add it to an authenticator app, then sign in with its code."
    ),
    "held": N_(
        "Another navigator has this conversation: you can read it; to act on it, take it over."
    ),
    "not_held": N_("Nobody else has this conversation: claim it instead."),
    "no_reason": N_("Say why you take it over: the other navigator will see it."),
}
NOTICES = {
    "taken_over": N_(
        "{name} took over conversation #{number} from you (the reason is in its notes)."
    ),
    "assigned_away": N_("{name} gave conversation #{number} to another navigator."),
}
