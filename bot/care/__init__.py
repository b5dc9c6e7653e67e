"""Continuity of care: people enrolled before release, their plans, appointments,
reminders, scheduled messages and follow-ups (docs/care.md).

Between the conversation and search in the layers: the core asks it about link
codes and follow-up answers, the worker asks it what is due. It reaches the
database only through repository functions in ``bot.storage``.
"""
