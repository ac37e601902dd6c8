"""The directory of partners and owners, boards and staff: plain CRUD, straight to SQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.board import Board, BoardCreate, BoardMeeting, BoardMeetingBase, BoardUpdate
from models.partner import Owner, OwnerCreate, Partner, PartnerCreate
from models.staff import StaffUser, StaffUserCreate
from models.text import name_key
from services.errors import FieldError, InvalidInput, NotFound
from services.passwords import hash_password


def list_partners(*, session: Session, include_inactive: bool = False) -> Sequence[Partner]:
    query = select(Partner).order_by(col(Partner.name))
    if not include_inactive:
        query = query.where(col(Partner.active))
    return session.exec(query).all()


def count_partners(*, session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Partner)).one())


def partners_with_owners(
    *, session: Session, offset: int, limit: int
) -> list[tuple[Partner, list[Owner]]]:
    """One page of partners (active or not, by name) with their owners: two queries."""
    partners = list(
        session.exec(
            select(Partner).order_by(col(Partner.name), col(Partner.id)).offset(offset).limit(limit)
        ).all()
    )
    owners: dict[uuid.UUID, list[Owner]] = {p.id: [] for p in partners}
    for owner in session.exec(
        select(Owner).where(col(Owner.partner_id).in_(owners)).order_by(col(Owner.name))
    ).all():
        owners[owner.partner_id].append(owner)
    return [(p, owners[p.id]) for p in partners]


def create_partner(*, session: Session, body: PartnerCreate) -> Partner:
    _name_is_free(session, body.name)
    partner = Partner.model_validate(body)
    session.add(partner)
    _commit_partner(session, body.name)
    session.refresh(partner)
    return partner


def _name_is_free(session: Session, name: str, *, but: uuid.UUID | None = None) -> None:
    """No other partner has this name, in any case or Unicode form (``models.text.name_key``)."""
    query = select(Partner).where(Partner.name_key == name_key(name))
    if but is not None:
        query = query.where(Partner.id != but)
    same = session.exec(query).first()
    if same is not None:
        raise InvalidInput(FieldError("name", f"'{same.name}' is in the directory already"))


def _commit_partner(session: Session, name: str) -> None:
    """Commit; a partner of the same name added meanwhile (two requests at once) is the same
    refusal as one found before, never a failure."""
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise InvalidInput(FieldError("name", f"'{name}' is in the directory already")) from error


def list_owners(
    *, session: Session, partner_id: uuid.UUID | None = None, include_inactive: bool = False
) -> Sequence[Owner]:
    query = select(Owner).order_by(col(Owner.name))
    if partner_id:
        query = query.where(Owner.partner_id == partner_id)
    if not include_inactive:
        query = query.where(col(Owner.active))
    return session.exec(query).all()


def create_owner(*, session: Session, body: OwnerCreate) -> Owner:
    if session.get(Partner, body.partner_id) is None:
        raise InvalidInput(
            FieldError("partner_id", f"there is no partner with id {body.partner_id}")
        )
    email = body.email.lower()
    if session.exec(select(Owner).where(func.lower(Owner.email) == email)).first():
        raise InvalidInput(FieldError("email", f"{email} is in the directory already"))
    owner = Owner.model_validate(body, update={"email": email})
    session.add(owner)
    session.commit()
    session.refresh(owner)
    return owner


def get_board(*, session: Session, slug: str) -> Board:
    board = session.exec(select(Board).where(Board.slug == slug)).first()
    if board is None:
        raise NotFound(f"No board '{slug}'.")
    return board


def create_board(*, session: Session, body: BoardCreate) -> Board:
    if session.exec(select(Board).where(Board.slug == body.slug)).first():
        raise InvalidInput(FieldError("slug", f"a board '{body.slug}' exists already"))
    board = Board.model_validate(
        body.model_dump(exclude={"policy"}),
        update={"policy_json": body.policy.model_dump(mode="json")},
    )
    session.add(board)
    session.commit()
    session.refresh(board)
    return board


def update_board(*, session: Session, slug: str, body: BoardUpdate) -> Board:
    board = get_board(session=session, slug=slug)
    changes = body.model_dump(exclude_unset=True, exclude={"policy"})
    board.sqlmodel_update(changes)
    if body.policy is not None:
        board.policy_json = body.policy.model_dump(mode="json")
    session.add(board)
    session.commit()
    session.refresh(board)
    return board


def list_meetings(*, session: Session, slug: str) -> Sequence[BoardMeeting]:
    board = get_board(session=session, slug=slug)
    return session.exec(
        select(BoardMeeting)
        .where(BoardMeeting.board_id == board.id)
        .order_by(col(BoardMeeting.date))
    ).all()


def add_meeting(*, session: Session, slug: str, body: BoardMeetingBase) -> BoardMeeting:
    board = get_board(session=session, slug=slug)
    meeting = BoardMeeting.model_validate(body, update={"board_id": board.id})
    session.add(meeting)
    session.commit()
    session.refresh(meeting)
    return meeting


def create_user(*, session: Session, body: StaffUserCreate) -> StaffUser:
    email = body.email.lower()
    if session.exec(select(StaffUser).where(func.lower(StaffUser.email) == email)).first():
        raise InvalidInput(FieldError("email", f"{email} has an account already"))
    user = StaffUser(
        email=email, name=body.name, role=body.role, password_hash=hash_password(body.password)
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


# --- editing the directory (staff pages) --------------------------------------------------------


def get_partner(*, session: Session, partner_id: uuid.UUID) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFound(f"No partner with id {partner_id}.")
    return partner


def update_partner(*, session: Session, partner_id: uuid.UUID, body: PartnerCreate) -> Partner:
    partner = get_partner(session=session, partner_id=partner_id)
    _name_is_free(session, body.name, but=partner_id)
    partner.sqlmodel_update(body.model_dump())
    session.add(partner)
    _commit_partner(session, body.name)
    session.refresh(partner)
    return partner


def set_partner_active(*, session: Session, partner_id: uuid.UUID, active: bool) -> Partner:
    """A deactivated partner (and so its owners) is no longer offered for new actions."""
    partner = get_partner(session=session, partner_id=partner_id)
    partner.active = active
    session.add(partner)
    session.commit()
    session.refresh(partner)
    return partner


def get_owner(*, session: Session, owner_id: uuid.UUID) -> Owner:
    owner = session.get(Owner, owner_id)
    if owner is None:
        raise NotFound(f"No owner with id {owner_id}.")
    return owner


def update_owner(*, session: Session, owner_id: uuid.UUID, body: OwnerCreate) -> Owner:
    """Actions already linked keep the name and address they were linked with."""
    owner = get_owner(session=session, owner_id=owner_id)
    if session.get(Partner, body.partner_id) is None:
        raise InvalidInput(
            FieldError("partner_id", f"there is no partner with id {body.partner_id}")
        )
    email = body.email.lower()
    same = session.exec(
        select(Owner).where(func.lower(Owner.email) == email, Owner.id != owner_id)
    ).first()
    if same is not None:
        raise InvalidInput(FieldError("email", f"{email} is in the directory already"))
    owner.sqlmodel_update(body.model_dump(), update={"email": email})
    session.add(owner)
    session.commit()
    session.refresh(owner)
    return owner


def set_owner_active(*, session: Session, owner_id: uuid.UUID, active: bool) -> Owner:
    owner = get_owner(session=session, owner_id=owner_id)
    owner.active = active
    session.add(owner)
    session.commit()
    session.refresh(owner)
    return owner


def update_meeting(
    *, session: Session, slug: str, meeting_id: uuid.UUID, receives_quarterly_report: bool
) -> BoardMeeting:
    board = get_board(session=session, slug=slug)
    meeting = session.get(BoardMeeting, meeting_id)
    if meeting is None or meeting.board_id != board.id:
        raise NotFound(f"No meeting with id {meeting_id} on the board '{slug}'.")
    meeting.receives_quarterly_report = receives_quarterly_report
    session.add(meeting)
    session.commit()
    session.refresh(meeting)
    return meeting


def remove_meeting(*, session: Session, slug: str, meeting_id: uuid.UUID) -> None:
    board = get_board(session=session, slug=slug)
    meeting = session.get(BoardMeeting, meeting_id)
    if meeting is None or meeting.board_id != board.id:
        raise NotFound(f"No meeting with id {meeting_id} on the board '{slug}'.")
    session.delete(meeting)
    session.commit()
