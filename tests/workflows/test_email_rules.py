"""What comes back from email, applied by the real workflows (Temporal time-skipping server,
SQLite): owners' receipts, presenters' answers, bounces."""

from __future__ import annotations

import uuid

from sqlmodel import select
from temporalio.worker import Worker

from activities.report_figures import presenter_answers
from models.action import ActionUpdate, UpdateKind
from models.audit import Actor, ActorKind, AuditEvent
from models.base import utcnow
from models.case import Case
from models.commands import (
    MarkDoneBody,
    PostUpdateBody,
    PresenterConfirmBody,
    PresenterFeedbackBody,
    ReportUndeliverableBody,
)
from models.db import SessionFactory
from models.escalation import Escalation, EscalationRule, EscalationStatus
from models.inbox import CommandStatus
from models.presenter import Presenter
from models.rag import Rag
from notifications.types import MessageType
from services.commands import Commands
from tests.mailflow import commands_for, outbox, start_case


def owner_actor(owner_id: uuid.UUID | None = None) -> Actor:
    return Actor(kind=ActorKind.owner_link, name="Olu Owner", id=str(owner_id or uuid.uuid4()))


def presenter_actor(presenter: Presenter) -> Actor:
    return Actor(kind=ActorKind.presenter_link, name=presenter.display_name, id=str(presenter.id))


def presenters(sessions: SessionFactory, case_id: uuid.UUID) -> list[Presenter]:
    with sessions() as session:
        return list(session.exec(select(Presenter).where(Presenter.case_id == case_id)).all())


def escalations(sessions: SessionFactory, case_id: uuid.UUID) -> list[Escalation]:
    with sessions() as session:
        return list(session.exec(select(Escalation).where(Escalation.case_id == case_id)).all())


async def test_owner_using_their_link_gets_an_email_receipt_and_staff_do_not(
    ts_worker: Worker, sessions: SessionFactory, task_queue: str
) -> None:
    commands = commands_for(sessions, ts_worker.client, task_queue)
    case_id, [action_id] = await start_case(commands, sessions)
    update = await commands.to_action(
        action_id,
        "post_update",
        PostUpdateBody(text="Surveyed 40 flats.", rag=Rag.amber),
        owner_actor(),
        for_assignment=1,
    )
    assert update.status is CommandStatus.applied
    staff = await commands.to_action(
        action_id,
        "post_update",
        PostUpdateBody(still_on_track=True),
        Actor(kind=ActorKind.staff, name="Eve Engagement"),
    )
    assert staff.status is CommandStatus.applied
    receipts = outbox(sessions, kind=MessageType.owner_receipt.value)
    assert len(receipts) == 1, "one receipt: for the owner's own submission only"
    facts = receipts[0].facts
    assert facts["command"] == "post_update" and facts["said"] == "Surveyed 40 flats."
    assert facts["rag"] == "amber" and facts["link_open"] is True
    assert receipts[0].recipient_email == "olu.owner@example.nhs.uk"
    assert receipts[0].reply_to == "eve.engagement@example.org"

    done = await commands.to_action(
        action_id,
        "mark_done",
        MarkDoneBody(text="Every flat surveyed; 12 repaired."),
        owner_actor(),
        for_assignment=1,
    )
    assert done.status is CommandStatus.applied
    last = outbox(sessions, kind=MessageType.owner_receipt.value)[-1]
    assert last.facts["command"] == "mark_done" and last.facts["link_open"] is False
    closed = outbox(sessions, kind=MessageType.presenter_action_closed.value)
    assert [m.recipient_email for m in closed] == ["amina@example.com"]
    assert case_id == closed[0].case_id


async def test_presenter_not_met_escalates_on_the_case_and_is_answered_once(
    ts_worker: Worker, sessions: SessionFactory, task_queue: str
) -> None:
    commands = commands_for(sessions, ts_worker.client, task_queue)
    case_id, [action_id] = await start_case(commands, sessions)
    [presenter] = presenters(sessions, case_id)
    early = await commands.to_case(
        case_id,
        "presenter_feedback",
        PresenterFeedbackBody(answer="met"),
        presenter_actor(presenter),
        extra={"presenter_id": presenter.id, "action_id": action_id},
    )
    assert early.status is CommandStatus.rejected and "still open" in (early.outcome_message or "")
    await commands.to_action(
        action_id,
        "mark_done",
        MarkDoneBody(text="A leaflet was sent."),
        owner_actor(),
        for_assignment=1,
    )
    answer = await commands.to_case(
        case_id,
        "presenter_feedback",
        PresenterFeedbackBody(answer="not_met", comment="Nobody came to fix the mould."),
        presenter_actor(presenter),
        extra={"presenter_id": presenter.id, "action_id": action_id},
    )
    assert answer.status is CommandStatus.applied, answer.outcome_message
    [escalation] = [
        e for e in escalations(sessions, case_id) if e.rule is EscalationRule.presenter_not_met
    ]
    assert escalation.status is EscalationStatus.open and escalation.action_id is None
    assert "Nobody came to fix the mould." in escalation.reason
    assert outbox(sessions, kind=MessageType.escalation_raised.value)[-1].facts["action"][
        "action_id"
    ] == str(action_id)
    replied = outbox(sessions, kind=MessageType.presenter_replied.value)
    assert replied[-1].reply_to == "amina@example.com"
    with sessions() as session:
        logged = session.exec(
            select(ActionUpdate).where(
                ActionUpdate.action_id == action_id,
                ActionUpdate.kind == UpdateKind.presenter_feedback,
            )
        ).all()
    assert [u.text for u in logged] == ["Presenter's view — Not met: Nobody came to fix the mould."]
    again = await commands.to_case(
        case_id,
        "presenter_feedback",
        PresenterFeedbackBody(answer="met"),
        presenter_actor(presenter),
        extra={"presenter_id": presenter.id, "action_id": action_id},
    )
    assert again.status is CommandStatus.rejected
    assert (
        len(
            [
                e
                for e in escalations(sessions, case_id)
                if e.rule is EscalationRule.presenter_not_met
            ]
        )
        == 1
    )
    # The annual report counts the answer once, as the workflow recorded it.

    with sessions() as session:
        assert presenter_answers(session, [case_id], utcnow()) == {
            "met": 0,
            "partly": 0,
            "not_met": 1,
        }


async def test_every_presenter_confirming_confirms_contact_and_missing_tells_the_lead(
    ts_worker: Worker, sessions: SessionFactory, task_queue: str
) -> None:
    commands = commands_for(sessions, ts_worker.client, task_queue)
    case_id, _ = await start_case(
        commands,
        sessions,
        presenters=[
            {"name": "Amina Begum", "email": "amina@example.com"},
            {"name": "Joe Bloggs", "email": "joe@example.com"},
        ],
    )
    amina, joe = sorted(presenters(sessions, case_id), key=lambda p: p.seq)
    first = await commands.to_case(
        case_id,
        "presenter_confirm",
        PresenterConfirmBody(answer="confirmed"),
        presenter_actor(amina),
        extra={"presenter_id": amina.id},
    )
    assert first.status is CommandStatus.applied
    with sessions() as session:
        assert session.get(Case, case_id).presenter_contact_confirmed_at is None  # type: ignore[union-attr]
    second = await commands.to_case(
        case_id,
        "presenter_confirm",
        PresenterConfirmBody(answer="missing", comment="The GP letters were agreed too."),
        presenter_actor(joe),
        extra={"presenter_id": joe.id},
    )
    assert second.status is CommandStatus.applied
    [told] = outbox(sessions, kind=MessageType.presenter_replied.value)
    assert told.facts["answer"] == "missing" and told.recipient_role.value == "engagement_lead"
    with sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.presenter_contact_confirmed_at is None


async def test_all_presenters_confirming_counts_as_contact(
    ts_worker: Worker, sessions: SessionFactory, task_queue: str
) -> None:
    commands = commands_for(sessions, ts_worker.client, task_queue)
    case_id, _ = await start_case(commands, sessions)
    [amina] = presenters(sessions, case_id)
    row = await commands.to_case(
        case_id,
        "presenter_confirm",
        PresenterConfirmBody(answer="confirmed"),
        presenter_actor(amina),
        extra={"presenter_id": amina.id},
    )
    assert row.status is CommandStatus.applied
    with sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.presenter_contact_confirmed_at is not None
        events = session.exec(
            select(AuditEvent).where(
                AuditEvent.case_id == case_id, AuditEvent.verb == "case.presenter_contact_confirmed"
            )
        ).all()
    assert len(events) == 1
    assert not outbox(sessions, kind=MessageType.presenter_replied.value)


async def test_a_bounce_for_the_owner_is_one_owner_unreachable_escalation(
    ts_worker: Worker, sessions: SessionFactory, task_queue: str
) -> None:
    commands: Commands = commands_for(sessions, ts_worker.client, task_queue)
    case_id, [action_id] = await start_case(commands, sessions)
    [assigned] = outbox(sessions, kind=MessageType.owner_action_assigned.value)
    body = ReportUndeliverableBody(
        outbox_id=assigned.id,
        recipient_role="owner",
        recipient_name="Olu Owner",
        address="Olu.Owner@example.nhs.uk",
        error="550 5.1.1 No such user",
    )
    system = Actor.system()
    for key in ("a", "a", "b"):  # a repeated report (same key) and a second bounce
        row = await commands.to_action(
            action_id, "report_undeliverable", body, system, idempotency_key=f"bounce-{key}"
        )
        assert row.status is CommandStatus.applied
    unreachable = [
        e for e in escalations(sessions, case_id) if e.rule is EscalationRule.owner_unreachable
    ]
    assert len(unreachable) == 1
    assert "550 5.1.1 No such user" in unreachable[0].reason
    assert unreachable[0].action_id == action_id
    with sessions() as session:
        bounces = session.exec(
            select(AuditEvent).where(AuditEvent.verb == "message.undeliverable")
        ).all()
    assert len(bounces) == 2


async def test_a_presenter_bounce_escalates_and_a_lead_bounce_is_only_recorded(
    ts_worker: Worker, sessions: SessionFactory, task_queue: str
) -> None:
    commands = commands_for(sessions, ts_worker.client, task_queue)
    case_id, _ = await start_case(commands, sessions)
    [thanks] = outbox(sessions, kind=MessageType.presenter_thanks.value)
    for role, address in (("presenter", "amina@example.com"), ("cv_lead", "cara.lead@example.org")):
        body = ReportUndeliverableBody(
            outbox_id=thanks.id,
            recipient_role=role,
            recipient_name="x",
            address=address,
            error="550 no",
        )
        row = await commands.to_case(case_id, "report_undeliverable", body, Actor.system())
        assert row.status is CommandStatus.applied
    rules = [e.rule for e in escalations(sessions, case_id)]
    assert rules == [EscalationRule.presenter_unreachable]
