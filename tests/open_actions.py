"""A whole integrated care system's worth of open actions, written straight to the tables.

Used by the staff-page benchmark (1,000 and 10,000 open actions over 40 boards, 300 open
escalations) and by the tests that prove a page's cost does not grow with the number of open
actions. The rows are what the workflows would have written (realistic text, ratings with their
causes, closed history alongside), inserted in bulk so that seeding 10,000 takes seconds.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, select

from models.action import Action, ActionStatus
from models.board import Board, BoardCreate
from models.case import Case, CaseStatus
from models.escalation import Escalation, EscalationRule, EscalationStatus
from models.partner import Owner, Partner
from models.policy import Policy
from models.presenter import Presenter
from models.rag import Rag
from services import directory

PLACES = [
    "Tower Hamlets", "Newham", "Hackney", "City of London", "Waltham Forest", "Redbridge",
    "Havering", "Barking and Dagenham", "Islington", "Camden", "Haringey", "Enfield",
    "Barnet", "Lewisham", "Greenwich", "Southwark", "Lambeth", "Bexley", "Bromley", "Croydon",
]  # fmt: skip
THEMES = [
    ("Damp and mould in social housing", "Residents described children's asthma made worse by "
     "mould, and months of waiting for repairs after reporting it."),
    ("Mental health discharge leaflets", "Service users said the discharge leaflet is hard to "
     "read, only in English, and does not say who to call at night."),
    ("Maternity outcomes for Black and Brown women", "Mothers told the board they were not "
     "listened to when they reported pain, and asked for advocates on every ward."),
    ("Disability access training", "Deaf and disabled residents described receptionists who "
     "would not book interpreters or longer appointments."),
    ("Carers' breaks", "Unpaid carers said respite is booked months ahead and they cannot find "
     "out what they are entitled to."),
    ("GP appointments by phone", "Older residents described queues at 8am and no way to book "
     "without a smartphone."),
    ("Hospital transport", "Patients on dialysis said transport arrives late and they miss the "
     "start of their sessions."),
    ("Young people's mental health", "Young people said the waiting list for CAMHS is longer "
     "than a school year and nobody checks on them while they wait."),
]  # fmt: skip
ACTIONS = [
    "Rewrite the leaflet in plain English with service users and translate it into the five "
    "most spoken community languages",
    "Survey every flat on the estate for damp and publish the repair timetable",
    "Offer a named advocate to every woman who asks for one on the maternity wards",
    "Train every reception team in booking interpreters and longer appointments",
    "Report back to the board on waiting times for carers' respite each quarter",
    "Keep a phone line open for booking appointments without a smartphone",
    "Review the hospital transport contract with dialysis patients at the table",
    "Set up a check-in call for every young person waiting for a first appointment",
    "Write to residents about what happens after a repair is reported",
    "Audit complaints from the last year for patterns of not being listened to",
]
CAUSES = {
    Rag.red: ["Overdue: the due date has passed", "The owner says it cannot be delivered",
              "Set by the Community Voice Lead: no progress since the last board"],
    Rag.amber: ["Due within 14 days", "Not acknowledged within 5 working days",
                "No update for 30 days", "No owner named within 10 working days"],
    Rag.green: ["On track"],
}  # fmt: skip
FIRST = ["Priya", "Jo", "Amina", "Tom", "Grace", "Olu", "Sam", "Fatima", "Dan", "Mei", "Kofi",
         "Ruth", "Imran", "Hannah", "Luca", "Nadia", "Ben", "Aisha", "Chris", "Zara"]  # fmt: skip
LAST = ["Shah", "Miah", "Begum", "Okafor", "Smith", "Khan", "Jones", "Chen", "Ahmed", "Brown",
        "Patel", "Taylor", "Uddin", "Evans", "Rahman", "Wilson", "Ali", "Clarke", "Hussain",
        "Green"]  # fmt: skip
OPEN_STATUSES = ([ActionStatus.in_progress] * 15 + [ActionStatus.awaiting_acknowledgement] * 4) + [
    ActionStatus.unassigned
]
OPEN_RAGS = [Rag.red] * 3 + [Rag.amber] * 6 + [Rag.green] * 11


@dataclass
class Seeded:
    boards: list[str] = field(default_factory=list)
    partner_ids: list[uuid.UUID] = field(default_factory=list)
    owner_ids: list[uuid.UUID] = field(default_factory=list)
    case_ids: list[uuid.UUID] = field(default_factory=list)
    open_actions: int = 0
    open_escalations: int = 0


_TEMPLATES: dict[type, dict[str, Any]] = {}


def _row(table: type, **values: Any) -> dict[str, Any]:
    """A row as a dict: the model's defaults (built once per table) with ``values`` over them
    (building a SQLModel table object per row costs a millisecond; 15,000 of them, seconds)."""
    if table not in _TEMPLATES:
        example: dict[str, Any] = {
            Case: {"board_id": uuid.uuid4(), "meeting_date": date(2026, 1, 1)},
            Presenter: {"case_id": uuid.uuid4()},
            Action: {"case_id": uuid.uuid4(), "text": "x"},
            Escalation: {
                "case_id": uuid.uuid4(),
                "workflow_id": "x",
                "rule": EscalationRule.manual,
                "reason": "x",
                "raised_at": datetime.now(UTC),
                "assigned_to_name": "x",
                "assigned_to_email": "x@example.org",
            },
        }[table]
        _TEMPLATES[table] = table(**example).model_dump()
    row = {**_TEMPLATES[table], **values}
    for key, value in row.items():
        if isinstance(value, list):
            row[key] = list(value)
    return row


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def seed(
    session: Session,
    *,
    open_actions: int,
    boards: int = 40,
    open_escalations: int = 300,
    closed_per_open: float = 0.5,
    today: date | None = None,
    rng_seed: int = 13,
) -> Seeded:
    """``open_actions`` open actions (three a session) over ``boards`` boards, with closed
    sessions alongside, ``open_escalations`` open escalations (and twice as many resolved)."""
    rng = random.Random(rng_seed)
    today = today or date.today()
    out = Seeded()
    for n in range(boards):
        place = PLACES[n % len(PLACES)]
        kind = "Together Board" if n < len(PLACES) else "Health and Wellbeing Board"
        slug = f"{place.lower().replace(' ', '-')}-{n}"
        directory.create_board(
            session=session,
            body=BoardCreate(
                slug=slug,
                name=f"{place} {kind}",
                engagement_lead_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                engagement_lead_email=f"engagement.{n}@example.org",
                cv_lead_name="Cara Lead",
                cv_lead_email="cara.lead@example.org",
                policy=Policy(),
            ),
        )
        out.boards.append(slug)
    board_ids = {b.slug: b.id for b in session.exec(select(Board)).all()}
    partners = [
        Partner(name=name, kind=kind)
        for place in PLACES
        for name, kind in (
            (f"London Borough of {place}", "council service"),
            (f"{place} GP Care Group", "GP care group"),
            (f"Healthwatch {place}", "Healthwatch"),
        )
    ] + [
        Partner(name=name, kind="NHS trust")
        for name in ("Barts Health NHS Trust", "East London NHS Foundation Trust", "NHS NEL")
    ]
    session.add_all(partners)
    session.flush()
    owners = [
        Owner(
            name=f"{FIRST[i % 20]} {LAST[(i * 7) % 20]}",
            email=f"owner.{i}@example.nhs.uk",
            job_title="Head of patient experience",
            partner_id=partners[i % len(partners)].id,
        )
        for i in range(max(20, min(400, open_actions // 25)))
    ]
    session.add_all(owners)
    session.flush()
    partner_names = {p.id: p.name for p in partners}
    out.partner_ids = [p.id for p in partners]
    out.owner_ids = [o.id for o in owners]

    closed = int(open_actions * closed_per_open)
    cases: list[dict[str, Any]] = []
    presenters: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    escalations: list[dict[str, Any]] = []
    open_ids: list[tuple[uuid.UUID, uuid.UUID, datetime]] = []
    for n in range((open_actions + 2) // 3 + (closed + 2) // 3):
        is_open = n < (open_actions + 2) // 3
        budget = open_actions - 3 * n if is_open else closed - 3 * (n - (open_actions + 2) // 3)
        slug = out.boards[n % len(out.boards)]
        meeting = today - timedelta(days=30 * (n // len(out.boards)) % 1100 + 1)
        theme, said = THEMES[n % len(THEMES)]
        case_id = uuid.uuid4()
        cases.append(
            _row(
                Case,
                id=case_id,
                board_id=board_ids[slug],
                meeting_date=meeting,
                theme=theme,
                said=said,
                status=CaseStatus.open if is_open else CaseStatus.closed,
                presenter_contact_confirmed_at=None if n % 9 == 0 else _at(meeting),
                recorded_at=_at(meeting),
                recorded_by="Eve Engagement",
                closed_at=None if is_open else _at(meeting + timedelta(days=200)),
            )
        )
        out.case_ids.append(case_id)
        presenters.append(
            _row(
                Presenter,
                id=uuid.uuid4(),
                case_id=case_id,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                organisation=f"{PLACES[n % len(PLACES)]} Tenants' Forum",
                email=f"presenter.{n}@example.com",
            )
        )
        for seq in range(1, min(3, budget) + 1):
            owner = rng.choice(owners)
            status = rng.choice(OPEN_STATUSES) if is_open else ActionStatus.done
            rag = rng.choice(OPEN_RAGS) if is_open else Rag.blue
            if status is ActionStatus.unassigned:
                rag = Rag.amber
            named = status is not ActionStatus.unassigned
            due = meeting + timedelta(days=rng.randint(30, 300)) if rng.random() > 0.05 else None
            action_id = uuid.uuid4()
            actions.append(
                _row(
                    Action,
                    id=action_id,
                    case_id=case_id,
                    seq=seq,
                    text=ACTIONS[(n + seq) % len(ACTIONS)],
                    status=status,
                    owner_id=owner.id if named else None,
                    owner_name=owner.name if named else None,
                    owner_email=owner.email if named else None,
                    partner_id=owner.partner_id if named else None,
                    partner_name=partner_names[owner.partner_id] if named else None,
                    due_date=due,
                    due_at=_at(due) if due else None,
                    rag=rag,
                    rag_cause=rng.choice(CAUSES[rag]) if rag in CAUSES else "Done",
                    assignment_no=1 if named else 0,
                    linked_at=_at(meeting) if named else None,
                    closed_at=None if is_open else _at(meeting + timedelta(days=120)),
                    closed_on_time=None if is_open else True,
                    created_at=_at(meeting),
                    updated_at=_at(meeting),
                )
            )
            if is_open:
                open_ids.append((case_id, action_id, _at(meeting)))
        out.open_actions += min(3, budget) if is_open else 0
    for i in range(3 * open_escalations):
        case_id, action_id, raised = open_ids[(i * 37) % len(open_ids)]
        is_open = i < open_escalations
        escalations.append(
            _row(
                Escalation,
                id=uuid.uuid4(),
                case_id=case_id,
                action_id=action_id,
                workflow_id=f"action-{action_id}",
                rule=EscalationRule.overdue if i % 2 else EscalationRule.not_acknowledged,
                reason="The owner has not acknowledged the action after two reminders."
                if i % 2 == 0
                else "The action is overdue and the owner has not said why.",
                raised_at=raised + timedelta(days=40 + i % 50, minutes=i),
                assigned_to_name="Cara Lead",
                assigned_to_email="cara.lead@example.org",
                status=EscalationStatus.open if is_open else EscalationStatus.resolved,
                resolved_at=None if is_open else raised + timedelta(days=60),
                resolved_by=None if is_open else "Cara Lead",
                resolution_note=None if is_open else "Spoke to the owner; it is in hand.",
            )
        )
    out.open_escalations = open_escalations
    for table, rows in ((Case, cases), (Presenter, presenters), (Action, actions)):
        for start in range(0, len(rows), 2000):
            session.connection().execute(table.__table__.insert(), rows[start : start + 2000])
    if escalations:
        session.connection().execute(Escalation.__table__.insert(), escalations)
    session.commit()
    return out
