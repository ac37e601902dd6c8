"""End to end on a real Temporal dev server with a policy in seconds: the emails arrive at a real
SMTP server on loopback, their links are followed with an HTTP client, forms are submitted, and
the case changes through its workflows."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import date
from email.message import EmailMessage
from typing import Any

import httpx2
import pytest

from models.policy import Policy
from tests.api.pages.conftest import form_fields
from tests.factories import add_board, add_owner, staff_headers
from tests.helpers import eventually
from tests.live import LiveApp, app_settings, serve_app
from tests.mailflow import html_part, links_in, text_part
from tests.smtp import SmtpServer
from worker.mail import mail_delivery

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

POLICY = Policy.in_seconds(scale=3)  # reminders after 9 s, escalations after 18 s


@contextlib.asynccontextmanager
async def running_delivery(live: LiveApp, sessions: Any, client: Any) -> AsyncIterator[None]:
    """The worker's delivery loop, as ``worker.main`` runs it."""
    delivery = mail_delivery(live.settings, sessions, client)
    stop = asyncio.Event()
    task = asyncio.create_task(delivery.run(stop))
    try:
        yield
    finally:
        stop.set()
        await task


def mail_to(server: SmtpServer, address: str, subject: str) -> list[EmailMessage]:
    return [
        m
        for m in server.messages
        if m["To"].addresses[0].addr_spec == address and subject in str(m["Subject"])
    ]


def the_link(message: EmailMessage) -> str:
    """The one signed link of a message: on its own line in the text part, and in the HTML."""
    text = text_part(message)
    [link] = [u for u in links_in(text) if "/cases/" not in u]
    assert f'href="{link}"' in html_part(message)
    return link


async def test_owner_and_presenter_act_on_their_emails(
    dev_env, dev_worker, engine, sessions, task_queue, smtp_server
):
    add_board(sessions, policy=POLICY)
    olu = add_owner(sessions, name="Olu Owner")
    settings = app_settings(task_queue=task_queue, mail_poll_seconds=0.2, **smtp_server.settings())
    async with (
        serve_app(engine=engine, client=dev_env.client, settings=settings) as live,
        running_delivery(live, sessions, dev_env.client),
        httpx2.AsyncClient(
            base_url=live.base_url, headers=staff_headers(sessions, settings, "engagement_lead")
        ) as lead,
        httpx2.AsyncClient(base_url=live.base_url, timeout=30) as owner,
        httpx2.AsyncClient(base_url=live.base_url, timeout=30) as presenter,
    ):
        # Given a session recorded after the board meeting
        started = await lead.post(
            "/api/v1/cases",
            json={
                "board": "tht",
                "meeting_date": date.today().isoformat(),
                "theme": "Damp and mould in social housing",
                "said": "Residents described children's asthma made worse by mould.",
                "presenters": [{"name": "Amina Begum", "email": "amina@example.com"}],
                "actions": [{"text": "Survey every flat on the estate", "owner_id": str(olu.id)}],
            },
        )
        assert started.status_code == 201, started.text
        case_id = started.json()["case_id"]

        # When the owner's email arrives, they follow its link and post an update
        [assigned] = await eventually(
            lambda: mail_to(smtp_server, olu.email, "An action for you"), timeout=30
        )
        assert assigned["From"] == "Community Voice <community-voice@example.org>"
        assert assigned["Reply-To"] == "eve.engagement@example.org"
        assert "children's asthma made worse by mould" in text_part(assigned)
        link = the_link(assigned)
        page = await owner.get(link)
        assert page.status_code == 200 and "Survey every flat on the estate" in page.text
        update_page = await owner.get(f"{link}/update")
        sent = await owner.post(
            f"{link}/update",
            data={
                **form_fields(update_page.text),
                "text": "Surveyors booked for 40 flats.",
                "rag": "amber",
            },
        )
        assert sent.status_code == 303
        receipt = await owner.get(sent.headers["location"])
        assert "Thank you: this is recorded" in receipt.text

        # Then the update is in the case, and the owner has an email receipt
        case = (await lead.get(f"/api/v1/cases/{case_id}")).json()
        [action] = case["actions"]
        assert action["status"] == "in_progress" and action["stated_rag"] == "amber"
        updates = (await lead.get(f"/api/v1/actions/{action['id']}")).json()["updates"]
        assert [u["text"] for u in updates] == ["Surveyors booked for 40 flats."]
        await eventually(lambda: mail_to(smtp_server, olu.email, "Update received"), timeout=30)

        # When the owner marks it done, the presenter is told what was done
        done_page = await owner.get(f"{link}/done")
        done = await owner.post(
            f"{link}/done",
            data={**form_fields(done_page.text), "text": "Every flat surveyed; 12 repaired."},
        )
        assert done.status_code == 303
        [closed] = await eventually(
            lambda: mail_to(smtp_server, "amina@example.com", "Done: Survey every flat"),
            timeout=30,
        )
        assert "Every flat surveyed; 12 repaired." in text_part(closed)
        assert mail_to(smtp_server, "amina@example.com", "Thank you for speaking")

        # And when the presenter says it did not meet their concern, it is escalated
        feedback = the_link(closed)
        form = await presenter.get(f"{feedback}?answer=not_met")
        answer = await presenter.post(
            feedback,
            data={
                **form_fields(form.text),
                "answer": "not_met",
                "comment": "The mould came back within a month.",
            },
        )
        assert answer.status_code == 303
        case = (await lead.get(f"/api/v1/cases/{case_id}")).json()
        rules = [e["rule"] for e in case["escalations"] if e["status"] == "open"]
        assert "presenter_not_met" in rules
        [escalation] = await eventually(
            lambda: mail_to(
                smtp_server, "cara.lead@example.org", "Escalation: Presenter says the response"
            ),
            timeout=30,
        )
        assert f"{live.base_url}/cases/{case_id}" in links_in(text_part(escalation))
        assert "The mould came back within a month." in text_part(escalation)

        # Nothing was sent twice
        ids = [m["Message-ID"] for m in smtp_server.messages]
        assert len(ids) == len(set(ids))


async def test_reminders_to_one_owner_arrive_as_one_email(
    dev_env, dev_worker, engine, sessions, task_queue, smtp_server
):
    add_board(sessions, policy=Policy.in_seconds(scale=1))  # reminders after 3 s
    olu = add_owner(sessions, name="Olu Owner")
    settings = app_settings(task_queue=task_queue, mail_poll_seconds=0.2, **smtp_server.settings())
    async with (
        serve_app(engine=engine, client=dev_env.client, settings=settings) as live,
        running_delivery(live, sessions, dev_env.client),
        httpx2.AsyncClient(
            base_url=live.base_url, headers=staff_headers(sessions, settings, "engagement_lead")
        ) as lead,
        httpx2.AsyncClient(base_url=live.base_url, timeout=30) as owner,
    ):
        started = await lead.post(
            "/api/v1/cases",
            json={
                "board": "tht",
                "meeting_date": date.today().isoformat(),
                "theme": "Maternity outcomes",
                "presenters": [],
                "actions": [
                    {"text": "Review maternity leaflets", "owner_id": str(olu.id)},
                    {"text": "Hold a listening event", "owner_id": str(olu.id)},
                ],
            },
        )
        assert started.status_code == 201, started.text
        [digest] = await eventually(
            lambda: mail_to(smtp_server, olu.email, "2 things are waiting for you"), timeout=30
        )
        assert not mail_to(smtp_server, olu.email, "Reminder:"), "not one email an action"
        links = [u for u in links_in(text_part(digest)) if "/owner/" in u]
        assert len(links) == 2
        for link in links:  # each link renews the owner's access and opens their action
            assert (await owner.get(link)).status_code == 200
