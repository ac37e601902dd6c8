"""A staff member's browser without JavaScript: real HTTP (httpx2) against the real app, signing
in through the sign-in form and posting forms with their CSRF token, as a browser would."""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx2

from models.db import SessionFactory
from models.staff import Role, StaffUser, StaffUserCreate
from services import directory

PASSWORD = "a long test password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_staff(sessions: SessionFactory, role: Role | str, *, name: str | None = None) -> StaffUser:
    role = Role(role)
    with sessions() as session:
        return directory.create_user(
            session=session,
            body=StaffUserCreate(
                email=f"{role.value}-{uuid.uuid4().hex[:6]}@example.org",
                name=name or f"Test {role.value.replace('_', ' ')}",
                role=role,
                password=PASSWORD,
            ),
        )


def csrf_token(page: str) -> str:
    match = _CSRF.search(page)
    assert match, "the page has a form with a CSRF token"
    return html.unescape(match.group(1))


def text_of(page: str) -> str:
    """The page's words, without tags (for 'the page says …' checks)."""
    words = re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.S)
    return " ".join(html.unescape(words).split())


@dataclass
class StaffBrowser:
    client: httpx2.AsyncClient
    user: StaffUser | None = None

    async def get(self, path: str, **kwargs: Any) -> httpx2.Response:
        return await self.client.get(path, **kwargs)

    async def submit(
        self, path: str, data: dict[str, Any], *, form_page: str | None = None, **kwargs: Any
    ) -> httpx2.Response:
        """Fill in and send the form at ``form_page`` (default: ``path``), with its CSRF token."""
        page = await self.client.get(form_page or path)
        token = csrf_token(page.text)
        return await self.client.post(path, data={"csrf_token": token, **data}, **kwargs)

    async def sign_in(self, email: str, password: str = PASSWORD) -> httpx2.Response:
        return await self.submit("/sign-in", {"email": email, "password": password})


async def signed_in(base_url: str, sessions: SessionFactory, role: Role | str) -> StaffBrowser:
    user = add_staff(sessions, role)
    browser = StaffBrowser(httpx2.AsyncClient(base_url=base_url, timeout=30), user)
    response = await browser.sign_in(user.email)
    assert response.status_code == 303, response.text
    return browser


def day_fields(name: str, day: date) -> dict[str, str]:
    return {
        f"{name}[day]": str(day.day),
        f"{name}[month]": str(day.month),
        f"{name}[year]": str(day.year),
    }


def session_form(**extra: Any) -> dict[str, Any]:
    return {
        "idempotency_key": "form-1",
        "board": "tht",
        **day_fields("meeting_date", _today()),
        "outcome": "held",
        "theme": "Damp and mould",
        "said": "Residents described mould in their homes.",
        "presenters-0-name": "Amina Begum",
        "presenters-0-email": "amina@example.com",
        **extra,
    }


def _today() -> date:
    from models.base import utcnow
    from models.policy import LONDON

    return utcnow().astimezone(LONDON).date()
