"""One running service for all the accessibility checks (starting Temporal and seeding
a case with escalations takes seconds; checking a page takes a fraction of one)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest
import pytest_asyncio
from playwright.async_api import Browser

from models.escalation import Escalation
from models.policy import Policy
from models.staff import Role
from tests.browser import chromium
from tests.factories import add_board, add_owner
from tests.staff import StaffBrowser
from tests.world import World, running_world, today, wait_for


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def world(
    template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    async with running_world(template_db, tmp_path_factory.mktemp("a11y")) as world:
        add_board(world.sessions, policy=Policy.in_seconds())
        owner = add_owner(world.sessions)
        lead = StaffBrowser(httpx2.AsyncClient(base_url=world.base_url, timeout=30))
        await lead.sign_in(world.users[Role.engagement_lead].email)
        day = today()
        response = await lead.submit(
            "/cases/new",
            {
                "board": "tht",
                "meeting_date[day]": str(day.day),
                "meeting_date[month]": str(day.month),
                "meeting_date[year]": str(day.year),
                "outcome": "held",
                "theme": "Damp and mould in social housing",
                "said": "Residents described children's asthma made worse by mould.",
                "presenters-0-name": "Amina Begum",
                "presenters-0-organisation": "Tenants' Forum",
                "presenters-0-email": "amina@example.com",
                "presenters-1-organisation": "Carers Centre",
                "presenters-1-preferred_contact": "By phone via the centre",
                "actions-0-text": "Survey every flat on the estate",
                "actions-0-owner_id": str(owner.id),
                "actions-0-due_date[day]": str(day.day),
                "actions-0-due_date[month]": str(day.month),
                "actions-0-due_date[year]": str(day.year + 1),
                "actions-1-text": "Write to residents about the survey",
                "intent": "save",
            },
        )
        await lead.client.aclose()
        assert response.status_code == 303, response.text
        world.case_path = response.headers["location"].split("?")[0]  # type: ignore[attr-defined]

        def escalations() -> int:
            from sqlmodel import select

            with world.sessions() as session:
                return len(session.exec(select(Escalation)).all()) >= 2

        await wait_for(escalations, timeout=30)
        yield world


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as browser:
        yield browser
