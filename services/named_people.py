"""Who a report's public text may name: every presenter the product knows (with their consent
as it is now), officials when the board keeps their names out, and the names typed into the
report's "people named in this text" list; and what replaces each in public."""

from __future__ import annotations

from sqlmodel import Session, col, select

from models.board import Board, OfficialsInPublic
from models.case import Case
from models.formatting import session_date
from models.partner import Owner, Partner
from models.presenter import Presenter
from models.public_text import FindingKind, ReportNamedPerson
from models.report import Report, ReportRowRecord
from services import consent
from services.name_finder import Found, NameFinder, Person

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
