"""The Content-Security-Policy in a real browser (Chromium): every page family loads and runs
with nothing blocked. The NHS.UK template's inline script runs (allowed by its hash: the page
gets ``js-enabled``), the NHS.UK frontend and the app's modules start, and Swagger UI on /docs
renders from this site. An inline script an attacker got into a page would not run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage
from sqlmodel import select

from models.action import Action
from models.presenter import Presenter
from models.staff import Role
from notifications.links import Links
from tests.world import World, signed_in_context

pytestmark = [pytest.mark.a11y, pytest.mark.asyncio(loop_scope="package")]


def _links(world: World) -> Links:
    settings = world.app.settings
    return Links(
        settings.secret_key.get_secret_value(),
        world.base_url,
        max_age=timedelta(days=settings.link_max_age_days),
    )


def _signed_link_pages(world: World) -> list[str]:
    links = _links(world)
    with world.sessions() as session:
        action = session.exec(select(Action).where(Action.owner_id.is_not(None))).first()  # type: ignore[union-attr]
        assert action is not None and action.owner_id is not None
        presenter = session.exec(
            select(Presenter).where(Presenter.case_id == action.case_id)
        ).first()
        assert presenter is not None
        owner = links.owner_url(action.id, action.owner_id, action.assignment_no)
        return [
            owner,
            owner + "/update",
            links.presenter_url(action.case_id, presenter.id),
            links.feedback_url(action.id, presenter.id),
        ]


async def _visit(context: BrowserContext, url: str) -> tuple[list[str], str, int]:
    page = await context.new_page()
    blocked: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            blocked.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: blocked.append(f"script error: {error}"))
    response = await page.goto(url)
    assert response is not None
    await page.wait_for_load_state("networkidle")
    classes = await page.evaluate("document.body.className")
    await page.close()
    return blocked, classes, response.status


async def test_no_page_family_has_anything_blocked(world: World, browser: Browser) -> None:
    staff = await signed_in_context(browser, world, Role.cv_lead)
    anonymous = await browser.new_context(base_url=world.base_url)
    try:
        case = world.case_path  # type: ignore[attr-defined]
        for context, path in [
            (staff, "/"),
            (staff, case),
            (staff, "/escalations"),
            (staff, "/rag-board"),
            (staff, "/reports"),
            (staff, "/directory/partners"),
            (anonymous, "/sign-in"),
            (anonymous, "/accessibility"),
            (anonymous, "/public/tht"),
            (anonymous, "/no/such/page"),
            *((anonymous, link) for link in _signed_link_pages(world)),
        ]:
            blocked, classes, status = await _visit(context, path)
            assert blocked == [], (path, blocked)
            assert status < 500, path
            assert "js-enabled" in classes and "nhsuk-frontend-supported" in classes, path
    finally:
        await staff.close()
        await anonymous.close()


async def test_the_api_documentation_renders_from_this_site(world: World, browser: Browser) -> None:
    context = await browser.new_context(base_url=world.base_url)
    outside: list[str] = []
    context.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(world.base_url) else None
        ),
    )
    try:
        page = await context.new_page()
        blocked: list[str] = []
        page.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )
        await page.goto("/docs")
        await page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        assert "Community Voice" in await page.inner_text(".swagger-ui .info .title")
        await page.wait_for_selector('.opblock-summary-path[data-path="/api/v1/cases"]')
        assert blocked == []
        assert outside == [], "nothing is loaded from elsewhere"
    finally:
        await context.close()


async def test_an_inline_script_in_a_page_would_not_run(world: World, browser: Browser) -> None:
    """What an injection that escaped escaping would do: the policy stops it."""
    context = await browser.new_context(base_url=world.base_url)
    try:
        page = await context.new_page()
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text))
        await page.goto("/accessibility")
        ran = await page.evaluate(
            """() => new Promise(resolve => {
                window.injected = false
                const s = document.createElement('script')
                s.textContent = 'window.injected = true'
                document.body.appendChild(s)
                setTimeout(() => resolve(window.injected), 200)
            })"""
        )
        assert ran is False
        assert any("Content Security Policy" in text for text in blocked)
    finally:
        await context.close()
