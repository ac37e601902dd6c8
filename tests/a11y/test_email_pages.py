"""The pages behind the emails, in a real browser (Debian Chromium) with axe (WCAG 2.2 A/AA):
the development inbox shows the messages and their links work; every owner and presenter page,
form with errors, receipt and link problem page is accessible. No JavaScript is needed."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page
from temporalio.worker import Worker

from models.commands import MarkDoneBody
from models.db import SessionFactory
from models.presenter import Presenter
from notifications import catcher
from notifications.links import Links
from tests.a11y.axe import assert_accessible
from tests.browser import chromium
from tests.factories import LEAD
from tests.helpers import eventually
from tests.live import LiveApp, app_settings, free_port, serve_app
from tests.mailflow import commands_for, start_case
from worker.mail import mail_delivery

pytestmark = [pytest.mark.a11y, pytest.mark.slow]


@dataclass
class World:
    live: LiveApp
    browser: Browser
    sessions: SessionFactory
    commands: Any
    case_id: Any
    action_id: Any
    maildir: Path

    def links(self, **kwargs: Any) -> Links:
        return Links(self.live.settings.secret_key.get_secret_value(), self.live.base_url, **kwargs)

    def presenter_id(self) -> Any:
        from sqlmodel import select

        with self.sessions() as session:
            return session.exec(select(Presenter.id).where(Presenter.case_id == self.case_id)).one()


@pytest.fixture
async def world(
    ts_worker: Worker, engine: Any, sessions: SessionFactory, task_queue: str, tmp_path: Path
) -> AsyncIterator[World]:
    maildir = tmp_path / "mail"
    port = free_port()
    mail_catcher = catcher.serve(port, maildir)
    settings = app_settings(
        task_queue=task_queue,
        smtp_host="127.0.0.1",
        smtp_port=port,
        dev_mail_dir=maildir,
        mail_poll_seconds=0.2,
    )
    commands = commands_for(sessions, ts_worker.client, task_queue)
    case_id, [action_id] = await start_case(
        commands, sessions, said="Mould in bedrooms; children with asthma."
    )
    stop = asyncio.Event()
    try:
        async with serve_app(engine=engine, client=ts_worker.client, settings=settings) as live:
            delivery = mail_delivery(live.settings, sessions, ts_worker.client)
            task = asyncio.create_task(delivery.run(stop))
            try:
                async with chromium() as browser:
                    yield World(live, browser, sessions, commands, case_id, action_id, maildir)
            finally:
                stop.set()
                await task
    finally:
        mail_catcher.stop()


@contextlib.asynccontextmanager
async def tab(world: World, **options: Any) -> AsyncIterator[Page]:
    context = await world.browser.new_context(**options)
    page = await context.new_page()
    try:
        yield page
    finally:
        await context.close()


async def open_ok(page: Page, url: str, status: int = 200) -> None:
    response = await page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)
    await assert_accessible(page)


async def test_the_inbox_shows_the_owners_email_and_its_link_opens_their_action(
    world: World,
) -> None:
    base = world.live.base_url
    async with tab(world) as page:

        async def inbox_has_the_email() -> bool:
            await page.goto(f"{base}/dev/mail")
            return await page.get_by_role("link", name="An action for you").count() == 1

        await eventually(inbox_has_the_email, timeout=30, interval=0.5)
        await assert_accessible(page)
        assert await page.get_by_role("link", name="Thank you for speaking").count() == 1

        await page.get_by_role("link", name="An action for you").click()
        await page.wait_for_load_state()
        await assert_accessible(page)
        assert "olu.owner@example.nhs.uk" in await page.inner_text("dl")
        owner_link = page.locator("pre a[href*='/owner/']")
        assert await owner_link.count() == 1
        await owner_link.click()
        await page.wait_for_load_state()
        assert (await page.locator("h1").inner_text()).endswith("Your action")
        await assert_accessible(page)
        assert "Mould in bedrooms; children with asthma." in await page.content()


async def test_the_email_itself_is_accessible_html(world: World) -> None:
    base = world.live.base_url
    async with tab(world, bypass_csp=True) as page:

        async def keys() -> list[str]:
            await page.goto(f"{base}/dev/mail")
            hrefs = await page.locator("tbody a").evaluate_all("els => els.map(e => e.href)")
            return [h for h in hrefs if h]

        messages = await eventually(keys, timeout=30, interval=0.5)
        for href in messages:
            await open_ok(page, f"{href}/html")


async def test_every_owner_page_is_accessible_and_works_without_javascript(world: World) -> None:
    links = world.links()
    from models.action import Action

    with world.sessions() as session:
        action = session.get(Action, world.action_id)
        assert action is not None and action.owner_id is not None
    link = links.owner_url(action.id, action.owner_id, action.assignment_no)
    async with tab(world) as page:
        for path in ("", "/update", "/done", "/cannot-deliver", "/not-mine"):
            await open_ok(page, link + path)
        await page.goto(link + "/done")
        await page.get_by_role("button", name="Mark as done").click()
        await page.wait_for_load_state()
        await assert_accessible(page)  # the error summary, with focus
    async with tab(world, java_script_enabled=False) as page:  # (axe needs JavaScript)
        await page.goto(link + "/update")
        await page.get_by_role("button", name="Send update").click()
        await page.wait_for_load_state()
        assert await page.locator(".nhsuk-error-summary").count() == 1
        await page.get_by_label("What has happened since the last update?").fill(
            "Surveyors booked for 40 flats."
        )
        await page.get_by_label("Amber: at risk").check()
        await page.get_by_role("button", name="Send update").click()
        await page.wait_for_load_state()
        assert "Thank you: this is recorded" in await page.locator("h1").inner_text()
        receipt = page.url
    async with tab(world) as page:
        await open_ok(page, receipt)


async def test_presenter_pages_are_accessible(world: World) -> None:
    links = world.links()
    presenter_id = world.presenter_id()
    confirm = links.presenter_url(world.case_id, presenter_id)
    async with tab(world) as page:
        await open_ok(page, confirm)
        await page.get_by_role("button", name="Send").click()
        await page.wait_for_load_state()
        await assert_accessible(page)  # with the error summary
        await page.get_by_label("Yes, these are the actions that were agreed").check()
        await page.get_by_role("button", name="Send").click()
        await page.wait_for_load_state()
        await assert_accessible(page)
        await open_ok(page, confirm)  # answered already
        assert "You have answered already" in await page.locator("h1").inner_text()
        await open_ok(page, f"{confirm}/consent")  # their consent record
        await open_ok(page, f"{confirm}/about-you")  # equality monitoring, optional

        done = await world.commands.to_action(
            world.action_id, "mark_done", MarkDoneBody(text="Every flat surveyed."), LEAD
        )
        assert done.status.value == "applied"
        feedback = links.feedback_url(world.action_id, presenter_id)
        await open_ok(page, f"{feedback}?answer=partly")
        await page.get_by_role("button", name="Send my answer").click()
        await page.wait_for_load_state()
        await assert_accessible(page)


async def test_link_problem_pages_are_accessible(world: World) -> None:
    links = world.links()
    presenter_id = world.presenter_id()
    good = links.presenter_url(world.case_id, presenter_id)
    old = world.links(clock=lambda: time.time() - timedelta(days=61).total_seconds())
    async with tab(world) as page:
        await open_ok(page, good[:-3] + "abc", 403)
        await open_ok(page, old.presenter_url(world.case_id, presenter_id), 410)
        await open_ok(page, links.feedback_url(world.action_id, presenter_id), 409)
        await open_ok(page, f"{world.live.base_url}/dev/mail/no-such-message", 404)
