"""The owner's forms, one ``OwnerForm`` each: its path, the command it sends, its page and
template, how the form's fields become the command's body, and what to say when one is wrong.
The routes that show and post them are in ``owner``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from models.commands import (
    Body,
    CannotDeliverBody,
    DeclineBody,
    MarkDoneBody,
    PostUpdateBody,
)


@dataclass(frozen=True)
class OwnerForm:
    path: str
    kind: str
    title: str
    template: str
    build: Callable[[dict[str, str]], dict[str, Any]]
    body: type[Body]
    messages: dict[str, str]
    required: tuple[str, ...] = ()


FORMS = [
    OwnerForm(
        path="update",
        kind="post_update",
        title="Give a progress update",
        template="owner/update.jinja",
        build=lambda f: {"text": f.get("text", ""), "rag": f.get("rag") or None},
        body=PostUpdateBody,
        messages={
            "text": "Say what has happened since the last update",
            "rag": "Choose how it is going: green, amber or red",
        },
        required=("text", "rag"),
    ),
    OwnerForm(
        path="done",
        kind="mark_done",
        title="Tell us it is done",
        template="owner/done.jinja",
        build=lambda f: {"text": f.get("text", "")},
        body=MarkDoneBody,
        messages={"text": "Say what was done: the presenters are told this"},
    ),
    OwnerForm(
        path="cannot-deliver",
        kind="cannot_deliver",
        title="Tell us it cannot be delivered",
        template="owner/cannot_deliver.jinja",
        build=lambda f: {"reason": f.get("reason", "")},
        body=CannotDeliverBody,
        messages={"reason": "Say why it cannot be delivered"},
    ),
    OwnerForm(
        path="not-mine",
        kind="decline",
        title="Tell us this action is not yours",
        template="owner/not_mine.jinja",
        build=lambda f: {
            "reason": f.get("reason", ""),
            "suggested_owner": (f.get("suggested_owner") or "").strip() or None,
        },
        body=DeclineBody,
        messages={
            "reason": "Say why it is not yours",
            "suggested_owner": "Keep the suggested owner under 500 characters",
        },
    ),
]
