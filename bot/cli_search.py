"""`homeward search` and `homeward chat`: the directory and the conversation, in a terminal."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli_common import UsageError, warn_if_newer_files_failed
from bot.runtime import Runtime, open_runtime
from bot.search.engine import SearchResult
from bot.search.geo import parse_near
from bot.search.render import result_json, result_text
from bot.settings import Settings


def search(args: argparse.Namespace, settings: Settings) -> int:
    """One query, or one JSON line per line of --batch, in order."""
    if args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    if args.near is not None and parse_near(args.near) is None:
        raise UsageError(f'--near must be a US ZIP code or "lat,lon", not {args.near!r}')
    if (args.batch is None) == (args.query is None):
        raise UsageError(
            'give a query, e.g. homeward search "shelter 94607", or --batch FILE, not both'
        )
    runtime = _open(settings)
    if args.category is not None and args.category not in runtime.search.index.category_slugs:
        raise UsageError(
            f"--category must be one of {', '.join(runtime.search.index.category_slugs)}"
        )
    if args.batch is not None:
        return _batch(runtime, args)
    result = _run_query(runtime, args, args.query)
    print(json.dumps(result_json(result), ensure_ascii=False) if args.json else result_text(result))
    return 0


def chat(settings: Settings, kind: str, user: str, as_json: bool) -> int:
    """The conversation a texter has, on standard input and output."""
    # Imported here: `homeward search` needs none of the conversation.
    from bot.channels.console import ConsoleChat
    from bot.conversation.core import Conversation

    runtime = _open(settings)
    talk = ConsoleChat(
        Conversation(runtime.engine, runtime.search, settings), user, kind, sys.stdout
    )
    if sys.stdin.isatty() and not as_json:
        talk.run_interactive(sys.stdin)
    else:
        talk.run_lines(sys.stdin, as_json)
    return 0


def _open(settings: Settings) -> Runtime:
    runtime = open_runtime(settings)
    warn_if_newer_files_failed(runtime.problems)
    return runtime


def _run_query(runtime: Runtime, args: argparse.Namespace, query: str) -> SearchResult:
    return runtime.search.search(
        query,
        near=args.near,
        language=args.lang,
        limit=args.limit,
        open_now=args.open_now,
        category=args.category,
    )


def _batch(runtime: Runtime, args: argparse.Namespace) -> int:
    try:
        lines = args.batch.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {args.batch}: {exc}") from exc
    out = sys.stdout
    for line in lines:
        result = _run_query(runtime, args, line.strip())
        out.write(json.dumps(result_json(result), ensure_ascii=False) + "\n")
    out.flush()
    return 0
