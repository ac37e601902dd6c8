"""Pages finish loading as soon as their content is ready: nothing they ask for stalls `load`.

Seen in Chromium: a case page and the RAG board showed their content at 0.2 s but fired `load`
at 5.3 s: the NHS.UK stylesheet asks assets.nhs.uk for the NHS font, and `load` waits for that
request, which a machine that cannot reach the host holds until it gives up. Outside production
(CVT_NHS_FONT unset) pages ask only this service, and get every file they ask for."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Request

from models.staff import Role
from tests.world import World, signed_in_context

pytestmark = [pytest.mark.a11y, pytest.mark.asyncio(loop_scope="package")]


@pytest.mark.parametrize("path", ["{case}", "/rag-board"])
async def test_load_waits_on_nothing_but_this_service(
    world: World, browser: Browser, path: str
) -> None:
    context = await signed_in_context(browser, world, Role.cv_lead)
    page = await context.new_page()
    requests: list[Request] = []
    failed: list[str] = []
    page.on("request", lambda r: requests.append(r))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    try:
        await page.goto(path.format(case=world.case_path))  # type: ignore[attr-defined]
        elsewhere = [r.url for r in requests if not r.url.startswith(world.base_url)]
        missing = []
        for r in requests:
            response = await r.response()
            if response is None or response.status >= 400:
                missing.append(f"{r.url} ({response.status if response else 'no answer'})")
        assert not elsewhere, f"asked another host: {elsewhere} of {[r.url for r in requests]}"
        assert not missing, f"asked for what is not there: {missing}"
        assert not failed, f"requests failed: {failed}"
    finally:
        await context.close()
