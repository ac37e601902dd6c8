"""The names check: no report is approved while its public text names someone without a decision.

Every place a report's public columns (Community Voice, Action, Comment) name a person the
product knows — the presenters of any session, officials (when the board's setting keeps their
names out), the names typed into the report's "people named in this text" list — or give an
email address or phone number, or carry a curation note, is a *finding*. The Community Voice
Lead decides each: keep the name (only where the presenter's consent is recorded), replace it
with a description, remove it, or keep the words (not this person; an organisation's public
contact; a note that is right). Approval is refused while any is undecided.

The public page and downloads are made from the approved rows with the decisions applied, and
are checked again each time they are served: a presenter whose consent is withdrawn is described
instead of named, and any name found without a decision (a report approved before this check,
or a person recorded since) is replaced by its description. The approved rows themselves, the
staff record, never change.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from models.audit import ActorKind, AuditEvent
from models.base import utcnow
from models.public_text import (
    FIELD_LABELS,
    KIND_LABELS,
    PUBLIC_FIELDS,
    Decision,
    DecisionWrite,
    FindingKind,
    FindingPublic,
    NamesCheck,
    PublicTextDecision,
    ReportNamedPerson,
)
from models.report import Report, ReportKind, ReportRow, ReportRowRecord
from services.errors import Conflict, FieldError, InvalidInput, NotFound
from services.name_finder import Found
from services.named_people import People

AUTOMATIC = "Automatic: their consent is recorded"
# --- the findings of a report -----------------------------------------------------------------


def _finding_id(row_id: uuid.UUID, field: str, n: int, text: str) -> uuid.UUID:
    return uuid.uuid5(row_id, f"{field}:{n}:{text}")


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 50) : start]
    after = text[end : end + 50]
    return (
        ("…" if start > 50 else "")
        + before
        + f"[{text[start:end]}]"
        + after
        + ("…" if end + 50 < len(text) else "")
    )


def scan(
    people: People, rows: Sequence[ReportRowRecord]
) -> list[tuple[ReportRowRecord, str, uuid.UUID, Found]]:
    out = []
    for row in rows:
        for field in PUBLIC_FIELDS:
            text: str = getattr(row, field)
            seen: dict[str, int] = {}
            for found in people.finder.find(text):
                n = seen.get(found.text, 0)
                seen[found.text] = n + 1
                out.append((row, field, _finding_id(row.id, field, n, found.text), found))
    return out


def stored_decisions(session: Session, report_id: uuid.UUID) -> dict[uuid.UUID, PublicTextDecision]:
    return {
        d.id: d
        for d in session.exec(
            select(PublicTextDecision).where(PublicTextDecision.report_id == report_id)
        ).all()
    }


def automatic_decision(
    people: People, row: ReportRowRecord, field: str, found: Found
) -> PublicTextDecision | None:
    """The "Presented by" line is built from the consent record: a consenting presenter of the
    session named there needs no decision."""
    if field != "community_voice" or not people.consent_recorded(found, row):
        return None
    if not all(people.presenters[p.ref].case_id == row.case_id for p in people.meant(found, row)):
        return None
    return PublicTextDecision(
        id=uuid.uuid4(),
        report_id=row.report_id,
        row_id=row.id,
        field=field,
        start=found.start,
        end=found.end,
        text=found.text,
        kind=FindingKind(found.kind),
        person_ref=found.people[0].ref,
        decision=Decision.consent,
        decided_by=AUTOMATIC,
    )


def _load(session: Session, report_id: uuid.UUID) -> tuple[Report, list[ReportRow]]:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound(f"No report with id {report_id}.")
    rows = list(
        session.exec(
            select(ReportRow).where(ReportRow.report_id == report_id).order_by(col(ReportRow.seq))
        ).all()
    )
    return report, rows


def check(*, session: Session, report_id: uuid.UUID) -> NamesCheck:
    """Every finding of the report, with its decision if one was taken."""
    report, rows = _load(session, report_id)
    people = People(session, report)
    stored = stored_decisions(session, report_id)
    findings = []
    for row, field, fid, found in scan(people, rows):
        decided = stored.get(fid) or automatic_decision(people, row, field, found)
        consent = people.consent_recorded(found, row)
        if decided is not None and decided.decision is Decision.consent and not consent:
            decided = None  # consent withdrawn since: decide again
        findings.append(
            FindingPublic(
                id=fid,
                row_id=row.id,
                board_month=row.board_month,
                field=field,
                field_label=FIELD_LABELS[field],
                start=found.start,
                end=found.end,
                text=found.text,
                context=_context(getattr(row, field), found.start, found.end),
                kind=FindingKind(found.kind),
                kind_label=KIND_LABELS[FindingKind(found.kind)],
                who=[p.label for p in found.people],
                consent_recorded=consent,
                suggestion=people.description(found, row),
                decision=decided.decision if decided else None,
                replacement=decided.replacement if decided else None,
                decided_by=decided.decided_by if decided else None,
            )
        )
    return NamesCheck(
        report_id=report_id,
        findings=findings,
        unresolved=sum(1 for f in findings if f.decision is None),
        named_people=people.named,
    )


def _check_draft(report: Report) -> None:
    if report.kind is ReportKind.elg_digest:
        raise Conflict("An ELG digest is never public: it has no names check.")
    if report.status.value != "draft":
        raise Conflict(
            f"This report is {report.status.value}: its names were checked when it was approved."
        )


def decide(
    *, session: Session, report_id: uuid.UUID, writes: Iterable[DecisionWrite], by: str
) -> NamesCheck:
    """Record decisions (all or none: a wrong one refuses them all, naming it)."""
    report, _ = _load(session, report_id)
    _check_draft(report)
    current = {f.id: f for f in check(session=session, report_id=report_id).findings}
    errors = []
    for n, w in enumerate(writes):
        f = current.get(w.id)
        if f is None:
            errors.append(FieldError(f"decisions.{n}.id", "is not a place this report names"))
            continue
        if w.decision is Decision.consent and not f.consent_recorded:
            errors.append(
                FieldError(
                    f"decisions.{n}.decision",
                    f"'{f.text}' ({f.board_month}, {f.field_label}) cannot be kept: no consent "
                    "to be named is recorded. Replace it with a description or remove it",
                )
            )
            continue
        if w.decision is Decision.consent and f.kind is not FindingKind.presenter:
            errors.append(FieldError(f"decisions.{n}.decision", "only a presenter can consent"))
            continue
        replacement = (w.replacement or "").strip()
        if w.decision is Decision.describe and not replacement:
            replacement = f.suggestion
            if not replacement:
                errors.append(FieldError(f"decisions.{n}.replacement", "write what to say instead"))
                continue
        session.merge(
            PublicTextDecision(
                id=f.id,
                report_id=report_id,
                row_id=f.row_id,
                field=f.field,
                start=f.start,
                end=f.end,
                text=f.text,
                kind=f.kind,
                person_ref=None,
                decision=w.decision,
                replacement=replacement if w.decision is Decision.describe else "",
                decided_by=by,
                decided_at=utcnow(),
            )
        )
    if errors:
        session.rollback()
        raise InvalidInput(*errors)
    session.commit()
    return check(session=session, report_id=report_id)


def add_named_person(*, session: Session, report_id: uuid.UUID, name: str, by: str) -> NamesCheck:
    report, _ = _load(session, report_id)
    _check_draft(report)
    name = " ".join(name.split())
    known = {n.casefold() for n in check(session=session, report_id=report_id).named_people}
    if name.casefold() not in known:
        session.add(ReportNamedPerson(report_id=report_id, name=name, added_by=by))
        session.commit()
    return check(session=session, report_id=report_id)


def remove_named_person(*, session: Session, report_id: uuid.UUID, name: str) -> NamesCheck:
    report, _ = _load(session, report_id)
    _check_draft(report)
    for n in session.exec(
        select(ReportNamedPerson).where(ReportNamedPerson.report_id == report_id)
    ).all():
        if n.name.casefold() == name.casefold():
            session.delete(n)
    session.commit()
    return check(session=session, report_id=report_id)


def where(finding: FindingPublic) -> str:
    return (
        f"'{finding.text}' ({finding.kind_label.lower()}) in the {finding.field_label} "
        f"column of {finding.board_month}"
    )


def before_approval(*, session: Session, report: Report, by: str) -> None:
    """Refuse approval while any finding is undecided; otherwise keep every decision (the
    automatic ones too) and record the check in the audit trail. Does not commit."""
    result = check(session=session, report_id=report.id)
    open_ = [f for f in result.findings if f.decision is None]
    if open_:
        listed = "; ".join(where(f) for f in open_[:20])
        more = f"; and {len(open_) - 20} more" if len(open_) > 20 else ""
        raise Conflict(
            f"This report cannot be approved yet: {len(open_)} place"
            f"{'s' if len(open_) != 1 else ''} in its public text name a person or give contact "
            f"details without a decision: {listed}{more}. Decide each on the names check page "
            f"(/reports/{report.id}/names)."
        )
    stored = stored_decisions(session, report.id)
    for f in result.findings:
        if f.id not in stored and f.decision is not None:
            session.add(
                PublicTextDecision(
                    id=f.id,
                    report_id=report.id,
                    row_id=f.row_id,
                    field=f.field,
                    start=f.start,
                    end=f.end,
                    text=f.text,
                    kind=f.kind,
                    decision=f.decision,
                    replacement=f.replacement or "",
                    decided_by=f.decided_by or by,
                )
            )
    counts: dict[str, int] = {}
    for f in result.findings:
        counts[str(f.decision)] = counts.get(str(f.decision), 0) + 1
    session.add(
        AuditEvent(
            at=utcnow(),
            actor_kind=ActorKind.staff,
            actor_name=by,
            verb="report.names_checked",
            summary=f"Names checked before approval: {report.title} "
            f"({len(result.findings)} place(s) decided)",
            detail={"report_id": str(report.id), "decisions": counts},
        )
    )


# --- public text ------------------------------------------------------------------------------
