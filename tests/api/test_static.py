"""Static files go out compressed and cached: versioned addresses for a year, the rest with an
ETag that answers 304 while the file is unchanged."""

from __future__ import annotations

import hashlib
import re

import httpx2

from api.main import APP_STATIC
from tests.live import LiveApp

GZIP = {"Accept-Encoding": "gzip"}


async def test_pages_link_versioned_assets_that_are_kept_for_a_year(live_app: LiveApp) -> None:
    async with httpx2.AsyncClient(base_url=live_app.base_url) as http:
        page = (await http.get("/sign-in")).text
        css = re.search(r'href="(/static/nhsuk/nhsuk-frontend\.min\.css\?v=(\w+))"', page)
        app_css = re.search(r'href="/static/app/app\.css\?v=(\w+)"', page)
        assert css and app_css
        expected = hashlib.sha256((APP_STATIC / "app.css").read_bytes()).hexdigest()[:12]
        assert app_css.group(1) == expected, "the version is the file's own hash"

        got = await http.get(css.group(1), headers=GZIP)
        assert got.status_code == 200
        assert got.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert got.headers["content-encoding"] == "gzip"
        assert "accept-encoding" in got.headers["vary"].lower()
        assert got.headers["etag"].startswith('W/"')
        plain = live_app.settings.nhsuk_assets_dir / "nhsuk-frontend.min.css"
        raw_size = plain.stat().st_size
        assert got.num_bytes_downloaded < raw_size / 4, "compressed to well under a quarter"
        assert got.text.encode() == plain.read_bytes()


async def test_unversioned_assets_are_revalidated_with_their_etag(live_app: LiveApp) -> None:
    async with httpx2.AsyncClient(base_url=live_app.base_url) as http:
        first = await http.get("/static/nhsuk/nhsuk-frontend.min.js", headers=GZIP)
        assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
        assert first.headers["content-encoding"] == "gzip"
        again = await http.get(
            "/static/nhsuk/nhsuk-frontend.min.js",
            headers={**GZIP, "If-None-Match": first.headers["etag"]},
        )
        assert again.status_code == 304 and again.content == b""
        identity = await http.get("/static/app/app.css", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in identity.headers
        assert identity.headers["etag"].startswith('"'), "strong ETag when sent as it is"
        assert identity.content == (APP_STATIC / "app.css").read_bytes()
        assert identity.headers["x-content-type-options"] == "nosniff"
