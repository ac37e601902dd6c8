"""Rendering a message: subject, complete plain text and HTML from its kind's templates.

``notifications/templates/<kind>.subject.txt.jinja``, ``<kind>.txt.jinja`` and
``<kind>.html.jinja``, with the UK date filters of ``models/formatting.py``. HTML is escaped
automatically; text and subject are not (they are not HTML). Signed links are made here, at
send time, so every email carries a fresh link (which renews its 60 days).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models.base import utcnow
from models.escalation import RULE_LABELS, EscalationRule
from models.formatting import FILTERS, SERVICE_NAME
from models.outbox import OutboxRecord
from models.rag import LABELS, Rag
from models.text import printable, printable_output
from notifications.links import Links
from notifications.types import FACTS_BY_TYPE, Facts, MessageType, ReminderDigest

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Item:
    """One reminder inside a gathered email (or a message on its own)."""

    kind: MessageType
    m: Facts
    links: dict[str, str]


def _rag_label(value: str | None) -> str:
    return LABELS[Rag(value)] if value else ""


def _rule_label(value: str) -> str:
    try:
        return RULE_LABELS[EscalationRule(value)]
    except ValueError:
        return value.replace("_", " ")


def build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html.jinja",), default=False),
        undefined=StrictUndefined,
        finalize=printable_output,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.filters["rag_label"] = _rag_label
    env.filters["rule_label"] = _rule_label
    env.globals["service_name"] = SERVICE_NAME
    return env


#: The ELG digest email's sections, in the order the group reads them (the page has them all).
DIGEST_HEADINGS = [
    ("owners_not_responding", "Owners not responding"),
    ("got_worse", "Actions whose rating got worse this month"),
    ("by_partner", "Open actions by partner"),
]


class Renderer:
    def __init__(self, links: Links) -> None:
        self.links = links
        self.env = build_environment()

    def item(self, kind: MessageType, facts: dict[str, Any]) -> Item:
        m = FACTS_BY_TYPE[kind].model_validate(facts)
        return Item(kind=kind, m=m, links=self._links(kind, m))

    def render(self, kind: MessageType | str, facts: dict[str, Any], *, to: str) -> Rendered:
        kind = MessageType(kind)
        if kind is MessageType.reminder_digest:
            digest = ReminderDigest.model_validate(facts)
            if len(digest.items) == 1:  # one reminder reads best as itself
                only = digest.items[0]
                return self.render(only.kind, only.facts, to=to)
            items = [self.item(i.kind, i.facts) for i in digest.items]
            context: dict[str, Any] = {"items": items, "to": to, "m": digest, "links": {}}
        else:
            single = self.item(kind, facts)
            context = {
                "m": single.m,
                "links": single.links,
                "to": getattr(single.m, "greeting", None) or to,
                "item": single,
                "headings": DIGEST_HEADINGS,
            }
        subject = " ".join(
            self.env.get_template(f"{kind}.subject.txt.jinja").render(context).split()
        )
        context["subject"] = subject
        return Rendered(
            subject=subject,
            text=self.env.get_template(f"{kind}.txt.jinja").render(context),
            html=self.env.get_template(f"{kind}.html.jinja").render(context),
        )

    def _links(self, kind: MessageType, m: Any) -> dict[str, str]:
        """The signed links each kind carries (and the staff case page for staff messages)."""
        links = self.links
        match kind:
            case MessageType.presenter_thanks:
                return {"confirm": links.presenter_url(m.case.case_id, m.presenter_id)}
            case MessageType.presenter_action_closed:
                return {"feedback": links.feedback_url(m.action.action_id, m.presenter_id)}
            case (
                MessageType.owner_action_assigned
                | MessageType.owner_acknowledgement_reminder
                | MessageType.owner_update_reminder
                | MessageType.owner_action_overdue
                | MessageType.owner_update_request
            ):
                if m.action.owner_id is None:
                    return {}
                return {
                    "action": links.owner_url(
                        m.action.action_id, m.action.owner_id, m.assignment_no
                    )
                }
            case MessageType.owner_receipt:
                if not m.link_open:
                    return {}
                return {"action": links.owner_url(m.action.action_id, m.owner_id, m.assignment_no)}
            case (
                MessageType.presenter_contact_reminder
                | MessageType.owner_naming_reminder
                | MessageType.owner_declined_action
                | MessageType.escalation_raised
                | MessageType.presenter_replied
            ):
                return {"case": links.case_url(m.case.case_id)}
            case MessageType.elg_digest | MessageType.report_draft_ready:
                return {"report": links.report_url(m.report_id)}
        return {}


def message_id(outbox_id: uuid.UUID, from_address: str) -> str:
    """Stable across retries: the receiving side can tell a resend from a new message."""
    domain = from_address.rpartition("@")[2] or "community-voice.invalid"
    return f"<cvt.{outbox_id}@{domain}>"


def _one_line(value: str) -> str:
    return " ".join(printable(value).split())


def address(name: str | None, email: str) -> Address:
    """One mailbox, whatever its display name holds: a name such as ``Eve <eve@evil.example>,
    Bob é`` is quoted (or encoded) as a name, never read as more addresses."""
    return Address(display_name=_one_line(name or ""), addr_spec=email)


def compose(
    row: OutboxRecord,
    rendered: Rendered,
    *,
    from_address: str,
    from_name: str,
) -> EmailMessage:
    """The MIME message: From the service, Reply-To the relevant person, both parts."""
    assert row.recipient_email is not None
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = address(from_name, from_address)
    message["To"] = address(row.recipient_name, row.recipient_email)
    if row.reply_to:
        message["Reply-To"] = address(None, row.reply_to)
    message["Message-ID"] = message_id(row.id, from_address)
    message["Date"] = format_datetime(utcnow())
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies stay quiet
    message["X-Community-Voice-Kind"] = row.kind
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
