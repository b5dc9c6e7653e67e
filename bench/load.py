"""Load test: signed Twilio webhooks at rising rates against `homeward serve` on loopback.

For each configuration (SQLite with 1 worker, PostgreSQL with 1 and 2 workers by
default) it makes a fresh database, loads the sample directory, starts the real
`homeward serve --workers N` on 127.0.0.1, and sends webhooks from this process
(a separate process from the server) at fixed rising rates: open loop, every
request sent at its scheduled time whatever the server's pace, latency counted
from that scheduled time (so a slow server cannot hide its queue).

The texts are realistic: needs from tests/data/queries.extra.tsv (half with a
ZIP code), MORE, result numbers, greetings, in English and Spanish, from a pool
of texters; 10% of the requests are Twilio retries (an earlier MessageSid sent
again, same signature). Every request is signed with twilio's RequestValidator
against HOMEWARD_PUBLIC_URL + path, as Twilio signs it; forms and signatures
are made before each step so the generator's own work is only sending.

An error is any answer but 200 and any transport failure or timeout. The CPU
time of the server (all its processes), of PostgreSQL and of this generator is
read from /proc for each step: all three share the machine's cores.

    .venv/bin/python bench/load.py                       # the three configurations
    .venv/bin/python bench/load.py --configs postgresql:2 --rates 300,400 --seconds 20
    .venv/bin/python bench/load.py --configs sqlite:1 --rates 100,150 --detector both

``--detector both`` serves each configuration with the crisis detector, then
without it (``bench/without_detector``: the same code, every text passing the
detector unread), then with it again, in one sitting: the detector's cost per
webhook is the difference in server CPU time per answered webhook.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
import uvloop
from cryptography.fernet import Fernet
from twilio.request_validator import RequestValidator

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.postgres_server import PostgresServer  # noqa: E402

HOMEWARD = Path(sys.executable).with_name("homeward")
# The server's environment without the crisis detector (--detector off|both).
WITHOUT_DETECTOR = {"PYTHONPATH": str(REPO / "bench" / "without_detector")}
TOKEN = "bench-auth-token-0123456789abcdef"
PUBLIC = "https://homeward.example.org"
ENV = {
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": TOKEN,
    "TWILIO_FROM": "+15105550100",
    "HOMEWARD_PUBLIC_URL": PUBLIC,
    "HOMEWARD_LOG_LEVEL": "WARNING",
    "HOMEWARD_SECRET_KEY": Fernet.generate_key().decode(),  # one key for the whole run
}
ZIPS = ("94601", "94603", "94605", "94607", "94609", "94610", "94612", "94621")
FOLLOW_UPS = ("more", "1", "2", "3", "menu", "thanks", "hi", "mas", "help", "2")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def needs() -> list[str]:
    """The realistic texts: one per line of queries.extra.tsv."""
    lines = (REPO / "tests" / "data" / "queries.extra.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]


@dataclass
class Request:
    """One webhook, ready to send: the body and its signature."""

    body: bytes
    signature: str
    sid: str
    retry: bool


class Traffic:
    """Texters holding conversations; retries repeat earlier requests byte for byte.

    A third of the messages come from new texters (a need, often with a ZIP);
    the rest continue a recent texter's conversation: MORE, a result number,
    MENU, thanks, or another need. A texter thus sends about three messages,
    well under the 20-a-minute limit, as real ones do.
    """

    def __init__(self, retry_share: float, new_share: float = 0.33, seed: int = 8) -> None:
        self.random = random.Random(seed)
        self.texts = needs()
        self.retry_share = retry_share
        self.new_share = new_share
        self.texters: list[str] = []
        self.sent: list[Request] = []
        self.count = 0
        self.validator = RequestValidator(TOKEN)

    def _need(self) -> str:
        text = self.random.choice(self.texts)
        return f"{text} {self.random.choice(ZIPS)}" if self.random.random() < 0.5 else text

    def _message(self) -> tuple[str, str]:
        if not self.texters or self.random.random() < self.new_share:
            self.texters.append(f"+1510{self.random.randrange(2000000, 9999999)}")
            return self.texters[-1], self._need()
        texter = self.random.choice(self.texters[-3000:])
        text = self._need() if self.random.random() < 0.4 else self.random.choice(FOLLOW_UPS)
        return texter, text

    def next(self) -> Request:
        if self.sent and self.random.random() < self.retry_share:
            original = self.random.choice(self.sent[-2000:])
            return Request(original.body, original.signature, original.sid, True)
        self.count += 1
        sid = f"SM{self.random.getrandbits(128):032x}"
        sender, text = self._message()
        form = {
            "ToCountry": "US",
            "ToState": "CA",
            "SmsMessageSid": sid,
            "NumMedia": "0",
            "ToCity": "OAKLAND",
            "FromZip": "94601",
            "SmsSid": sid,
            "FromState": "CA",
            "SmsStatus": "received",
            "FromCity": "OAKLAND",
            "Body": text,
            "FromCountry": "US",
            "To": "+15105550100",
            "ToZip": "94607",
            "NumSegments": "1",
            "MessageSid": sid,
            "AccountSid": ENV["TWILIO_ACCOUNT_SID"],
            "From": sender,
            "ApiVersion": "2010-04-01",
        }
        signature = self.validator.compute_signature(PUBLIC + "/twilio/sms", form)
        request = Request(urlencode(form).encode(), signature, sid, False)
        self.sent.append(request)
        return request

    def batch(self, n: int) -> list[Request]:
        return [self.next() for _ in range(n)]


KEEP_ALIVE = 3.0  # seconds a connection may sit idle before it is not reused


class RawClient:
    """Keep-alive HTTP/1.1 POSTs over asyncio streams, for a light load generator.

    The generator shares the machine's two cores with the server and the
    database, so its own cost per request matters: httpx's AsyncClient used
    several times more CPU per request than this (see bench/RESULTS.md). It
    reads answers with a Content-Length (Starlette always sends one) and opens
    up to ``size`` connections; a request waits for a free one.
    """

    def __init__(self, host: str, port: int, size: int) -> None:
        self.host, self.port, self.size = host, port, size
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self.opened = 0
        self.freed = asyncio.Condition()

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        async with self.freed:
            while not self.idle and self.opened >= self.size:
                await self.freed.wait()
            while self.idle:
                reader, writer, since = self.idle.pop()
                # uvicorn closes a connection idle for 5 s; never reuse one near that.
                if time.monotonic() - since < KEEP_ALIVE and not reader.at_eof():
                    return reader, writer
                writer.close()
                self.opened -= 1
            self.opened += 1
        try:
            return await asyncio.open_connection(self.host, self.port)
        except OSError:
            self.opened -= 1
            raise

    async def _release(
        self, connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None
    ) -> None:
        async with self.freed:
            if connection is None:
                self.opened -= 1
            else:
                self.idle.append((*connection, time.monotonic()))
            self.freed.notify()

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        connection = await self._connection()
        reader, writer = connection
        head = [
            f"POST {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            f"Content-Length: {len(body)}",
        ]
        head += [f"{k}: {v}" for k, v in headers.items()]
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            status_line, *lines = (await reader.readuntil(b"\r\n\r\n")).decode().split("\r\n")
            length = 0
            for line in lines:
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            content = await reader.readexactly(length)
        except BaseException:  # failed or cancelled mid-answer: the connection is unusable
            writer.close()
            await self._release(None)
            raise
        await self._release(connection)
        return int(status_line.split()[1]), content

    async def close(self) -> None:
        for _, writer, _since in self.idle:
            writer.close()
        self.idle.clear()


@dataclass
class Outcome:
    latency: float  # seconds from the scheduled send time to the full answer
    status: int  # HTTP status, 0 for a transport failure
    silent: bool  # a 200 with no <Message> (rate limited, stopped)
    error: str = ""
    body: bytes = b""


@dataclass
class StepResult:
    config: str
    rate: int
    seconds: float
    sent: int
    ok: int
    errors: int
    silent: int
    throughput: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    server_cpu: float  # cores used on average during the step
    postgres_cpu: float
    generator_cpu: float
    other_cpu: float  # everything else on the machine (other users' work)
    replies_per_text: float  # <Message> elements per answered webhook
    segments_per_text: float  # SMS segments of those replies (what Twilio sends)
    error_kinds: dict[str, int] = field(default_factory=dict)


HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


async def send_one(client: RawClient | httpx.AsyncClient, request: Request, at: float) -> Outcome:
    delay = at - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)
    headers = {
        **HEADERS,
        "X-Twilio-Signature": request.signature,
        "I-Twilio-Idempotency-Token": request.sid,
    }
    try:
        if isinstance(client, RawClient):
            status, content = await client.post("/twilio/sms", request.body, headers)
        else:
            response = await client.post("/twilio/sms", content=request.body, headers=headers)
            status, content = response.status_code, response.content
    except (httpx.HTTPError, OSError, asyncio.IncompleteReadError) as exc:
        return Outcome(time.perf_counter() - at, 0, False, type(exc).__name__)
    latency = time.perf_counter() - at
    error = "" if status == 200 else f"HTTP {status}"
    return Outcome(latency, status, b"<Message>" not in content, error, content)


async def run_step(
    base: str, requests: list[Request], rate: float, kind: str = "raw", limit: float = 10.0
) -> tuple[list[Outcome], float]:
    """Send ``requests`` at ``rate`` a second; every answer must come within ``limit`` s."""
    host, port = base.removeprefix("http://").split(":")
    client: RawClient | httpx.AsyncClient
    if kind == "raw":
        client = RawClient(host, int(port), 512)
    else:
        limits = httpx.Limits(max_connections=512, max_keepalive_connections=512)
        client = httpx.AsyncClient(base_url=base, limits=limits, timeout=limit)
    start = time.perf_counter() + 0.2

    async def timed(n: int, request: Request) -> Outcome:
        try:
            return await asyncio.wait_for(
                send_one(client, request, start + n / rate), limit + n / rate + 0.2
            )
        except TimeoutError:
            return Outcome(limit, 0, False, "Timeout")

    try:
        outcomes = await asyncio.gather(*(timed(n, r) for n, r in enumerate(requests)))
    finally:
        await (client.close() if isinstance(client, RawClient) else client.aclose())
    return list(outcomes), time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants (from /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                todo.extend(int(c) for c in children)
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes, in seconds.

    The first one's children that already ended count too (their time moves
    to the parent's account when it reaps them; PostgreSQL's backends do).
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for n, pid in enumerate(pids):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            if n == 0:
                total += int(fields[13]) + int(fields[14])
    return total / ticks


def machine_busy() -> tuple[float, float]:
    """Busy and total CPU time of the whole machine so far (all cores), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return float(sum(values) - idle), float(sum(values))


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Target:
    """A database and a running `homeward serve` on it."""

    def __init__(
        self,
        url: str,
        workers: int,
        folder: Path,
        extra_env: dict[str, str] | None = None,
        label: str = "",
    ) -> None:
        self.url, self.workers, self.folder, self.label = url, workers, folder, label
        self.log = folder / "serve.log"
        self.kind = "sqlite" if url.startswith("sqlite") else "postgresql"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **ENV, **(extra_env or {}), "HOMEWARD_DATABASE_URL": url}
        self.process: subprocess.Popen[bytes] | None = None

    def homeward(self, *args: str) -> None:
        subprocess.run(
            [str(HOMEWARD), *args], env=self.env, check=True, capture_output=True, cwd=self.folder
        )

    def start(self) -> None:
        if self.kind == "postgresql":
            self.homeward("db", "upgrade")
        self.homeward("directory", "load")
        self.log = self.folder / f"serve-{self.port}.log"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(HOMEWARD), "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=self.env,
                cwd=self.folder,
                stdout=log,
                stderr=log,
            )
        self.wait_ready()

    def wait_ready(self, timeout: float = 180.0) -> None:
        """Until every worker answered /healthz "ok" (each names its process).

        A worker says 503 "starting" while it warms up. The limit is generous: a
        busy machine starts slowly, and this waits for readiness, not for a time.
        """
        deadline = time.monotonic() + timeout
        seen: set[int] = set()
        while len(seen) < self.workers:
            if time.monotonic() > deadline or (self.process and self.process.poll() is not None):
                log = self.log.read_text(errors="replace") if self.log.exists() else ""
                raise RuntimeError(f"homeward serve did not start ({self.log}):\n{log[-4000:]}")
            try:  # a new connection each time: the kernel hands it to any worker
                response = httpx.get(self.base + "/healthz", timeout=5)
            except httpx.TransportError:
                time.sleep(0.2)
                continue
            if response.status_code == 200:
                seen.add(int(response.json()["worker"]))
            else:
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def server_pids(self) -> list[int]:
        return process_tree(self.process.pid) if self.process else []

    def worker_pids(self) -> list[int]:
        """The worker processes: the serve process's children when it forked workers
        (gunicorn), or the serve process itself when it runs the app alone."""
        if self.process is None:
            return []
        children = process_tree(self.process.pid)[1:]
        return children or [self.process.pid]


def database_url(kind: str, postgres: PostgresServer | None, folder: Path, name: str) -> str:
    """A fresh, empty database of the kind asked for."""
    if kind == "sqlite":
        return f"sqlite:///{folder / (name + '.sqlite3')}"
    assert postgres is not None
    return postgres.create_database(name)


def measure(
    target: Target,
    traffic: Traffic,
    rate: int,
    seconds: float,
    postgres: PostgresServer | None,
    client: str = "raw",
) -> StepResult:
    requests = traffic.batch(int(rate * seconds))
    server, database = (
        target.server_pids(),
        (process_tree(postgres.process.pid) if postgres and postgres.process else []),
    )
    cpu0 = (cpu_seconds(server), cpu_seconds(database), own_cpu())
    busy0 = machine_busy()
    outcomes, elapsed = uvloop.run(run_step(target.base, requests, rate, client))
    server = target.server_pids()
    database = process_tree(postgres.process.pid) if postgres and postgres.process else []
    cpu1 = (cpu_seconds(server), cpu_seconds(database), own_cpu())
    busy1 = machine_busy()
    machine = (busy1[0] - busy0[0]) / (busy1[1] - busy0[1]) * (os.cpu_count() or 1)
    ours = sum(cpu1) - sum(cpu0)
    ok = [o for o in outcomes if o.status == 200]
    kinds: dict[str, int] = {}
    for o in outcomes:
        if o.error:
            kinds[o.error] = kinds.get(o.error, 0) + 1
    latencies = [o.latency for o in ok]
    return StepResult(
        config=f"{target.kind}, {target.workers} worker{'s' if target.workers > 1 else ''}"
        + target.label,
        rate=rate,
        seconds=round(elapsed, 2),
        sent=len(outcomes),
        ok=len(ok),
        errors=len(outcomes) - len(ok),
        silent=sum(1 for o in ok if o.silent),
        throughput=round(len(ok) / elapsed, 1),
        p50_ms=round(percentile(latencies, 0.50) * 1000, 1),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
        max_ms=round(max(latencies, default=0.0) * 1000, 1),
        server_cpu=round((cpu1[0] - cpu0[0]) / elapsed, 2),
        postgres_cpu=round((cpu1[1] - cpu0[1]) / elapsed, 2),
        generator_cpu=round((cpu1[2] - cpu0[2]) / elapsed, 2),
        other_cpu=round(max(0.0, machine - ours / elapsed), 2),
        **reply_sizes(ok),
        error_kinds=kinds,
    )


def reply_sizes(answered: list[Outcome]) -> dict[str, float]:
    """How many messages and SMS segments each answered text produced."""
    from xml.etree import ElementTree

    from bot.conversation.gsm import segments

    messages = parts = 0
    for outcome in answered:
        for element in ElementTree.fromstring(outcome.body).iter("Message"):
            messages += 1
            parts += segments(element.text or "")
    count = max(1, len(answered))
    return {
        "replies_per_text": round(messages / count, 2),
        "segments_per_text": round(parts / count, 2),
    }


def table(results: list[StepResult]) -> str:
    head = (
        "| configuration | rate/s | sent | ok/s | p50 ms | p99 ms | max ms | errors | silent "
        "| CPU server | CPU postgres | CPU generator | CPU other |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = [
        f"| {r.config} | {r.rate} | {r.sent} | {r.throughput} | {r.p50_ms} | {r.p99_ms} | "
        f"{r.max_ms} | {r.errors} | {r.silent} | {r.server_cpu} | {r.postgres_cpu} | "
        f"{r.generator_cpu} | {r.other_cpu} |"
        for r in results
    ]
    return head + "\n".join(rows)


@contextlib.contextmanager
def bench_postgres(needed: bool) -> Iterator[PostgresServer | None]:
    """A durable PostgreSQL server (fsync on, as in production) when a config needs it."""
    if not needed:
        yield None
        return
    server = PostgresServer(durable=True, extra=("shared_buffers=256MB",)).start()
    try:
        yield server
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--configs",
        default="sqlite:1,postgresql:1,postgresql:2",
        help="backend:workers, comma separated",
    )
    parser.add_argument("--rates", default="100,200,300,400,500", help="webhooks per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each step")
    parser.add_argument(
        "--client",
        choices=("raw", "httpx"),
        default="raw",
        help="generator's HTTP client (raw asyncio streams, or httpx)",
    )
    parser.add_argument("--retries", type=float, default=0.10, help="share of Twilio retries")
    parser.add_argument("--warmup", type=int, default=300, help="requests before measuring")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--detector",
        choices=("on", "off", "both"),
        default="on",
        help="serve with the crisis detector, without it, or on-off-on in one sitting",
    )
    args = parser.parse_args()
    modes = {"on": ["on"], "off": ["off"], "both": ["on", "off", "on"]}[args.detector]
    configs = [(c.split(":")[0], int(c.split(":")[1])) for c in args.configs.split(",")]
    rates = [int(r) for r in args.rates.split(",")]
    results: list[StepResult] = []
    folder = Path(tempfile.mkdtemp(prefix="homeward-bench-"))
    try:
        with bench_postgres(any(kind == "postgresql" for kind, _ in configs)) as postgres:
            runs = [(c, m) for c in configs for m in modes]
            for n, ((kind, workers), mode) in enumerate(runs):
                name = f"bench_{kind}_{workers}_{n}"
                target = Target(
                    database_url(kind, postgres, folder, name),
                    workers,
                    folder,
                    WITHOUT_DETECTOR if mode == "off" else None,
                    "" if args.detector == "on" else f", detector {mode}",
                )
                try:
                    target.start()
                    traffic = Traffic(args.retries)
                    uvloop.run(run_step(target.base, traffic.batch(args.warmup), 100))
                    for rate in rates:
                        result = measure(target, traffic, rate, args.seconds, postgres, args.client)
                        results.append(result)
                        print(
                            table([result]).splitlines()[-1], result.error_kinds or "", flush=True
                        )
                        if result.p99_ms > 2000 or result.errors > result.sent // 100:
                            break  # saturated: higher rates only queue more
                finally:
                    target.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print()
    print(table(results))
    if results:
        replies = sum(r.replies_per_text for r in results) / len(results)
        parts = sum(r.segments_per_text for r in results) / len(results)
        print(f"\nEach answered text got {replies:.2f} reply messages, {parts:.2f} SMS segments.")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
