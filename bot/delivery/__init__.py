"""Sending outside a webhook reply: the outbox worker, its senders and navigators' alerts.

Messages a navigator writes, and alerts about waiting texters, go through the
outbox (rows in the database) and are sent here, once, with retries.
"""
