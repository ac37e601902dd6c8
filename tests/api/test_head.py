"""HEAD is answered like GET (headers, no body) on pages, static files and the API: mail
scanners and link checkers send it, and it must change nothing."""

from __future__ import annotations

import httpx2

from models.db import SessionFactory
from tests.factories import add_board
from tests.live import LiveApp


async def test_head_answers_like_get_without_a_body(
    live_app: LiveApp, sessions: SessionFactory
) -> None:
    add_board(sessions)
    async with httpx2.AsyncClient(base_url=live_app.base_url) as http:
        for path in (
            "/sign-in",
            "/accessibility",
            "/public/tht",
            "/docs",
            "/static/app/app.css",
            "/api/v1/openapi.json",
            "/healthz",
        ):
            get = await http.get(path)
            head = await http.head(path)
            assert (head.status_code, get.status_code) == (200, 200), path
            assert head.content == b"", path
            assert head.headers["content-type"] == get.headers["content-type"], path
            assert head.headers["content-length"] == get.headers["content-length"], path
            assert head.headers["x-frame-options"] == "DENY", path
        # a page that needs a sign-in answers HEAD as it answers GET: go and sign in
        cases = await http.head("/cases")
        assert cases.status_code == 303 and cases.headers["location"] == "/sign-in?next=/cases"
        assert (await http.head("/no/such/page")).status_code == 404
        # the JSON API: 401 without a token, as for GET
        assert (await http.head("/api/v1/cases")).status_code == 401
