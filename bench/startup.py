"""Start-up: cold command times and worker readiness, for one or more checkouts.

For each checkout (a folder with its own `.venv`, e.g. this repo and a clone at
an older commit), in the same run:

- the baseline: `python -c "import sqlalchemy"` with that checkout's Python;
- `homeward --help`;
- `homeward search "food 94607" --json` and `echo "food 94607" | homeward chat
  --json` on the sample directory (loaded into a fresh SQLite file first,
  untimed);
- worker readiness: `homeward serve --workers 2` from spawn until both workers
  answered /healthz with 200 (a worker says 503 "starting" while it warms up),
  on directories of 191 (the sample), 5,000 and 100,000 services, after
  `homeward directory load` (untimed), as a deploy or restart meets it. For
  checkouts that save an index, also with the index folder emptied first (the
  first start of a new version, when one worker builds it and the other waits);
- memory per worker once ready: RSS, and PSS (proportional set size: pages
  shared between the workers, such as a mapped index, count half to each).

Generated directories clone the sample's organization files with new ids
(``-c<n>`` suffixes), so they are the sample's text repeated; they measure size,
not variety. Each timed command runs with `PYTHONDONTWRITEBYTECODE=1` in a
fresh process; the file cache is warm (the first, untimed, run reads the files).

    .venv/bin/python bench/startup.py --checkouts .,../before --sizes 191,5000,100000
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "resources_directory"
QUERY = "food 94607"


def generated_directory(size: int, into: Path) -> Path:
    """A directory folder of about ``size`` services: the sample's files, cloned."""
    if size <= 191:
        return SAMPLE
    folder = into / f"directory-{size}"
    if folder.exists():
        return folder
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("organizations"))
    (folder / "organizations").mkdir()
    originals = [
        (path.stem, yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted((SAMPLE / "organizations").glob("*.yaml"))
    ]
    made, copy = 0, 0
    while made < size:
        for stem, org in originals:
            if made >= size:
                break
            clone = _clone(org, copy)
            made += len(clone.get("services", []))
            text = yaml.safe_dump(clone, allow_unicode=True, sort_keys=False)
            (folder / "organizations" / f"{stem}-c{copy}.yaml").write_text(text, "utf-8")
        copy += 1
    return folder


def _clone(org: dict[str, object], copy: int) -> dict[str, object]:
    """One organization with every id suffixed, and the references to them."""
    suffix = f"-c{copy}"
    clone = dict(org)
    clone["id"] = f"{org['id']}{suffix}"
    clone["name"] = f"{org['name']} {copy}"
    clone["locations"] = [
        {**loc, "id": f"{loc['id']}{suffix}"}
        for loc in org.get("locations", [])  # type: ignore[attr-defined]
    ]
    services = []
    for service in org.get("services", []):  # type: ignore[attr-defined]
        one = {**service, "id": f"{service['id']}{suffix}"}
        if "locations" in service:
            one["locations"] = [f"{loc}{suffix}" for loc in service["locations"]]
        services.append(one)
    clone["services"] = services
    return clone


class Checkout:
    """One checkout's commands, each run in a fresh process on its own database."""

    def __init__(self, path: Path, work: Path) -> None:
        self.path = path.resolve()
        self.python = self.path / ".venv" / "bin" / "python"
        self.homeward = self.path / ".venv" / "bin" / "homeward"
        self.work = work / self.path.name
        self.work.mkdir(parents=True, exist_ok=True)
        self.saves_index = "HOMEWARD_INDEX_DIR" in (self.path / "bot" / "settings.py").read_text()
        # Byte-compiled once, as an installed package is (and as `make test` does):
        # with PYTHONDONTWRITEBYTECODE set, every timed command would compile bot/ again.
        subprocess.run(
            [str(self.python), "-m", "compileall", "-q", "bot"], cwd=self.path, check=True
        )

    def env(self, database: str, directory: Path) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith("HOMEWARD_")}
        return {
            **keep,
            "PYTHONDONTWRITEBYTECODE": "1",
            "HOMEWARD_ENV": "development",
            "HOMEWARD_DATABASE_URL": f"sqlite:///{self.work / database}",
            "HOMEWARD_DIRECTORY": str(directory),
            "HOMEWARD_INDEX_DIR": str(self.work / (database + ".index")),
        }

    def run(self, args: list[str], env: dict[str, str], stdin: str = "") -> float:
        started = time.perf_counter()
        done = subprocess.run(
            args, env=env, input=stdin, capture_output=True, text=True, cwd=self.work, check=False
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)}: {done.stderr[-2000:]}")
        return elapsed

    def load(self, directory: Path, database: str) -> None:
        (self.work / database).unlink(missing_ok=True)
        shutil.rmtree(self.work / (database + ".index"), ignore_errors=True)
        env = self.env(database, directory)
        self.run([str(self.homeward), "directory", "load", str(directory)], env)

    def serve_ready(
        self, database: str, directory: Path, workers: int = 2
    ) -> tuple[float, list[tuple[float, float]], float]:
        """Seconds until every worker said ok, each worker's RSS and PSS, and the PSS of
        the whole server (parent and workers: a forking parent holds what it shares)."""
        port = _free_port()
        env = self.env(database, directory)
        log = self.work / f"serve-{port}.log"
        with log.open("wb") as out:
            started = time.perf_counter()
            process = subprocess.Popen(
                [str(self.homeward), "serve", "--port", str(port), "--workers", str(workers)],
                env=env,
                cwd=self.work,
                stdout=out,
                stderr=out,
                start_new_session=True,
            )
        seen: set[int] = set()
        try:
            while len(seen) < workers:
                if process.poll() is not None or time.perf_counter() - started > 900:
                    raise RuntimeError(f"serve did not start: {log.read_text()[-3000:]}")
                try:
                    answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
                except httpx.TransportError:
                    time.sleep(0.02)
                    continue
                if answer.status_code == 200:
                    seen.add(int(answer.json()["worker"]))
                else:
                    time.sleep(0.02)
            elapsed = time.perf_counter() - started
            memory = [_memory(pid) for pid in seen]
            server = sum(_memory(pid)[1] for pid in _process_tree(process.pid))
        finally:
            os.killpg(process.pid, 15)
            process.wait(timeout=120)
        return elapsed, memory, server


def _memory(pid: int) -> tuple[float, float]:
    """RSS and PSS of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value) / 1024
    return fields["Rss"], fields["Pss"]


def _process_tree(pid: int) -> list[int]:
    """A process and its descendants (uvicorn's supervisor also starts a resource tracker)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in os.listdir(f"/proc/{current}/task"):
            children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
            todo.extend(int(c) for c in children)
    return found


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def median_of(times: list[float]) -> str:
    return f"{statistics.median(times):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkouts", default=".", help="comma-separated checkout folders")
    parser.add_argument("--sizes", default="191,5000,100000")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command")
    parser.add_argument("--serve-repeat", type=int, default=3, help="starts of each server")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="homeward-startup-"))
    checkouts = [Checkout(Path(p), work) for p in args.checkouts.split(",")]
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {sys.version.split()[0]}")
    print(f"Command: {' '.join(sys.argv)}\n")
    print("| checkout | import sqlalchemy s | --help s | search s | chat s | search / import |")
    print("|---|---|---|---|---|---|")
    for checkout in checkouts:
        checkout.load(SAMPLE, "sample.sqlite3")
        env = checkout.env("sample.sqlite3", SAMPLE)
        commands = {
            "import": ([str(checkout.python), "-c", "import sqlalchemy"], ""),
            "help": ([str(checkout.homeward), "--help"], ""),
            "search": ([str(checkout.homeward), "search", QUERY, "--json"], ""),
            "chat": ([str(checkout.homeward), "chat", "--json"], QUERY + "\n"),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command, stdin in commands.values():
            checkout.run(command, env, stdin)  # untimed: file cache, first-run work
        for _ in range(args.repeat):
            for name, (command, stdin) in commands.items():  # interleaved: same conditions
                times[name].append(checkout.run(command, env, stdin))
        ratio = statistics.median(times["search"]) / statistics.median(times["import"])
        print(
            f"| {checkout.path.name} | {median_of(times['import'])} | {median_of(times['help'])} "
            f"| {median_of(times['search'])} | {median_of(times['chat'])} | {ratio:.1f}x |"
        )
    print(
        "\nWorker readiness, `homeward serve --workers 2` (median of starts), memory per worker:\n"
    )
    print("| checkout | services | start | ready s | RSS MB | PSS MB | server PSS MB |")
    print("|---|---|---|---|---|---|---|")
    for size in sizes:
        directory = generated_directory(size, work)
        for checkout in checkouts:
            database = f"d{size}.sqlite3"
            checkout.load(directory, database)
            starts = ["index saved by load"] if checkout.saves_index else ["restart"]
            if checkout.saves_index:
                starts.append("no index yet")
            for start in starts:
                readiness, memory, whole = [], [], []
                for _ in range(args.serve_repeat):
                    if start == "no index yet":
                        shutil.rmtree(checkout.work / (database + ".index"), ignore_errors=True)
                    elapsed, used, server = checkout.serve_ready(database, directory)
                    readiness.append(elapsed)
                    memory.extend(used)
                    whole.append(server)
                rss = statistics.median(m[0] for m in memory)
                pss = statistics.median(m[1] for m in memory)
                print(
                    f"| {checkout.path.name} | {size:,} | {start} | {median_of(readiness)} "
                    f"| {rss:.0f} | {pss:.0f} | {statistics.median(whole):.0f} |",
                    flush=True,
                )
            if checkout.saves_index:
                checkout.load(directory, database)  # leave a saved index for the next size
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
