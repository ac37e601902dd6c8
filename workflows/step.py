"""A workflow step: everything one wake-up of a workflow changes, recorded in one activity call.

The ``Step`` builder collects audit events, messages, escalations and log entries; the workflow
hands its ``record`` to the ``record_step`` activity, which writes it all in one transaction,
once. Pure code: ids come from the workflow's deterministic ``uuid4``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from models.action import ActionUpdateRecord, RagChangeRecord, UpdateKind
from models.audit import Actor, AuditRecord
from models.escalation import RULE_LABELS, EscalationRecord, EscalationResolution, EscalationRule
from models.inbox import CommandOutcome, CommandStatus
from models.messages import EscalationRef, LeadContacts, StepRecord
from models.outbox import OutboxRecord, OutboxStatus, RecipientRole
from models.rag import Rag, RagAssessment
from notifications.types import EscalationRaised, Facts, MessageType


class Step:
    def __init__(
        self,
        *,
        key: str,
        at: datetime,
        workflow_id: str,
        case_id: uuid.UUID,
        action_id: uuid.UUID | None,
        new_id: Callable[[], uuid.UUID],
    ) -> None:
        self.record = StepRecord(
            key=key, at=at, workflow_id=workflow_id, case_id=case_id, action_id=action_id
        )
        self.new_id = new_id
        self._moment: datetime | None = None

    @property
    def at(self) -> datetime:
        """When what is being recorded happened (a timer's due time, else the step's time)."""
        return self._moment or self.record.at

    @contextmanager
    def happening_at(self, moment: datetime) -> Iterator[None]:
        """Date what is recorded inside the block at ``moment`` (a timer fires at its due time)."""
        self._moment = moment
        try:
            yield
        finally:
            self._moment = None

    def audit(
        self,
        actor: Actor,
        verb: str,
        summary: str,
        *,
        at: datetime | None = None,
        action_id: uuid.UUID | None = None,
        **detail: Any,
    ) -> None:
        self.record.audit.append(
            AuditRecord(
                id=self.new_id(),
                at=at or self.at,
                actor_kind=actor.kind,
                actor_name=actor.name,
                actor_id=actor.id,
                source=actor.source,
                verb=verb,
                summary=summary,
                case_id=self.record.case_id,
                action_id=action_id or self.record.action_id,
                detail={k: _plain(v) for k, v in detail.items()},
                step_order=len(self.record.audit),
            )
        )

    def message(
        self,
        kind: MessageType,
        facts: Facts,
        *,
        role: RecipientRole,
        name: str,
        email: str | None,
        route: str | None = None,
        reply_to: str | None = None,
    ) -> None:
        """Queue a message in the outbox. No address: kept for the engagement lead to pass on."""
        self.record.messages.append(
            OutboxRecord(
                id=self.new_id(),
                kind=kind.value,
                case_id=self.record.case_id,
                action_id=self.record.action_id,
                recipient_role=role,
                recipient_name=name,
                recipient_email=email,
                recipient_route=None if email else (route or "No contact route recorded"),
                reply_to=reply_to,
                facts=facts.model_dump(mode="json"),
                created_at=self.at,
                status=OutboxStatus.pending if email else OutboxStatus.manual,
            )
        )
        where = email or f"to pass on by hand ({route or 'no contact route recorded'})"
        self.audit(
            Actor.system(),
            "message.queued",
            f"Message '{kind.value.replace('_', ' ')}' queued for {name}, {where}",
            kind=kind.value,
            recipient_role=role.value,
        )

    def escalate(
        self,
        *,
        rule: EscalationRule,
        reason: str,
        leads: LeadContacts,
        facts: Callable[[uuid.UUID], EscalationRaised],
        raised_by: Actor | None = None,
    ) -> EscalationRef:
        """Raise an escalation to the Community Voice Lead's queue and inbox."""
        escalation_id = self.new_id()
        by = raised_by or Actor.system()
        self.record.escalations.append(
            EscalationRecord(
                id=escalation_id,
                case_id=self.record.case_id,
                action_id=self.record.action_id,
                workflow_id=self.record.workflow_id,
                rule=rule,
                reason=reason,
                raised_at=self.at,
                raised_by="Rule" if by.kind.value == "system" else by.name,
                assigned_to_name=leads.cv_lead_name,
                assigned_to_email=leads.cv_lead_email,
            )
        )
        self.audit(by, "escalation.raised", f"Escalated: {RULE_LABELS[rule]}. {reason}", rule=rule)
        self.message(
            MessageType.escalation_raised,
            facts(escalation_id),
            role=RecipientRole.cv_lead,
            name=leads.cv_lead_name,
            email=leads.cv_lead_email,
            reply_to=leads.engagement_lead_email,
        )
        return EscalationRef(id=escalation_id, rule=rule, raised_at=self.at)

    def resolve(
        self, ref: EscalationRef, *, by: Actor, note: str, at: datetime | None = None
    ) -> None:
        self.record.resolutions.append(
            EscalationResolution(
                escalation_id=ref.id, resolved_at=at or self.at, resolved_by=by.name, note=note
            )
        )
        self.audit(
            by,
            "escalation.resolved",
            f"Escalation resolved ({RULE_LABELS[ref.rule]}): {note}",
            at=at,
            escalation_id=ref.id,
        )

    def log_update(
        self,
        *,
        kind: UpdateKind,
        text: str,
        author: Actor,
        at: datetime,
        rag_at_time: Rag,
        stated_rag: Rag | None = None,
    ) -> None:
        assert self.record.action_id is not None
        self.record.updates.append(
            ActionUpdateRecord(
                id=self.new_id(),
                action_id=self.record.action_id,
                case_id=self.record.case_id,
                at=at,
                kind=kind,
                text=text,
                author_name=author.name,
                author_kind=author.kind.value,
                stated_rag=stated_rag,
                rag_at_time=rag_at_time,
            )
        )

    def rag_changed(self, before: Rag | None, after: RagAssessment) -> None:
        assert self.record.action_id is not None
        self.record.rag_changes.append(
            RagChangeRecord(
                id=self.new_id(),
                action_id=self.record.action_id,
                case_id=self.record.case_id,
                at=self.at,
                from_rag=before,
                to_rag=after.rag,
                cause=after.cause,
                source=after.source,
            )
        )

    def outcome(self, command_id: uuid.UUID, status: CommandStatus, message: str) -> None:
        self.record.outcomes.append(
            CommandOutcome(command_id=command_id, status=status, message=message)
        )


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID | datetime):
        return str(value)
    return value
