"""The ELG digest over a busy month is a five-minute read: headline figures first, one line per
owner not responding, one net change per action, sessions in date order; the email names itself,
stays within a fixed budget and links to the page, and replies go to the engagement lead.

The month is written straight into SQL (60 sessions, 300 actions, 40 waiting on six owners):
the digest is a read of what the engine recorded, and the activity runs as the worker runs it.
Runs on SQLite and, when CVT_TEST_POSTGRES_URL is set, on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr

import pytest
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from activities.report import ReportActivities
from models.action import Action, ActionStatus, RagChange
from models.board import Board, BoardMeetingBase, MeetingKind
from models.case import Case, CaseOutcome
from models.db import SessionFactory, session_factory
from models.escalation import Escalation, EscalationRule
from models.outbox import OutboxMessage, OutboxStatus
from models.policy import Policy
from models.rag import Rag, RagSource
from models.report import DraftReportInput, ReportKind, ReportTrigger
from models.report_timing import digest_moment
from notifications.links import Links
from notifications.render import Renderer, compose
from services import directory, reports
from tests.factories import add_board

MEETING = date(2027, 5, 20)
UNTIL = digest_moment(Policy(), MEETING)
AFTER = UNTIL - timedelta(days=30)
OWNERS = [
    ("Jo Miah", "London Borough of Tower Hamlets"),
    ("Priya Shah", "Barts Health NHS Trust"),
    ("Tom Okafor", "East London NHS Foundation Trust"),
    ("Lena Roy", "Tower Hamlets GP Care Group"),
    ("Matt Reid", "Healthwatch Tower Hamlets"),
    ("Sam Patel", "London Borough of Tower Hamlets"),
]
#: The email's budget: a five-minute read at most, however busy the month.
MAX_WORDS, MAX_LINES = 800, 80


@pytest.fixture
def sessions(db_engine) -> SessionFactory:
    return session_factory(db_engine)


def _at(day: int, hour: int = 10) -> datetime:
    return AFTER + timedelta(days=day, hours=hour)


def _action(case: Case, seq: int, owner: int, *, rag: Rag, created: datetime) -> Action:
    name, partner = OWNERS[owner % len(OWNERS)]
    return Action(
        case_id=case.id,
        seq=seq,
        text=f"Action {seq} of {case.theme}",
        status=ActionStatus.in_progress,
        owner_name=name,
        owner_email=f"{name.split()[0].lower()}@example.org",
        partner_name=partner,
        due_date=MEETING + timedelta(days=seq * 3),
        rag=rag,
        rag_cause="As recorded",
        created_at=created,
        updated_at=created,
    )


def _change(a: Action, at: datetime, old: Rag | None, new: Rag, cause: str) -> RagChange:
    return RagChange(
        action_id=a.id, case_id=a.case_id, at=at, from_rag=old, to_rag=new, cause=cause,
        source=RagSource.derived,
    )  # fmt: skip


def busy_month(sessions: SessionFactory) -> dict[str, int]:
    """60 new sessions (5 actions each when held), and 40 older actions waiting on six owners:
    30 went Green → Amber → Red, 10 went Amber → Green → Amber (no net change)."""
    with sessions() as session:
        board = session.exec(select(Board)).one()
        older = Case(
            board_id=board.id, meeting_date=date(2027, 1, 14), theme="Older session",
            recorded_at=AFTER - timedelta(days=90),
        )  # fmt: skip
        session.add(older)
        session.flush()
        for n in range(40):
            a = _action(older, n + 1, n, rag=Rag.red if n < 30 else Rag.amber, created=_at(-80))
            session.add(a)
            session.flush()
            if n < 30:
                session.add(_change(a, _at(3), Rag.green, Rag.amber, "Due within 14 days"))
                session.add(_change(a, _at(9), Rag.amber, Rag.red, "Overdue: it was due"))
            else:
                session.add(_change(a, _at(3), Rag.amber, Rag.green, "Owner rates it on track"))
                session.add(_change(a, _at(9), Rag.green, Rag.amber, "No update for 30 days"))
            session.add(
                Escalation(
                    case_id=older.id,
                    action_id=a.id,
                    workflow_id=f"action-{a.id}",
                    rule=EscalationRule.not_acknowledged,
                    reason="Not acknowledged in time",
                    raised_at=_at(-20 + n % 5),
                    assigned_to_name="Cara Lead",
                    assigned_to_email="cara.lead@example.org",
                )  # fmt: skip
            )
        outcomes = [CaseOutcome.held] * 52 + [CaseOutcome.no_action] * 3
        outcomes += [CaseOutcome.withdrawn, CaseOutcome.deferred] * 2 + [CaseOutcome.cancelled]
        for n, outcome in enumerate(outcomes):
            case = Case(
                board_id=board.id,
                meeting_date=date(2027, 4, 1) + timedelta(days=(n * 7) % 30),
                outcome=outcome,
                theme=f"Theme {n}",
                recorded_at=_at(1 + n % 25),
            )
            session.add(case)
            session.flush()
            for seq in range(1, 6 if outcome is CaseOutcome.held else 1):
                a = _action(case, seq, n + seq, rag=Rag.green, created=case.recorded_at)
                session.add(a)
                session.flush()
                session.add(_change(a, case.recorded_at, None, Rag.green, "On track"))
        session.commit()
    return {"sessions": len(outcomes), "new_actions": 52 * 5}


def run_digest(sessions: SessionFactory):  # type: ignore[no-untyped-def]
    activities = ReportActivities(sessions)
    return ActivityEnvironment().run(
        activities.draft_report,
        DraftReportInput(
            board="tht",
            kind=ReportKind.elg_digest,
            meeting_date=MEETING,
            trigger=ReportTrigger.manual,
            scheduled_for=UNTIL,
            started_at=UNTIL + timedelta(minutes=1),
            workflow_id="test-digest",
        ),
    )


def test_a_busy_month_makes_a_digest_that_fits_its_budget(sessions: SessionFactory) -> None:
    add_board(sessions)
    with sessions() as session:
        directory.add_meeting(
            session=session, slug="tht", body=BoardMeetingBase(kind=MeetingKind.elg, date=MEETING)
        )
    made = busy_month(sessions)

    result = run_digest(sessions)

    assert result.created and result.kind is ReportKind.elg_digest
    with sessions() as session:
        report, rows, board = reports.get_report(session=session, report_id=result.report_id)
        mail = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "elg_digest")).all()
    content = report.content
    s = content["sections"]
    assert result.items == sum(len(items) for items in s.values()) > 300
    assert rows == []

    # Headline figures first, counted.
    headline = dict(content["headline"])
    assert list(headline)[0] == "New sessions"
    assert headline["New sessions"] == (
        "60 (55 held, of which 3 with no specific action; 5 withdrawn, cancelled or deferred)"
    )
    assert headline["Actions agreed at them"] == str(made["new_actions"])
    assert headline["Owners not responding"] == "6 people, 40 actions"
    assert headline["Rating changed over the month"] == "30 actions: 30 worse, 0 better or done"

    # One line a person not responding, however many actions wait on them.
    waiting = s["owners_not_responding"]
    assert len(waiting) == 6
    assert sorted(w["owner"] for w in waiting) == sorted(name for name, _ in OWNERS)
    jo = next(w for w in waiting if w["owner"] == "Jo Miah")
    assert jo["text"].startswith(
        "Jo Miah, London Borough of Tower Hamlets: 7 actions waiting: owner has not "
        "acknowledged (7 actions, since "
    )
    # One net change per action: Green → Red once (not Green → Amber, then Amber → Red); the
    # ten that came back to Amber and the new actions are not listed.
    changes = s["rag_changes"]
    assert len(changes) == len({c["action_id"] for c in changes}) == 30
    assert all(c["from_rag"] == "green" and c["to_rag"] == "red" for c in changes)
    assert all("Green → Red. Why: Overdue: it was due" in c["text"] for c in changes)
    groups = [c["group"] for c in changes]
    assert groups == sorted(groups), "grouped by partner"
    # Sessions in the order they were held.
    held = [i["text"].split(":")[0] for i in s["new_sessions"]]
    days = [datetime.strptime(t, "%d %B %Y").date() for t in held]
    assert len(days) == 60 and days == sorted(days)
    partners = [p["group"] for p in s["by_partner"]]
    assert len(partners) == len(set(partners)) == 5

    # The email: named for what it is, within budget, headline first, a link for the rest.
    assert sorted(m.recipient_role.value for m in mail) == ["cv_lead", "engagement_lead"]
    renderer = Renderer(Links("secret" * 6, "https://cv.example.org"))
    to_cv = next(m for m in mail if m.recipient_role.value == "cv_lead")
    rendered = renderer.render(to_cv.kind, to_cv.facts, to=to_cv.recipient_name)
    assert rendered.subject == (
        "Engagement Leads Group digest: Tower Hamlets Together Board, meeting on 20 May 2027"
    )
    text = rendered.text
    assert "This is the Engagement Leads Group digest for the meeting on 20 May 2027" in text
    assert "You Said, We Did" not in text + rendered.html
    words, lines = len(text.split()), len(text.splitlines())
    assert words <= MAX_WORDS and lines <= MAX_LINES, (words, lines)
    assert text.index("At a glance") < text.index("Owners not responding")
    assert text.index("- New sessions: 60") < text.index("Owners not responding")
    assert sum(1 for line in text.splitlines() if "waiting: owner has not" in line) == 6
    assert "- and 25 more on the page" in text  # 30 got worse, 5 shown
    assert f"https://cv.example.org/reports/{report.id}" in text
    assert "your reply goes to Eve Engagement, the engagement lead" in text
    message = compose(to_cv, rendered, from_address="cv@example.org", from_name="Community Voice")
    assert parseaddr(message["Reply-To"])[1] == board.engagement_lead_email
    to_lead = next(m for m in mail if m.recipient_role.value == "engagement_lead")
    own = renderer.render(to_lead.kind, to_lead.facts, to=to_lead.recipient_name)
    assert "reply to this email" not in own.text.lower()
    assert to_lead.reply_to == board.engagement_lead_email

    # The page says it was emailed (no approval step), and when it was sent.
    with sessions() as session:
        view = reports.view(session=session, report_id=report.id)
        assert "Draft" not in " ".join(view.lines)
        assert "Emailed as it was made" in view.lines[1]
        assert "waiting to be sent to Cara Lead" in view.lines[1]
        for m in session.exec(select(OutboxMessage)).all():
            m.status, m.sent_at = OutboxStatus.sent, UNTIL + timedelta(minutes=2)
            session.add(m)
        session.commit()
        sent = reports.view(session=session, report_id=report.id)
    assert "sent to Cara Lead 13 May 2027 at 9:02am" in sent.lines[1]
    assert sent.figures[0] == ("New sessions", headline["New sessions"])
    assert [heading for heading, _ in sent.digest_groups][:2] == [
        "Open actions by partner",
        "Owners not responding",
    ]


def test_a_quiet_month_says_so_in_few_words(sessions: SessionFactory) -> None:
    add_board(sessions)
    with sessions() as session:
        directory.add_meeting(
            session=session, slug="tht", body=BoardMeetingBase(kind=MeetingKind.elg, date=MEETING)
        )
    result = run_digest(sessions)
    with sessions() as session:
        report, _, _ = reports.get_report(session=session, report_id=result.report_id)
        [mail, _] = session.exec(select(OutboxMessage)).all()
    assert dict(report.content["headline"])["Owners not responding"] == "None"
    assert result.items == 0
    text = Renderer(Links("secret" * 6, "https://cv.example.org")).render(
        mail.kind, mail.facts, to=mail.recipient_name
    )
    assert "New sessions: 0" in text.text and "more on the page" not in text.text
    assert UNTIL.tzinfo is not None and UNTIL.astimezone(UTC).date() == date(2027, 5, 13)
