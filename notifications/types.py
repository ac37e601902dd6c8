"""The catalogue of messages: one kind each, with the typed facts its templates need.

A workflow writes the facts into the outbox when something happens; the email activity renders
them (subject, plain text, HTML) when it sends. Facts hold no secrets: signed links are made at
send time from the ids here.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from models.action import ActionRecord
from models.messages import CaseContext


class MessageType(StrEnum):
    presenter_thanks = "presenter_thanks"
    presenter_contact_reminder = "presenter_contact_reminder"
    owner_naming_reminder = "owner_naming_reminder"
    owner_action_assigned = "owner_action_assigned"
    owner_acknowledgement_reminder = "owner_acknowledgement_reminder"
    owner_update_reminder = "owner_update_reminder"
    owner_action_overdue = "owner_action_overdue"
    owner_action_reassigned = "owner_action_reassigned"
    owner_declined_action = "owner_declined_action"
    escalation_raised = "escalation_raised"
    presenter_action_closed = "presenter_action_closed"
    owner_receipt = "owner_receipt"
    presenter_replied = "presenter_replied"
    reminder_digest = "reminder_digest"  # made by delivery: the day's reminders to one person
    owner_update_request = "owner_update_request"
    elg_digest = "elg_digest"
    report_draft_ready = "report_draft_ready"


#: Reminders are gathered: one email a person a day lists all that waits on them.
REMINDER_KINDS = frozenset(
    {
        MessageType.presenter_contact_reminder,
        MessageType.owner_naming_reminder,
        MessageType.owner_acknowledgement_reminder,
        MessageType.owner_update_reminder,
        MessageType.owner_update_request,
    }
)


class Facts(BaseModel):
    model_config = ConfigDict(frozen=True)


class CaseFacts(Facts):
    case_id: uuid.UUID
    board_name: str
    meeting_date: date
    meeting_month_only: bool = False
    theme: str | None = None
    said: str | None = None

    @classmethod
    def of(cls, case: CaseContext) -> CaseFacts:
        return cls(
            case_id=case.case_id,
            board_name=case.board_name,
            meeting_date=case.meeting_date,
            meeting_month_only=case.meeting_month_only,
            theme=case.theme,
            said=case.said,
        )


class ActionFacts(Facts):
    action_id: uuid.UUID
    seq: int
    text: str
    due_date: date | None = None
    owner_name: str | None = None
    partner_name: str | None = None
    owner_id: uuid.UUID | None = None

    @classmethod
    def of(cls, action: ActionRecord) -> ActionFacts:
        return cls(
            action_id=action.id,
            seq=action.seq,
            text=action.text,
            due_date=action.due_date,
            owner_name=action.owner_name,
            partner_name=action.partner_name,
            owner_id=action.owner_id,
        )


class PresenterThanks(Facts):
    case: CaseFacts
    presenter_id: uuid.UUID
    presenter_name: str
    greeting: str | None = None  # the name alone (presenter_name adds the organisation)
    actions: list[ActionFacts]


class PresenterContactReminder(Facts):
    case: CaseFacts
    presenters: list[str]
    escalates_at: datetime


class OwnerNamingReminder(Facts):
    case: CaseFacts
    action: ActionFacts
    owner_as_written: str | None = None
    escalates_at: datetime


class OwnerActionAssigned(Facts):
    case: CaseFacts
    action: ActionFacts
    assignment_no: int
    note: str | None = None


class OwnerAcknowledgementReminder(Facts):
    case: CaseFacts
    action: ActionFacts
    assignment_no: int
    escalates_at: datetime


class OwnerUpdateReminder(Facts):
    case: CaseFacts
    action: ActionFacts
    assignment_no: int
    last_progress_at: datetime
    escalates_at: datetime


class OwnerActionOverdue(Facts):
    case: CaseFacts
    action: ActionFacts
    assignment_no: int


class OwnerActionReassigned(Facts):
    case: CaseFacts
    action: ActionFacts
    new_owner_name: str | None = None


class OwnerDeclinedAction(Facts):
    case: CaseFacts
    action: ActionFacts
    declined_by: str
    reason: str
    suggested_owner: str | None = None


class EscalationRaised(Facts):
    case: CaseFacts
    action: ActionFacts | None = None
    escalation_id: uuid.UUID
    rule: str
    reason: str


class PresenterActionClosed(Facts):
    case: CaseFacts
    action: ActionFacts
    presenter_id: uuid.UUID
    presenter_name: str
    greeting: str | None = None  # the name alone (presenter_name adds the organisation)
    outcome: str  # done / withdrawn / not_delivered
    what_was_done: str


class OwnerReceipt(Facts):
    """What an owner told us through their link, and what became of it."""

    case: CaseFacts
    action: ActionFacts
    owner_id: uuid.UUID
    assignment_no: int
    command: str  # acknowledge / post_update / mark_done / cannot_deliver / decline
    said: str | None = None
    rag: str | None = None
    still_on_track: bool = False
    receipt: str
    link_open: bool = Field(description="The owner may still use their link (action open, theirs).")


class PresenterReplied(Facts):
    """A presenter answered through their link: the engagement lead is told."""

    case: CaseFacts
    action: ActionFacts | None = None
    presenter_name: str
    about: Literal["actions", "outcome"]
    answer: str  # confirmed / missing / met / partly / not_met
    comment: str | None = None


class DigestItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    outbox_id: uuid.UUID
    kind: MessageType
    facts: dict[str, Any]


class ReminderDigest(Facts):
    """Reminders to one person gathered into one email (see notifications/gathering.py)."""

    items: list[DigestItem]


class OwnerUpdateRequest(Facts):
    """The quarterly cut-off: the owner is asked for news before the board meets."""

    case: CaseFacts
    action: ActionFacts
    assignment_no: int
    board_meeting_date: date | None = None
    cutoff_at: datetime


class ElgDigestItem(Facts):
    text: str


class ElgDigestFigure(Facts):
    label: str
    value: str


class ElgDigest(Facts):
    """The monthly Engagement Leads Group digest: headline figures and the first lines of the
    most pressing sections (``more``: how many further lines each has on the page)."""

    report_id: uuid.UUID
    board_name: str
    meeting_date: date
    period_start: date
    period_end: date
    late: bool = False
    headline: list[ElgDigestFigure] = Field(default_factory=list)
    sections: dict[str, list[ElgDigestItem]]
    more: dict[str, int] = Field(default_factory=dict)
    on_the_page: list[ElgDigestFigure] = Field(default_factory=list)
    reply_to_name: str | None = Field(
        default=None, description="Replies go to this person (the engagement lead)."
    )
    for_reply_to: bool = Field(
        default=False, description="This copy goes to the person replies go to."
    )


class ReportDraftReady(Facts):
    """A quarterly or annual draft is ready for the Community Voice Lead to review."""

    report_id: uuid.UUID
    board_name: str
    kind: str
    title: str
    rows: int
    late: bool = False


FACTS_BY_TYPE: dict[MessageType, type[Facts]] = {
    MessageType.presenter_thanks: PresenterThanks,
    MessageType.presenter_contact_reminder: PresenterContactReminder,
    MessageType.owner_naming_reminder: OwnerNamingReminder,
    MessageType.owner_action_assigned: OwnerActionAssigned,
    MessageType.owner_acknowledgement_reminder: OwnerAcknowledgementReminder,
    MessageType.owner_update_reminder: OwnerUpdateReminder,
    MessageType.owner_action_overdue: OwnerActionOverdue,
    MessageType.owner_action_reassigned: OwnerActionReassigned,
    MessageType.owner_declined_action: OwnerDeclinedAction,
    MessageType.escalation_raised: EscalationRaised,
    MessageType.presenter_action_closed: PresenterActionClosed,
    MessageType.owner_receipt: OwnerReceipt,
    MessageType.presenter_replied: PresenterReplied,
    MessageType.reminder_digest: ReminderDigest,
    MessageType.owner_update_request: OwnerUpdateRequest,
    MessageType.elg_digest: ElgDigest,
    MessageType.report_draft_ready: ReportDraftReady,
}
