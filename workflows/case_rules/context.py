"""What a case passes on about itself: to each action's workflow, and into its messages."""

from __future__ import annotations

from models.action import ActionRecord
from models.messages import ActionInput, ActionState, CaseContext, CaseState
from notifications.types import CaseFacts


def context(s: CaseState) -> CaseContext:
    r = s.record
    return CaseContext(
        case_id=r.id,
        board_name=s.board_name,
        meeting_date=r.meeting_date,
        theme=r.theme,
        said=r.said,
        historical=r.historical,
        meeting_month_only=r.meeting_month_only,
        leads=s.leads,
        presenters=s.presenters,
    )


def case_facts(s: CaseState) -> CaseFacts:
    return CaseFacts.of(context(s))


def action_input(
    s: CaseState, record: ActionRecord, parent_workflow_id: str, history_limit: int
) -> ActionInput:
    """The input of an action's child workflow."""
    return ActionInput(
        state=ActionState(
            record=record,
            context=context(s),
            policy=s.policy,
            epoch=record.assignment_no,
            unassigned_since=record.created_at if record.owner_id is None else None,
        ),
        parent_workflow_id=parent_workflow_id,
        history_limit=history_limit,
    )
