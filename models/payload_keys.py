"""The keys that encrypt Temporal payloads (``workflows/codec.py``), read from ``CVT_PAYLOAD_KEYS``.

Written ``ID:KEY`` (a short name, a colon, 32 random bytes in base64), comma-separated, newest
first: the first key encrypts, every key listed decrypts. Development has a built-in key, as it
has a built-in secret; everywhere else ``Settings`` refuses to start without real keys.
"""

from __future__ import annotations

import base64
import binascii
import re

from pydantic import BaseModel, ConfigDict, SecretBytes

KEY_BYTES = 32  # AES-256-GCM
DEV_PAYLOAD_KEY_ID = "development"
# Public, so it protects nothing: refused outside development (models/settings.py).
DEV_PAYLOAD_KEY = base64.b64decode("LPfoi6rvAKym0kcgld6EH1kYGOfnRf+yYExYx4Pr1QA=")
MAKE_KEY = "python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'"
FORMAT = (
    "write each key as ID:KEY (a short name such as 2026-05, a colon, then 32 random bytes in "
    f"base64 made with {MAKE_KEY}), separated by commas, newest first"
)
_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class PayloadKey(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    secret: SecretBytes


def dev_payload_keys() -> tuple[PayloadKey, ...]:
    return (PayloadKey(id=DEV_PAYLOAD_KEY_ID, secret=SecretBytes(DEV_PAYLOAD_KEY)),)


def parse_payload_keys(value: object) -> object:
    """For ``Settings``: a string is read as keys; other values are left to pydantic."""
    return read_payload_keys(value) if isinstance(value, str) else value


def read_payload_keys(value: str) -> tuple[PayloadKey, ...]:
    """``"2026-05:base64,2025-11:base64"`` → keys, newest first."""
    keys: list[PayloadKey] = []
    for number, item in enumerate((part.strip() for part in value.split(",")), start=1):
        if not item:
            continue
        key_id, colon, encoded = item.partition(":")
        key_id = key_id.strip()
        if not colon or not _ID.fullmatch(key_id):
            raise ValueError(
                f"CVT_PAYLOAD_KEYS: key {number} has no valid name before its colon "
                f"(letters, digits, '.', '_' or '-'): {FORMAT}"
            )
        try:
            secret = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"CVT_PAYLOAD_KEYS: key '{key_id}' is not base64: {FORMAT}") from None
        if len(secret) != KEY_BYTES:
            raise ValueError(
                f"CVT_PAYLOAD_KEYS: key '{key_id}' is {len(secret)} bytes; each must be "
                f"{KEY_BYTES}: {FORMAT}"
            )
        if any(key.id == key_id for key in keys):
            raise ValueError(
                f"CVT_PAYLOAD_KEYS: the name '{key_id}' is listed twice: give each key a name of "
                f"its own; {FORMAT}"
            )
        keys.append(PayloadKey(id=key_id, secret=SecretBytes(secret)))
    return tuple(keys)
