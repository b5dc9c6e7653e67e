"""kill -9 a worker under load: nothing answered is lost, no outbox message goes twice.

A short run of bench/crash.py (which has the full description): `homeward serve
--workers 2` on this test's database, webhooks at a steady rate, navigator
messages draining to a counting Twilio stand-in, one worker killed partway.
Recovery here is the outbox worker a restart would run, after the server
stopped, so the dead worker's claims need not wait the two-minute timeout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.crash import run_crash


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


@pytest.mark.slow
def test_killing_a_worker_mid_load_loses_no_reply_and_sends_no_message_twice(
    database_url: str, tmp_path: Path
) -> None:
    report = run_crash(
        database_url,
        tmp_path,
        workers=2,
        seconds=8,
        rate=60,
        outbox_messages=80,
        kill_after=0.4,
        twilio_delay=0.05,
        recover="worker",
        recovery_timeout=60,
    )
    assert report.killed_pid != 0
    assert report.answered > 0
    assert report.replies_missing == 0
    assert report.answered_on_retry == report.failed_at_kill
    assert (report.outbox_lost, report.outbox_duplicated) == (0, 0)
    assert report.outbox_sent_once == report.outbox_messages
    assert report.notes == []
