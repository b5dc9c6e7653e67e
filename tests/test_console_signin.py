"""Issue 17, findings 6 and 7: sign-in waits instead of locks, a TOTP second factor,
Secure cookies and HSTS behind a proxy, and which proxies' headers are believed.

Against the real `homeward serve` (its public address is https, as in
production; the tests reach it over plain http on 127.0.0.1, as a proxy on
another host would).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyotp
import pytest
from sqlalchemy import update

from bot.storage.db import session_scope
from bot.storage.staff import LoginThrottleRow
from bot.storage.throttle import ACCOUNT_FREE, ADDRESS_FREE
from tests.conftest import HOMEWARD
from tests.postgres_server import PostgresServer
from tests.security_helpers import Running, browser_client, login, running_server
from tests.security_helpers import close_clients as close_clients

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresServer | None,
    seeded_database: str,
) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("signin")
    extra = {"HOMEWARD_REQUIRE_2FA": "1", "HOMEWARD_TRUSTED_PROXIES": "127.0.0.1"}
    with running_server(postgres, folder, seeded_database, extra) as running:
        yield running


def _from(served: Running, address: str) -> httpx.Client:
    """A browser behind the trusted proxy, at ``address``."""
    return browser_client(served.base, **{"X-Forwarded-For": address})


def _until_refused(client: httpx.Client, account: tuple[str, str, str], tries: int) -> list[int]:
    codes = []
    for _ in range(tries):
        codes.append(login(client, account, password="not the password at all").status_code)
        if codes[-1] == 429:
            break
    return codes


def test_failures_slow_down_the_guesser_never_the_navigator_at_their_desk(served: Running) -> None:
    account = served.account("desk@example.org", "Hana")
    desk = _from(served, "198.51.100.20")
    assert login(desk, account).status_code == 303  # the usual browser: gets a device cookie
    assert "homeward_device" in desk.cookies

    guesser = _from(served, "203.0.113.7")
    codes = _until_refused(guesser, account, ACCOUNT_FREE + 8)
    assert codes[:ACCOUNT_FREE] == [401] * ACCOUNT_FREE  # a few mistakes cost nothing
    assert codes[-1] == 429  # then each try must wait, and the answer says so
    refused = login(guesser, account, password="not the password at all")
    assert refused.status_code == 429
    assert "wait" in refused.text
    assert int(refused.headers["retry-after"]) >= 1

    with session_scope(served.engine) as session:  # make the current waits long
        session.execute(update(LoginThrottleRow).values(failures=ADDRESS_FREE + 8))
    assert login(guesser, account).status_code == 429  # even the right password waits
    stranger = _from(served, "198.51.100.99")  # a new browser elsewhere waits for the account
    assert login(stranger, account).status_code == 429
    desk.cookies.delete("homeward_session")
    again = login(desk, account)  # the navigator's own browser is never locked out
    assert again.status_code == 303, again.text
    assert login(_from(served, "198.51.100.99"), account).status_code == 303  # success cleared it


def test_one_address_guessing_many_accounts_is_slowed_too(served: Running) -> None:
    other = served.account("other-desk@example.org", "Ivo")
    guesser = _from(served, "203.0.113.50")
    codes = []
    for n in range(ADDRESS_FREE + 8):
        fake = (f"nobody{n}@example.org", "x" * 12, "")
        codes.append(login(guesser, fake).status_code)
        if codes[-1] == 429:
            break
    assert codes[:ADDRESS_FREE] == [401] * ADDRESS_FREE
    assert codes[-1] == 429
    assert login(_from(served, "198.51.100.51"), other).status_code == 303  # others unaffected


def _cli(served: Running, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOMEWARD_", "TWILIO_"))}
    env.update(HOMEWARD_DATABASE_URL=served.url, HOMEWARD_ENV="development")
    return subprocess.run(
        [str(HOMEWARD), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_a_totp_second_factor_is_asked_for_and_each_code_works_once(served: Running) -> None:
    account = served.account("two-step@example.org", "Jo")
    made = _cli(served, "navigator", "totp", account[0])
    assert made.returncode == 0, made.stderr
    uri = re.search(r"otpauth://totp/\S+", made.stdout)
    assert uri is not None
    totp = pyotp.parse_uri(uri.group(0))
    assert totp.issuer == "Homeward"
    listed = _cli(served, "navigator", "list")
    assert "two-step@example.org, " not in listed.stdout
    assert "second factor" in listed.stdout

    assert login(_from(served, "198.51.100.30"), account).status_code == 401  # no code
    assert login(_from(served, "198.51.100.31"), account, code="000000").status_code in (401,)
    code = totp.now()
    assert login(_from(served, "198.51.100.32"), account, code=code).status_code == 303
    assert login(_from(served, "198.51.100.33"), account, code=code).status_code == 401  # used

    off = _cli(served, "navigator", "totp", account[0], "--off")
    assert off.returncode == 0, off.stderr
    assert login(_from(served, "198.51.100.34"), account).status_code == 303


def _error(page: httpx.Response) -> str:
    """The sign-in page's error paragraph."""
    found = re.search(r'<p class="problem"[^>]*>(.*?)</p>', page.text, re.S)
    assert found is not None, page.text
    return found.group(1)


def test_admins_need_a_second_factor_when_required(served: Running) -> None:
    admin = served.account("boss@example.org", "Kim", admin=True)
    refused = login(_from(served, "198.51.100.40"), admin)
    wrong = login(_from(served, "198.51.100.42"), admin, password="not the password at all")
    assert refused.status_code == wrong.status_code == 401
    # the right password without the factor answers as a wrong one: no oracle for a guesser
    assert _error(refused) == _error(wrong)
    assert "Admins need a second factor" in _error(refused)
    assert [row.action for row in served.audit("login_needs_2fa")] == ["login_needs_2fa"]
    made = _cli(served, "navigator", "totp", admin[0])
    secret = re.search(r"key by hand: ([A-Z2-7]+)", made.stdout)
    assert secret is not None
    code = pyotp.TOTP(secret.group(1)).now()
    assert login(_from(served, "198.51.100.41"), admin, code=code).status_code == 303


def test_cookies_are_secure_and_hsts_is_sent_when_the_public_address_is_https(
    served: Running,
) -> None:
    client = browser_client(served.base)  # plain http from a proxy uvicorn does not trust
    page = client.get("/console/login")
    assert "Secure" in page.headers["set-cookie"]
    assert page.headers["strict-transport-security"].startswith("max-age=")
    account = served.account("secure@example.org", "Lu")
    signed = login(client, account)
    assert signed.status_code == 303
    cookies = signed.headers.get_list("set-cookie")
    assert all("Secure" in cookie and "HttpOnly" in cookie for cookie in cookies)
    assert "strict-transport-security" in httpx.get(served.base + "/healthz").headers


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(
    tmp_path: Path, postgres: PostgresServer | None, seeded_database: str
) -> None:
    extra = {"HOMEWARD_TRUSTED_PROXIES": "192.0.2.10"}  # not us: our headers are ignored
    with running_server(postgres, tmp_path, seeded_database, extra) as untrusted:
        codes = []
        for n in range(ADDRESS_FREE + 8):
            client = _from(untrusted, f"203.0.113.{n + 1}")  # a new "address" every try
            codes.append(login(client, (f"x{n}@example.org", "x" * 12, "")).status_code)
            if codes[-1] == 429:
                break
        assert codes[-1] == 429  # all counted against 127.0.0.1, the real peer
