"""Requests refused before any route: too large (413), control characters in the address, and
development settings reached from another machine."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2

from api.main import create_app
from models.db import SessionFactory
from models.settings import DEFAULT_SECRET
from tests.live import LiveApp, app_settings
from tests.staff import signed_in, text_of

HTML = {"Accept": "text/html"}
MB = 1024 * 1024


async def test_a_body_over_the_limit_is_refused_with_413(live_app: LiveApp) -> None:
    limit = live_app.settings.max_request_bytes
    assert limit == MB
    big = b'{"theme": "' + b"a" * MB + b'"}'
    async with httpx2.AsyncClient(base_url=live_app.base_url) as http:
        said = await http.post(
            "/api/v1/cases", content=big, headers={"Content-Type": "application/json"}
        )
        assert said.status_code == 413
        assert said.json()["detail"].startswith("What you sent is larger than this service")

        async def streamed() -> AsyncIterator[bytes]:  # no Content-Length: counted as it comes
            for _ in range(20):
                yield b"a" * (MB // 10)

        chunked = await http.post(
            "/api/v1/cases", content=streamed(), headers={"Content-Type": "application/json"}
        )
        assert chunked.status_code == 413
        under = await http.post(
            "/api/v1/cases",
            content=b"{" + b" " * (MB - 10) + b"}",
            headers={"Content-Type": "application/json"},
        )
        assert under.status_code == 401, "a body within the limit reaches the route"


async def test_a_browser_posting_too_much_gets_a_page(
    live_app: LiveApp, sessions: SessionFactory
) -> None:
    browser = await signed_in(live_app.base_url, sessions, "engagement_lead")
    try:
        page = await browser.client.post(
            "/directory/import", data={"csv_text": "x" * (2 * MB)}, headers=HTML
        )
        assert page.status_code == 413
        assert "What you sent is too large" in text_of(page.text)
        assert "1 MB at most" in text_of(page.text)
    finally:
        await browser.client.aclose()


async def test_control_characters_in_the_address_are_refused_by_name(live_app: LiveApp) -> None:
    async with httpx2.AsyncClient(base_url=live_app.base_url) as http:
        query = await http.get("/api/v1/reports", params={"board": "tht\x00"})
        assert query.status_code == 422
        assert query.json()["errors"][0]["field"] == "board"
        assert "control character (U+0000 NUL)" in query.json()["errors"][0]["message"]
        for path in ("/public/tht%00", "/static/app/%00app.css", "/api/v1/boards/a%1Bb"):
            assert (await http.get(path)).status_code == 404, path
        page = await http.get("/public/tht%00", headers=HTML)
        assert page.status_code == 404 and "Page not found" in text_of(page.text)


async def test_development_settings_answer_only_this_machine() -> None:
    """The app as ``uvicorn --host 0.0.0.0`` would run it with no settings: a request that
    arrives on another address of the machine is refused; on loopback it is served."""
    development = create_app(app_settings(environment="development", secret_key=DEFAULT_SECRET))
    production = create_app(app_settings())  # its own secret, not development
    for app, server, expected in (
        (development, "http://192.0.2.10", 503),
        (development, "http://127.0.0.1", 200),
        (production, "http://192.0.2.10", 200),
    ):
        async with httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=app), base_url=server
        ) as http:
            answer = await http.get("/healthz")
        assert answer.status_code == expected, server
        if expected == 503:
            assert "CVT_ENVIRONMENT=production" in answer.json()["detail"]
