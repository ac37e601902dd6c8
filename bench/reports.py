"""What board papers cost: drafting (SQL reads, rows, figures) and rendering each format.

``python -m bench.reports [ACTIONS ...]`` (default: 1000 10000) builds, for each size, a SQLite
database of one board with ACTIONS actions over ACTIONS / 14.4 sessions (as issue 13 measured:
696 rows for 10,000 actions; 10 to 19 actions a session, each with three updates and a RAG
change), held every other day, so the quarterly paper carries every session forward and the
annual section covers a year of them. Each figure is the best of three renders, in a fresh
process state for charts (their cache is cleared). It prints a table of measure, figure, goal
and figure ÷ goal, then how each figure grew from the smallest size to the largest. Nothing
passes or fails.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from activities.report import ReportActivities
from models.action import Action, ActionStatus, ActionUpdate, RagChange, UpdateKind
from models.board import BoardCreate, BoardMeetingBase, MeetingKind
from models.case import Case, CaseOutcome, CaseStatus
from models.db import SessionFactory, create_engine, migrate, session_factory
from models.policy import Policy
from models.presenter import Presenter
from models.rag import Rag, RagSource
from models.report import DraftReportInput, ReportKind, ReportTrigger
from services import report_charts, report_render, reports
from services.directory import add_meeting, create_board

GOAL_MS = 2000.0
FIRST = date(2022, 1, 6)


def build(path: Path, actions_count: int) -> tuple[SessionFactory, date]:
    engine = create_engine(f"sqlite:///{path}")
    migrate(engine)
    factory = session_factory(engine)
    sessions_count = max(1, round(actions_count / 14.4))
    last = FIRST + timedelta(days=2 * sessions_count)
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
        for kind in (MeetingKind.board, MeetingKind.elg):
            add_meeting(
                session=session,
                slug="tht",
                body=BoardMeetingBase(
                    kind=kind, date=last, receives_quarterly_report=kind is MeetingKind.board
                ),
            )
        made = 0
        cases: list[Any] = []
        actions: list[Any] = []
        logs: list[Any] = []
        for n in range(sessions_count):
            meeting = FIRST + timedelta(days=2 * n)
            at = datetime.combine(meeting, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
            case = Case(
                id=uuid.uuid4(),
                board_id=board.id,
                meeting_date=meeting,
                theme=f"Theme {n}: access to services for residents",
                said="What residents said about the service and what they asked for. " * 4,
                outcome=CaseOutcome.held,
                status=CaseStatus.open,
                recorded_at=at,
                presenter_contact_confirmed_at=at,
            )
            cases += [case, Presenter(case_id=case.id, name=f"Resident {n}", organisation="Forum")]
            last_one = n == sessions_count - 1
            count = actions_count - made if last_one else min(10 + n % 10, actions_count - made)
            for seq in range(1, count + 1):
                done = seq % 2 == 0
                action = Action(
                    id=uuid.uuid4(),
                    case_id=case.id,
                    seq=seq,
                    text=f"Action {seq} of session {n}: review the leaflet with residents. ",
                    status=ActionStatus.done if done else ActionStatus.in_progress,
                    owner_name=f"Owner {seq}",
                    partner_name=f"Partner {seq % 7}",
                    due_date=meeting + timedelta(days=60),
                    due_at=at + timedelta(days=60),
                    rag=Rag.blue if done else Rag.amber,
                    rag_cause="Closed" if done else "Due within 14 days",
                    closed_at=at + timedelta(days=40) if done else None,
                    closed_on_time=True if done else None,
                    created_at=at,
                    updated_at=at,
                )
                actions.append(action)
                logs.extend(
                    ActionUpdate(
                        action_id=action.id,
                        case_id=case.id,
                        at=at + timedelta(days=10 * k),
                        kind=UpdateKind.progress,
                        text="Progress on the work agreed with partners. " * 3,
                        author_name="Owner",
                        author_kind="owner_link",
                        rag_at_time=Rag.green,
                    )
                    for k in range(3)
                )
                logs.append(
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
            made += count
        for batch in (cases, actions, logs):
            session.add_all(batch)
            session.flush()
        session.commit()
    return factory, last


def best_of(
    fn: Callable[[], Any], times: int = 3, before: Callable[[], None] | None = None
) -> float:
    best = float("inf")
    for _ in range(times):
        if before:
            before()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return 1000 * best


def measure(actions_count: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        factory, last = build(Path(tmp) / "bench.db", actions_count)
        activities = ReportActivities(factory)
        now = datetime.now(UTC)

        def draft(kind: ReportKind, **extra: Any) -> uuid.UUID:
            result = activities.draft_report(
                DraftReportInput(
                    board="tht",
                    kind=kind,
                    scheduled_for=now,
                    started_at=now,
                    workflow_id=f"bench-{uuid.uuid4()}",
                    trigger=ReportTrigger.manual,
                    **extra,
                )
            )
            assert result.report_id is not None
            return result.report_id

        start = time.perf_counter()
        q_id = draft(ReportKind.quarterly, meeting_date=last)
        figures["quarterly: draft"] = 1000 * (time.perf_counter() - start)
        start = time.perf_counter()
        a_id = draft(ReportKind.annual, period_start=last - timedelta(days=365), period_end=last)
        figures["annual: draft (rows and figures)"] = 1000 * (time.perf_counter() - start)
        with factory() as session:
            views = {
                "quarterly": reports.view(session=session, report_id=q_id),
                "annual": reports.view(session=session, report_id=a_id),
            }
        for label, view in views.items():
            rows = sum(len(t.rows) for t in view.tables)
            figures[f"{label}: rows"] = rows
            fresh = report_charts.clear_cache
            renders: dict[str, Callable[[Any], object]] = {
                "Word": report_render.to_docx,
                "PDF": report_render.to_pdf,
                "CSV": report_render.to_csv,
                "HTML": _html,
            }
            for name, render in renders.items():
                figures[f"{label}: {name}"] = best_of(partial(render, view), before=fresh)
    return figures


def _html(view: Any) -> str:
    from api.pages.reports import templates  # the environment as the download route has it

    return templates.env.get_template("reports/document.jinja").render(
        view=view, charts=report_charts.charts(view)
    )


def main(sizes: list[int]) -> None:
    print("Board papers (SQLite, one board; best of 3; goal: each < 2 s):")
    results = {size: measure(size) for size in sizes}
    names = list(results[sizes[0]])
    header = "".join(f"{f'{size:,} actions':>16}" for size in sizes)
    print(f"  {'measure':<34}{header}{'goal':>9}{'÷ goal':>9}")
    for name in names:
        values = [results[size][name] for size in sizes]
        if name.endswith("rows"):
            print(f"  {name:<34}" + "".join(f"{v:>16,.0f}" for v in values))
            continue
        shown = "".join(f"{v:>13,.0f} ms" for v in values)
        print(f"  {name:<34}{shown}{'2,000 ms':>9}{values[-1] / GOAL_MS:>9.2f}")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"  growth from {small:,} to {large:,} actions ({large / small:.0f}x the actions):")
        for name in names:
            if not name.endswith("rows") and results[small][name]:
                print(f"    {name:<32} {results[large][name] / results[small][name]:6.1f}x")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
