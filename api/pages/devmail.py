"""The development mail catcher's inbox: read every message the service sent, click its links.

Only mounted when ``environment`` is ``development`` or ``test`` (a 404 in production). It reads
the Maildir that ``notifications.catcher`` writes (``settings.dev_mail_dir``).
"""

from __future__ import annotations

import html
import mailbox
import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from api.templating import render
from models.formatting import date_and_time

router = APIRouter(prefix="/dev/mail", include_in_schema=False)

_KEY = re.compile(r"^[A-Za-z0-9._:,=+-]{1,200}$")
_URL = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class MailSummary:
    key: str
    number: int
    received: str
    to: str
    subject: str


def _box(request: Request) -> mailbox.Maildir | None:
    folder: Path = request.app.state.settings.dev_mail_dir
    if not folder.exists():
        return None
    return mailbox.Maildir(str(folder), factory=None, create=False)


def _parse(box: mailbox.Maildir, key: str) -> EmailMessage:
    with box.get_file(key) as handle:
        message = message_from_bytes(handle.read(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _when(message: EmailMessage, fallback: float) -> datetime:
    try:
        return parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError):
        from datetime import UTC

        return datetime.fromtimestamp(fallback, UTC)


def _messages(box: mailbox.Maildir) -> list[tuple[str, EmailMessage, datetime]]:
    out = []
    for key in box.keys():
        message = _parse(box, key)
        out.append((key, message, _when(message, box.get_message(key).get_date())))
    return sorted(out, key=lambda item: item[2], reverse=True)


def linkify(text: str) -> Markup:
    """Plain text as HTML with every web address a link (the text is escaped first)."""
    escaped = html.escape(text, quote=True)
    return Markup(_URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped))


@router.get("", response_class=HTMLResponse)
def inbox(request: Request) -> Response:
    box = _box(request)
    rows = []
    if box is not None:
        items = _messages(box)
        for index, (key, message, when) in enumerate(items):
            rows.append(
                MailSummary(
                    key=key,
                    number=len(items) - index,
                    received=date_and_time(when),
                    to=str(message["To"] or ""),
                    subject=" ".join(str(message["Subject"] or "(no subject)").split()),
                )
            )
    return render(request, "devmail/inbox.jinja", {"page_title": "Mail catcher", "rows": rows})


def _find(request: Request, key: str) -> tuple[mailbox.Maildir, EmailMessage] | None:
    box = _box(request)
    if box is None or not _KEY.match(key):
        return None
    try:
        return box, _parse(box, key)
    except KeyError:
        return None


@router.get("/{key}", response_class=HTMLResponse)
def message_page(request: Request, key: str) -> Response:
    found = _find(request, key)
    if found is None:
        return render(
            request,
            "devmail/missing.jinja",
            {"page_title": "Message not found"},
            status_code=404,
        )
    _, message = found
    text_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    headers: list[dict[str, Any]] = [
        {"key": name, "text": str(message[name])}
        for name in ("Subject", "From", "To", "Reply-To", "Date", "Message-ID")
        if message[name]
    ]
    return render(
        request,
        "devmail/message.jinja",
        {
            "page_title": " ".join(str(message["Subject"] or "(no subject)").split()),
            "back_link": {"href": "/dev/mail", "text": "Back to the inbox"},
            "headers": headers,
            "text": linkify(text_part.get_content()) if text_part is not None else None,
            "has_html": html_part is not None,
            "key": key,
        },
    )


@router.get("/{key}/html", response_class=HTMLResponse)
def message_html(request: Request, key: str) -> Response:
    """The HTML part, shown in a sandboxed frame; its links open in the whole window."""
    found = _find(request, key)
    part = found[1].get_body(("html",)) if found else None
    if part is None:
        return HTMLResponse("Not found", status_code=404)
    body = str(part.get_content())
    body = body.replace("<head>", '<head><base target="_top">', 1)
    return HTMLResponse(
        body,
        headers={  # framed by the message page of this site, and only by it
            "Content-Security-Policy": "sandbox allow-top-navigation-by-user-activation "
            "allow-popups; script-src 'none'; frame-ancestors 'self'",
            "X-Frame-Options": "SAMEORIGIN",
            "Cache-Control": "no-store",
        },
    )
