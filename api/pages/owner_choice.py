"""Choosing an action's owner on a form: someone from the directory, or someone added there and
then (a name, an email address and their partner organisation)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import Session, col, select

from api.pages.forms import Form
from models.partner import Owner, OwnerCreate, Partner
from services import directory
from services.error_text import friendly
from services.errors import FieldError, InvalidInput

NEW_FIELDS = {
    "name": "new_owner_name",
    "email": "new_owner_email",
    "partner_id": "new_owner_partner",
}
LABELS = {
    "owner_id": "Owner",
    "new_owner_name": "New owner's full name",
    "new_owner_email": "New owner's email address",
    "new_owner_partner": "New owner's organisation",
    "partner_id": "Partner organisation",
}


@dataclass(frozen=True)
class OwnerChoice:
    owner_id: uuid.UUID | None = None
    new: OwnerCreate | None = None


def owner_options(session: Session, *, none_text: str = "Not named yet") -> list[tuple[str, str]]:
    """Active owners of active partners, as 'Name, Partner'."""
    rows = session.exec(
        select(Owner, Partner)
        .join(Partner, col(Partner.id) == Owner.partner_id)
        .where(col(Owner.active), col(Partner.active))
        .order_by(col(Owner.name))
    ).all()
    return [("", none_text)] + [(str(o.id), f"{o.name}, {p.name}") for o, p in rows]


def partner_options(
    session: Session, *, none_text: str = "Choose an organisation"
) -> list[tuple[str, str]]:
    partners = directory.list_partners(session=session)
    return [("", none_text)] + [(str(p.id), p.name) for p in partners]


def read_owner(form: Form, prefix: str = "", *, required: bool = False) -> OwnerChoice | None:
    """The choice made on the form (adding errors to ``form``); ``None`` when none or invalid."""
    chosen = form.get(f"{prefix}owner_id")
    new = {key: form.get(f"{prefix}{name}") for key, name in NEW_FIELDS.items()}
    if new["name"] or new["email"]:
        if chosen:
            form.add_error(
                f"{prefix}owner_id",
                "Choose an owner from the list, or add someone new below, not both",
            )
            return None
        try:
            return OwnerChoice(
                new=OwnerCreate.model_validate({**new, "partner_id": new["partner_id"] or None})
            )
        except ValidationError as error:
            for item in error.errors():
                name = f"{prefix}{NEW_FIELDS.get(str(item['loc'][0]), 'new_owner_name')}"
                form.add_error(
                    name, friendly(item, str(item["msg"]), LABELS[name.removeprefix(prefix)])
                )
            return None
    if chosen:
        try:
            return OwnerChoice(owner_id=uuid.UUID(chosen))
        except ValueError:
            form.add_error(f"{prefix}owner_id", "Choose the owner from the list")
            return None
    if required:
        form.add_error(
            f"{prefix}owner_id", "Choose the owner, or add someone who is not in the directory yet"
        )
    return None


def resolve_owner(session: Session, choice: OwnerChoice | None, *, field: str) -> uuid.UUID | None:
    """The owner's id, adding a new owner to the directory (or finding them there by email)."""
    if choice is None:
        return None
    if choice.new is None:
        return choice.owner_id
    email = choice.new.email.lower()
    same = session.exec(select(Owner).where(func.lower(Owner.email) == email)).first()
    if same is not None:
        if not same.active:
            raise InvalidInput(
                FieldError(
                    field,
                    f"{email} belongs to {same.name}, who is deactivated in the directory: "
                    "reactivate them there first",
                )
            )
        return same.id
    return directory.create_owner(session=session, body=choice.new).id
