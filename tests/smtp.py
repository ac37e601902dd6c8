"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests.

It can refuse recipients (``refuse``), be stopped and started again on the same port (an
outage), and run a hook when a message arrives (to kill a worker in the crash window).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.live import free_port


class Recorder:
    """aiosmtpd handler: answers as told, keeps every accepted message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: dict[str, str] = {}  # address -> SMTP reply for RCPT, e.g. "550 No such user"
        self.on_rcpt: Callable[[str], None] | None = None
        self.on_data: Callable[[EmailMessage], None] | None = None
        self.lock = threading.Lock()

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.on_rcpt is not None:
            self.on_rcpt(address)
        reply = self.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
        if self.on_data is not None:
            self.on_data(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int | None = None, handler: Any = None) -> None:
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self.recorder = Recorder()
        self.handler = handler or self.recorder
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.recorder.lock:
            return list(self.recorder.messages)

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname=self.host, port=self.port)
        for _ in range(50):  # the port may still be closing after a stop
            try:
                self.controller.start()
                return
            except Exception:
                time.sleep(0.1)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def settings(self) -> dict[str, object]:
        return {"smtp_host": self.host, "smtp_port": self.port, "smtp_security": "none"}

    def by_subject(self, text: str) -> list[EmailMessage]:
        return [m for m in self.messages if text in str(m["Subject"])]
