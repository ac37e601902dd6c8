"""Which commands apply to an action in which status, and why not in plain English: the API
checks them for a quick answer, and the action's workflow has the final word."""

from models.action import OWNED, ActionStatus

_OPEN = frozenset(
    {
        ActionStatus.unassigned,
        ActionStatus.awaiting_acknowledgement,
        ActionStatus.in_progress,
        ActionStatus.cannot_deliver,
    }
)
ALLOWED_FROM: dict[str, frozenset[ActionStatus]] = {
    "assign_owner": _OPEN,
    "acknowledge": frozenset({ActionStatus.awaiting_acknowledgement}),
    "post_update": OWNED,
    "mark_done": _OPEN,
    "cannot_deliver": OWNED,
    "decline": OWNED,
    "extend_due_date": _OPEN,
    "override_rag": _OPEN,
    "clear_rag_override": _OPEN,
    "withdraw_action": _OPEN,
    "close_action": frozenset({ActionStatus.cannot_deliver}),
    "add_note": _OPEN,
    "raise_escalation": _OPEN,
    "resolve_escalation": _OPEN,
    "report_undeliverable": _OPEN,
}

_WHY_NOT = {
    "acknowledge": "it is not waiting for acknowledgement",
    "post_update": "it has no owner working on it",
    "cannot_deliver": "it has no owner working on it",
    "decline": "it has no owner working on it",
    "close_action": "only an action its owner cannot deliver is closed this way",
}


def refusal(kind: str, status: ActionStatus, closed: bool) -> str | None:
    """Why a command cannot apply to an action in this state, in plain English; else None."""
    if closed:
        return "This action is closed, so it can no longer be changed."
    if status in ALLOWED_FROM[kind]:
        return None
    reason = _WHY_NOT.get(kind, "of its status")
    return f"This action is '{status.value.replace('_', ' ')}', so this cannot apply: {reason}."
