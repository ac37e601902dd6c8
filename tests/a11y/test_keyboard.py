"""Recording a whole session with the keyboard alone, in Chromium: every field and button is
reached with Tab, shows where focus is, and works with Enter, Space and the arrow keys."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from models.staff import Role
from tests.world import World, signed_in_context, today

pytestmark = [pytest.mark.a11y, pytest.mark.asyncio(loop_scope="package")]

FOCUS_VISIBLE = """() => {
  const el = document.activeElement
  const style = getComputedStyle(el)
  return (style.outlineStyle !== 'none' && style.outlineWidth !== '0px')
    || style.boxShadow !== 'none'
}"""


async def tab_to(page: Page, selector: str, *, limit: int = 150) -> None:
    """Press Tab until ``selector`` has focus, checking each stop shows its focus."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await page.evaluate("(s) => document.activeElement.matches(s)", selector):
            assert await page.evaluate(FOCUS_VISIBLE), f"{selector} shows no focus indicator"
            return
    raise AssertionError(f"Tab never reached {selector}")


async def type_into(page: Page, selector: str, text: str) -> None:
    await tab_to(page, selector)
    await page.keyboard.type(text)


async def test_the_intake_form_can_be_completed_with_the_keyboard_alone(
    world: World, browser
) -> None:  # type: ignore[no-untyped-def]
    context = await signed_in_context(browser, world, Role.engagement_lead)
    page = await context.new_page()
    await page.goto("/cases/new")
    day = today()
    await type_into(page, "#meeting_date-day", str(day.day))
    await type_into(page, "#meeting_date-month", str(day.month))
    await type_into(page, "#meeting_date-year", str(day.year))
    await tab_to(page, "#outcome")  # 'Held' is chosen; the arrow keys move between outcomes
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("ArrowUp")
    await type_into(page, "#theme", "Disability access training")
    await type_into(page, "#presenters-0-name", "Rob Yusuf")
    await tab_to(page, "#presenters-0-consent_to_publish_name")
    await page.keyboard.press("Space")
    await tab_to(page, "#add-presenter")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    # The new presenter's name box has focus after the round trip.
    assert await page.evaluate("document.activeElement.id") == "presenters-1-name"
    await page.keyboard.type("Disability Forum")
    await type_into(page, "#actions-0-text", "Train reception staff in access needs")
    await tab_to(page, "#actions-0-owner_id")
    await page.keyboard.press("ArrowDown")  # the first owner in the directory
    await tab_to(page, "button[value=save]")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")

    await expect(page.get_by_role("heading", level=1)).to_have_text("Disability access training")
    await expect(page.get_by_text("The session is recorded.")).to_be_visible()
    await expect(page.get_by_role("heading", name="Rob Yusuf")).to_be_visible()
    await expect(page.get_by_role("heading", name="Disability Forum")).to_be_visible()
    await expect(page.locator("#action-1")).to_contain_text("Olu Owner")
    await context.close()
