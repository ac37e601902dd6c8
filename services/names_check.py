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

import re
import uuid
from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from models.audit import ActorKind, AuditEvent
from models.base import utcnow
from models.board import Board, OfficialsInPublic
from models.case import Case
from models.formatting import session_date
from models.partner import Owner, Partner
from models.presenter import Presenter
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
from services import consent
from services.errors import Conflict, FieldError, InvalidInput, NotFound
from services.name_finder import Found, NameFinder, Person

AUTOMATIC = "Automatic: their consent is recorded"
#: What replaces contact details and curation notes when nobody decided (public output only).
SAFE_TEXT = {
    FindingKind.email: "",
    FindingKind.phone: "",
    FindingKind.curation_note: "",
}


def presenter_description(presenter: Presenter) -> str:
    return presenter.organisation or "a local resident"


# --- who the product knows --------------------------------------------------------------------


class People:
    """Everyone a report's text may name, with the presenters' consent as it is now."""

    def __init__(self, session: Session, report: Report) -> None:
        board = session.get(Board, report.board_id)
        cases = {c.id: c for c in session.exec(select(Case)).all()}
        self.presenters: dict[str, Presenter] = {}
        people: list[Person] = []
        for p in session.exec(select(Presenter).where(col(Presenter.name).is_not(None))).all():
            case = cases.get(p.case_id)
            when = f" at the {session_date(case)} session" if case else ""
            self.presenters[str(p.id)] = p
            people.append(
                Person(
                    "presenter",
                    str(p.id),
                    p.name or "",
                    f"{p.name}, presenter{when}",
                    presenter_description(p),
                )
            )
        if board is not None and board.officials_in_public is OfficialsInPublic.role_only:
            partners = {p.id: p.name for p in session.exec(select(Partner)).all()}
            for o in session.exec(select(Owner)).all():
                partner = partners.get(o.partner_id, "")
                role = ", ".join(x for x in (o.job_title, partner) if x)
                people.append(
                    Person("owner", str(o.id), o.name, f"{o.name}, official at {partner}", role)
                )
        self.consents = consent.records(session, [p.id for p in self.presenters.values()])
        self.named = [
            n.name
            for n in session.exec(
                select(ReportNamedPerson).where(ReportNamedPerson.report_id == report.id)
            ).all()
        ]
        people += [
            Person("named_person", n, n, f"{n} (on this report's list)", "a person")
            for n in self.named
        ]
        self.finder = NameFinder(people)

    def meant(self, found: Found, row: ReportRowRecord) -> list[Person]:
        """Who a name in a row means: that session's own presenters, where one has the name;
        otherwise everyone who has it."""
        own = [
            p
            for p in found.people
            if p.kind == "presenter" and self.presenters[p.ref].case_id == row.case_id
        ]
        return own or found.people

    def consent_recorded(self, found: Found, row: ReportRowRecord) -> bool:
        people = self.meant(found, row)
        return bool(people) and all(
            p.kind == "presenter" and consent.named(self.presenters[p.ref], self.consents)
            for p in people
        )

    def description(self, found: Found, row: ReportRowRecord) -> str:
        if found.kind in SAFE_TEXT:
            return SAFE_TEXT[FindingKind(found.kind)]
        described = {p.description for p in self.meant(found, row)}
        return described.pop() if len(described) == 1 else "a person"


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


def _scan(
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


def _decisions(session: Session, report_id: uuid.UUID) -> dict[uuid.UUID, PublicTextDecision]:
    return {
        d.id: d
        for d in session.exec(
            select(PublicTextDecision).where(PublicTextDecision.report_id == report_id)
        ).all()
    }


def _automatic(
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
    stored = _decisions(session, report_id)
    findings = []
    for row, field, fid, found in _scan(people, rows):
        decided = stored.get(fid) or _automatic(people, row, field, found)
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
    stored = _decisions(session, report.id)
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


def _tidy(left: str, right: str) -> str:
    """Join two pieces of text around something removed, without a stray space or bracket."""
    if right[:1] in (".", ",", ";", ":", ")", "") or right[:1].isspace():
        left = left.rstrip(" ")
    if left.endswith("(") and right.startswith(")"):
        left, right = left[:-1].rstrip(" "), right[1:]
    return left + right


def public_rows(*, session: Session, report: Report, rows: Sequence[ReportRow]) -> list[ReportRow]:
    """The rows as the public may read them: each finding's decision applied, consent checked
    now, and anything found without a decision replaced by its description. The rows given are
    not changed (they are the staff record)."""
    people = People(session, report)
    stored = _decisions(session, report.id)
    by_field: dict[tuple[uuid.UUID, str], list[tuple[Found, str]]] = {}
    for row, field, fid, found in _scan(people, rows):
        decided = stored.get(fid) or _automatic(people, row, field, found)
        consent = people.consent_recorded(found, row)
        if decided is None:
            shown = found.text if consent else people.description(found, row)
        elif decided.decision is Decision.consent:
            shown = found.text if consent else people.description(found, row)
        elif decided.decision is Decision.describe:
            shown = decided.replacement
        elif decided.decision is Decision.remove:
            shown = ""
        else:
            shown = found.text
        by_field.setdefault((row.id, field), []).append((found, shown))
    out = []
    for row in rows:
        changes = {}
        for field in PUBLIC_FIELDS:
            text: str = getattr(row, field)
            for found, shown in sorted(
                _apart(by_field.get((row.id, field), [])), key=lambda x: x[0].start, reverse=True
            ):
                if shown:
                    end = found.end
                    if shown != found.text and text[end:].lower().startswith(f" ({shown.lower()})"):
                        end += len(shown) + 3  # "Amina Begum (Tenants' Forum)": the forum once
                    text = text[: found.start] + shown + text[end:]
                else:
                    text = _tidy(text[: found.start], text[found.end :])
            changes[field] = _capitalise_lines(text)
        out.append(row.model_copy(update=changes))
    return out


def _apart(changes: list[tuple[Found, str]]) -> list[tuple[Found, str]]:
    """Changes that do not overlap: a note removed or replaced takes what is inside it with it;
    a note kept changes nothing, and what is inside it is changed on its own."""
    cut = [(f, s) for f, s in changes if f.kind == "curation_note" and s != f.text]
    return [
        (f, s)
        for f, s in changes
        if (f, s) in cut
        or (
            f.kind != "curation_note"
            and not any(c.start <= f.start and f.end <= c.end for c, _ in cut)
        )
    ]


def _capitalise_lines(text: str) -> str:
    """A description that starts a sentence starts with a capital ("A local resident said…")."""
    return re.sub(
        r"(^|[.!?]\s+|: )(a local resident|a person|a carer)\b",
        lambda m: m.group(1) + m.group(2)[0].upper() + m.group(2)[1:],
        text,
        flags=re.MULTILINE,
    )
