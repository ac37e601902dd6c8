"""A draft report whose public text names presenters and gives contact details, made straight in
SQL (no engine needed): the names check and the public output are tested on it."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime

from docx import Document
from pypdf import PdfReader
from sqlmodel import Session, select

from models.board import Board
from models.case import Case
from models.db import SessionFactory
from models.presenter import Presenter
from models.public_text import Decision, DecisionWrite, FindingKind
from models.report import Report, ReportKind, ReportRow
from services import names_check

COMMENT = (
    "1. In progress. Rachel Vincent asked for the survey results; Hasina said the letters never "
    "came. RV will be told at the next forum. Contact rachel.vincent@example.org or "
    "020 7946 0018."
)
#: Everything the public must never read once the names check is done.
NEVER_PUBLIC = ("Rachel", "Vincent", "Hasina", "RV ", "rachel.vincent@", "7946")


def report_naming_people(sessions: SessionFactory) -> tuple[uuid.UUID, uuid.UUID]:
    """A board's quarterly draft with one row; returns the report's id and Amina's id (the
    presenter who agreed to be named)."""
    now = datetime(2024, 4, 1, 9, tzinfo=UTC)
    with sessions() as session:
        board = session.exec(select(Board).where(Board.slug == "tht")).one()
        case = Case(
            board_id=board.id, meeting_date=date(2024, 3, 14), theme="Damp and mould in housing"
        )
        session.add(case)
        session.flush()
        amina = Presenter(
            case_id=case.id,
            name="Amina Begum",
            organisation="Tenants' Forum",
            seq=1,
            consent_to_publish_name=True,
        )
        rachel = Presenter(case_id=case.id, name="Rachel Vincent", seq=2)
        hasina = Presenter(
            case_id=case.id, name="Hasina Ahmed", organisation="Carers Centre", seq=3
        )
        session.add_all([amina, rachel, hasina])
        report = Report(
            board_id=board.id,
            kind=ReportKind.quarterly,
            period_key="2024-04-11",
            period_start=date(2024, 1, 1),
            period_end=date(2024, 4, 10),
            meeting_date=date(2024, 4, 11),
            title="You Said, We Did: report to the board on 11 April 2024",
            scheduled_for=now,
            generated_at=now,
            workflow_id="test",
        )
        session.add(report)
        session.flush()
        session.add(
            ReportRow(
                report_id=report.id,
                seq=1,
                case_id=case.id,
                meeting_date=case.meeting_date,
                board_month="March 2024",
                community_voice="Damp and mould in housing\nPresented by: Amina Begum "
                "(Tenants' Forum); A local resident; Carers Centre",
                action="You said: damp flats.\nACTION: Survey every flat. Owner: Olu Owner, "
                "Barts Health NHS Trust. Due 1 May 2024.",
                rag="amber",
                rag_text="Amber",
                comment=COMMENT,
                comment_draft=COMMENT,
            )
        )
        session.commit()
        return report.id, amina.id


def text_of(fmt: str, body: bytes) -> str:
    """The words a reader of a download sees (Word and PDF extracted, not raw bytes)."""
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if fmt == "docx":
        doc = Document(io.BytesIO(body))
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            parts += [cell.text for row in table.rows for cell in row.cells]
        for section in doc.sections:
            parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
        return "\n".join(parts)
    return body.decode()


def decide_every_place(session: Session, report_id: uuid.UUID, by: str = "Cara Lead") -> int:
    """The Community Voice Lead's names check done the careful way: every name described, every
    contact detail and curation note removed. Returns how many places were decided."""
    found = names_check.check(session=session, report_id=report_id).findings
    writes = [
        DecisionWrite(
            id=f.id,
            decision=Decision.remove
            if f.kind in (FindingKind.email, FindingKind.phone, FindingKind.curation_note)
            else Decision.describe,
        )
        for f in found
        if f.decision is None
    ]
    names_check.decide(session=session, report_id=report_id, writes=writes, by=by)
    return len(writes)
