"""`homeward navigator ...` and what `homeward serve` prints for a fresh `make run`."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import HOMEWARD
from tests.console_helpers import CSRF_RE
from tests.server_helpers import wait_ready
from tests.twilio_mock import free_port

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


def test_accounts_are_added_listed_disabled_and_enabled(run_cli: Run, database_url: str) -> None:
    added = run_cli(
        "navigator",
        "add",
        "Ana@Example.org",
        "--admin",
        "--name",
        "Ana",
        "--password-stdin",
        stdin="correct horse battery\n",
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Added ana@example.org (admin)."
    run_cli("navigator", "add", "luis@example.org", "--password-stdin", stdin="another long one\n")
    listed = json.loads(run_cli("navigator", "list", "--json").stdout)
    assert [(a["email"], a["role"], a["name"], a["active"]) for a in listed] == [
        ("ana@example.org", "admin", "Ana", True),
        ("luis@example.org", "navigator", "Luis", True),
    ]
    assert run_cli("navigator", "disable", "luis@example.org").stdout.strip() == (
        "luis@example.org is disabled."
    )
    assert "disabled" in run_cli("navigator", "list").stdout
    assert run_cli("navigator", "enable", "LUIS@example.org").returncode == 0
    if database_url.startswith("sqlite"):  # the file itself; PostgreSQL's is the server's
        path = Path(database_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert b"correct horse" not in raw  # only an Argon2id hash is kept
        assert b"$argon2id$" in raw


def test_wrong_uses_end_with_one_line(run_cli: Run) -> None:
    cases = [
        (
            ("navigator", "add", "ana@example.org", "--password-stdin"),
            "short\n",
            "homeward: the password must have at least 10 characters",
        ),
        (
            ("navigator", "add", "not-an-email", "--password-stdin"),
            "long enough pass\n",
            "homeward: not an email address: 'not-an-email'",
        ),
        (
            ("navigator", "add", "ana@example.org"),
            "long enough pass\n",
            "homeward: give the password with --password-stdin (one line)",
        ),
        (
            ("navigator", "disable", "nobody@example.org"),
            "",
            "homeward: no navigator account for nobody@example.org",
        ),
    ]
    for args, stdin, message in cases:
        result = run_cli(*args, stdin=stdin)
        assert result.returncode == 2, args
        assert result.stderr.strip() == message
    run_cli("navigator", "add", "ana@example.org", "--password-stdin", stdin="long enough pass\n")
    again = run_cli(
        "navigator", "add", "ANA@example.org", "--password-stdin", stdin="long enough pass\n"
    )
    assert again.stderr.strip() == "homeward: ana@example.org already has an account"


def test_serve_in_development_prints_the_addresses_and_a_sign_in_that_works(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HOMEWARD_", "TWILIO_", "TELEGRAM_"))
    }
    env.update(
        HOMEWARD_ENV="development",
        HOMEWARD_DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'h.sqlite3'}",
    )
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(HOMEWARD), "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=out,
            stderr=out,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, server, log)
        printed = log.read_text()
        assert f"Navigators' console: {base}/console" in printed
        assert f"Demo texting page:   {base}/demo" in printed
        found = re.search(r"sign in as (\S+) / (\S+) \(development only", printed)
        assert found is not None, printed
        email, password = found.groups()
        assert (tmp_path / "var" / "console-demo-password").stat().st_mode & 0o777 == 0o600
        with httpx.Client(base_url=base) as browser:
            page = browser.get("/console/login")
            token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
            signed = browser.post(
                "/console/login", data={"email": email, "password": password, "csrf_token": token}
            )
            assert signed.status_code == 303
            assert "Waiting conversations" in browser.get("/console").text
            assert browser.get("/demo").status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_in_production_makes_no_demo_account(run_cli: Run, tmp_path: Path) -> None:
    from bot.cli_navigator import demo_account
    from bot.settings import Settings

    settings = Settings.from_env({"HOMEWARD_DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    assert demo_account(settings) is None
    assert json.loads(run_cli("navigator", "list", "--json").stdout) == []
