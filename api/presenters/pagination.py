"""Pages of a long list: which rows a page shows, and the NHS.UK pagination component's
parameters (numbered, with links that keep the filters) with a "Showing 51 to 100 of 812" line."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 50


def read_page(params: Mapping[str, str]) -> int:
    """The page asked for (``?page=``): 1 when absent or not understood, never an error."""
    text = params.get("page", "")
    return int(text) if text.isdigit() and 0 < int(text) < 1_000_000 else 1


@dataclass(frozen=True)
class Page:
    """Page ``number`` of ``total`` rows, ``size`` a page; past the last page is the last."""

    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def current(self) -> int:
        return min(self.number, self.count)

    @property
    def offset(self) -> int:
        return (self.current - 1) * self.size

    def showing(self, noun: str) -> str:
        """ "Showing 51 to 100 of 812 open actions" (or "812 open actions" on a single page)."""
        if self.total <= self.size:
            return f"{self.total:,} {noun}"
        last = min(self.offset + self.size, self.total)
        return f"Showing {self.offset + 1:,} to {last:,} of {self.total:,} {noun}"


def pagination(page: Page, href: Callable[[int], str], label: str) -> dict[str, Any] | None:
    """Parameters for ``nhsuk/components/pagination``: previous, next, and the first, last and
    neighbouring page numbers with ellipses between; None when everything fits on one page."""
    if page.count == 1:
        return None
    current, last = page.current, page.count
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items: list[dict[str, Any]] = []
    for number in shown:
        if items and number - items[-1].get("number", 0) > 1:
            items.append({"ellipsis": True})
        items.append(
            {
                "number": number,
                "href": href(number),
                "current": number == current,
                "visuallyHiddenText": f"Page {number} of {last}",
            }
        )
    return {
        "ariaLabel": label,
        "previous": {"href": href(current - 1)} if current > 1 else None,
        "next": {"href": href(current + 1)} if current < last else None,
        "items": items,
    }
