"""Temporal payloads encrypted at rest, and the one data converter every process shares.

Workflow and activity inputs and results name presenters and owners, and Temporal keeps them in
its histories. ``EncryptionCodec`` encrypts each payload with AES-256-GCM under the first key of
``CVT_PAYLOAD_KEYS`` (``models/payload_keys.py``) and decrypts with whichever listed key its
metadata names, so keys can be rotated. A payload without the codec's encoding mark (written
before encryption, like the recorded replay histories) is passed through unchanged. Failure
messages and stack traces travel as encoded attributes, so they are encrypted too.

The same codec serves the Temporal UI through ``/codec/decode`` (``api/routes/codec.py``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    PayloadCodec,
)

from models.payload_keys import PayloadKey

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12


class PayloadKeyError(ValueError):
    """A payload that cannot be decrypted with the keys this process has."""


class EncryptionCodec(PayloadCodec):
    """Encrypts with the first key; decrypts with any of them (the Temporal samples' shape)."""

    def __init__(self, keys: Sequence[PayloadKey]) -> None:
        if not keys:
            raise ValueError("EncryptionCodec needs at least one key")
        self.key_id = keys[0].id
        self._ciphers = {key.id: AESGCM(key.secret.get_secret_value()) for key in keys}

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(payload) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(payload) for payload in payloads]

    def encrypt(self, payload: Payload) -> Payload:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.key_id].encrypt(nonce, payload.SerializeToString(), None)
        return Payload(
            metadata={"encoding": ENCODING, KEY_ID: self.key_id.encode()}, data=nonce + sealed
        )

    def decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        key_id = payload.metadata.get(KEY_ID, b"").decode(errors="replace")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise PayloadKeyError(
                f"A payload is encrypted with key '{key_id}', which is not in CVT_PAYLOAD_KEYS "
                f"(this process has {', '.join(self._ciphers)}): add that key back, after the "
                "current one."
            )
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        try:
            return Payload.FromString(cipher.decrypt(nonce, sealed, None))
        except (InvalidTag, ValueError):  # ValueError: too short to hold a nonce
            raise PayloadKeyError(
                f"A payload marked with key '{key_id}' does not decrypt with the key of that "
                "name in CVT_PAYLOAD_KEYS: the key was changed, or the payload was altered."
            ) from None


def data_converter(keys: Sequence[PayloadKey]) -> DataConverter:
    """Pydantic payloads, encrypted; for every client, worker, test environment and replayer."""
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=EncryptionCodec(keys),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )
