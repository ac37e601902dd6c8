"""The header of staff pages: the menu a role may use, and who is signed in."""

from __future__ import annotations

from typing import Any

from models.staff import ROLE_LABELS, Permission, StaffUser

#: (text, href, permission needed)
MENU = [
    ("Home", "/", Permission.read),
    ("Cases", "/cases", Permission.read),
    ("Record a session", "/cases/new", Permission.record_session),
    ("Escalations", "/escalations", Permission.read),
    ("RAG board", "/rag-board", Permission.read),
    ("Directory", "/directory/partners", Permission.read),
    ("Reports", "/reports", Permission.read),
    ("Equality", "/equality-monitoring", Permission.read),
    ("Boards", "/boards", Permission.manage_boards),
    ("Staff accounts", "/users", Permission.manage_users),
    ("Personal data", "/personal-data", Permission.manage_personal_data),
]


def _match(path: str, href: str) -> int:
    """How well ``path`` falls under a menu item: 3 exactly, 2 below it, 1 in its section."""
    if path == href:
        return 3
    if href == "/":
        return 0
    if path.startswith(href + "/"):
        return 2
    section = "/" + href.strip("/").split("/")[0]
    return 1 if path == section or path.startswith(section + "/") else 0


def _current(path: str, hrefs: list[str]) -> str | None:
    """The one menu item the page belongs to (``/cases/new`` is not also ``/cases``)."""
    best = max(hrefs, key=lambda href: _match(path, href), default=None)
    return best if best is not None and _match(path, best) else None


def _account_name(user: StaffUser) -> str:
    """Name and role, once (an account may be named with its role already)."""
    role = ROLE_LABELS[user.role]
    return user.name if role.lower() in user.name.lower() else f"{user.name} ({role})"


def header(user: StaffUser | None, path: str) -> dict[str, Any]:
    """``navigation`` and ``account_menu`` for layout.jinja (nothing when signed out)."""
    if user is None:
        return {}
    menu = [(text, href) for text, href, permission in MENU if user.can(permission)]
    current = _current(path, [href for _, href in menu])
    items = [{"text": text, "href": href, "current": href == current} for text, href in menu]
    return {
        "navigation": items,
        "account_menu": {
            "items": [
                {"text": _account_name(user), "icon": True},
                # The header's own form cannot carry a hidden CSRF field, and a token never
                # goes in an address: the link opens the sign-out page, whose form carries it.
                {"text": "Sign out", "href": "/sign-out"},
            ]
        },
    }
