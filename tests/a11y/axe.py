"""Accessibility checks in a real browser: axe limited to WCAG 2.0/2.1/2.2 A and AA rules, plus
checks axe does not make (one <h1>, link text unique per destination, error summary focus)."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

#: Rules switched off, each with its reason. Keep this empty unless a rule is wrong for us.
EXCLUSIONS: dict[str, str] = {}

_axe = Axe()


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    if EXCLUSIONS:
        options["rules"] = {rule: {"enabled": False} for rule in EXCLUSIONS}
    results = await _axe.run(page, options=options)
    return list(results.response["violations"])


async def assert_accessible(page: Page) -> None:
    violations = await axe_violations(page)
    assert not violations, "axe found:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in violations
    )
    assert await page.locator("h1").count() == 1, "a page has exactly one <h1>"
    links: dict[str, set[str]] = {}
    for link in await page.locator("a[href]").all():
        text = " ".join((await link.inner_text()).split())
        href = await link.get_attribute("href") or ""
        if text:
            links.setdefault(text.lower(), set()).add(href.split("#")[0])
    ambiguous = {t: h for t, h in links.items() if len(h) > 1}
    assert not ambiguous, f"the same link text goes to different places: {ambiguous}"
    if await page.locator(".nhsuk-error-summary").count():
        focused = await page.evaluate(
            "document.activeElement !== null"
            " && document.activeElement.closest('.nhsuk-error-summary') !== null"
        )
        assert focused, "the error summary has focus when a form comes back with errors"
