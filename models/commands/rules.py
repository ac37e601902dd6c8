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
    "take_on": _OPEN,
    "close_history": _OPEN,
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


#: What applies to an action imported from past records and not taken on (and only to it).
HISTORY_COMMANDS = frozenset({"take_on", "close_history", "add_note"})


def refusal(kind: str, status: ActionStatus, closed: bool, *, history: bool = False) -> str | None:
    """Why a command cannot apply to an action in this state, in plain English; else None.

    ``history``: the action was imported from past records and nobody has taken it on."""
    if closed:
        return "This action is closed, so it can no longer be changed."
    if history and kind not in HISTORY_COMMANDS:
        return (
            "This action is a historical record, not followed up here: take it on (name an "
            "owner and a due date) or close it with what was done."
        )
    if not history and kind in HISTORY_COMMANDS - {"add_note"}:
        return "Only an action imported from past records is taken on or closed this way."
    if status in ALLOWED_FROM[kind]:
        return None
    reason = _WHY_NOT.get(kind, "of its status")
    return f"This action is '{status.value.replace('_', ' ')}', so this cannot apply: {reason}."
