"""The partner report page (``/console/reports``) and its exports, for admins and partners.

A partner account sees this page and nothing else (every other console page
answers 403; see ``auth.console_page``). The page shows only the report's
figures (counts, suppressed as "<11") and the curators' lists: no text,
number, name or id of a texter. Every view and every export is written to
the audit log with the months it covered.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.i18n import N_
from bot.reports.curators import rank
from bot.reports.export import to_csv
from bot.reports.read import read_report, today
from bot.reports.report import PeriodError, Span, span
from bot.storage.db import session_scope
from bot.web.console import charts
from bot.web.console.auth import REPORT_ROLES, Form, Staff, console_page
from bot.web.console.render import render

ROWS_SHOWN = 50  # rows of a long list on the page (the downloads have them all)


def _top(figures: dict[str, object]) -> list[tuple[str, object]]:
    """The largest figures first (a hidden one after the shown), at most ``ROWS_SHOWN``."""
    return sorted(figures.items(), key=lambda kv: (rank(kv[1]), kv[0]))[:ROWS_SHOWN]


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _report(request: Request, staff: Staff, action: str) -> tuple[dict[str, Any] | None, str]:
    """The report of the asked period (audited as ``action``), or a problem to show."""
    start = _day(request.query_params.get("from", "")[:10])
    end = _day(request.query_params.get("to", "")[:10])
    conversation = request.app.state.conversation
    with session_scope(conversation.database) as session:
        try:
            period: Span = span(start, end, today(session))
        except PeriodError as exc:
            return None, str(exc)
        report = read_report(
            session,
            conversation.view.directory,
            period,
            edit_url=request.app.state.settings.directory_edit_url,
            actor=staff.actor,
            action=action,
        )
    return report, ""


def _charts(report: dict[str, Any]) -> dict[str, charts.Chart]:
    months = [m["month"] for m in report["months"]]
    period = report["period"]

    def series(*path: str) -> list[object]:
        out = []
        for m in report["months"]:
            value: Any = m
            for step in path:
                value = value[step]
            out.append(value)
        return out

    return {
        "texters": charts.columns(
            N_("Texters per month"),
            months,
            [
                (N_("new"), series("texters", "new")),
                (N_("returning"), series("texters", "returning")),
            ],
        ),
        "requests": charts.columns(
            N_("Requests for a person per month"),
            months,
            [(N_("requests"), series("handoffs", "requests"))],
        ),
        "needs": charts.rows(
            N_("Needs asked, by category"),
            [(k, v) for k, v in period["needs"].items() if v != 0] or [("(none)", 0)],
        ),
        "unmet": charts.rows(N_("Unmet needs, by reason"), list(period["unmet_reasons"].items())),
    }


@console_page(roles=REPORT_ROLES)
async def report_page(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/reports[?from=YYYY-MM-DD&to=YYYY-MM-DD]: the report, charts and tables."""
    report, problem = await run_in_threadpool(_report, request, staff, "report_view")
    context: dict[str, Any] = {
        "staff": staff,
        "report": report,
        "problem": problem,
        "charts_of": _charts(report) if report else {},
        "top_zips": _top(report["period"]["needs_by_zip"]) if report else [],
        "rows_shown": ROWS_SHOWN,
        "start": request.query_params.get("from", "")[:10],
        "end": request.query_params.get("to", "")[:10],
    }
    return render(
        request,
        "partner_report.html",
        context,
        language=staff.language,
        status_code=400 if problem else 200,
    )


@console_page(roles=REPORT_ROLES)
async def report_export(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/reports/export?format=json|csv[&from=...&to=...]: a download."""
    shape = request.query_params.get("format", "json")
    if shape not in ("json", "csv"):
        return Response("format must be json or csv\n", status_code=400, media_type="text/plain")
    report, problem = await run_in_threadpool(_report, request, staff, f"report_{shape}")
    if report is None:
        return Response(problem + "\n", status_code=400, media_type="text/plain")
    name = f"homeward-report-{report['from']}-{report['to']}.{shape}"
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    if shape == "csv":
        return Response(to_csv(report), media_type="text/csv; charset=utf-8", headers=headers)
    body = json.dumps(report, indent=2, ensure_ascii=False)
    return Response(body, media_type="application/json", headers=headers)
