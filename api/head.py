"""HEAD is answered like GET, without the body, on every page and route that answers GET.

Mail scanners and link checkers send HEAD before (or instead of) GET; FastAPI routes only answer
the methods they declare, so without this every page said 405. GET changes nothing here (opening
a link never does), so neither does HEAD. The headers, Content-Length included, are GET's.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
