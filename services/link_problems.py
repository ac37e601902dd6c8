"""Every way a signed link can fail, as a page that says why, what to do and whom to ask.

A ``LinkProblem`` carries a status code (403 changed or cut short, 404 for another record, 410
expired or no longer applying, 409 not possible now), a plain-English explanation and, when we
know it, the engagement lead to contact. Nothing is ever changed by a link that fails.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.action import Action
from models.board import Board
from models.case import Case
from models.formatting import long_date
from notifications.links import (
    LinkClaims,
    LinkError,
    LinkExpired,
    LinkInvalid,
    LinkMismatch,
    LinkPurpose,
    Links,
)


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    board_name: str


@dataclass
class LinkProblem(Exception):
    """A link that cannot be used here: shown as a page, changes nothing."""

    status_code: int
    title: str
    paragraphs: list[str]
    contact: Contact | None = None
    back: tuple[str, str] | None = None  # (href, text) of a page the person can still use


def contact_for(board: Board) -> Contact:
    return Contact(board.engagement_lead_name, board.engagement_lead_email, board.name)


_REPLY = (
    "If you still have the email that gave you this link, reply to it: your reply goes to the "
    "engagement lead, who can help."
)


def read_claims(links: Links, purpose: LinkPurpose, target: uuid.UUID, token: str) -> LinkClaims:
    try:
        return links.read(purpose, target, token)
    except LinkInvalid as error:
        raise LinkProblem(
            403,
            "This link does not work",
            [
                "The link may have been cut short or changed when it was copied. Try opening it "
                "again from the email, or copy the whole link into your browser.",
                "Nothing has been changed.",
                _REPLY,
            ],
        ) from error
    except LinkMismatch as error:
        raise LinkProblem(
            404,
            "This link does not match the page",
            [
                "The link has been changed since we sent it, so we cannot tell what it is for. "
                "Open it again from the email.",
                "Nothing has been changed.",
                _REPLY,
            ],
        ) from error
    except LinkExpired as error:
        raise expired(error, links) from error
    except LinkError as error:  # pragma: no cover - every kind is handled above
        raise LinkProblem(403, "This link does not work", [_REPLY]) from error


def expired(error: LinkExpired, links: Links) -> LinkProblem:
    days = round(links.max_age.total_seconds() / 86400)
    claims = error.claims
    assert claims is not None
    return LinkProblem(
        410,
        "This link has expired",
        [
            f"Links in our emails work for {days} days. This one was sent on "
            f"{long_date(claims.issued_at)}.",
            "Each reminder we send has a new link: use the link in our most recent email. If "
            "you do not have one, ask the engagement lead to send you a new link.",
            "Nothing has been changed.",
        ],
    )


def with_contact(problem: LinkProblem, session: Session, case_id: uuid.UUID | None) -> None:
    if problem.contact is None and case_id is not None:
        row = session.exec(
            select(Board).join(Case, col(Case.board_id) == Board.id).where(Case.id == case_id)
        ).first()
        if row is not None:
            problem.contact = contact_for(row)


def case_and_board(session: Session, case_id: uuid.UUID) -> tuple[Case, Board] | None:
    row = session.exec(
        select(Case, Board).join(Board, col(Board.id) == Case.board_id).where(Case.id == case_id)
    ).first()
    return None if row is None else (row[0], row[1])


def not_found(what: str) -> LinkProblem:
    return LinkProblem(
        404,
        f"We cannot find this {what}",
        [
            f"The {what} this link is for is not in our records. It may have been removed.",
            "Nothing has been changed.",
            _REPLY,
        ],
    )


def claims_action_case(session: Session, error: BaseException | None) -> uuid.UUID | None:
    claims = getattr(error, "claims", None)
    if claims is None:
        return None
    action = session.get(Action, claims.target)
    return action.case_id if action else None
