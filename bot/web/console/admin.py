"""Admin pages: the audit log (who viewed, replied, closed...) and the accounts.

Accounts are made with `homeward navigator add` (a password never passes
through a web form someone else could watch); here an admin sees them and can
disable or enable one.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.storage.audit import AuditEntry, audit, recent_audit
from bot.storage.db import session_scope
from bot.storage.navigators import AccountError, list_navigators, set_active
from bot.storage.staff import NavigatorRow
from bot.web.console import labels
from bot.web.console.auth import Form, Staff, console_page
from bot.web.console.render import render


def _number(request: Request, name: str) -> int | None:
    wanted = request.query_params.get(name, "")
    return int(wanted) if wanted.isascii() and wanted.isdigit() and len(wanted) < 10 else None


@console_page(admin=True)
async def audit_page(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/admin/audit[?contact=ID][&navigator=ID][&reads=1]: the newest 300 entries."""
    contact_id, navigator_id = _number(request, "contact"), _number(request, "navigator")
    reads_only = request.query_params.get("reads") == "1"

    def work() -> tuple[list[AuditEntry], list[tuple[int, str]]]:
        with session_scope(request.app.state.conversation.database) as session:
            rows = recent_audit(session, 300, contact_id, navigator_id, reads_only)
            people = [(n.id, f"{n.name} ({n.email})") for n in list_navigators(session)]
            return rows, people

    rows, people = await run_in_threadpool(work)
    context = {
        "staff": staff,
        "rows": rows,
        "labels": labels,
        "contact_id": contact_id,
        "navigator_id": navigator_id,
        "reads_only": reads_only,
        "people": people,
    }
    return render(request, "audit.html", context, language=staff.language)


@console_page(admin=True)
async def navigators_page(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/admin/navigators: every account."""

    def work() -> list[NavigatorRow]:
        with session_scope(request.app.state.conversation.database) as session:
            rows = list_navigators(session)
            session.expunge_all()
            return rows

    rows = await run_in_threadpool(work)
    context = {"staff": staff, "rows": rows, "labels": labels}
    return render(request, "navigators.html", context, language=staff.language)


@console_page(admin=True)
async def set_account(request: Request, staff: Staff, form: Form) -> Response:
    """POST /console/admin/navigators: disable or enable one account (not one's own)."""
    email, active = form.get("email", ""), form.get("active") == "1"

    def work() -> None:
        with session_scope(request.app.state.conversation.database) as session:
            if email.strip().lower() == staff.email:
                return
            try:
                set_active(session, email, active)
            except AccountError:
                return
            audit(session, staff.actor, "enable" if active else "disable", detail=email[:200])

    await run_in_threadpool(work)
    return RedirectResponse("/console/admin/navigators", status_code=303)
