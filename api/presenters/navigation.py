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


def _current(path: str, href: str) -> bool:
    if href == "/":
        return path == "/"
    if href == "/cases":
        return path == "/cases" or (path.startswith("/cases/") and path != "/cases/new")
    section = "/" + href.strip("/").split("/")[0]
    return path == href or path.startswith(section + "/") or path == section


def header(user: StaffUser | None, path: str) -> dict[str, Any]:
    """``navigation`` and ``account_menu`` for layout.jinja (nothing when signed out)."""
    if user is None:
        return {}
    items = [
        {"text": text, "href": href, "current": _current(path, href)}
        for text, href, permission in MENU
        if user.can(permission)
    ]
    return {
        "navigation": items,
        "account_menu": {
            "items": [
                {"text": f"{user.name} ({ROLE_LABELS[user.role]})", "icon": True},
                # The header's own form cannot carry a hidden CSRF field, and a token never
                # goes in an address: the link opens the sign-out page, whose form carries it.
                {"text": "Sign out", "href": "/sign-out"},
            ]
        },
    }
