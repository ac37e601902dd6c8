"""Every JSON API operation × every role, nobody, a signed email link and the staff pages'
cookie: only the allowed get past the check. The table is checked against the app's own
routes, so a new operation without an entry fails here. (Staff pages: tests/api/pages/
test_roles.py.)"""

from __future__ import annotations

import uuid

import httpx2
import pytest
from fastapi.routing import iter_route_contexts

from api.main import create_app
from api.routes import actions
from models.db import SessionFactory
from models.staff import ROLE_PERMISSIONS, Permission, Role
from notifications.links import LinkPurpose, Links
from tests.factories import add_owner, staff_headers
from tests.live import TEST_SECRET, LiveApp, app_settings
from tests.staff import signed_in

P = Permission
NOBODY = str(uuid.UUID(int=1))
#: Anyone may ask for a token; every other operation needs one.
OPEN = "open"
#: Any signed-in staff member, whatever the role.
SIGNED_IN = "signed in"

#: (method, path as the app declares it) → what it needs.
OPERATIONS: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/auth/token"): OPEN,
    ("GET", "/api/v1/auth/me"): SIGNED_IN,
    ("GET", "/api/v1/users"): P.manage_users,
    ("POST", "/api/v1/users"): P.manage_users,
    ("GET", "/api/v1/boards"): P.read,
    ("POST", "/api/v1/boards"): P.manage_boards,
    ("GET", "/api/v1/boards/{slug}"): P.read,
    ("PATCH", "/api/v1/boards/{slug}"): P.manage_boards,
    ("GET", "/api/v1/boards/{slug}/meetings"): P.read,
    ("POST", "/api/v1/boards/{slug}/meetings"): P.manage_boards,
    ("GET", "/api/v1/partners"): P.read,
    ("POST", "/api/v1/partners"): P.manage_directory,
    ("GET", "/api/v1/owners"): P.read,
    ("POST", "/api/v1/owners"): P.manage_directory,
    ("POST", "/api/v1/cases"): P.record_session,
    ("GET", "/api/v1/cases"): P.read,
    ("GET", "/api/v1/cases/{case_id}"): P.read,
    ("GET", "/api/v1/cases/{case_id}/timeline"): P.read,
    ("GET", "/api/v1/cases/{case_id}/messages"): P.read,
    ("POST", "/api/v1/cases/{case_id}/presenter-contact"): P.drive_actions,
    ("POST", "/api/v1/cases/{case_id}/actions"): P.drive_actions,
    ("POST", "/api/v1/cases/{case_id}/notes"): P.drive_actions,
    ("POST", "/api/v1/cases/{case_id}/escalations"): P.drive_actions,
    ("GET", "/api/v1/cases/{case_id}/said-summary"): P.read,
    ("PUT", "/api/v1/cases/{case_id}/said-summary"): P.record_session,
    ("POST", "/api/v1/cases/{case_id}/said-summary/approve"): P.approve_reports,
    ("GET", "/api/v1/actions/{action_id}"): P.read,
    **{
        ("POST", f"/api/v1/actions/{{action_id}}/{path}"): permission
        for path, _kind, _body, permission, _summary in actions._ROUTES
    },
    ("GET", "/api/v1/escalations"): P.read,
    ("GET", "/api/v1/escalations/{escalation_id}"): P.read,
    ("POST", "/api/v1/escalations/{escalation_id}/resolve"): P.intervene,
    ("GET", "/api/v1/commands/{command_id}"): P.read,
    ("GET", "/api/v1/reports"): P.read,
    ("GET", "/api/v1/reports/{report_id}"): P.read,
    ("GET", "/api/v1/reports/{report_id}/download.{fmt}"): P.read,
    ("GET", "/api/v1/reports/{report_id}/names-check"): P.read,
    ("PUT", "/api/v1/reports/{report_id}/names-check"): P.approve_reports,
    ("POST", "/api/v1/reports/{report_id}/named-people"): P.approve_reports,
    ("DELETE", "/api/v1/reports/{report_id}/named-people/{name}"): P.approve_reports,
    ("POST", "/api/v1/reports/quarterly"): P.approve_reports,
    ("POST", "/api/v1/reports/elg-digest"): P.approve_reports,
    ("POST", "/api/v1/reports/annual"): P.approve_reports,
    ("POST", "/api/v1/reports/{report_id}/redraft"): P.approve_reports,
    ("DELETE", "/api/v1/reports/{report_id}"): P.approve_reports,
    ("PATCH", "/api/v1/reports/{report_id}/rows/{row_id}"): P.approve_reports,
    ("POST", "/api/v1/reports/{report_id}/approve"): P.approve_reports,
    ("POST", "/api/v1/reports/{report_id}/publish"): P.approve_reports,
    ("POST", "/api/v1/reports/schedules/{board}"): P.manage_boards,
    ("POST", "/codec/encode"): P.read_histories,
    ("POST", "/codec/decode"): P.read_histories,
}
#: Path parameters: ids that name nothing and a board that is not there, so a permitted
#: request stops at 404 or 422 and changes nothing (nor reaches Temporal).
FILL = {"slug": "no-such-board", "board": "no-such-board", "fmt": "csv", "name": "Nobody"}


def _address(path: str) -> str:
    parts = []
    for part in path.split("/"):
        for name, value in FILL.items():
            part = part.replace(f"{{{name}}}", value)
        parts.append(NOBODY if part.startswith("{") else part)
    return "/".join(parts)


def test_the_table_covers_every_api_operation_of_the_app() -> None:
    app = create_app(app_settings())
    declared = {
        (method, route.path_format)
        for route in iter_route_contexts(app.routes)
        if route.path_format
        and route.path_format.startswith(("/api/", "/codec/"))
        and getattr(route, "include_in_schema", False)
        for method in route.methods or ()
    }
    assert declared - OPERATIONS.keys() == set(), "a new operation needs an entry in OPERATIONS"
    assert OPERATIONS.keys() - declared == set(), "an entry names no operation"


async def _send(http: httpx2.AsyncClient, method: str, path: str) -> httpx2.Response:
    body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    return await http.request(method, _address(path), **body)


@pytest.mark.parametrize("role", list(Role))
async def test_each_role_gets_past_the_check_exactly_where_it_may(
    role: Role, live_app: LiveApp, sessions: SessionFactory
) -> None:
    headers = staff_headers(sessions, live_app.settings, role)
    allowed = ROLE_PERMISSIONS[role]
    wrong = []
    async with httpx2.AsyncClient(base_url=live_app.base_url, headers=headers) as http:
        for (method, path), needs in OPERATIONS.items():
            answer = await _send(http, method, path)
            may = needs in (OPEN, SIGNED_IN) or needs in allowed
            refused = answer.status_code == 403
            if answer.status_code == 401 or answer.status_code >= 500 or refused == may:
                wrong.append((method, path, answer.status_code, answer.text[:120]))
    assert wrong == []


async def test_nobody_a_signed_link_or_the_staff_cookie_gets_past_no_check(
    live_app: LiveApp, sessions: SessionFactory
) -> None:
    """Not signed in, a signed email link's token (as a bearer token or as the session
    cookie), or the staff pages' cookie on the JSON API: 401 everywhere but the token
    endpoint (the codec alone takes the pages' cookie, for the Temporal UI)."""
    owner = add_owner(sessions)
    links = Links(TEST_SECRET, live_app.base_url)
    link = links.owner_url(uuid.UUID(NOBODY), owner.id, 1).rsplit("/", 1)[1]
    presenter = links.token(LinkPurpose.presenter, uuid.UUID(NOBODY), owner.id)
    admin_pages = await signed_in(live_app.base_url, sessions, "admin")
    identities = {
        "nobody": httpx2.AsyncClient(base_url=live_app.base_url),
        "owner link as bearer": httpx2.AsyncClient(
            base_url=live_app.base_url, headers={"Authorization": f"Bearer {link}"}
        ),
        "presenter link as bearer": httpx2.AsyncClient(
            base_url=live_app.base_url, headers={"Authorization": f"Bearer {presenter}"}
        ),
        "owner link as cookie": httpx2.AsyncClient(
            base_url=live_app.base_url, cookies={"cvt_session": link}
        ),
        "staff pages cookie": admin_pages.client,
    }
    wrong = []
    try:
        for who, http in identities.items():
            for (method, path), needs in OPERATIONS.items():
                if needs == OPEN or (who == "staff pages cookie" and path.startswith("/codec/")):
                    continue
                answer = await _send(http, method, path)
                if answer.status_code != 401:
                    wrong.append((who, method, path, answer.status_code))
    finally:
        for http in identities.values():
            await http.aclose()
    assert wrong == []
