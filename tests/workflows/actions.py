"""What the action workflow tests share: the working-day moments of the Easter-week calendar
(tests/workflows/calendar_anchor.py), and reads of what the workflow wrote."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from models.action import RagChange
from models.escalation import Escalation, EscalationRule
from models.messages import CaseInput
from models.outbox import OutboxMessage
from models.rag import Rag
from tests.workflows.calendar_anchor import london
from tests.workflows.conftest import Scenario

MINUTE = timedelta(minutes=1)


def five_working_days(s: Scenario) -> datetime:
    return london(s.monday + timedelta(days=9), 9)


def ten_working_days(s: Scenario) -> datetime:
    return london(s.monday + timedelta(days=16), 9)


def messages(s: Scenario, kind: str) -> list[OutboxMessage]:
    return sorted(s.rows(OutboxMessage, kind=kind), key=lambda m: m.created_at)


def escalations(s: Scenario, rule: EscalationRule) -> list[Escalation]:
    return s.rows(Escalation, rule=rule)


def rag_changes(s: Scenario, action_id: uuid.UUID) -> list[tuple[Rag, datetime]]:
    rows = sorted(s.rows(RagChange, action_id=action_id), key=lambda r: r.at)
    return [(r.to_rag, r.at) for r in rows]


async def start_owned_action(s: Scenario, **action: object) -> tuple[CaseInput, uuid.UUID]:
    await s.go_to(london(s.monday, 14))
    case = await s.start(actions=[{"text": "Survey every flat", "owner_id": s.owner.id, **action}])
    return case, case.state.unstarted_actions[0].id
