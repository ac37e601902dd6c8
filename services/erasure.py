"""Erasing a presenter while keeping the record.

One transaction: the presenter's row keeps only a pseudonym ("Presenter 3, May 2024"), every
other row that names them is rewritten with it (``personal_rows``), messages to them leave the
outbox, the erasure is registered and written to the audit trail. Then the development mail
archive forgets them, and their case's open workflows are told to scrub their state and
continue as new. Closed workflow histories (encrypted) age out with the namespace's retention.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, col, select
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from models.action import Action
from models.audit import Actor, AuditEvent
from models.base import utcnow
from models.case import Case
from models.db import SessionFactory
from models.equality import EqualityResponse
from models.erasure import ErasePresenter, Erasure, Needles, Scrubber, pseudonym
from models.presenter import Presenter
from notifications.mail_archive import forget
from services import personal_rows
from services.errors import NotFound
from services.presenter_messages import messages_to
from workflows import action_workflow_id, case_workflow_id

log = logging.getLogger(__name__)


@dataclass
class ErasureResult:
    presenter_id: uuid.UUID
    case_id: uuid.UUID
    pseudonym: str
    already: bool = False
    rows: dict[str, int] = field(default_factory=dict)
    outbox_removed: int = 0
    mail_removed: int = 0
    workflows: list[str] = field(default_factory=list)  # open workflows told
    unreached: list[str] = field(default_factory=list)  # to tell again (erase again)
    words: list[str] = field(default_factory=list, repr=False)


def _next_pseudonym(session: Session, presenter: Presenter, case: Case) -> str:
    """The presenter's place among the presenters of that month's sessions, first free."""
    start = case.meeting_date.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    month = session.exec(
        select(col(Case.meeting_date), col(Case.recorded_at), col(Presenter.seq), col(Presenter.id))
        .where(Presenter.case_id == Case.id)
        .where(Case.board_id == case.board_id)
        .where(col(Case.meeting_date) >= start)
        .where(col(Case.meeting_date) < end)
    ).all()
    ids = [row[3] for row in sorted(month, key=lambda r: (r[0], r[1], r[2], str(r[3])))]
    taken = set(session.exec(select(Erasure.pseudonym)).all())
    number = ids.index(presenter.id) + 1
    while pseudonym(number, case.meeting_date) in taken:
        number += 1
    return pseudonym(number, case.meeting_date)


def _open_workflows(session: Session, case_id: uuid.UUID) -> list[str]:
    open_actions = session.exec(
        select(Action.id).where(Action.case_id == case_id).where(col(Action.closed_at).is_(None))
    ).all()
    return [case_workflow_id(case_id)] + [action_workflow_id(a) for a in open_actions]


def erase_rows(session: Session, presenter_id: uuid.UUID, by: Actor) -> ErasureResult:
    presenter = session.get(Presenter, presenter_id)
    if presenter is None:
        raise NotFound(f"There is no presenter {presenter_id}.")
    case = session.get(Case, presenter.case_id)
    assert case is not None
    done = session.get(Erasure, presenter_id)
    if done is not None:  # tell the open workflows again: one may have been unreachable
        again = ErasureResult(presenter.id, case.id, done.pseudonym, already=True)
        again.workflows = _open_workflows(session, case.id)
        return again
    name = _next_pseudonym(session, presenter, case)
    needles = Needles.of(presenter.name, presenter.email)
    person = personal_rows.Person(
        scrubber=Scrubber(needles, name), case_id=case.id, ids=frozenset({presenter.id})
    )
    result = ErasureResult(presenter.id, case.id, name)
    result.words = needles.in_case()
    outbox = messages_to(session, presenter)
    for message in outbox:
        session.delete(message)
    result.outbox_removed = len(outbox)
    answers = session.get(EqualityResponse, presenter.id)
    if answers is not None:  # equality monitoring answers go with the person
        session.delete(answers)
    presenter.name = name
    presenter.email = None
    presenter.preferred_contact = None
    presenter.access_needs = None
    presenter.language = None
    session.add(presenter)
    session.flush()
    result.rows = personal_rows.rewrite(session, person)
    now = utcnow()
    session.add(
        Erasure(
            presenter_id=presenter.id,
            case_id=case.id,
            pseudonym=name,
            erased_at=now,
            erased_by=by.name,
        )
    )
    session.add(
        AuditEvent.by(
            by,
            at=now,
            verb="presenter.erased",
            summary=f"Presenter erased: now {name}; the case and its actions are kept",
            case_id=case.id,
            detail={
                "presenter_id": str(presenter.id),
                "pseudonym": name,
                "rows_rewritten": result.rows,
                "outbox_removed": result.outbox_removed,
            },
        )
    )
    result.workflows = _open_workflows(session, case.id)
    session.commit()
    return result


async def erase_presenter(
    *,
    sessions: SessionFactory,
    client: Client | None,
    presenter_id: uuid.UUID,
    by: Actor,
    maildir: Path | None = None,
) -> ErasureResult:
    """Erase a presenter everywhere this product keeps them (idempotent: a second erasure
    changes no row, gives the same pseudonym, and tells the open workflows again)."""

    def rows() -> ErasureResult:
        with sessions() as session:
            return erase_rows(session, presenter_id, by)

    result = await asyncio.to_thread(rows)
    if maildir is not None and not result.already:
        result.mail_removed = await asyncio.to_thread(forget, maildir, result.words)
    if client is not None:
        signal = ErasePresenter(presenter_id=result.presenter_id, pseudonym=result.pseudonym)
        reached: list[str] = []
        for n, workflow_id in enumerate(result.workflows):
            try:
                await client.get_workflow_handle(workflow_id).signal("erase_presenter", signal)
                reached.append(workflow_id)
            except RPCError as error:
                if error.status is not RPCStatusCode.NOT_FOUND:
                    result.unreached.append(workflow_id)
                # NOT_FOUND: closed (its history ages out) or never started
            except RuntimeError as error:  # Temporal cannot be reached: erase again once it can
                log.warning("erasure: Temporal unreachable (%s)", error)
                result.unreached += result.workflows[n:]
                break
        result.workflows = reached
    else:
        result.unreached = list(result.workflows)
        result.workflows = []
    return result
