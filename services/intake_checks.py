"""Every problem of a session as given, found in one round: the schema's (``CaseCreate``) and
intake's (the board, the meeting date, the theme, owners and partners) together, each named by
the field as the file writes it, in the order of the file.

``cvt case start`` uses it so that a person fixes a file once, not problem by problem.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from models.case import CaseCreate, CaseOutcome
from services import intake
from services.errors import FieldError, InvalidInput, field_errors

#: Pydantic's error types for a value that is not a date (or date and time).
DATE_ERRORS = (
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
)
DATETIME_ERRORS = ("datetime_type", "datetime_parsing", "datetime_from_date_parsing")


def _schema_problems(data: Mapping[str, Any]) -> tuple[CaseCreate | None, list[FieldError]]:
    try:
        return CaseCreate.model_validate(data), []
    except ValidationError as invalid:
        raw = invalid.errors()
    problems = []
    for error, named in zip(raw, field_errors(list(raw)), strict=True):
        message = named["message"]
        if error["type"] in DATE_ERRORS:
            message = f"'{error['input']}' is not a date: write it as YYYY-MM-DD"
        elif error["type"] in DATETIME_ERRORS:
            message = (
                f"'{error['input']}' is not a date and time: write it as YYYY-MM-DDTHH:MM:SS+00:00"
            )
        problems.append(FieldError(named["field"], message))
    return None, problems


def _rule(check: Callable[..., object], *args: Any, **kwargs: Any) -> list[FieldError]:
    """The problems one of intake's checks finds (it stops at its first)."""
    try:
        check(*args, **kwargs)
    except InvalidInput as invalid:
        return list(invalid.errors)
    return []


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def case_problems(
    session: Session, data: Mapping[str, Any], *, now: datetime
) -> tuple[CaseCreate | None, list[FieldError]]:
    """The session (None if the schema refuses it) and every problem found, schema and intake."""
    body, problems = _schema_problems(data)
    refused = {p.field for p in problems}
    board = data.get("board")
    if isinstance(board, str) and board and "board" not in refused:
        problems += _rule(intake.get_board, session, board)
    meeting = body.meeting_date if body is not None else _date(data.get("meeting_date"))
    if meeting is not None and "meeting_date" not in refused:
        problems += _rule(intake.check_meeting_date, meeting, now)
    outcome = data.get("outcome") or CaseOutcome.held
    if outcome in CaseOutcome.__members__ and "theme" not in refused:
        problems += _rule(intake.check_theme, CaseOutcome(outcome), data.get("theme"))
    actions = data.get("actions")
    for index, action in enumerate(actions if isinstance(actions, list) else []):
        if not isinstance(action, Mapping):
            continue
        for key, check in (("owner_id", intake.owner_ref), ("partner_id", intake.partner_name)):
            field = f"actions.{index}.{key}"
            if (known := _uuid(action.get(key))) and field not in refused:
                problems += _rule(check, session, known, field=field)
    order = {key: index for index, key in enumerate(data)}
    problems.sort(key=lambda p: order.get(p.field.split(".")[0], len(order)))
    return (body if not problems else None), problems
