"""Development data: the demo boards, staff accounts and a small partner directory.

Idempotent: running it again changes nothing that is there already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from models.board import Board, BoardCreate, BoardMeetingBase, MeetingKind
from models.partner import Owner, OwnerCreate, Partner, PartnerCreate
from models.policy import LONDON, Policy
from models.staff import Role, StaffUser, StaffUserCreate
from services import directory

DEMO_PASSWORD = "community-voice-demo"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role


DEMO_USERS = [
    DemoUser("lead@example.org", "Eve Engagement", Role.engagement_lead),
    DemoUser("cvlead@example.org", "Cara Lead", Role.cv_lead),
    DemoUser("admin@example.org", "Ada Admin", Role.admin),
    DemoUser("viewer@example.org", "Vic Viewer", Role.viewer),
]

DEMO_BOARDS = [
    BoardCreate(
        slug="tht",
        name="Tower Hamlets Together Board",
        engagement_lead_name="Eve Engagement",
        engagement_lead_email="engagement.lead@example.org",
        cv_lead_name="Cara Lead",
        cv_lead_email="cv.lead@example.org",
        policy=Policy(),
    ),
    BoardCreate(
        slug="demo-fast",
        name="Demo board (timers in seconds)",
        engagement_lead_name="Eve Engagement",
        engagement_lead_email="engagement.lead@example.org",
        cv_lead_name="Cara Lead",
        cv_lead_email="cv.lead@example.org",
        policy=Policy.in_seconds(scale=10),
    ),
]

DEMO_DIRECTORY = {
    "Barts Health NHS Trust": ("NHS trust", [("Priya Shah", "priya.shah@example.nhs.uk")]),
    "East London NHS Foundation Trust (ELFT)": (
        "NHS trust",
        [("Tom Okafor", "tom.okafor@example.nhs.uk")],
    ),
    "London Borough of Tower Hamlets": (
        "Council",
        [("Jo Miah", "jo.miah@example.gov.uk"), ("Sam Patel", "sam.patel@example.gov.uk")],
    ),
    "Tower Hamlets GP Care Group": ("GP care group", [("Dr Lena Roy", "lena.roy@example.nhs.uk")]),
    "Healthwatch Tower Hamlets": ("Healthwatch", [("Matt Reid", "matt.reid@example.org")]),
}


def seed(session: Session) -> list[str]:
    """Create what is missing; returns lines saying what was added."""
    added: list[str] = []
    for board in DEMO_BOARDS:
        if session.exec(select(Board).where(Board.slug == board.slug)).first() is None:
            directory.create_board(session=session, body=board)
            added.append(f"board {board.slug}")
    for user in DEMO_USERS:
        if session.exec(select(StaffUser).where(StaffUser.email == user.email)).first() is None:
            directory.create_user(
                session=session,
                body=StaffUserCreate(
                    email=user.email, name=user.name, role=user.role, password=DEMO_PASSWORD
                ),
            )
            added.append(f"user {user.email}")
    for name, (kind, owners) in DEMO_DIRECTORY.items():
        partner = session.exec(select(Partner).where(Partner.name == name)).first()
        if partner is None:
            partner = directory.create_partner(
                session=session, body=PartnerCreate(name=name, kind=kind)
            )
            added.append(f"partner {name}")
        for owner_name, email in owners:
            if session.exec(select(Owner).where(Owner.email == email)).first() is None:
                directory.create_owner(
                    session=session,
                    body=OwnerCreate(name=owner_name, email=email, partner_id=partner.id),
                )
                added.append(f"owner {email}")
    added += seed_calendar(session, "tht", today=datetime.now(LONDON).date())
    return added


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def seed_calendar(session: Session, slug: str, *, today: date) -> list[str]:
    """A year of meetings for a demo board with none: the board on the second Thursday of each
    month (every third one receives the quarterly report), the Engagement Leads Group on the
    third Tuesday. Report schedules are made from this calendar."""
    board = session.exec(select(Board).where(Board.slug == slug)).first()
    if board is None or directory.list_meetings(session=session, slug=slug):
        return []
    added = []
    for offset in range(1, 13):
        year, month = divmod(today.month - 1 + offset, 12)
        year, month = today.year + year, month + 1
        board_day = _nth_weekday(year, month, 3, 2)
        elg_day = _nth_weekday(year, month, 1, 3)
        directory.add_meeting(
            session=session,
            slug=slug,
            body=BoardMeetingBase(
                kind=MeetingKind.board, date=board_day, receives_quarterly_report=offset % 3 == 0
            ),
        )
        directory.add_meeting(
            session=session, slug=slug, body=BoardMeetingBase(kind=MeetingKind.elg, date=elg_day)
        )
        added.append(f"meetings of {slug} in {board_day:%B %Y}")
    return added
