"""Static files (NHS.UK frontend, Swagger UI, the app's own CSS and JS): compressed and cached.

- **Compressed**: gzip when the browser accepts it (the NHS.UK stylesheet goes from 278 KB to
  30 KB). The ETag of a compressed answer is marked weak (``W/``), as it is not byte-identical.
- **Cached**: pages link to ``/static/…?v=<hash of the file>`` (``asset_url`` in templates), which
  may be kept for a year (``immutable``): a new file has a new address. An address without
  ``v`` (a module's own imports, icons the NHS.UK template links) is ``no-cache``: the browser
  keeps it and asks again with its ETag, and gets an empty ``304 Not Modified`` while unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from jinja2 import pass_context
from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


class CachedAssets:
    """ASGI app: ``StaticFiles`` behind gzip, with Cache-Control by whether the URL is versioned."""

    def __init__(self, directory: Path) -> None:
        files = StaticFiles(directory=directory, check_dir=False)
        self.app: ASGIApp = GZipMiddleware(files, minimum_size=1024, compresslevel=6)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        versioned = b"v=" in scope.get("query_string", b"")

        async def send_cached(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = MutableHeaders(scope=message)
                headers["Cache-Control"] = IMMUTABLE if versioned else REVALIDATE
                etag = headers.get("etag")
                if etag and "content-encoding" in headers and not etag.startswith("W/"):
                    headers["ETag"] = "W/" + etag
            await send(message)

        await self.app(scope, receive, send_cached)


@lru_cache(maxsize=512)
def _digest(path: Path, mtime_ns: int, size: int) -> str:  # noqa: ARG001 - the cache key
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


@dataclass
class Assets:
    """Where each ``/static/<name>`` mount reads from, and versioned URLs for its files."""

    mounts: dict[str, Path] = field(default_factory=dict)

    def mount(self, app: FastAPI, name: str, directory: Path) -> None:
        self.mounts[name] = directory
        app.mount(f"/static/{name}", CachedAssets(directory), name=f"static-{name}")

    def url(self, path: str) -> str:
        """``/static/app/app.css`` → ``/static/app/app.css?v=1a2b3c4d5e6f`` (as is if unknown)."""
        name, _, rest = path.removeprefix("/static/").partition("/")
        root = self.mounts.get(name)
        if root is None:
            return path
        file = root / rest
        try:
            stat = file.stat()
        except OSError:
            return path
        return f"{path}?v={_digest(file, stat.st_mtime_ns, stat.st_size)}"


@pass_context
def asset_url(context: Any, path: str) -> str:
    """Jinja global: the versioned URL of a static file, for the app rendering this page."""
    request = context.get("request")
    assets = getattr(request.app.state, "assets", None) if request is not None else None
    return assets.url(path) if isinstance(assets, Assets) else path
