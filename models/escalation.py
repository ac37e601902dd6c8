"""Escalations: raised by a rule of the policy or by hand, resolved by the Community Voice Lead."""

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import enum_column, new_id, utc_column


class EscalationRule(StrEnum):
    presenter_contact_overdue = "presenter_contact_overdue"
    owner_not_named = "owner_not_named"
    not_acknowledged = "not_acknowledged"
    no_update = "no_update"
    overdue = "overdue"
    cannot_deliver = "cannot_deliver"
    owner_unreachable = "owner_unreachable"
    presenter_not_met = "presenter_not_met"
    presenter_unreachable = "presenter_unreachable"
    manual = "manual"


RULE_LABELS = {
    EscalationRule.presenter_contact_overdue: "Presenters not contacted in time",
    EscalationRule.owner_not_named: "No owner named in time",
    EscalationRule.not_acknowledged: "Owner has not acknowledged",
    EscalationRule.no_update: "No progress update",
    EscalationRule.overdue: "Action overdue",
    EscalationRule.cannot_deliver: "Owner says it cannot be delivered",
    EscalationRule.owner_unreachable: "Owner's email address bounces",
    EscalationRule.presenter_not_met: "Presenter says the response did not meet their concern",
    EscalationRule.presenter_unreachable: "Presenter's email address bounces",
    EscalationRule.manual: "Raised by hand",
}


class EscalationStatus(StrEnum):
    open = "open"
    resolved = "resolved"


class EscalationRecord(SQLModel):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="case.id", index=True)
    action_id: uuid.UUID | None = Field(default=None, foreign_key="action.id", index=True)
    workflow_id: str = Field(max_length=100)
    rule: EscalationRule = enum_column(EscalationRule, index=True)
    reason: str
    raised_at: datetime = utc_column(nullable=False, index=True)
    raised_by: str = "Rule"
    assigned_to_name: str
    assigned_to_email: str
    status: EscalationStatus = enum_column(EscalationStatus, EscalationStatus.open, index=True)
    resolved_at: datetime | None = utc_column()
    resolved_by: str | None = None
    resolution_note: str | None = None


class Escalation(EscalationRecord, table=True):
    # The queue: open escalations, oldest first.
    __table_args__ = (sa.Index("ix_escalation_status_raised", "status", "raised_at"),)


class EscalationResolution(SQLModel):
    """A workflow's record that an open escalation was resolved."""

    escalation_id: uuid.UUID
    resolved_at: datetime
    resolved_by: str
    note: str
