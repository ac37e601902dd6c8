"""Retention on the time-skipping server: a board keeps presenters' contact details for 10
seconds after their case closes; the retention workflow removes exactly those past it (their
row and the messages sent to them), keeps the rest, says what it removed in the audit trail,
and removes nothing twice."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel import select

from models.audit import AuditEvent
from models.base import utcnow
from models.board import Board
from models.case import Case, CaseStatus
from models.outbox import OutboxMessage, OutboxStatus, RecipientRole
from models.policy import Policy
from models.presenter import Presenter
from models.retention import RetentionInput, RetentionResult
from tests.factories import add_board
from tests.helpers import eventually
from workflows import retention_schedule
from workflows.retention import RetentionWorkflow


def _case(sessions, slug: str, closed_at: datetime | None, *presenters: dict) -> uuid.UUID:
    with sessions() as session:
        board = session.exec(select(Board).where(Board.slug == slug)).one()
        case = Case(
            board_id=board.id,
            meeting_date=(closed_at or utcnow()).date(),
            status=CaseStatus.closed if closed_at else CaseStatus.open,
            closed_at=closed_at,
        )
        session.add(case)
        session.flush()
        for seq, fields in enumerate(presenters, 1):
            presenter = Presenter(case_id=case.id, seq=seq, access_needs="Large print", **fields)
            session.add(presenter)
            if fields.get("email"):
                session.add(
                    OutboxMessage(
                        kind="presenter_thanks",
                        case_id=case.id,
                        recipient_role=RecipientRole.presenter,
                        recipient_name=fields["name"],
                        recipient_email=fields["email"],
                        created_at=utcnow(),
                        status=OutboxStatus.sent,
                    )
                )
        session.commit()
        return case.id


def _contacts(sessions) -> dict[str, tuple[str | None, str | None]]:
    with sessions() as session:
        return {
            p.name: (p.email, p.preferred_contact)
            for p in session.exec(select(Presenter)).all()
            if p.name
        }


async def _run(ts_env, task_queue: str) -> RetentionResult:
    """One run at the server's current time (time moves only with ``ts_env.sleep``: while a
    result is awaited the server would otherwise skip to the next deadline it knows of)."""
    with ts_env.auto_time_skipping_disabled():
        return await ts_env.client.execute_workflow(
            RetentionWorkflow.run,
            RetentionInput(),
            id=f"retention-{uuid.uuid4()}",
            task_queue=task_queue,
        )


async def test_retention_removes_exactly_the_contact_details_past_the_board_setting(
    ts_env, ts_worker, sessions, task_queue
):
    add_board(sessions, policy=Policy(contact_retention="10 seconds"))
    add_board(sessions, slug="other")  # the default: 365 days
    now = await ts_env.get_current_time()
    old = _case(
        sessions,
        "tht",
        now - timedelta(hours=1),
        {"name": "Amina Begum", "email": "amina@example.com"},
        {"name": "Bola Ade", "preferred_contact": "By phone via the Carers Centre"},
        {"name": "Cara Nocontact"},
    )
    recent = _case(
        sessions,
        "tht",
        now - timedelta(seconds=2),
        {"name": "Dee Recent", "email": "d@example.com"},
    )
    opened = _case(sessions, "tht", None, {"name": "Eve Open", "email": "eve@example.com"})
    other = _case(
        sessions,
        "other",
        now - timedelta(days=30),
        {"name": "Fay Otherboard", "email": "fay@example.com"},
    )

    first = await _run(ts_env, task_queue)

    assert [r.case_id for r in first.removed] == [old] and first.presenters == 2
    assert _contacts(sessions) == {
        "Amina Begum": (None, None),
        "Bola Ade": (None, None),
        "Cara Nocontact": (None, None),
        "Dee Recent": ("d@example.com", None),
        "Eve Open": ("eve@example.com", None),
        "Fay Otherboard": ("fay@example.com", None),
    }
    with sessions() as session:
        sent = {m.recipient_name: m.recipient_email for m in session.exec(select(OutboxMessage))}
        assert sent["Amina Begum"] is None and sent["Dee Recent"] == "d@example.com"
        [audit] = session.exec(
            select(AuditEvent).where(AuditEvent.verb == "retention.contact_details_deleted")
        ).all()
        assert audit.case_id == old and audit.actor_name == "Community Voice (automatic)"
        assert audit.summary == (
            "Contact details of 2 presenter(s) deleted: 10 seconds after the case closed"
        )
        assert audit.detail["outbox_rows"] == 1 and len(audit.detail["presenter_ids"]) == 2
        assert "amina@example.com" not in str(audit.model_dump())
        kept = session.exec(select(Presenter).where(Presenter.name == "Amina Begum")).one()
        assert kept.access_needs == "Large print", "only contact details are removed"

    await ts_env.sleep(timedelta(seconds=10))
    second = await _run(ts_env, task_queue)
    names = {old: "old", recent: "recent", opened: "open", other: "other"}
    assert [names.get(r.case_id) for r in second.removed] == ["recent"]
    assert second.now is not None and second.now - now < timedelta(seconds=30)
    assert _contacts(sessions)["Dee Recent"] == (None, None)
    assert _contacts(sessions)["Eve Open"] == ("eve@example.com", None)

    third = await _run(ts_env, task_queue)
    assert third.removed == [], "nothing is removed twice"


async def test_the_daily_schedule_runs_the_retention_workflow(
    dev_env, dev_worker, sessions, task_queue
):
    """On the dev server (the time-skipping server has no Schedules): the worker's schedule,
    triggered now, removes what is past retention."""
    add_board(sessions, policy=Policy(contact_retention="1 seconds"))
    old = _case(
        sessions,
        "tht",
        utcnow() - timedelta(minutes=5),
        {"name": "Amina Begum", "email": "amina@example.com"},
    )
    schedule = await retention_schedule.sync(dev_env.client, task_queue)
    await retention_schedule.sync(dev_env.client, task_queue)  # again: updated in place
    described = await dev_env.client.get_schedule_handle(schedule).describe()
    [calendar] = described.schedule.spec.calendars
    assert described.schedule.spec.time_zone_name == "Europe/London"
    assert (calendar.hour[0].start, calendar.minute[0].start) == (3, 0)
    await dev_env.client.get_schedule_handle(schedule).trigger()
    assert await eventually(lambda: _contacts(sessions)["Amina Begum"] == (None, None))
    with sessions() as session:
        [audit] = session.exec(
            select(AuditEvent).where(AuditEvent.verb == "retention.contact_details_deleted")
        ).all()
        assert audit.case_id == old
