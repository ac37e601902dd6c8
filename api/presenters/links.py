"""Links on staff pages: a link whose text stays unique for screen readers (with visually
hidden words), and an email address as a mail link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    hidden: str = ""  # visually hidden words that make the link text unique


def mailto(email: str | None, none: str = "None recorded") -> dict[str, Any]:
    """A summary-list value: the address as a mail link, or words saying there is none."""
    if not email:
        return {"text": none}
    return {"html": Markup('<a href="mailto:{0}">{0}</a>').format(email)}
