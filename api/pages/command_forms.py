"""The staff commands a case page offers, each a small form posting to the workflow's inbox.

One ``CommandSpec`` per command: where it lives, who may use it, when it applies, its fields
and their labels. The same ``Commands`` service as the JSON API does the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from models.action import Action, ActionStatus
from models.case import CONTACT_OUTCOMES, Case
from models.commands import (
    AcknowledgeBody,
    AddNoteBody,
    AssignOwnerBody,
    Body,
    ClearRagOverrideBody,
    CloseActionBody,
    CloseHistoryBody,
    ConfirmPresenterContactBody,
    ExtendDueDateBody,
    MarkDoneBody,
    OverrideRagBody,
    PostUpdateBody,
    RaiseEscalationBody,
    TakeOnBody,
    WithdrawActionBody,
    refusal,
)
from models.rag import RagSource
from models.staff import Permission, StaffUser

FieldKind = Literal["textarea", "date", "rag", "owner", "checkbox"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: FieldKind = "textarea"
    hint: str | None = None
    required: bool = False


@dataclass(frozen=True)
class CommandSpec:
    slug: str
    kind: str
    scope: Literal["case", "action"]
    permission: Permission
    link: str  # the button on the case page
    title: str  # the form page's heading
    submit: str
    body: type[Body]
    fields: tuple[FieldSpec, ...]
    intro: str | None = None

    @property
    def labels(self) -> dict[str, str]:
        return {f.name: f.label for f in self.fields}

    @property
    def dates(self) -> list[str]:
        return [f.name for f in self.fields if f.kind == "date"]


REASON = FieldSpec("reason", "Reason", hint="This is kept in the case's history and shown.")
NOTE = FieldSpec("note", "Note (optional)")

ACTION_COMMANDS = [
    CommandSpec(
        "take-on",
        "take_on",
        "action",
        Permission.drive_actions,
        "Take on for live follow-up",
        "Take on this action for live follow-up",
        "Take it on",
        TakeOnBody,
        (
            FieldSpec("owner_id", "Owner", "owner", required=True),
            FieldSpec("due_date", "Due date", "date", required=True),
            NOTE,
        ),
        "It is a record from past papers and nobody is chasing it. From the moment you take it "
        "on, the owner is sent it to acknowledge, and it is rated, reminded and escalated like "
        "any other action.",
    ),
    CommandSpec(
        "close-history",
        "close_history",
        "action",
        Permission.drive_actions,
        "Close with what was done",
        "Close this historical action with what was done",
        "Close it",
        CloseHistoryBody,
        (
            FieldSpec("text", "What was done"),
            FieldSpec("done_on", "When it was done (if known)", "date"),
        ),
        "It stays a historical record: it is not rated.",
    ),
    CommandSpec(
        "owner",
        "assign_owner",
        "action",
        Permission.drive_actions,
        "Assign or reassign the owner",
        "Who owns this action?",
        "Assign owner",
        AssignOwnerBody,
        (FieldSpec("owner_id", "Owner", "owner", required=True), NOTE),
        "The owner is sent the action and a link to acknowledge it.",
    ),
    CommandSpec(
        "acknowledge",
        "acknowledge",
        "action",
        Permission.drive_actions,
        "Record the owner's acknowledgement",
        "Record the owner's acknowledgement",
        "Record acknowledgement",
        AcknowledgeBody,
        (NOTE,),
        "Use this when the owner acknowledged the action by phone or in a meeting.",
    ),
    CommandSpec(
        "update",
        "post_update",
        "action",
        Permission.drive_actions,
        "Record a progress update",
        "Record a progress update",
        "Record update",
        PostUpdateBody,
        (
            FieldSpec("text", "What has happened since the last update"),
            FieldSpec("rag", "The owner's own rating (optional)", "rag"),
        ),
    ),
    CommandSpec(
        "done",
        "mark_done",
        "action",
        Permission.drive_actions,
        "Mark as done",
        "Mark the action as done",
        "Mark as done",
        MarkDoneBody,
        (FieldSpec("text", "What was done", hint="The presenters are told this, in these words."),),
    ),
    CommandSpec(
        "due-date",
        "extend_due_date",
        "action",
        Permission.intervene,
        "Extend the due date",
        "Extend the due date",
        "Change due date",
        ExtendDueDateBody,
        (FieldSpec("due_date", "New due date", "date", required=True), REASON),
    ),
    CommandSpec(
        "rag",
        "override_rag",
        "action",
        Permission.intervene,
        "Override RAG",
        "Override the RAG rating",
        "Override rating",
        OverrideRagBody,
        (FieldSpec("rag", "RAG rating", "rag", required=True), REASON),
        "Your rating stands until you clear it or the facts change (for example, it falls due).",
    ),
    CommandSpec(
        "rag-clear",
        "clear_rag_override",
        "action",
        Permission.intervene,
        "Clear RAG override",
        "Clear your RAG override",
        "Clear override",
        ClearRagOverrideBody,
        (FieldSpec("reason", "Reason (optional)"),),
    ),
    CommandSpec(
        "note",
        "add_note",
        "action",
        Permission.drive_actions,
        "Add a note",
        "Add a note to the action",
        "Add note",
        AddNoteBody,
        (FieldSpec("text", "Note"),),
    ),
    CommandSpec(
        "escalate",
        "raise_escalation",
        "action",
        Permission.drive_actions,
        "Escalate",
        "Escalate to the Community Voice Lead",
        "Escalate",
        RaiseEscalationBody,
        (REASON,),
    ),
    CommandSpec(
        "withdraw",
        "withdraw_action",
        "action",
        Permission.drive_actions,
        "Withdraw",
        "Withdraw the action",
        "Withdraw action",
        WithdrawActionBody,
        (REASON,),
        "A withdrawn action is closed and no longer chased. The presenters are told.",
    ),
    CommandSpec(
        "close",
        "close_action",
        "action",
        Permission.intervene,
        "Close as not deliverable",
        "Close the action as not deliverable",
        "Close action",
        CloseActionBody,
        (REASON,),
    ),
]

CASE_COMMANDS = [
    CommandSpec(
        "contact",
        "confirm_presenter_contact",
        "case",
        Permission.drive_actions,
        "Confirm contact with presenters",
        "Confirm contact with the presenters",
        "Confirm contact",
        ConfirmPresenterContactBody,
        (FieldSpec("note", "What was agreed with the presenters (optional)"),),
        "Confirm that you have contacted the presenters and agreed the actions with them.",
    ),
    CommandSpec(
        "note",
        "add_note",
        "case",
        Permission.drive_actions,
        "Add a note to the case",
        "Add a note to the case",
        "Add note",
        AddNoteBody,
        (FieldSpec("text", "Note"),),
    ),
    CommandSpec(
        "escalate",
        "raise_escalation",
        "case",
        Permission.drive_actions,
        "Escalate the case",
        "Escalate the case to the Community Voice Lead",
        "Escalate",
        RaiseEscalationBody,
        (REASON,),
    ),
]

BY_SLUG = {
    "action": {spec.slug: spec for spec in ACTION_COMMANDS},
    "case": {spec.slug: spec for spec in CASE_COMMANDS},
}


def action_allows(spec: CommandSpec, action: Action) -> bool:
    """Whether the command applies to the action as it stands (the workflow checks again)."""
    if refusal(spec.kind, action.status, action.is_closed, history=action.is_history) is not None:
        return False
    if spec.kind == "clear_rag_override":
        return action.rag_source is RagSource.override
    if spec.kind == "override_rag":
        return action.rag_source is not RagSource.override
    if spec.kind == "mark_done":
        return action.status is not ActionStatus.unassigned
    return True


def contact_due(case: Case, presenters: int) -> bool:
    return (
        case.outcome in CONTACT_OUTCOMES
        and not case.historical
        and presenters > 0
        and case.presenter_contact_confirmed_at is None
    )


def case_allows(spec: CommandSpec, case: Case, presenters: int) -> bool:
    if spec.kind == "confirm_presenter_contact":
        return contact_due(case, presenters)
    return True


def available(
    specs: list[CommandSpec], user: StaffUser, allows: Any, *args: Any
) -> list[CommandSpec]:
    return [s for s in specs if user.can(s.permission) and allows(s, *args)]


def body_fields(spec: CommandSpec, values: dict[str, Any], due_date: date | None) -> dict[str, Any]:
    """The command body's fields from a parsed form."""
    out: dict[str, Any] = {}
    for f in spec.fields:
        if f.kind == "date":
            out[f.name] = due_date
        elif f.kind == "checkbox":
            out[f.name] = values.get(f.name) == "yes"
        else:
            out[f.name] = values.get(f.name) or None
    return {k: v for k, v in out.items() if v is not None}
