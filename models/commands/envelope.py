"""What every command carries: who sent it, when, and a unique id (``CommandEnvelope``), and
the base of every ``…Body`` a client sends."""

import uuid
from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from models.audit import Actor
from models.text import CleanText

Text = Annotated[str, Field(min_length=1, max_length=10_000)]
Reason = Annotated[
    str,
    Field(min_length=3, max_length=5_000, description="Why: kept in the history and shown."),
]


class Body(CleanText, BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommandEnvelope(BaseModel):
    #: Its body was checked when it came in (models.text): a replayed history must still load.
    text_checked_on_entry: ClassVar[bool] = True

    command_id: uuid.UUID
    actor: Actor
    received_at: datetime
    for_assignment: int | None = Field(
        default=None,
        description="Set for an owner's signed link: refused if the action was reassigned since.",
    )
