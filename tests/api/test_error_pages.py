"""Errors for browsers are NHS.UK-styled pages; the JSON API and programs keep their JSON."""

from __future__ import annotations

import httpx2
import pytest

from api.pages import info
from models.db import SessionFactory
from tests.live import LiveApp
from tests.staff import signed_in, text_of

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


async def test_an_unknown_address_is_the_page_not_found_page_for_a_browser(
    live_app: LiveApp,
) -> None:
    async with httpx2.AsyncClient(base_url=live_app.base_url) as http:
        page = await http.get("/no/such/page", headers=HTML)
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        words = text_of(page.text)
        assert "Page not found" in words and "check you copied the entire address" in words
        assert 'class="nhsuk-header' in page.text and "/static/nhsuk/nhsuk-frontend.min.css" in (
            page.text
        )
        # a program (or the API) still gets JSON
        program = await http.get("/no/such/page")
        assert program.status_code == 404 and program.json() == {"detail": "Not Found"}
        api = await http.get("/api/v1/no-such-route", headers=HTML)
        assert api.status_code == 404 and api.headers["content-type"] == "application/json"


async def test_records_that_do_not_exist_and_wrong_methods_are_pages_too(
    live_app: LiveApp,
) -> None:
    async with httpx2.AsyncClient(base_url=live_app.base_url) as http:
        board = await http.get("/public/no-such-board", headers=HTML)
        assert board.status_code == 404 and "There is no board" in text_of(board.text)
        assert (await http.get("/public/no-such-board")).json()["detail"].startswith("There is no")
        method = await http.delete("/accessibility", headers=HTML)
        assert method.status_code == 405 and "cannot be used that way" in text_of(method.text)


async def test_a_staff_page_for_a_bad_id_is_not_found(
    live_app: LiveApp, sessions: SessionFactory
) -> None:
    browser = await signed_in(live_app.base_url, sessions, "viewer")
    try:
        page = await browser.get("/reports/not-an-id", headers=HTML)
        assert page.status_code == 404 and "Page not found" in text_of(page.text)
    finally:
        await browser.client.aclose()


async def test_an_unexpected_error_is_the_sorry_page_and_gives_nothing_away(
    live_app: LiveApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret detail: database password is hunter2")

    monkeypatch.setattr(info, "render", broken)
    async with httpx2.AsyncClient(base_url=live_app.base_url) as http:
        page = await http.get("/accessibility", headers=HTML)
        assert page.status_code == 500
        assert "Sorry, there is a problem with the service" in text_of(page.text)
        assert "hunter2" not in page.text and "Traceback" not in page.text
        assert page.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["cache-control"] == "no-store"
        program = await http.get("/accessibility")
        assert program.status_code == 500
        assert program.json() == {
            "detail": "Sorry, there is a problem with the service. Try again later."
        }
        assert program.headers["x-content-type-options"] == "nosniff"
