"""Erasure that keeps the record, on the real parts: a presenter named in the case's text, its
action's log, the outbox, a published report and the development mail archive is erased; then
no table, outbox row, caught message or current workflow state (queried on the dev server) holds
her name or email, the public report renders with her pseudonym, and the audit trail says so."""

from __future__ import annotations

import json
import mailbox
import re
import smtplib
import uuid
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa
from sqlmodel import select

from models.audit import Actor, ActorKind, AuditEvent
from models.outbox import OutboxMessage
from models.policy import Policy
from models.presenter import Presenter
from notifications.catcher import serve
from services import personal_rows
from services.erasure import erase_presenter
from tests.factories import add_board, add_owner, staff_headers
from tests.helpers import eventually
from tests.live import app_settings, free_port, serve_app
from tests.report_fixtures import draft_quarterly_in_20_days
from workflows import action_workflow_id, case_workflow_id

pytestmark = [pytest.mark.e2e]

NAME, EMAIL = "Amina Begum", "amina.begum@example.com"
#: Every way her case's text names her: full name, first name, surname, initials, email.
HER = ["Amina", "Begum", "AB", EMAIL]
ADMIN = Actor(kind=ActorKind.staff, name="Ada Admin")


async def test_erasing_a_presenter_leaves_no_trace_and_keeps_the_record(
    dev_env, dev_worker, engine, sessions, task_queue, tmp_path
):
    add_board(sessions, policy=Policy.in_seconds(scale=1000))
    olu = add_owner(sessions, name="Olu Owner")
    settings = app_settings(task_queue=task_queue)
    cv_lead = staff_headers(sessions, settings, "cv_lead")
    maildir = tmp_path / "mail"
    catcher = serve(free_port(), maildir)
    try:
        async with (
            serve_app(engine=engine, client=dev_env.client, settings=settings) as live,
            httpx2.AsyncClient(
                base_url=live.base_url,
                headers=staff_headers(sessions, settings, "engagement_lead"),
            ) as lead,
        ):
            # Given a session whose text names her every way, and a report that names her
            case_id, action_id = await _case_naming_her(lead, olu.id)
            first_run = (
                await dev_env.client.get_workflow_handle(case_workflow_id(case_id)).describe()
            ).run_id
            report_id = await _published_report(lead, sessions, cv_lead)
            _catch(catcher.port, EMAIL, f"Thank you, {NAME}")
            _catch(catcher.port, "lead@example.org", "Amina's case: contact confirmed")
            _catch(catcher.port, "someone@example.org", "Nothing about her")
            assert _rows_naming_her(sessions), "she is named before the erasure"
            with sessions() as session:
                [her] = session.exec(select(Presenter).where(Presenter.name == NAME)).all()
                [other] = session.exec(select(Presenter).where(Presenter.name != NAME)).all()

            # When an administrator erases her
            result = await erase_presenter(
                sessions=sessions,
                client=dev_env.client,
                presenter_id=her.id,
                by=ADMIN,
                maildir=maildir,
            )

            # Then no table names her, and nothing of her is left in the outbox
            pseudonym = f"Presenter 1, {date.today():%B %Y}"
            assert result.pseudonym == pseudonym
            assert _rows_naming_her(sessions) == []
            with sessions() as session:
                kept = session.get(Presenter, her.id)
                assert kept is not None and kept.name == pseudonym and kept.email is None
                assert session.get(Presenter, other.id).name == "Joan Smith"  # type: ignore[union-attr]
                to_her = session.exec(
                    select(OutboxMessage).where(OutboxMessage.recipient_name == pseudonym)
                ).all()
                assert to_her == [] and result.outbox_removed >= 1
                [audit] = session.exec(
                    select(AuditEvent).where(AuditEvent.verb == "presenter.erased")
                ).all()
                assert audit.actor_name == "Ada Admin" and pseudonym in audit.summary
            # and the mail archive forgot her (and kept the rest)
            assert result.mail_removed == 2
            assert _caught(maildir) == ["Nothing about her"]

            # and the case's open workflows hold only her pseudonym, in a new run
            for workflow_id in (case_workflow_id(case_id), action_workflow_id(action_id)):
                state = await eventually(lambda w=workflow_id: _state_without_her(dev_env, w))
                assert pseudonym in state
            described = await dev_env.client.get_workflow_handle(
                case_workflow_id(case_id)
            ).describe()
            assert described.run_id != first_run, "the case continued as new"
            assert _rows_naming_her(sessions) == [], "the workflows' steps wrote nothing of her"

            # and the case, its action and the public report are kept, with the pseudonym
            case = (await lead.get(f"/api/v1/cases/{case_id}")).json()
            assert case["theme"] == "Damp and mould" and len(case["actions"]) == 1
            assert pseudonym in case["said"]
            public = await lead.get(f"/public/tht/reports/{report_id}")
            assert public.status_code == 200
            assert pseudonym in public.text and "Damp and mould" in public.text
            assert not any(word in public.text for word in (NAME, EMAIL))

            # Erasing again changes nothing
            again = await erase_presenter(
                sessions=sessions, client=dev_env.client, presenter_id=her.id, by=ADMIN
            )
            assert again.already and again.pseudonym == pseudonym
    finally:
        catcher.stop()


async def _case_naming_her(lead: httpx2.AsyncClient, owner_id: uuid.UUID) -> tuple[str, str]:
    started = await lead.post(
        "/api/v1/cases",
        json={
            "board": "tht",
            "meeting_date": date.today().isoformat(),
            "theme": "Damp and mould",
            "said": f"{NAME} (AB) told the board about mould. Amina asked for a survey; Mrs "
            f"Begum can be reached at {EMAIL}. Joan Smith agreed.",
            "presenters": [
                {"name": NAME, "email": EMAIL, "consent_to_publish_name": True},
                {"name": "Joan Smith", "email": "joan@example.com"},
            ],
            "actions": [{"text": "Survey Amina's flat", "owner_id": str(owner_id)}],
        },
    )
    assert started.status_code == 201, started.text
    case_id = started.json()["case_id"]
    case = await eventually(lambda: _with_action(lead, case_id))
    action_id = case["actions"][0]["id"]
    base = f"/api/v1/actions/{action_id}"
    assert (await lead.post(f"{base}/acknowledge", json={})).status_code == 200
    update = await lead.post(f"{base}/updates", json={"text": "Met Amina; AB's flat surveyed"})
    assert update.status_code == 200, update.text
    return case_id, action_id


async def _with_action(http: httpx2.AsyncClient, case_id: str) -> dict | None:
    case = (await http.get(f"/api/v1/cases/{case_id}")).json()
    return case if case.get("actions") else None


async def _published_report(
    http: httpx2.AsyncClient, sessions, cv_lead: dict[str, str]
) -> uuid.UUID:
    report_id = await draft_quarterly_in_20_days(http, sessions, cv_lead)
    check = (await http.get(f"/api/v1/reports/{report_id}/names-check", headers=cv_lead)).json()
    decisions = [
        {"id": f["id"], "decision": "consent" if f["consent_recorded"] else "remove"}
        for f in check["findings"]
    ]
    decided = await http.put(
        f"/api/v1/reports/{report_id}/names-check",
        json={"decisions": decisions},
        headers=cv_lead,
    )
    assert decided.status_code == 200, decided.text
    for step in ("approve", "publish"):
        done = await http.post(f"/api/v1/reports/{report_id}/{step}", headers=cv_lead)
        assert done.status_code == 200, done.text
    public = await http.get(f"/public/tht/reports/{report_id}")
    assert NAME in public.text, "she consented: the published report names her"
    return report_id


def _rows_naming_her(sessions) -> list[tuple[str, str]]:
    """Every row of every table (bar staff accounts and step keys) whose values hold her name
    or email, in any case, as whole words."""
    found = []
    with sessions() as session:
        for table in personal_rows.tables():
            for row in session.execute(sa.select(table)).mappings():
                text = json.dumps({k: str(v) for k, v in row.items()})
                if any(_word(word, text) for word in HER):
                    found.append((table.name, [w for w in HER if _word(w, text)], text))
    return found


def _word(word: str, text: str) -> bool:
    flags = 0 if word.isupper() else re.IGNORECASE
    return re.search(rf"(?<![\w@.]){re.escape(word)}(?![\w@])", text, flags) is not None


def _catch(port: int, to: str, subject: str) -> None:
    message = EmailMessage()
    message["From"] = "cvt@example.org"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(f"{subject}\n")
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.send_message(message)


def _caught(maildir: Path) -> list[str]:
    box = mailbox.Maildir(str(maildir), create=False)
    return sorted(str(m["Subject"]) for m in box)


async def _state_without_her(env, workflow_id: str) -> str | None:
    state = json.dumps(await env.client.get_workflow_handle(workflow_id).query("get_state"))
    return state if not any(_word(word, state) for word in HER) else None
