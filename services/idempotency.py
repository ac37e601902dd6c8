"""Idempotency keys: the same request sent twice is one command, and gets the first answer.

A client's key (the ``Idempotency-Key`` header, or the submission id a form carries) counts
within its scope: who sent it, which operation, on which record. Two people, or one person on
two records, may use the same key without meeting. The inbox stores the scoped key (unique) and
a hash of the request; a key sent again with the same request returns the first command, and
with a different request is refused (``KeyReused``, HTTP 422), since the first one was kept.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from models.audit import Actor
from services.errors import FieldError, InvalidInput

FIELD = "Idempotency-Key"


@dataclass(frozen=True)
class Request:
    """One request as the inbox keeps it: its scoped key (None: no key given) and its hash."""

    key: str | None
    hash: str


def request(
    actor: Actor,
    operation: str,
    target: str,
    body: BaseModel | None,
    client_key: str | None,
    **extra: Any,
) -> Request:
    """``target``: the record the operation is on (``action:<id>``, ``cases`` for a new one);
    ``extra``: what else makes the request (a link's assignment number, an escalation)."""
    who = [actor.kind.value, actor.id or actor.name]
    asked = {
        "operation": operation,
        "target": target,
        "body": body.model_dump(mode="json") if body is not None else None,
        **{k: str(v) for k, v in extra.items() if v is not None},
    }
    key = None
    if client_key:
        key = "k:" + _digest([*who, operation, target, client_key])
    return Request(key=key, hash=_digest(asked))


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class KeyReused(InvalidInput):
    """The key was used before for a different request: the first is kept, this one refused."""

    def __init__(self, kind: str, first: uuid.UUID) -> None:
        super().__init__(
            FieldError(
                FIELD,
                f"this key was used before for a different request ({kind.replace('_', ' ')}, "
                f"kept as command {first}); send a new key with a new request",
            )
        )
        self.first = first
