"""Forgetting a person in the development mail catcher's Maildir (``notifications.catcher``):
every caught message to them, or that names them, is deleted."""

from __future__ import annotations

import mailbox
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path


def message_text(raw: bytes) -> str:
    """Headers and every text part of a message, decoded (quoted-printable, base64)."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    texts = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            try:
                texts.append(str(part.get_content()))
            except (LookupError, UnicodeDecodeError):
                texts.append(part.get_payload(decode=True).decode(errors="replace"))  # type: ignore[union-attr]
    return "\n".join(texts)


def forget(maildir: Path, words: list[str]) -> int:
    """Delete every caught message that holds one of ``words`` (whole words, any case);
    returns how many were deleted."""
    if not words or not (maildir / "cur").exists():
        return 0
    pattern = re.compile(
        "|".join(rf"(?<![\w.]){re.escape(w)}(?![\w])" for w in words), re.IGNORECASE
    )
    box = mailbox.Maildir(str(maildir), factory=None, create=False)
    deleted = 0
    for key in list(box.keys()):
        with box.get_file(key) as handle:
            raw = handle.read()
        if pattern.search(message_text(raw)):
            box.discard(key)
            deleted += 1
    return deleted
