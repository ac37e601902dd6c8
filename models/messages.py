"""Temporal payloads: workflow inputs, workflow state, signals and the records a step writes.

Plain Pydantic models (and non-table SQLModel records): never a ``table=True`` instance.
"""

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from models.action import ActionRecord, ActionStatus, ActionUpdateRecord, RagChangeRecord
from models.audit import Actor, AuditRecord
from models.case import CaseRecord
from models.commands import ActionCommand, CaseCommand
from models.escalation import EscalationRecord, EscalationResolution, EscalationRule
from models.inbox import CommandOutcome
from models.outbox import OutboxRecord
from models.policy import Policy
from models.presenter import PresenterRecord
from models.rag import RagOverride
from models.report import UpdateRequest
from models.timer import PendingTimerRecord


class LeadContacts(BaseModel):
    """The board's engagement lead and Community Voice Lead, as a case started with them."""

    model_config = ConfigDict(frozen=True)

    engagement_lead_name: str
    engagement_lead_email: str
    cv_lead_name: str
    cv_lead_email: str


class CaseContext(BaseModel):
    """What an action's workflow knows of its case, for the messages it sends."""

    case_id: uuid.UUID
    board_name: str
    meeting_date: date
    theme: str | None
    said: str | None
    historical: bool = False
    meeting_month_only: bool = False
    leads: LeadContacts
    presenters: list[PresenterRecord] = Field(default_factory=list)


class EscalationRef(BaseModel):
    id: uuid.UUID
    rule: EscalationRule
    raised_at: datetime


class ActionState(BaseModel):
    """Everything an action workflow holds; carried whole through continue-as-new."""

    record: ActionRecord
    context: CaseContext
    policy: Policy
    epoch: int = 0  # +1 at every change of owner: timer keys of an old owner lapse
    unassigned_since: datetime | None = None
    override: RagOverride | None = None
    open_escalations: list[EscalationRef] = Field(default_factory=list)
    fired: list[str] = Field(default_factory=list)
    step: int = 0
    seen_commands: list[uuid.UUID] = Field(default_factory=list)


class ActionInput(BaseModel):
    state: ActionState
    parent_workflow_id: str
    continued: bool = False
    history_limit: int = 10_000
    #: Continuing as new: what arrived while the last step was recorded, still to apply.
    inbox: list[ActionCommand] = Field(default_factory=list)
    update_requests: list[UpdateRequest] = Field(default_factory=list)


class ActionClosed(BaseModel):
    action_id: uuid.UUID
    status: ActionStatus
    closed_at: datetime


class ActionResult(BaseModel):
    action_id: uuid.UUID
    status: ActionStatus
    closed_at: datetime | None
    closed_on_time: bool | None


class ActionBrief(BaseModel):
    seq: int
    status: ActionStatus
    closed: bool = False
    text: str = ""


class CaseState(BaseModel):
    """Everything a case workflow holds; carried whole through continue-as-new."""

    record: CaseRecord
    presenters: list[PresenterRecord] = Field(default_factory=list)
    board_name: str
    leads: LeadContacts
    policy: Policy
    started_by: Actor
    start_command_id: uuid.UUID | None = None
    actions: dict[str, ActionBrief] = Field(default_factory=dict)
    unstarted_actions: list[ActionRecord] = Field(
        default_factory=list, description="Actions whose workflows are still to be started."
    )
    recorded_updates: list[ActionUpdateRecord] = Field(
        default_factory=list, description="Imported actions' logs, written when it starts."
    )
    open_escalations: list[EscalationRef] = Field(default_factory=list)
    fired: list[str] = Field(default_factory=list)
    step: int = 0
    seen_commands: list[uuid.UUID] = Field(default_factory=list)
    reported_in_annual: bool = False
    annual_report_id: uuid.UUID | None = None
    presenter_answers: dict[str, str] = Field(
        default_factory=dict,
        description="Each presenter's answer about the agreed actions (by presenter id).",
    )
    presenter_feedback: list[str] = Field(
        default_factory=list, description="'presenter id:action id' pairs answered already."
    )


class CaseInput(BaseModel):
    state: CaseState
    continued: bool = False
    history_limit: int = 10_000
    #: Continuing as new: what arrived while the last step was recorded, still to apply.
    inbox: list[CaseCommand] = Field(default_factory=list)
    closed_actions: list[ActionClosed] = Field(default_factory=list)


class CaseReported(BaseModel):
    """The annual report that included this case was published."""

    report_id: uuid.UUID
    published_at: datetime


class CaseResult(BaseModel):
    case_id: uuid.UUID
    closed_at: datetime | None


class StepRecord(BaseModel):
    """All a workflow step changes, written in one transaction, at most once (by ``key``)."""

    key: str
    at: datetime
    workflow_id: str
    case_id: uuid.UUID
    action_id: uuid.UUID | None = None
    case: CaseRecord | None = None
    presenters: list[PresenterRecord] = Field(default_factory=list)
    actions: list[ActionRecord] = Field(default_factory=list)
    updates: list[ActionUpdateRecord] = Field(default_factory=list)
    rag_changes: list[RagChangeRecord] = Field(default_factory=list)
    escalations: list[EscalationRecord] = Field(default_factory=list)
    resolutions: list[EscalationResolution] = Field(default_factory=list)
    messages: list[OutboxRecord] = Field(default_factory=list)
    audit: list[AuditRecord] = Field(default_factory=list)
    timers: list[PendingTimerRecord] | None = None  # None: unchanged
    outcomes: list[CommandOutcome] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.case
            or self.presenters
            or self.actions
            or self.updates
            or self.rag_changes
            or self.escalations
            or self.resolutions
            or self.messages
            or self.audit
            or self.timers is not None
            or self.outcomes
        )
