"""The navigators' console (``/console``) and the demo texting page (``/demo``).

Server-rendered with Jinja2; a small script adds the live parts (the queue and
the transcript refresh every few seconds). Mounted by ``bot.web.app``.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.web.console import (
    admin,
    auth,
    conversation,
    demo,
    partner,
    people,
    queue,
    reports,
)
from bot.web.console.render import STATIC
from bot.web.console.security import SecurityHeaders
from bot.web.limits import ClientGone

_CONVERSATION = "/conversations/{contact_id:int}"
_PERSON = "/people/{person_id:int}"


def console_routes() -> list[BaseRoute]:
    """Every console and demo route."""
    console = [
        Route("/", queue.queue_page, methods=["GET"]),
        Route("/queue/rows", queue.queue_rows, methods=["GET"]),
        Route("/login", auth.login_page, methods=["GET"]),
        Route("/login", auth.login, methods=["POST"]),
        Route("/logout", auth.logout, methods=["POST"]),
        Route("/language", auth.set_language, methods=["POST"]),
        Route(_CONVERSATION, conversation.conversation_page, methods=["GET"]),
        Route(_CONVERSATION + "/transcript", conversation.transcript_fragment, methods=["GET"]),
        Route(_CONVERSATION + "/reply", conversation.reply, methods=["POST"]),
        Route(_CONVERSATION + "/notes", conversation.note, methods=["POST"]),
        Route(_CONVERSATION + "/name", conversation.name, methods=["POST"]),
        Route(_CONVERSATION + "/close", conversation.close, methods=["POST"]),
        Route(_CONVERSATION + "/claim", conversation.claim, methods=["POST"]),
        Route(_CONVERSATION + "/release", conversation.release, methods=["POST"]),
        Route(_CONVERSATION + "/take-over", conversation.take_over, methods=["POST"]),
        Route("/notices/dismiss", queue.dismiss, methods=["POST"]),
        Route(_CONVERSATION + "/assign", conversation.assign_to, methods=["POST"]),
        Route(_CONVERSATION + "/later", people.later, methods=["POST"]),
        Route("/people", people.people_page, methods=["GET"]),
        Route("/people", people.enrol, methods=["POST"]),
        Route("/people/new", people.new_person_page, methods=["GET"]),
        Route(_PERSON, people.person_page, methods=["GET"]),
        Route(_PERSON + "/appointments", people.appointment, methods=["POST"]),
        Route(_PERSON + "/messages", people.schedule, methods=["POST"]),
        Route(_PERSON + "/letter", people.letter, methods=["GET"]),
        Route("/reports", partner.report_page, methods=["GET"]),
        Route("/reports/export", partner.report_export, methods=["GET"]),
        Route("/corrections", reports.reports_page, methods=["GET"]),
        Route("/corrections/checked", reports.mark_checked, methods=["POST"]),
        Route("/admin/audit", admin.audit_page, methods=["GET"]),
        Route("/admin/navigators", admin.navigators_page, methods=["GET"]),
        Route("/admin/navigators", admin.set_account, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="console-static"),
    ]
    return [
        Route("/console", queue.queue_page, methods=["GET"]),
        Mount("/console", routes=console),
        Route("/demo", demo.demo_page, methods=["GET"]),
        Route("/demo", demo.demo_send, methods=["POST"]),
        Route("/demo/messages", demo.demo_messages, methods=["GET"]),
        Route("/demo/reset", demo.demo_reset, methods=["POST"]),
    ]


MIDDLEWARE = [Middleware(SecurityHeaders), Middleware(ClientGone)]

__all__ = ["MIDDLEWARE", "console_routes"]
