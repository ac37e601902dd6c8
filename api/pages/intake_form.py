"""The session intake form: any number of presenters and actions, kept as typed.

Rows are numbered fields (``presenters-0-name``, ``actions-2-due_date[day]``). Adding or removing
a row is a round trip to the server that keeps everything typed, so it works without JavaScript.
Blank rows are left out when the session is recorded.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from api.pages.forms import Form
from api.pages.owner_choice import LABELS as OWNER_LABELS
from api.pages.owner_choice import OwnerChoice, read_owner
from models.case import CaseCreate, CaseOutcome
from models.formatting import long_date

PRESENTER_FIELDS = [
    "name",
    "organisation",
    "role",
    "email",
    "preferred_contact",
    "access_needs",
    "language",
    "consent_to_publish_name",
]
ACTION_FIELDS = [
    "text",
    "owner_id",
    "new_owner_name",
    "new_owner_email",
    "new_owner_partner",
    "owner_as_written",
    "partner_id",
    "due_date[day]",
    "due_date[month]",
    "due_date[year]",
]
LABELS = {
    "board": "Board",
    "meeting_date": "Meeting date",
    "outcome": "Outcome",
    "theme": "Theme",
    "said": "What was said",
    "presenters-*-name": "Presenter's name",
    "presenters-*-organisation": "Organisation",
    "presenters-*-role": "Role",
    "presenters-*-email": "Email address",
    "presenters-*-preferred_contact": "Other way to contact them",
    "presenters-*-access_needs": "Access needs",
    "presenters-*-language": "Language",
    "actions-*-text": "Action agreed",
    "actions-*-owner_as_written": "Owner as given in the minutes",
    "actions-*-due_date": "Due date",
    **{f"actions-*-{k}": v for k, v in OWNER_LABELS.items()},
}
_ROW = re.compile(r"^(presenters|actions)-(\d+)-(.+)$")


def new_form(values: dict[str, Any] | None = None) -> Form:
    form = Form(values, labels=LABELS, dates=["meeting_date"])
    form.values.setdefault("outcome", CaseOutcome.held.value)
    form.values.setdefault("idempotency_key", str(uuid.uuid4()))
    _note_date_fields(form)
    return form


def _note_date_fields(form: Form) -> None:
    form.date_fields |= {f"actions-{i}-due_date" for i in range(row_count(form, "actions"))}


def row_count(form: Form, group: str) -> int:
    indexes = [int(m.group(2)) for k in form.values if (m := _ROW.match(k)) and m.group(1) == group]
    return max(indexes, default=-1) + 1 or 1


def _rows(form: Form, group: str, names: list[str]) -> list[dict[str, str]]:
    return [
        {name: form.get(f"{group}-{i}-{name}") for name in names}
        for i in range(row_count(form, group))
    ]


def _set_rows(form: Form, group: str, rows: list[dict[str, str]]) -> None:
    for key in [k for k in form.values if k.startswith(f"{group}-")]:
        del form.values[key]
    for i, row in enumerate(rows or [{}]):
        for name, value in row.items():
            form.values[f"{group}-{i}-{name}"] = value
    _note_date_fields(form)


def change_rows(form: Form, intent: str) -> str | None:
    """Apply 'add-presenter', 'remove-action-2', …; returns the id of the field to focus."""
    for group, names in (("presenters", PRESENTER_FIELDS), ("actions", ACTION_FIELDS)):
        singular = group[:-1]
        rows = _rows(form, group, names)
        if intent == f"add-{singular}":
            rows.append(dict.fromkeys(names, ""))
            _set_rows(form, group, rows)
            return f"{group}-{len(rows) - 1}-{names[0]}"
        if intent.startswith(f"remove-{singular}-"):
            index = int(intent.rsplit("-", 1)[1]) if intent.rsplit("-", 1)[1].isdigit() else -1
            if 0 <= index < len(rows):
                rows.pop(index)
            _set_rows(form, group, rows)
            return f"add-{singular}"
    return None


def _blank(row: dict[str, str]) -> bool:
    return not any(v for v in row.values())


@dataclass
class Parsed:
    body: CaseCreate | None = None
    owners: list[OwnerChoice | None] = field(default_factory=list)


def parse(form: Form) -> Parsed:
    """Check the form (adding errors) and build the session; blank rows are dropped first."""
    presenters = [r for r in _rows(form, "presenters", PRESENTER_FIELDS) if not _blank(r)]
    actions = [r for r in _rows(form, "actions", ACTION_FIELDS) if not _blank(r)]
    _set_rows(form, "presenters", presenters)
    _set_rows(form, "actions", actions)
    if not form.get("board"):
        form.add_error("board", "Choose the board that held the meeting")
    meeting = form.parse_date("meeting_date", required=True)
    outcome = form.get("outcome")
    if outcome not in CaseOutcome.__members__:
        form.add_error("outcome", "Choose what happened at the session")
    elif outcome == CaseOutcome.held and not form.get("theme"):
        form.add_error("theme", "Enter the theme of the session, for example 'Damp and mould'")
    if actions and outcome in CaseOutcome.__members__ and outcome != CaseOutcome.held:
        form.add_error(
            "outcome",
            "Only a session that was held can have agreed actions: choose 'Held' or remove "
            "the actions",
        )
    owners, action_bodies = [], []
    for i in range(len(actions)):
        prefix = f"actions-{i}-"
        choice = read_owner(form, prefix)
        owners.append(choice)
        due = form.parse_date(f"{prefix}due_date")
        if due and meeting and due < meeting:
            form.add_error(
                f"{prefix}due_date",
                f"Due date must be on or after the meeting date ({long_date(meeting)})",
            )
        if not form.get(f"{prefix}text"):
            form.add_error(f"{prefix}text", f"Enter the action agreed (action {i + 1})")
        action_bodies.append(
            {
                "text": form.get(f"{prefix}text"),
                "owner_id": str(choice.owner_id) if choice and choice.owner_id else None,
                "owner_as_written": form.optional(f"{prefix}owner_as_written"),
                "partner_id": form.optional(f"{prefix}partner_id"),
                "due_date": due,
            }
        )
    presenter_bodies = []
    for i, row in enumerate(presenters):
        body: dict[str, Any] = {k: v or None for k, v in row.items()}
        body["consent_to_publish_name"] = row["consent_to_publish_name"] == "yes"
        if not (row["name"] or row["organisation"]):
            form.add_error(
                f"presenters-{i}-name", f"Enter presenter {i + 1}'s name or their organisation"
            )
        presenter_bodies.append(body)
    if form.has_errors():
        return Parsed(owners=owners)
    try:
        case = CaseCreate.model_validate(
            {
                "board": form.get("board"),
                "meeting_date": meeting,
                "outcome": outcome,
                "theme": form.optional("theme"),
                "said": form.optional("said"),
                "presenters": presenter_bodies,
                "actions": action_bodies,
            }
        )
    except ValidationError as error:
        form.add_validation_errors(error)
        return Parsed(owners=owners)
    return Parsed(body=case, owners=owners)
