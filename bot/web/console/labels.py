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
    "own_overdose": N_("Overdose (the texter)"),
    "intentional_overdose": N_("Overdose on purpose"),
    "poisoning": N_("Poisoning"),
    "violence": N_("Violence"),
    "child_danger": N_("A child in danger"),
    "concern": N_("Check in: hopeless or unclear"),
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
    "login_needs_2fa": N_("refused sign-in: an admin without a second factor"),
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
    "people": N_("listed the people enrolled"),
    "view_person": N_("viewed a plan"),
    "enrol": N_("enrolled a person"),
    "appointment": N_("added an appointment"),
    "schedule": N_("scheduled a message"),
    "letter": N_("printed a letter"),
    "resolve_report": N_("marked a texters' report checked"),
    "report_view": N_("viewed the partner report"),
    "report_json": N_("exported the partner report (JSON)"),
    "report_csv": N_("exported the partner report (CSV)"),
    "report_text": N_("printed the partner report"),
}
CARE_FIELDS = {
    "first_name": N_("First name"),
    "release_date": N_("Release date"),
    "facility": N_("Facility"),
    "zip": N_("ZIP"),
    "language": N_("Language"),
    "needs": N_("Needs"),
    "consent": N_("Consent"),
    "consent_note": N_("How consent was given"),
    "supporter": N_("Supporter"),
    "kind": N_("Kind"),
    "at": N_("Date and time"),
    "where": N_("Where"),
    "what": N_("What"),
    "send_at": N_("Send at"),
    "body": N_("Message"),
}
AUDIENCE = {"person": N_("to the person"), "supporter": N_("to the supporter")}
SCHEDULED = {
    "pending": N_("Waiting"),
    "queued": N_("Sent"),
    "skipped": N_("Not sent"),
    "asked": N_("Asked"),
    "answered": N_("Answered"),
}
FOLLOW_UP_ANSWERS = {
    "reached": N_("Reached them"),
    "no_answer": N_("Could not reach"),
    "turned_away": N_("Turned away"),
    "record": N_("Turned away because of their record"),
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
    "taken_over": N_("You have this conversation now; the other navigator is told."),
    "assigned": N_("Assigned."),
    "released": N_("Released: it is back in the queue for anyone."),
    "closed": N_("Closed. The texter is back with the bot."),
    "enrolled": N_("Enrolled. Print the letter with the code."),
    "appointment": N_("Appointment added, with its reminders."),
    "scheduled": N_("Scheduled. It goes out at that time, never at night."),
    "not_scheduled": N_("Not scheduled: write a message and a time in the future."),
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
        "Sign-in failed: check the email, the password and, if your account has one, "
        "the 6-digit code. After several wrong tries, each new try has to wait a little longer."
    ),
    "wait": N_("Too many failed sign-ins: wait {seconds} seconds, then try again."),
    "failed_2fa": N_(
        "Sign-in failed: check the email, the password and the 6-digit code. Admins need a "
        "second factor here: an admin without one asks for it with `homeward navigator totp "
        "EMAIL` on the server, adds it to an authenticator app, then signs in with its code."
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
