"""What a signed link in an email gives access to, checked against the database on every request.

The signature says who the link was made for and when; the database says whether it still
applies: an owner link lapses when the action is passed to someone else (its assignment number
moves on) or closes; a presenter's link lapses once the session is over. Every way a link can
fail is a ``LinkProblem`` (``link_problems.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from models.action import Action, ActionStatus, ActionUpdate
from models.audit import AuditEvent
from models.board import Board
from models.case import Case, CaseStatus
from models.formatting import long_date
from models.presenter import Presenter
from notifications.links import LinkClaims, LinkPurpose, Links
from services.link_problems import (
    Contact,
    LinkProblem,
    case_and_board,
    claims_action_case,
    contact_for,
    not_found,
    read_claims,
    with_contact,
)


@dataclass
class OwnerAccess:
    claims: LinkClaims
    action: Action
    case: Case
    board: Board
    updates: Sequence[ActionUpdate] = field(default_factory=list)

    @property
    def contact(self) -> Contact:
        return contact_for(self.board)


@dataclass
class PresenterAccess:
    claims: LinkClaims
    presenter: Presenter
    case: Case
    board: Board
    actions: Sequence[Action] = field(default_factory=list)
    action: Action | None = None  # for feedback links
    answered: AuditEvent | None = None  # the presenter's earlier answer, if any

    @property
    def contact(self) -> Contact:
        return contact_for(self.board)


def owner_access(
    session: Session,
    links: Links,
    action_id: uuid.UUID,
    token: str,
    *,
    allow_revoked: bool = False,
) -> OwnerAccess:
    """The action an owner's link opens; ``LinkProblem`` if it does not (or no longer) apply.

    ``allow_revoked``: for the receipt of what this person just did (e.g. closing the action).
    """
    try:
        claims = read_claims(links, LinkPurpose.owner, action_id, token)
    except LinkProblem as problem:
        error = problem.__cause__
        claims_case = claims_action_case(session, error)
        with_contact(problem, session, claims_case)
        raise
    action = session.get(Action, action_id)
    found = case_and_board(session, action.case_id) if action else None
    if action is None or found is None:
        raise not_found("action")
    case, board = found
    access = OwnerAccess(claims=claims, action=action, case=case, board=board)
    if not allow_revoked:
        check_owner_still_applies(access)
    access.updates = session.exec(
        select(ActionUpdate)
        .where(ActionUpdate.action_id == action_id)
        .order_by(col(ActionUpdate.at))
    ).all()
    return access


def check_owner_still_applies(access: OwnerAccess) -> None:
    """``LinkProblem`` if the action has passed to someone else or closed since the link."""
    a, claims = access.action, access.claims
    contact = access.contact
    if a.owner_id != claims.person or a.assignment_no != claims.assignment_no:
        if a.owner_id is None and a.status is ActionStatus.unassigned:
            first = "This action was handed back to the engagement lead, who is finding its owner."
        else:
            first = "This action has been passed to someone else, so this link no longer works."
        raise LinkProblem(
            410,
            "This link no longer works",
            [first, "You do not need to do anything more about it. Nothing has been changed."],
            contact=contact,
        )
    if a.closed_at is not None:
        raise LinkProblem(
            410,
            "This action is closed",
            [
                f"It was closed on {long_date(a.closed_at)} "
                f"({_CLOSED[a.status]}), so it can no longer be changed.",
                "Nothing has been changed. If something about it is wrong, contact the "
                "engagement lead.",
            ],
            contact=contact,
        )


_CLOSED = {
    ActionStatus.done: "marked done",
    ActionStatus.withdrawn: "withdrawn",
    ActionStatus.cannot_deliver: "closed as not delivered",
    ActionStatus.unassigned: "closed",
    ActionStatus.awaiting_acknowledgement: "closed",
    ActionStatus.in_progress: "closed",
}


def _presenter_claims(
    session: Session, links: Links, purpose: LinkPurpose, target: uuid.UUID, token: str
) -> LinkClaims:
    try:
        return read_claims(links, purpose, target, token)
    except LinkProblem as problem:
        claims = getattr(problem.__cause__, "claims", None)
        if claims is not None:
            case_id = (
                claims.target
                if purpose is LinkPurpose.presenter
                else claims_action_case(session, problem.__cause__)
            )
            with_contact(problem, session, case_id)
        raise


def _presenter_row(session: Session, claims: LinkClaims, case_id: uuid.UUID) -> Presenter:
    presenter = session.get(Presenter, claims.person)
    if presenter is None or presenter.case_id != case_id:
        raise not_found("presenter")
    return presenter


def _answer(
    session: Session,
    case_id: uuid.UUID,
    verbs: tuple[str, ...],
    presenter_id: uuid.UUID,
    action_id: uuid.UUID | None = None,
) -> AuditEvent | None:
    """The presenter's recorded answer, if they have given one (the workflow wrote it)."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.case_id == case_id)
        .where(col(AuditEvent.verb).in_(verbs))
        .order_by(col(AuditEvent.at))
    )
    if action_id is not None:
        query = query.where(AuditEvent.action_id == action_id)
    for event in session.exec(query).all():
        if str(event.detail.get("presenter_id")) == str(presenter_id):
            return event
    return None


CONFIRM_VERBS = ("presenter.confirmed_actions", "presenter.actions_missing")


def presenter_access(
    session: Session, links: Links, case_id: uuid.UUID, token: str, *, allow_closed: bool = False
) -> PresenterAccess:
    """A presenter's page to confirm the agreed actions of their session."""
    claims = _presenter_claims(session, links, LinkPurpose.presenter, case_id, token)
    found = case_and_board(session, case_id)
    if found is None:
        raise not_found("session")
    case, board = found
    presenter = _presenter_row(session, claims, case_id)
    access = PresenterAccess(claims=claims, presenter=presenter, case=case, board=board)
    if case.status is CaseStatus.closed and not allow_closed:
        raise LinkProblem(
            410,
            "The actions from this session are all closed",
            [
                "Every action the board agreed at this session has closed, so there is nothing "
                "left to confirm. We emailed you as each one closed.",
                "Nothing has been changed.",
            ],
            contact=access.contact,
        )
    access.actions = session.exec(
        select(Action).where(Action.case_id == case_id).order_by(col(Action.seq))
    ).all()
    access.answered = _answer(session, case_id, CONFIRM_VERBS, presenter.id)
    return access


def feedback_access(
    session: Session, links: Links, action_id: uuid.UUID, token: str
) -> PresenterAccess:
    """A presenter's page to say whether a closed action met their concern."""
    claims = _presenter_claims(session, links, LinkPurpose.feedback, action_id, token)
    action = session.get(Action, action_id)
    found = case_and_board(session, action.case_id) if action else None
    if action is None or found is None:
        raise not_found("action")
    case, board = found
    presenter = _presenter_row(session, claims, case.id)
    access = PresenterAccess(
        claims=claims, presenter=presenter, case=case, board=board, action=action
    )
    if action.closed_at is None:
        raise LinkProblem(
            409,
            "This action is still open",
            [
                "We will email you when it closes and ask whether it met your concern.",
                "Nothing has been changed.",
            ],
            contact=access.contact,
        )
    access.answered = _answer(
        session, case.id, ("presenter.feedback",), presenter.id, action_id=action.id
    )
    return access
