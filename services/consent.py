"""Presenters' consent records: read, and changed by the presenter (their signed link) or by
the engagement lead on their behalf, each change in the audit trail (``models/consent.py``)."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from models.audit import ActorKind, AuditEvent
from models.base import utcnow
from models.consent import (
    ANSWER_LABELS,
    NOT_CONTACTED,
    ROUTE_LABELS,
    ConsentAnswer,
    ConsentRoute,
    ConsentWrite,
    PresenterConsent,
    may_name,
)
from models.outbox import OutboxStatus
from models.presenter import Presenter
from services.errors import NotFound
from services.presenter_messages import messages_to


def current(session: Session, presenter: Presenter) -> PresenterConsent:
    """The presenter's record, or (never written yet) what the intake's tick says."""
    record = session.get(PresenterConsent, presenter.id)
    if record is not None:
        return record
    ticked = presenter.consent_to_publish_name
    return PresenterConsent(
        presenter_id=presenter.id,
        named_in_public=ConsentAnswer.yes if ticked else ConsentAnswer.not_asked,
        given_how=ConsentRoute.recorded_by_staff if ticked else None,
    )


def records(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, PresenterConsent]:
    return {
        r.presenter_id: r
        for r in session.exec(
            select(PresenterConsent).where(col(PresenterConsent.presenter_id).in_(ids))
        ).all()
    }


def named(presenter: Presenter, found: dict[uuid.UUID, PresenterConsent]) -> bool:
    return may_name(presenter.consent_to_publish_name, found.get(presenter.id))


def record(
    *,
    session: Session,
    presenter_id: uuid.UUID,
    body: ConsentWrite,
    by: str,
    actor_kind: ActorKind,
) -> PresenterConsent:
    """Change a presenter's consent. Saying yes records when and how it was given; going from
    yes to anything else records when it was withdrawn."""
    presenter = session.get(Presenter, presenter_id)
    if presenter is None:
        raise NotFound(f"No presenter with id {presenter_id}.")
    before = current(session, presenter)
    was = before.named_in_public
    now = utcnow()
    row = session.get(PresenterConsent, presenter_id) or PresenterConsent(
        presenter_id=presenter_id,
        named_in_public=before.named_in_public,
        given_how=before.given_how,
    )
    row.named_in_public = body.named_in_public
    row.contact_about_outcomes = body.contact_about_outcomes
    if body.named_in_public is ConsentAnswer.yes and was is not ConsentAnswer.yes:
        row.given_at, row.given_how, row.withdrawn_at = now, body.given_how, None
    elif was is ConsentAnswer.yes and body.named_in_public is not ConsentAnswer.yes:
        row.withdrawn_at = now
    row.recorded_by = by
    row.updated_at = now
    session.add(row)
    withdrawn = was is ConsentAnswer.yes and body.named_in_public is not ConsentAnswer.yes
    session.add(
        AuditEvent(
            at=now,
            actor_kind=actor_kind,
            actor_name=by,
            verb="presenter.consent_withdrawn" if withdrawn else "presenter.consent_recorded",
            summary=f"Consent for presenter {presenter.seq}: named in public papers "
            f"{ANSWER_LABELS[body.named_in_public].lower()}, contacted about outcomes "
            f"{ANSWER_LABELS[body.contact_about_outcomes].lower()} "
            f"({ROUTE_LABELS[body.given_how]})",
            case_id=presenter.case_id,
            detail={
                "presenter_id": str(presenter_id),
                "named_in_public": body.named_in_public.value,
                "was": was.value,
                "contact_about_outcomes": body.contact_about_outcomes.value,
                "given_how": body.given_how.value,
            },
        )
    )
    if body.contact_about_outcomes is ConsentAnswer.no:
        _hold_messages(session, presenter)
    session.commit()
    session.refresh(row)
    return row


def _hold_messages(session: Session, presenter: Presenter) -> None:
    """Messages to the presenter not sent yet stay unsent: they asked not to be contacted."""
    for message in messages_to(session, presenter):
        if message.status in (OutboxStatus.pending, OutboxStatus.manual):
            message.status, message.last_error = OutboxStatus.cancelled, NOT_CONTACTED
            session.add(message)
