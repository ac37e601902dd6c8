"""Scrubbing an erased presenter from a case's or an action's workflow state (pure: the
workflows call these, then record the scrubbed rows and continue as new)."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from models.erasure import ErasePresenter, scrub_presenters
from models.messages import ActionState, CaseState

C = TypeVar("C", bound=BaseModel)


def scrub_case(
    state: CaseState, inbox: list[C], erasures: list[ErasePresenter]
) -> tuple[CaseState, list[C]]:
    for erasure in erasures:
        presenters, scrubber = scrub_presenters(state.presenters, erasure)
        if scrubber is None:
            continue
        state = scrubber.model(state.model_copy(update={"presenters": presenters}))
        inbox = [scrubber.model(command) for command in inbox]
    return state, inbox


def scrub_action(
    state: ActionState, inbox: list[C], erasures: list[ErasePresenter]
) -> tuple[ActionState, list[C]]:
    for erasure in erasures:
        presenters, scrubber = scrub_presenters(state.context.presenters, erasure)
        if scrubber is None:
            continue
        context = state.context.model_copy(update={"presenters": presenters})
        state = scrubber.model(state.model_copy(update={"context": context}))
        inbox = [scrubber.model(command) for command in inbox]
    return state, inbox
