"""The staff journey in Debian's Chromium against everything real: the engagement lead records a
session with two presenters and three actions and sees the case; the Community Voice Lead, with
the home page open, sees the escalation the seconds-long policy raises on the Temporal dev server
arrive without reloading, and resolves it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from models.partner import Owner
from models.policy import Policy
from models.staff import Role
from tests.browser import chromium
from tests.factories import add_board, add_owner
from tests.world import World, running_world, signed_in_context, today

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CAUSES = re.compile(
    r"\d+\. (Presenters not contacted in time|No owner named in time|Owner has not acknowledged)"
)


@pytest.fixture
async def world(template_db: Path, tmp_path: Path) -> AsyncIterator[World]:
    async with running_world(template_db, tmp_path) as world:
        add_board(world.sessions, policy=Policy.in_seconds(scale=2))
        yield world


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as browser:
        yield browser


class EngagementLead:
    def __init__(self, page: Page) -> None:
        self.page = page

    async def when_they_record_a_session(self, owner: Owner) -> None:
        page, day = self.page, today()
        await page.get_by_role("link", name="Record a session").first.click()
        await page.get_by_label("Board").select_option("tht")
        meeting = page.get_by_role("group", name="Meeting date")
        await meeting.get_by_label("Day").fill(str(day.day))
        await meeting.get_by_label("Month").fill(str(day.month))
        await meeting.get_by_label("Year").fill(str(day.year))
        await page.get_by_label("Theme").fill("Damp and mould in social housing")
        await page.get_by_label("What was said (optional)").fill("Mould is making children ill.")
        await page.locator("#presenters-0-name").fill("Amina Begum")
        await page.locator("#presenters-0-email").fill("amina@example.com")
        await page.get_by_role("button", name="Add another presenter").click()
        await page.locator("#presenters-1-organisation").fill("Carers Centre")
        await page.locator("#presenters-1-preferred_contact").fill("By phone via the centre")
        actions = [
            ("Survey every flat on the estate", f"{owner.name}, Barts Health NHS Trust"),
            ("Write to residents about the survey", None),
            ("Report the findings to the board", None),
        ]
        for i, (text, owner_label) in enumerate(actions):
            if i:
                await page.get_by_role("button", name="Add another action").click()
            await page.locator(f"#actions-{i}-text").fill(text)
            if owner_label:
                await page.locator(f"#actions-{i}-owner_id").select_option(label=owner_label)
        await page.get_by_role("button", name="Record session and start the case").click()

    async def then_they_see_the_case(self) -> None:
        page = self.page
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            "Damp and mould in social housing"
        )
        await expect(page.get_by_text("The session is recorded.")).to_be_visible()
        for text in ("Amina Begum", "Carers Centre"):
            await expect(page.get_by_role("heading", name=text)).to_be_visible()
        for n, text in enumerate(
            (
                "Survey every flat on the estate",
                "Write to residents about the survey",
                "Report the findings to the board",
            ),
            start=1,
        ):
            await expect(page.get_by_role("heading", name=f"Action {n}: {text}")).to_be_visible()
        # An owner is named but no due date agreed: never better than Amber, and it says why.
        await expect(page.locator("#action-1 .app-rag")).to_have_text("Amber")
        await expect(page.locator("#action-1")).to_contain_text("No due date agreed")


class CommunityVoiceLead:
    def __init__(self, page: Page) -> None:
        self.page = page

    async def given_their_home_page_is_open(self) -> None:
        await self.page.goto("/")
        await expect(self.page.locator("#escalation-count")).to_have_text(
            "0 open escalations, oldest first."
        )
        await self.page.evaluate("window.stillTheSamePage = true")

    async def then_an_escalation_arrives_without_a_reload(self) -> None:
        first = self.page.locator("#escalation-queue li").first
        await expect(first.locator("h3")).to_have_text(CAUSES, timeout=40_000)
        await expect(first).to_contain_text("Damp and mould in social housing")
        assert await self.page.evaluate("window.stillTheSamePage === true")
        await expect(self.page.locator("#escalation-announcer")).to_contain_text("open escalation")

    async def when_they_resolve_it(self) -> str:
        first = self.page.locator("#escalation-queue li").first
        escalation = await first.get_attribute("id")
        assert escalation is not None
        await first.get_by_role("link", name="Resolve with a note").click()
        await self.page.get_by_role("button", name="Resolve escalation").click()
        await expect(self.page.locator(".nhsuk-error-summary")).to_be_focused()
        await self.page.get_by_label("What was done about it").fill(
            "Spoke to the engagement lead; it is in hand."
        )
        await self.page.get_by_role("button", name="Resolve escalation").click()
        return escalation

    async def then_it_is_resolved(self, escalation: str) -> None:
        await expect(self.page.get_by_text("Escalation resolved.")).to_be_visible()
        assert "?command=" in self.page.url
        await self.page.goto("/escalations")
        await expect(self.page.locator("#escalation-queue li").first).to_be_visible()
        assert await self.page.locator(f"#{escalation}").count() == 0
        await self.page.get_by_role("link", name="Cases").first.click()
        await self.page.get_by_role("link", name="Damp and mould in social housing").click()
        await expect(self.page.locator("#timeline")).to_be_visible()
        await expect(
            self.page.get_by_text("Spoke to the engagement lead; it is in hand.").first
        ).to_be_visible()


async def test_record_a_session_then_see_an_escalation_arrive_and_resolve_it(
    world: World, browser: Browser
) -> None:
    owner = add_owner(world.sessions, name="Priya Shah")
    cv = CommunityVoiceLead(
        await (await signed_in_context(browser, world, Role.cv_lead)).new_page()
    )
    lead = EngagementLead(
        await (await signed_in_context(browser, world, Role.engagement_lead)).new_page()
    )
    await lead.page.goto("/")
    await cv.given_their_home_page_is_open()

    await lead.when_they_record_a_session(owner)
    await lead.then_they_see_the_case()

    await cv.then_an_escalation_arrives_without_a_reload()
    escalation = await cv.when_they_resolve_it()
    await cv.then_it_is_resolved(escalation)
