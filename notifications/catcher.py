"""A local mail catcher for development: an SMTP server on loopback that keeps every message in
a Maildir (``var/mail``) for the app's development inbox page (``/dev/mail``) to show.

It keeps one message per Message-ID, as mailbox providers do: a message sent again with the
same Message-ID (``cvt mail resend``) is answered 250 and not stored twice.

``python -m notifications.catcher --port 1025``. Never used in production.
"""

from __future__ import annotations

import argparse
import asyncio
import mailbox
import signal
from email import message_from_bytes, policy
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from models.settings import PROJECT_ROOT

DEFAULT_MAILDIR = PROJECT_ROOT / "var" / "mail"


class MaildirHandler:
    """Stores each message it receives (one per Message-ID); answers 250 once it is on disk."""

    def __init__(self, maildir: Path) -> None:
        maildir.parent.mkdir(parents=True, exist_ok=True)
        self.box = mailbox.Maildir(str(maildir), create=True)
        for sub in ("tmp", "new", "cur"):  # also when the folder was made empty beforehand
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        self.seen: set[str] = set()
        for key in self.box.keys():
            with self.box.get_file(key) as handle:
                headers = BytesHeaderParser(policy=policy.default).parsebytes(handle.read())
            if headers["Message-ID"]:
                self.seen.add(str(headers["Message-ID"]).strip())

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self,
        server: Any,  # noqa: ARG002
        session: Any,  # noqa: ARG002
        envelope: Any,
    ) -> str:
        message = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        message_id = str(message["Message-ID"] or "").strip()
        if message_id and message_id in self.seen:
            return "250 Already delivered (same Message-ID): kept once"
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.box.add(message)
        if message_id:
            self.seen.add(message_id)
        return "250 Message accepted for delivery"


def serve(port: int, maildir: Path = DEFAULT_MAILDIR, host: str = "127.0.0.1") -> Controller:
    controller = Controller(MaildirHandler(maildir), hostname=host, port=port)
    controller.start()
    return controller


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--maildir", type=Path, default=DEFAULT_MAILDIR)
    args = parser.parse_args()
    controller = serve(args.port, args.maildir)

    async def wait() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()

    try:
        asyncio.run(wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
