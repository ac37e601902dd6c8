"""Commands that apply to a case and to an action alike: a note, an escalation raised or
resolved by hand, and delivery's report that a message about it could not be delivered."""

import uuid
from typing import Literal

from pydantic import Field

from models.commands.envelope import Body, CommandEnvelope, Reason, Text


class AddNoteBody(Body):
    text: Text


class AddNote(AddNoteBody, CommandEnvelope):
    kind: Literal["add_note"] = "add_note"


class RaiseEscalationBody(Body):
    reason: Reason


class RaiseEscalation(RaiseEscalationBody, CommandEnvelope):
    kind: Literal["raise_escalation"] = "raise_escalation"


class ResolveEscalationBody(Body):
    note: Reason


class ResolveEscalation(ResolveEscalationBody, CommandEnvelope):
    kind: Literal["resolve_escalation"] = "resolve_escalation"
    escalation_id: uuid.UUID


class ReportUndeliverableBody(Body):
    """Delivery's report that a message was refused for good (a bounce)."""

    outbox_id: uuid.UUID
    recipient_role: str
    recipient_name: str
    address: str
    error: str = Field(max_length=1_000)


class ReportUndeliverable(ReportUndeliverableBody, CommandEnvelope):
    kind: Literal["report_undeliverable"] = "report_undeliverable"
