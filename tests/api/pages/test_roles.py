"""Every staff route checks the role on the server: no sign-in goes to the sign-in page, a role
without the permission gets 403, and nothing but the staff session cookie signs anyone in
(not an API bearer token, not a signed email link)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute

from api.main import create_app
from api.pages.command_forms import ACTION_COMMANDS, CASE_COMMANDS
from api.security import StaffTokens
from models.db import SessionFactory
from models.staff import ROLE_PERMISSIONS, Permission, Role
from notifications.links import LinkPurpose, Links
from tests.api.pages.conftest import Anonymous, BrowserFactory
from tests.factories import add_board, add_owner
from tests.live import TEST_SECRET, LiveApp, app_settings
from tests.staff import add_staff, csrf_token

NOBODY = str(uuid.UUID(int=1))
P = Permission

#: (method, path, permission). Ids name nothing: a permitted role gets past the check to a 404.
ROUTES: list[tuple[str, str, Permission]] = [
    ("GET", "/", P.read),
    ("GET", "/cases", P.read),
    ("GET", "/cases/new", P.record_session),
    ("POST", "/cases/new", P.record_session),
    ("GET", f"/cases/{NOBODY}", P.read),
    ("GET", f"/cases/{NOBODY}/add-action", P.drive_actions),
    ("GET", f"/cases/{NOBODY}/said-summary", P.read),
    ("POST", f"/cases/{NOBODY}/said-summary", P.record_session),
    ("POST", f"/cases/{NOBODY}/said-summary/approve", P.approve_reports),
    ("POST", f"/cases/{NOBODY}/add-action", P.drive_actions),
    *[
        (method, f"/cases/{NOBODY}/actions/{NOBODY}/{spec.slug}", spec.permission)
        for spec in ACTION_COMMANDS
        for method in ("GET", "POST")
    ],
    *[
        (method, f"/cases/{NOBODY}/{spec.slug}", spec.permission)
        for spec in CASE_COMMANDS
        for method in ("GET", "POST")
    ],
    ("GET", "/escalations", P.read),
    ("GET", "/escalations/state.json", P.read),
    ("GET", f"/escalations/{NOBODY}/resolve", P.intervene),
    ("POST", f"/escalations/{NOBODY}/resolve", P.intervene),
    ("GET", "/rag-board", P.read),
    ("GET", "/directory", P.read),
    ("GET", "/directory/partners", P.read),
    ("GET", "/directory/export.csv", P.read),
    ("GET", "/directory/partners/new", P.manage_directory),
    ("POST", "/directory/partners/new", P.manage_directory),
    ("GET", f"/directory/partners/{NOBODY}", P.manage_directory),
    ("POST", f"/directory/partners/{NOBODY}", P.manage_directory),
    ("POST", f"/directory/partners/{NOBODY}/active", P.manage_directory),
    ("GET", "/directory/owners/new", P.manage_directory),
    ("POST", "/directory/owners/new", P.manage_directory),
    ("GET", f"/directory/owners/{NOBODY}", P.manage_directory),
    ("POST", f"/directory/owners/{NOBODY}", P.manage_directory),
    ("POST", f"/directory/owners/{NOBODY}/active", P.manage_directory),
    ("GET", "/directory/import", P.manage_directory),
    ("POST", "/directory/import", P.manage_directory),
    ("GET", "/boards", P.manage_boards),
    ("GET", "/boards/tht/settings", P.manage_boards),
    ("POST", "/boards/tht/settings", P.manage_boards),
    ("POST", "/boards/tht/meetings", P.manage_boards),
    ("POST", f"/boards/tht/meetings/{NOBODY}", P.manage_boards),
    ("GET", "/users", P.manage_users),
    ("GET", "/users/new", P.manage_users),
    ("POST", "/users/new", P.manage_users),
    ("GET", f"/users/{NOBODY}", P.manage_users),
    ("POST", f"/users/{NOBODY}", P.manage_users),
    ("POST", f"/users/{NOBODY}/password", P.manage_users),
    ("POST", f"/users/{NOBODY}/unlock", P.manage_users),
    ("GET", f"/cases/{NOBODY}/presenters/{NOBODY}/equality", P.record_session),
    ("POST", f"/cases/{NOBODY}/presenters/{NOBODY}/equality", P.record_session),
    ("GET", "/equality-monitoring", P.read),
    ("GET", "/personal-data", P.manage_personal_data),
    ("GET", f"/personal-data/presenters/{NOBODY}", P.manage_personal_data),
    ("GET", f"/personal-data/owners/{NOBODY}", P.manage_personal_data),
    ("GET", f"/personal-data/presenters/{NOBODY}/archive.zip", P.manage_personal_data),
    ("GET", f"/personal-data/owners/{NOBODY}/archive.zip", P.manage_personal_data),
    ("GET", f"/personal-data/presenters/{NOBODY}/erase", P.manage_personal_data),
    ("POST", f"/personal-data/presenters/{NOBODY}/erase", P.manage_personal_data),
    ("GET", "/reports", P.read),
    ("GET", f"/reports/{NOBODY}", P.read),
    ("GET", "/reports/quarterly/new", P.approve_reports),
    ("POST", "/reports/quarterly/new", P.approve_reports),
    ("GET", f"/reports/{NOBODY}/redraft", P.approve_reports),
    ("POST", f"/reports/{NOBODY}/redraft", P.approve_reports),
    ("GET", f"/reports/{NOBODY}/discard", P.approve_reports),
    ("POST", f"/reports/{NOBODY}/discard", P.approve_reports),
    ("GET", f"/reports/{NOBODY}/rows/{NOBODY}/edit", P.approve_reports),
    ("POST", f"/reports/{NOBODY}/rows/{NOBODY}/edit", P.approve_reports),
    ("POST", f"/reports/{NOBODY}/approve", P.approve_reports),
    ("GET", f"/reports/{NOBODY}/names", P.read),
    ("POST", f"/reports/{NOBODY}/names", P.approve_reports),
    ("POST", f"/reports/{NOBODY}/names/people", P.approve_reports),
    ("POST", f"/reports/{NOBODY}/names/people/remove", P.approve_reports),
    ("GET", f"/cases/{NOBODY}/presenters/{NOBODY}/consent", P.record_session),
    ("POST", f"/cases/{NOBODY}/presenters/{NOBODY}/consent", P.record_session),
    ("POST", f"/reports/{NOBODY}/publish", P.approve_reports),
]
#: Pages anyone may see: signing in and out, and the statements every service publishes.
OPEN = {"/sign-in", "/sign-out", "/accessibility", "/privacy"}
#: Not in this table: owners' and presenters' signed-link pages, the development mail inbox,
#: the public pages, and the Temporal codec (JSON: tests/api/routes/test_codec.py).
NOT_STAFF = ("/owner/", "/presenter/", "/feedback/", "/dev/mail", "/public/", "/codec/")


_SLUGS = {spec.slug for spec in (*ACTION_COMMANDS, *CASE_COMMANDS)}


def _pattern(path: str) -> str:
    parts = path.split("/")
    return "/".join(
        "{}" if part in (NOBODY, "tht") or (part in _SLUGS and i == len(parts) - 1) else part
        for i, part in enumerate(parts)
    )


def _flat(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every API route with its full path (FastAPI nests included routers)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            yield from _flat(route.original_router.routes, prefix + route.include_context.prefix)


def test_the_table_covers_every_staff_page_route() -> None:
    app = create_app(app_settings())
    pages = [
        (path, route)
        for path, route in _flat(app.routes)
        if not path.startswith(("/api/", "/docs", "/healthz", "/static"))
    ]
    assert len(pages) > len(ROUTES)  # the walk sees the app's pages
    staff_routes = {
        (method, "/".join("{}" if p.startswith("{") else p for p in path.split("/")))
        for path, route in pages
        if path not in OPEN and not path.startswith(NOT_STAFF)
        for method in route.methods
    }
    covered = {(m, _pattern(p)) for m, p, _ in ROUTES}
    assert staff_routes - covered == set()


@pytest.mark.parametrize("role", list(Role))
async def test_each_role_reaches_exactly_what_it_may(
    role: Role, staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    browser = await staff(role)
    token = csrf_token((await browser.get("/sign-out")).text)
    allowed = ROLE_PERMISSIONS[role]
    wrong = []
    for method, path, permission in ROUTES:
        if method == "GET":
            response = await browser.get(path)
        else:
            response = await browser.client.post(path, data={"csrf_token": token})
        forbidden = response.status_code == 403 and "You cannot use this page" in response.text
        signed_out = response.status_code == 303 and "/sign-in" in response.headers["location"]
        if signed_out or response.status_code >= 500 or forbidden != (permission not in allowed):
            wrong.append((method, path, response.status_code))
    assert wrong == []


async def test_without_a_session_every_staff_route_goes_to_sign_in(
    anonymous: Anonymous,
) -> None:
    browser = anonymous()
    token = csrf_token((await browser.get("/sign-in")).text)
    for method, path, _ in ROUTES:
        if method == "GET":
            response = await browser.get(path)
        else:
            response = await browser.client.post(path, data={"csrf_token": token})
        assert response.status_code == 303, (method, path)
        assert response.headers["location"].startswith("/sign-in"), (method, path)


async def test_a_viewer_cannot_resolve_an_escalation(staff: BrowserFactory) -> None:
    viewer = await staff("viewer")
    response = await viewer.get(f"/escalations/{NOBODY}/resolve")
    assert response.status_code == 403
    assert "Your role (Viewer) does not allow it." in response.text


async def test_a_signed_email_link_or_api_token_never_signs_in_to_staff_pages(
    live_app: LiveApp, anonymous: Anonymous, sessions: SessionFactory
) -> None:
    user = add_staff(sessions, "admin")
    owner = add_owner(sessions)
    api_token = StaffTokens(TEST_SECRET, 3600).issue(user.id, user.token_version)
    links = Links(TEST_SECRET, live_app.base_url)
    owner_url = links.owner_url(uuid.UUID(NOBODY), owner.id, 1)
    link_tokens = [
        owner_url.rsplit("/", 1)[1],
        links.token(LinkPurpose.presenter, uuid.UUID(NOBODY), user.id),
        links.token(LinkPurpose.feedback, uuid.UUID(NOBODY), user.id),
    ]
    opened_the_link = anonymous()
    await opened_the_link.get(owner_url.removeprefix(live_app.base_url))
    attempts = [
        opened_the_link,
        *(anonymous(cookies={"cvt_session": t}) for t in link_tokens),
        anonymous(cookies={"cvt_session": api_token}),
        anonymous(headers={"Authorization": f"Bearer {api_token}"}),
    ]
    for browser in attempts:
        for path in ("/", "/users", f"/cases/{NOBODY}", f"/cases?token={link_tokens[0]}"):
            response = await browser.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/sign-in"), path
    # The same bearer token does work on the JSON API it was issued for.
    api = await attempts[-1].get("/api/v1/auth/me")
    assert api.status_code == 200 and api.json()["email"] == user.email
