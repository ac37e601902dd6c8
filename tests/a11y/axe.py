"""Accessibility checks in a real browser: axe with the WCAG 2.0/2.1/2.2 A and AA rules and its
best-practice rules, plus checks axe does not make (one <h1>, link text unique per destination,
error summary focus) and reflow at 320 px (nothing scrolls sideways but a declared table)."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]

#: Rules switched off, each with its reason. Keep this empty unless a rule is wrong for us.
EXCLUSIONS: dict[str, str] = {}

#: Rules axe marks experimental (so no tag runs them) that we run all the same, with why.
EXPERIMENTAL: dict[str, str] = {
    "label-content-name-mismatch": "WCAG 2.5.3 Label in Name: speech users say what they see",
}

_axe = Axe()


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    options["rules"] = {rule: {"enabled": True} for rule in EXPERIMENTAL} | {
        rule: {"enabled": False} for rule in EXCLUSIONS
    }
    results = await _axe.run(page, options=options)
    return list(results.response["violations"])


#: The one narrow width WCAG 1.4.10 (reflow) asks for: 320 CSS pixels.
NARROW = {"width": 320, "height": 640}

#: Elements wider than the page at 320 px, other than those inside a declared scrolling table
#: (the ``scroll_table`` macro's ``[data-scroll-table]``), and the page's own scroll width.
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
    if (el.closest('[data-scroll-table]')) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1);
  });
  return {
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    wide: wide.slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className ? '.' + String(el.className).split(' ')[0] : '')),
  };
}"""


async def assert_reflows(page: Page) -> None:
    """At 320 px nothing scrolls sideways, except inside a declared scrolling table."""
    await page.set_viewport_size(NARROW)
    found = await page.evaluate(_OVERFLOW)
    assert found["scroll"] <= found["inner"], f"the page scrolls sideways at 320 px: {found}"
    assert not found["wide"], f"wider than the page at 320 px: {found['wide']}"


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
