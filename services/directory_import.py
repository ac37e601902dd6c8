"""Importing partners and owners from CSV, with a dry run and a message for every row.

Columns (a header row, in any order): ``partner``, ``partner_kind``, ``owner_name``,
``owner_email``, ``job_title``; the directory's own export has exactly these. Idempotent: a
partner is matched by name and an owner by email, so importing the same file again changes
nothing. All or nothing: if any row is wrong, nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import Session, col, select

from models.partner import Owner, OwnerCreate, Partner, PartnerCreate
from models.text import name_key
from services import csv_files
from services.error_text import friendly

COLUMNS = ["partner", "partner_kind", "owner_name", "owner_email", "job_title"]
MAX_ROWS = 5000


@dataclass
class RowResult:
    line: int
    partner: str
    owner: str
    outcome: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class DirectoryImport:
    rows: list[RowResult]
    problems: list[str] = field(default_factory=list)  # about the file as a whole
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not any(r.errors for r in self.rows)

    @property
    def changes(self) -> int:
        return sum(1 for r in self.rows if not r.outcome.startswith("No change"))


def _message(error: Any) -> str:
    return str(error["msg"]).removeprefix("Value error, ")


def _header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def export_csv(*, session: Session) -> str:
    """Every active partner and owner, in the import's own columns."""
    rows: list[list[str]] = [COLUMNS]
    partners = session.exec(select(Partner).where(col(Partner.active)).order_by(col(Partner.name)))
    for partner in partners.all():
        owners: list[Owner | None] = list(
            session.exec(
                select(Owner)
                .where(Owner.partner_id == partner.id, col(Owner.active))
                .order_by(col(Owner.name))
            ).all()
        ) or [None]
        for owner in owners:
            rows.append(
                [
                    partner.name,
                    partner.kind or "",
                    owner.name if owner else "",
                    owner.email if owner else "",
                    (owner.job_title or "") if owner else "",
                ]
            )
    return csv_files.write_rows(rows)


def import_csv(*, session: Session, text: str, dry_run: bool) -> DirectoryImport:
    reader = csv_files.read_rows(text.lstrip("\ufeff"))
    headers = [_header(h) for h in (reader.fieldnames or [])]
    result = DirectoryImport(rows=[])
    if not headers:
        result.problems.append("The file is empty: it needs a header row and at least one row.")
        return result
    missing = [c for c in ("partner", "owner_name", "owner_email") if c not in headers]
    if missing:
        result.problems.append(
            f"The header row lacks {', '.join(missing)}. Use the columns: {', '.join(COLUMNS)}."
        )
        return result
    reader.fieldnames = headers
    partners = {name_key(p.name): p for p in session.exec(select(Partner)).all()}
    seen_emails: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if len(result.rows) >= MAX_ROWS:
            result.problems.append(f"The file has more than {MAX_ROWS} rows: split it.")
            break
        values = {k: (v or "").strip() for k, v in record.items() if k in COLUMNS}
        if not any(values.values()):
            continue
        row = RowResult(
            line=line, partner=values.get("partner", ""), owner=values.get("owner_name", "")
        )
        result.rows.append(row)
        _plan_row(session, row, values, partners, seen_emails)
    if not result.rows and not result.problems:
        result.problems.append("The file has a header row but no rows.")
    if result.ok and not dry_run:
        session.commit()
        result.written = True
    else:
        session.rollback()
    return result


def _plan_row(
    session: Session,
    row: RowResult,
    values: dict[str, str],
    partners: dict[str, Partner],
    seen_emails: dict[str, int],
) -> None:
    """Work out (and stage, in the session) what one row changes; errors name their column."""
    said: list[str] = []
    name = values.get("partner", "")
    kind = values.get("partner_kind") or None
    try:
        partner_body = PartnerCreate.model_validate({"name": name, "kind": kind})
    except ValidationError as error:
        row.errors += [friendly(e, _message(e), "partner") for e in error.errors()]
        return
    partner = partners.get(name_key(name))
    if partner is None:
        partner = Partner.model_validate(partner_body)
        session.add(partner)
        partners[name_key(name)] = partner
        said.append(f"adds the partner {partner.name}")
    elif kind and partner.kind != kind:
        partner.kind = kind
        session.add(partner)
        said.append(f"sets {partner.name}'s kind to {kind}")
    email = values.get("owner_email", "").lower()
    if email or values.get("owner_name"):
        _plan_owner(session, row, values, partner, email, seen_emails, said)
    if not row.errors:
        row.outcome = "; ".join(said) if said else "No change: already in the directory"
        row.outcome = row.outcome[0].upper() + row.outcome[1:]


def _plan_owner(
    session: Session,
    row: RowResult,
    values: dict[str, str],
    partner: Partner,
    email: str,
    seen_emails: dict[str, int],
    said: list[str],
) -> None:
    if email in seen_emails:
        row.errors.append(f"owner_email: {email} is on line {seen_emails[email]} already")
        return
    try:
        body = OwnerCreate.model_validate(
            {
                "name": values.get("owner_name", ""),
                "email": email,
                "job_title": values.get("job_title") or None,
                "partner_id": partner.id,
            }
        )
    except ValidationError as error:
        row.errors += [
            friendly(e, _message(e), f"owner_{e['loc'][0]}" if e["loc"] else "owner")
            for e in error.errors()
        ]
        return
    seen_emails[email] = row.line
    owner = session.exec(select(Owner).where(func.lower(Owner.email) == email)).first()
    if owner is None:
        session.add(Owner.model_validate(body, update={"email": email}))
        said.append(f"adds the owner {body.name} <{email}>")
        return
    if owner.partner_id != partner.id:
        other = session.get(Partner, owner.partner_id)
        row.errors.append(
            f"owner_email: {email} is {owner.name} at {other.name if other else 'another partner'}"
            " in the directory; change their organisation on their page instead"
        )
        return
    if (owner.name, owner.job_title) != (body.name, body.job_title):
        owner.name, owner.job_title = body.name, body.job_title
        session.add(owner)
        said.append(f"updates {body.name}'s name and job title")
