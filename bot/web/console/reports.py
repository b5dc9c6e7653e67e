"""Texters' reports page: listings a texter said are wrong, per service, with the file to edit.

Any signed-in navigator sees them (they are about the directory, not about a
texter) and marks a service checked once the file is fixed or the listing is
confirmed. The texters' own words are shown as written, escaped by the
templates; who sent them is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.directory.model import Service
from bot.storage.audit import audit
from bot.storage.db import session_scope
from bot.storage.reports import ServiceReports, open_reports, resolve_reports
from bot.storage.staff import NavigatorRow
from bot.web.console import labels
from bot.web.console.auth import Form, Staff, console_page
from bot.web.console.render import render


@dataclass(frozen=True)
class ReportedService:
    """One service's open reports, with what the page shows about the service."""

    service_id: str
    name: str
    organization: str
    file: str  # the organization file, relative to the directory folder
    edit_url: str  # where to edit it, when HOMEWARD_DIRECTORY_EDIT_URL is set
    reports: ServiceReports


def _reported(request: Request) -> list[ReportedService]:
    conversation = request.app.state.conversation
    edit_base: str = request.app.state.settings.directory_edit_url
    with session_scope(conversation.database) as session:
        found = open_reports(session)
    out = []
    for entry in found:
        service: Service | None = conversation.search.index.service(entry.service_id)
        file = service.organization.source_file if service else ""
        out.append(
            ReportedService(
                service_id=entry.service_id,
                name=service.name if service else entry.service_id,
                organization=service.organization.name if service else "",
                file=file,
                edit_url=edit_base + file if edit_base and file else "",
                reports=entry,
            )
        )
    return out


@console_page()
async def reports_page(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/corrections: every service texters said is wrong, the most reported first."""
    services = await run_in_threadpool(_reported, request)
    flash = labels.FLASH.get(request.query_params.get("done", ""), "")
    context = {"staff": staff, "services": services, "labels": labels, "flash": flash}
    return render(request, "reports.html", context, language=staff.language)


@console_page()
async def mark_checked(request: Request, staff: Staff, form: Form) -> Response:
    """POST /console/corrections/checked: the service's reports are dealt with."""
    service_id = form.get("service_id", "")[:200]

    def work() -> None:
        with session_scope(request.app.state.conversation.database) as session:
            if resolve_reports(session, service_id, staff.email):
                navigator = session.get(NavigatorRow, staff.id)
                audit(session, navigator, "resolve_report", detail=service_id)

    if service_id:
        await run_in_threadpool(work)
    return RedirectResponse("/console/corrections?done=checked", status_code=303)
