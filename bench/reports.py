"""What reports cost: drafting (SQL reads, rows, figures) and rendering (Word, PDF, CSV, charts).

``python -m bench.reports [SESSIONS]`` builds a SQLite database with SESSIONS sessions of four
actions each (with updates and RAG changes), then times each step. Prints figures; no
thresholds.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from activities.report import ReportActivities
from models.action import Action, ActionStatus, ActionUpdate, RagChange, UpdateKind
from models.board import BoardCreate, BoardMeetingBase, MeetingKind
from models.case import Case, CaseOutcome, CaseStatus
from models.db import create_engine, migrate, session_factory
from models.policy import Policy
from models.presenter import Presenter
from models.rag import Rag, RagSource
from models.report import DraftReportInput, ReportKind, ReportTrigger
from services import report_render, reports
from services.directory import add_meeting, create_board
from services.report_view import build_view


def build(path: Path, sessions_count: int) -> tuple[object, date]:
    engine = create_engine(f"sqlite:///{path}")
    migrate(engine)
    factory = session_factory(engine)
    first = date(2020, 1, 9)
    with factory() as session:
        board = create_board(
            session=session,
            body=BoardCreate(
                slug="tht",
                name="Bench board",
                engagement_lead_name="Eve",
                engagement_lead_email="eve@example.org",
                cv_lead_name="Cara",
                cv_lead_email="cara@example.org",
                policy=Policy(),
            ),
        )
        last = first + timedelta(days=30 * sessions_count)
        add_meeting(
            session=session,
            slug="tht",
            body=BoardMeetingBase(
                kind=MeetingKind.board, date=last, receives_quarterly_report=True
            ),
        )
        add_meeting(
            session=session, slug="tht", body=BoardMeetingBase(kind=MeetingKind.elg, date=last)
        )
        for n in range(sessions_count):
            meeting = first + timedelta(days=30 * n)
            at = datetime.combine(meeting, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
            case = Case(
                id=uuid.uuid4(),
                board_id=board.id,
                meeting_date=meeting,
                theme=f"Theme {n}",
                said="What residents said. " * 5,
                outcome=CaseOutcome.held,
                status=CaseStatus.open,
                recorded_at=at,
                presenter_contact_confirmed_at=at,
            )
            session.add(case)
            session.flush()
            session.add(Presenter(case_id=case.id, name=f"Resident {n}", organisation="Forum"))
            for seq in range(1, 5):
                done = seq % 2 == 0
                action = Action(
                    case_id=case.id,
                    seq=seq,
                    text=f"Action {seq} of session {n}. " * 3,
                    status=ActionStatus.done if done else ActionStatus.in_progress,
                    owner_name="Owner",
                    partner_name=f"Partner {seq}",
                    due_date=meeting + timedelta(days=60),
                    due_at=at + timedelta(days=60),
                    rag=Rag.blue if done else Rag.amber,
                    closed_at=at + timedelta(days=40) if done else None,
                    closed_on_time=True if done else None,
                    created_at=at,
                    updated_at=at,
                )
                session.add(action)
                session.flush()
                for k in range(3):
                    session.add(
                        ActionUpdate(
                            action_id=action.id,
                            case_id=case.id,
                            at=at + timedelta(days=10 * k),
                            kind=UpdateKind.progress,
                            text="Progress. " * 10,
                            author_name="Owner",
                            author_kind="owner_link",
                            rag_at_time=Rag.green,
                        )
                    )
                session.add(
                    RagChange(
                        action_id=action.id,
                        case_id=case.id,
                        at=at + timedelta(days=20),
                        from_rag=Rag.green,
                        to_rag=Rag.amber,
                        cause="Due soon",
                        source=RagSource.derived,
                    )
                )
        session.commit()
    return factory, last


def timed(label: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"  {label:<42} {1000 * (time.perf_counter() - start):8.0f} ms")
    return result


def main(sessions_count: int = 120) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"Reports over {sessions_count} sessions x 4 actions (3 updates each), SQLite:")
        factory, last = timed("build the database", build, Path(tmp) / "bench.db", sessions_count)
        activities = ReportActivities(factory)  # type: ignore[arg-type]
        now = datetime.now(UTC)

        def draft(kind: ReportKind, **extra: object):  # type: ignore[no-untyped-def]
            return activities.draft_report(
                DraftReportInput(
                    board="tht",
                    kind=kind,
                    scheduled_for=now,
                    started_at=now,
                    workflow_id="bench",
                    trigger=ReportTrigger.manual,
                    **extra,
                )
            )

        q = timed(
            "draft quarterly (all carried forward)", draft, ReportKind.quarterly, meeting_date=last
        )
        a = timed(
            "draft annual (figures, all sessions)",
            draft,
            ReportKind.annual,
            period_start=date(2019, 1, 1),
            period_end=last,
        )
        timed("draft ELG digest", draft, ReportKind.elg_digest, meeting_date=last)
        with factory() as session:  # type: ignore[operator]
            q_view = reports.view(session=session, report_id=q.report_id)
            a_report, a_rows, board = reports.get_report(session=session, report_id=a.report_id)
        a_view = build_view(a_report, list(a_rows), board.name)
        print(f"  rows: quarterly {sum(len(t.rows) for t in q_view.tables)}, annual {len(a_rows)}")
        for label, view in (("quarterly", q_view), ("annual", a_view)):
            docx = timed(f"{label} as Word (.docx)", report_render.to_docx, view)
            pdf = timed(f"{label} as PDF", report_render.to_pdf, view)
            timed(f"{label} as CSV", report_render.to_csv, view)
            print(f"  {label} sizes: docx {len(docx) // 1024} KiB, pdf {len(pdf) // 1024} KiB")
        timed("annual charts (matplotlib, 2 PNGs)", report_render.charts, a_view)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 120)
