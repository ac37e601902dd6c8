"""Cross-site request forgery: the JSON API takes bearer tokens only (never the staff session
cookie a forged request would carry); forms take their CSRF token from the body only."""

from __future__ import annotations

from models.db import SessionFactory
from tests.factories import add_board, staff_headers
from tests.live import LiveApp
from tests.staff import csrf_token, signed_in, text_of


async def test_the_api_ignores_the_staff_session_cookie(
    live_app: LiveApp, sessions: SessionFactory
) -> None:
    add_board(sessions)
    browser = await signed_in(live_app.base_url, sessions, "admin")
    try:
        assert (await browser.get("/")).status_code == 200, "signed in to the pages"
        for method, path, body in (
            ("POST", "/api/v1/partners", {"name": "Forged Partner"}),
            ("POST", "/api/v1/reports/schedules/tht", None),
            ("PATCH", "/api/v1/boards/tht", {"name": "Forged"}),
            ("GET", "/api/v1/cases", None),
        ):
            answer = await browser.client.request(method, path, json=body)
            assert answer.status_code == 401, (method, path)
            assert "Bearer" in answer.json()["detail"]
        token = staff_headers(sessions, live_app.settings, "admin")
        made = await browser.client.post(
            "/api/v1/partners", json={"name": "Real Partner"}, headers=token
        )
        assert made.status_code == 201, "a bearer token works"
    finally:
        await browser.client.aclose()


async def test_a_staff_form_takes_its_token_from_the_body_only(
    live_app: LiveApp, sessions: SessionFactory
) -> None:
    browser = await signed_in(live_app.base_url, sessions, "admin")
    try:
        token = csrf_token((await browser.get("/directory/partners/new")).text)
        html = {"Accept": "text/html"}
        in_address = await browser.client.post(
            f"/directory/partners/new?csrf_token={token}",
            data={"name": "Query Partner"},
            headers=html,
        )
        assert in_address.status_code == 403
        assert "Your form could not be sent" in text_of(in_address.text)
        none = await browser.client.post("/directory/partners/new", data={"name": "No Token"})
        assert none.status_code == 403
        other = await browser.client.post(
            "/directory/partners/new", data={"name": "Forged", "csrf_token": "forged"}
        )
        assert other.status_code == 403
        sent = await browser.client.post(
            "/directory/partners/new", data={"name": "Body Partner", "csrf_token": token}
        )
        assert sent.status_code == 303
        listed = text_of((await browser.get("/directory/partners")).text)
        assert "Body Partner" in listed
        assert "Query Partner" not in listed and "No Token" not in listed
    finally:
        await browser.client.aclose()
