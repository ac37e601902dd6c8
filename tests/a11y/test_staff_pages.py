"""Every staff page, as the role that uses it, in Chromium: axe (WCAG 2.0/2.1/2.2 A and AA)
finds nothing, there is one <h1>, link texts are unambiguous, and a form that comes back with
errors puts focus on its error summary."""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import Browser, BrowserContext, Page
from sqlmodel import select

from models.action import Action
from models.escalation import Escalation
from models.partner import Owner, Partner
from models.presenter import Presenter
from models.staff import Role
from tests.a11y.axe import assert_accessible, assert_reflows
from tests.world import World, signed_in_context

pytestmark = [pytest.mark.a11y, pytest.mark.asyncio(loop_scope="package")]

CV, LEAD, ADMIN, VIEWER = Role.cv_lead, Role.engagement_lead, Role.admin, Role.viewer

#: (who, page, what to do there: None, or the button to press with the form left empty)
PAGES = [
    (None, "/sign-in", None),
    (None, "/sign-in", "Sign in"),
    (None, "/accessibility", None),
    (None, "/privacy", None),
    (CV, "/", None),
    (LEAD, "/", None),
    (VIEWER, "/", None),
    (ADMIN, "/", None),
    (LEAD, "/cases", None),
    (LEAD, "/cases/new", None),
    (LEAD, "/cases/new", "Record session and start the case"),
    (LEAD, "/cases/new", "Add another presenter"),
    (LEAD, "/cases/new", "Add another action"),
    (CV, "{case}", None),
    (VIEWER, "{case}", None),
    (LEAD, "{case}/contact", None),
    (LEAD, "{case}/contact", None),
    (LEAD, "{case}/note", "Add note"),
    (LEAD, "{case}/escalate", "Escalate"),
    (LEAD, "{case}/add-action", None),
    (LEAD, "{case}/add-action", "Add action"),
    (LEAD, "{case}/actions/{action}/owner", None),
    (LEAD, "{case}/actions/{action}/owner", "Assign owner"),
    (LEAD, "{case}/actions/{owned}/update", "Record update"),
    (LEAD, "{case}/actions/{owned}/done", "Mark as done"),
    (LEAD, "{case}/actions/{owned}/withdraw", "Withdraw action"),
    (CV, "{case}/actions/{owned}/due-date", None),
    (CV, "{case}/actions/{owned}/due-date", "Change due date"),
    (CV, "{case}/actions/{owned}/rag", "Override rating"),
    (CV, "{case}/actions/{owned}/close", None),  # does not apply now: says why
    (LEAD, "{case}", None),
    (LEAD, "/cases?board=tht&status=open", None),
    (CV, "/escalations", None),
    (CV, "/escalations/{escalation}/resolve", None),
    (CV, "/escalations/{escalation}/resolve", "Resolve escalation"),
    (LEAD, "{case}/presenters/{presenter}/consent", None),
    (LEAD, "{case}/presenters/{presenter}/equality", None),
    (CV, "/equality-monitoring", None),
    (ADMIN, "/personal-data?q=a", None),
    (ADMIN, "/personal-data/presenters/{presenter}", None),
    (ADMIN, "/personal-data/presenters/{presenter}/erase", None),
    (ADMIN, "/personal-data/owners/{owner}", None),
    (LEAD, "{case}/said-summary", None),
    (LEAD, "{case}/said-summary", "Save the summary"),
    (CV, "/reports", None),
    (CV, "/reports/quarterly/new", None),
    (CV, "/reports/quarterly/new", "Draft the report"),
    (CV, "/rag-board", None),
    (CV, "/rag-board?rag=amber&sort=due&order=desc", None),
    (LEAD, "/directory/partners", None),
    (LEAD, "/directory/partners/new", "Add partner"),
    (LEAD, "/directory/partners/{partner}", None),
    (LEAD, "/directory/owners/new", "Add owner"),
    (LEAD, "/directory/owners/{owner}", None),
    (LEAD, "/directory/import", None),
    (LEAD, "/directory/import", "Check the file (dry run)"),
    (ADMIN, "/boards", None),
    (ADMIN, "/boards/tht/settings", None),
    (ADMIN, "/boards/tht/settings", "Add meeting"),
    (ADMIN, "/users", None),
    (ADMIN, "/users/new", "Add account"),
    (ADMIN, "/users/{user}", None),
    (VIEWER, "/users", None),  # the page saying a viewer cannot use it
    (VIEWER, "/cases/00000000-0000-0000-0000-000000000000", None),  # not found
    (LEAD, "/sign-out", None),
]


def _ids(world: World) -> dict[str, str]:
    case_id = uuid.UUID(world.case_path.rsplit("/", 1)[1])  # type: ignore[attr-defined]
    with world.sessions() as session:
        actions = session.exec(
            select(Action).where(Action.case_id == case_id).order_by(Action.seq)
        ).all()
        escalation = session.exec(select(Escalation)).first()
        partner = session.exec(select(Partner)).first()
        owner = session.exec(select(Owner)).first()
        presenter = session.exec(select(Presenter).where(Presenter.case_id == case_id)).first()
    assert presenter is not None
    assert escalation and partner and owner and len(actions) == 2
    return {
        "case": world.case_path,  # type: ignore[attr-defined]
        "owned": str(actions[0].id),
        "action": str(actions[1].id),
        "escalation": str(escalation.id),
        "partner": str(partner.id),
        "owner": str(owner.id),
        "presenter": str(presenter.id),
        "user": str(world.users[Role.viewer].id),
    }


_CONTEXTS: dict[tuple[int, Role | None], BrowserContext] = {}


async def _open(browser: Browser, world: World, who: Role | None) -> Page:
    """A new tab, signed in as ``who`` (one sign-in per role for the whole run)."""
    key = (id(world), who)
    if key not in _CONTEXTS:
        _CONTEXTS[key] = (
            await browser.new_context(base_url=world.base_url)
            if who is None
            else await signed_in_context(browser, world, who)
        )
    return await _CONTEXTS[key].new_page()


@pytest.mark.parametrize(("who", "path", "press"), PAGES)
async def test_page_is_accessible(
    world: World, browser: Browser, who: Role | None, path: str, press: str | None
) -> None:
    page = await _open(browser, world, who)
    try:
        response = await page.goto(path.format(**_ids(world)))
        assert response is not None and response.status < 500
        if press:
            await page.get_by_role("button", name=press, exact=True).click()
            await page.wait_for_load_state("load")
            if not press.startswith("Add another"):
                assert await page.locator(".nhsuk-error-summary").count() == 1
        await assert_accessible(page)
        await assert_reflows(page)
        await assert_accessible(page)  # and again at 320 px
    finally:
        await page.close()
