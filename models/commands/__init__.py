"""Human input: what staff, owners and presenters ask the process to do.

Each ``…Body`` is what a client sends; the command adds who sent it, when, and a unique id,
and travels through the inbox into the workflow that owns the record. ``refusal`` holds the
rules both the API (for a quick answer) and the workflow (the final word) apply.

| module | holds |
|---|---|
| ``envelope`` | ``CommandEnvelope`` (who, when, which id) and ``Body``, the base of every body |
| ``action`` | the action's commands and ``ActionCommand`` |
| ``case`` | the case's commands and ``CaseCommand`` |
| ``history`` | taking on, or closing, an action imported from past records |
| ``shared`` | the commands both take: a note, an escalation, an undeliverable message |
| ``rules`` | which commands apply in which status (``refusal``) |
"""

from models.commands.action import (
    Acknowledge,
    AcknowledgeBody,
    ActionCommand,
    ActionCommandSignal,
    AssignOwner,
    AssignOwnerBody,
    CannotDeliver,
    CannotDeliverBody,
    ClearRagOverride,
    ClearRagOverrideBody,
    CloseAction,
    CloseActionBody,
    Decline,
    DeclineBody,
    ExtendDueDate,
    ExtendDueDateBody,
    MarkDone,
    MarkDoneBody,
    OverrideRag,
    OverrideRagBody,
    PostUpdate,
    PostUpdateBody,
    WithdrawAction,
    WithdrawActionBody,
)
from models.commands.case import (
    AddAction,
    AddActionBody,
    CaseCommand,
    CaseCommandSignal,
    ConfirmPresenterContact,
    ConfirmPresenterContactBody,
    PresenterConfirm,
    PresenterConfirmBody,
    PresenterFeedback,
    PresenterFeedbackBody,
)
from models.commands.envelope import (
    Body,
    CommandEnvelope,
    Reason,
    Text,
)
from models.commands.history import CloseHistory, CloseHistoryBody, TakeOn, TakeOnBody
from models.commands.rules import (
    ALLOWED_FROM,
    refusal,
)
from models.commands.shared import (
    AddNote,
    AddNoteBody,
    RaiseEscalation,
    RaiseEscalationBody,
    ReportUndeliverable,
    ReportUndeliverableBody,
    ResolveEscalation,
    ResolveEscalationBody,
)

__all__ = [
    "ALLOWED_FROM",
    "Acknowledge",
    "AcknowledgeBody",
    "ActionCommand",
    "ActionCommandSignal",
    "AddAction",
    "AddActionBody",
    "AddNote",
    "AddNoteBody",
    "AssignOwner",
    "AssignOwnerBody",
    "Body",
    "CannotDeliver",
    "CannotDeliverBody",
    "CaseCommand",
    "CaseCommandSignal",
    "ClearRagOverride",
    "ClearRagOverrideBody",
    "CloseAction",
    "CloseActionBody",
    "CloseHistory",
    "CloseHistoryBody",
    "CommandEnvelope",
    "ConfirmPresenterContact",
    "ConfirmPresenterContactBody",
    "Decline",
    "DeclineBody",
    "ExtendDueDate",
    "ExtendDueDateBody",
    "MarkDone",
    "MarkDoneBody",
    "OverrideRag",
    "OverrideRagBody",
    "PostUpdate",
    "PostUpdateBody",
    "PresenterConfirm",
    "PresenterConfirmBody",
    "PresenterFeedback",
    "PresenterFeedbackBody",
    "RaiseEscalation",
    "RaiseEscalationBody",
    "Reason",
    "TakeOn",
    "TakeOnBody",
    "ReportUndeliverable",
    "ReportUndeliverableBody",
    "ResolveEscalation",
    "ResolveEscalationBody",
    "Text",
    "WithdrawAction",
    "WithdrawActionBody",
    "refusal",
]
