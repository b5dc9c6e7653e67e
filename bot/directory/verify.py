"""``homeward directory verify-requests``: entries due for a provider's check, and the check.

A listing is due when it was never verified, was last verified more than
``days`` ago (``assured_date``, "last verified"), or texters reported it wrong
(those first). Each comes with the message to send its provider. When the
provider answers that it is right (or after fixing it), ``--checked ID``
writes today's date into the service's ``assured_date`` in its file: the
files stay the source of truth, and the next load carries the date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.directory.loader import load_directory, organization_files
from bot.directory.model import WEEKDAYS, Directory, Service
from bot.directory.stats import STALE_DAYS
from bot.directory.yamlfile import LineDict, LineList, YamlFileError, load_yaml


class VerifyError(Exception):
    """The service cannot be marked checked (unknown id, unreadable file)."""


@dataclass(frozen=True)
class Due:
    """One listing to check with its provider."""

    service: Service
    reason: str
    reports: int
    message: str

    def as_json(self) -> dict[str, object]:
        """The ``--json`` shape of one entry."""
        org = self.service.organization
        phones = self.service.contact_phones()
        return {
            "id": self.service.id,
            "name": self.service.name,
            "organization": org.name,
            "file": org.source_file,
            "last_verified": self.service.assured_date.isoformat()
            if self.service.assured_date
            else None,
            "reason": self.reason,
            "texters_reports": self.reports,
            "contact": {"email": org.email or self.service.email, "phone": _phone(phones)},
            "message": self.message,
        }


def due_for_check(
    directory: Directory,
    reports: Mapping[str, Mapping[str, int]],
    today: dt.date,
    days: int = STALE_DAYS,
) -> list[Due]:
    """Listings to check: reported ones first, then never verified, then the oldest."""
    out = []
    for service in directory.services:
        reported = sum(reports.get(service.id, {}).values())
        last = service.assured_date
        if reported:
            reason = f"{reported} texters' report(s): " + ", ".join(
                f"{kind} {count}" for kind, count in sorted(reports[service.id].items())
            )
        elif last is None:
            reason = "never verified"
        elif (today - last).days > days:
            reason = f"last verified {last.isoformat()}"
        else:
            continue
        out.append(Due(service, reason, reported, provider_message(service)))
    out.sort(key=lambda d: (-d.reports, d.service.assured_date or dt.date.min, d.service.id))
    return out


def provider_message(service: Service) -> str:
    """What to send the provider: what we list, and how to answer."""
    location = service.locations[0] if service.locations else None
    parts = [f"{service.name} ({service.organization.name})"]
    if location is not None and location.full_address():
        parts.append(f"at {location.full_address()}")
    phone = _phone(service.contact_phones())
    if phone:
        parts.append(f"phone {phone}")
    hours = _hours(service)
    if hours:
        parts.append(f"hours {hours}")
    return (
        "Hello from Homeward, the texting helpline for people coming home from prison or "
        f"jail. We list {', '.join(parts)}. Is this still right? Reply YES if it is, or tell "
        "us what changed."
    )


def mark_checked(folder: Path, service_id: str, on: dt.date) -> Path:
    """Write ``assured_date: ON`` into the service's file; the file must stay valid."""
    for path in organization_files(folder):
        text = path.read_text(encoding="utf-8")
        try:
            data = load_yaml(path)
        except YamlFileError:
            continue
        item = _service_item(data, service_id)
        if item is None:
            continue
        path.write_text(_with_date(text, item, on), encoding="utf-8")
        problems = load_directory(folder).problems
        mine = [p for p in problems if Path(p.path) == path]
        if mine:
            path.write_text(text, encoding="utf-8")
            raise VerifyError(f"{path}: the date could not be written: {mine[0]}")
        return path
    raise VerifyError(f"no service '{service_id}' in {folder}")


def _service_item(data: object, service_id: str) -> LineDict | None:
    services = data.get("services") if isinstance(data, LineDict) else None
    for item in services if isinstance(services, LineList) else []:
        if isinstance(item, LineDict) and str(item.get("id", "")) == service_id:
            return item
    return None


def _with_date(text: str, item: LineDict, on: dt.date) -> str:
    """The file's text with the item's ``assured_date`` set (replaced, or added under its id)."""
    lines = text.splitlines(keepends=True)
    if "assured_date" in item.lines:
        n = item.lines["assured_date"] - 1
        lines[n] = re.sub(r"(assured_date:\s*).*", rf"\g<1>{on.isoformat()}", lines[n], count=1)
        return "".join(lines)
    n = item.lines["id"] - 1
    column = lines[n].index("id:")
    lines.insert(n + 1, " " * column + f"assured_date: {on.isoformat()}\n")
    return "".join(lines)


def _phone(phones: tuple[object, ...]) -> str:
    return str(getattr(phones[0], "number", "")) if phones else ""


def _hours(service: Service) -> str:
    rows = [
        f"{'/'.join(WEEKDAYS[d][:3].title() for d in s.weekdays)} {s.opens_at}-{s.closes_at}"
        for s in service.schedules
    ]
    return "; ".join(rows)
