"""The development inbox: mounted in development and test, absent (404) in production."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx2

from notifications.catcher import MaildirHandler
from tests.live import app_settings, free_port, serve_app


class Envelope:
    def __init__(self, message: EmailMessage) -> None:
        self.original_content = message.as_bytes()
        self.content = self.original_content
        self.rcpt_tos = [str(message["To"])]


async def catch(maildir: Path, **headers: str) -> None:
    message = EmailMessage()
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("Open this link:\n\nhttp://127.0.0.1:9/owner/x/y\n")
    message.add_alternative(
        "<html><head><title>t</title></head><body>Hi</body></html>", subtype="html"
    )
    await MaildirHandler(maildir).handle_DATA(None, None, Envelope(message))


async def test_the_inbox_lists_and_shows_messages_with_clickable_links(
    engine: Any, tmp_path: Path
) -> None:
    maildir = tmp_path / "mail"
    await catch(
        maildir,
        Subject="An action for you <b>",
        To="olu@example.org",
        Message_ID="<one@example.org>",
    )
    settings = app_settings(dev_mail_dir=maildir, temporal_address=f"127.0.0.1:{free_port()}")
    async with (
        serve_app(engine=engine, client=None, settings=settings) as live,
        httpx2.AsyncClient(base_url=live.base_url) as browser,
    ):
        inbox = await browser.get("/dev/mail")
        assert inbox.status_code == 200
        assert "An action for you &lt;b&gt;" in inbox.text
        [key] = [k.name for k in (maildir / "new").iterdir()]
        page = await browser.get(f"/dev/mail/{key}")
        assert page.status_code == 200
        assert '<a href="http://127.0.0.1:9/owner/x/y">' in page.text
        html = await browser.get(f"/dev/mail/{key}/html")
        assert '<base target="_top">' in html.text
        assert "sandbox" in html.headers["content-security-policy"]
        assert (await browser.get("/dev/mail/..%2F..%2Fetc")).status_code == 404


async def test_there_is_no_inbox_in_production(engine: Any, tmp_path: Path) -> None:
    maildir = tmp_path / "mail"
    await catch(maildir, Subject="Secret", To="olu@example.org", Message_ID="<two@example.org>")
    settings = app_settings(
        environment="production",
        dev_mail_dir=maildir,
        temporal_address=f"127.0.0.1:{free_port()}",
    )
    async with (
        serve_app(engine=engine, client=None, settings=settings) as live,
        httpx2.AsyncClient(base_url=live.base_url) as browser,
    ):
        assert (await browser.get("/dev/mail")).status_code == 404
        [key] = [k.name for k in (maildir / "new").iterdir()]
        assert (await browser.get(f"/dev/mail/{key}")).status_code == 404
