"""The quarterly cut-off as an action sees it: its owner is asked for an update, once.

Pure: called by ``ActionWorkflow`` when the quarterly report workflow signals
``request_update``; the message goes out through the action's own step, like every other
message about the action.
"""

from __future__ import annotations

from models.action import OWNED
from models.audit import Actor
from models.formatting import long_date
from models.messages import ActionState
from models.report import UpdateRequest
from notifications.types import MessageType, OwnerUpdateRequest
from workflows.action_rules.messages import action_facts, case_facts, tell_owner
from workflows.step import Step


def request_update(s: ActionState, request: UpdateRequest, step: Step) -> None:
    """Ask the owner for an update before the board meets; at most once per report."""
    r = s.record
    key = f"update-request:{request.key}"
    if r.closed_at is not None or key in s.fired:
        return
    s.fired.append(key)
    meeting = f" for the board on {long_date(request.meeting_date)}" if request.meeting_date else ""
    if r.status not in OWNED or r.owner_name is None:
        step.audit(
            Actor.system(),
            "action.update_request_skipped",
            f"Quarterly report{meeting}: no owner to ask for an update",
        )
        return
    tell_owner(
        s,
        step,
        MessageType.owner_update_request,
        OwnerUpdateRequest(
            case=case_facts(s),
            action=action_facts(s),
            assignment_no=r.assignment_no,
            board_meeting_date=request.meeting_date,
            cutoff_at=request.cutoff_at,
        ),
    )
    step.audit(
        Actor.system(),
        "action.update_requested",
        f"{r.owner_name} asked for an update for the quarterly report{meeting}",
        report_id=request.report_id,
    )
