"""The Temporal remote codec: a signed-in Community Voice Lead or administrator can read
encrypted payloads (the Temporal UI's protocol, with CORS for the UI's origin only); nobody
else can."""

from __future__ import annotations

import base64
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads

from models.payload_keys import read_payload_keys
from tests.factories import staff_headers
from tests.live import LiveApp, app_settings, serve_app
from tests.staff import signed_in
from tests.temporal import CONVERTER
from workflows.codec import EncryptionCodec

UI = "http://127.0.0.1:8233"
NAME = b'{"name": "Amina Begum", "email": "amina@example.com"}'


@pytest.fixture
async def live(engine) -> AsyncIterator[LiveApp]:
    async with serve_app(engine=engine, client=None, settings=app_settings()) as app:
        yield app


def body(*payloads: Payload) -> dict[str, Any]:
    return json_format.MessageToDict(Payloads(payloads=payloads))


def payloads_of(response: httpx2.Response) -> list[Payload]:
    return list(json_format.Parse(response.content, Payloads()).payloads)


def plain() -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=NAME)


async def test_a_cv_lead_round_trips_payloads_through_the_codec(live, sessions):
    headers = {**staff_headers(sessions, live.settings, "cv_lead"), "X-Namespace": "default"}
    async with httpx2.AsyncClient(base_url=live.base_url, headers=headers) as http:
        encoded = await http.post("/codec/encode", json=body(plain()))
        assert encoded.status_code == 200, encoded.text
        assert encoded.headers["content-type"] == "application/json"
        [sealed] = payloads_of(encoded)
        assert sealed.metadata["encoding"] == b"binary/encrypted"
        assert b"Amina" not in sealed.SerializeToString()

        decoded = await http.post("/codec/decode", json=body(sealed))
        assert decoded.status_code == 200, decoded.text
        assert payloads_of(decoded) == [plain()]


async def test_what_a_worker_encrypted_decodes_and_unencrypted_payloads_come_back_as_sent(
    live, sessions
):
    from_a_worker = await CONVERTER.encode([{"name": "Amina Begum"}])
    recorded_before = plain()
    headers = staff_headers(sessions, live.settings, "admin")
    async with httpx2.AsyncClient(base_url=live.base_url, headers=headers) as http:
        decoded = await http.post("/codec/decode", json=body(*from_a_worker, recorded_before))
    assert decoded.status_code == 200, decoded.text
    worker_payload, unchanged = payloads_of(decoded)
    assert b"Amina Begum" in worker_payload.data
    assert unchanged == recorded_before


async def test_without_sign_in_or_with_another_role_the_codec_refuses(live, sessions):
    sealed = (await CONVERTER.encode(["Amina Begum"]))[0]
    async with httpx2.AsyncClient(base_url=live.base_url) as anonymous:
        for path in ("/codec/decode", "/codec/encode"):
            refused = await anonymous.post(path, json=body(sealed), headers={"Origin": UI})
            assert refused.status_code == 401, path
            assert "Amina" not in refused.text
    for role in ("engagement_lead", "viewer"):
        headers = staff_headers(sessions, live.settings, role)
        async with httpx2.AsyncClient(base_url=live.base_url, headers=headers) as http:
            refused = await http.post("/codec/decode", json=body(sealed))
            assert refused.status_code == 403, role
            assert "read histories" in refused.json()["detail"]


async def test_the_temporal_ui_signed_in_by_cookie_may_call_it_across_origins(live, sessions):
    admin = await signed_in(live.base_url, sessions, "admin")
    browser = admin.client
    try:
        preflight = await browser.options(
            "/codec/decode",
            headers={
                "Origin": UI,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-namespace",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == UI
        assert preflight.headers["access-control-allow-credentials"] == "true"
        assert "x-namespace" in preflight.headers["access-control-allow-headers"].lower()

        sealed = await CONVERTER.encode(["Amina Begum"])
        decoded = await browser.post(
            "/codec/decode", json=body(*sealed), headers={"Origin": UI, "X-Namespace": "default"}
        )
        assert decoded.status_code == 200, decoded.text
        assert decoded.headers["access-control-allow-origin"] == UI
        assert b"Amina Begum" in payloads_of(decoded)[0].data

        # Only the codec is open to the UI's origin; other origins get nothing.
        other = await browser.get("/api/v1/auth/me", headers={"Origin": UI})
        assert "access-control-allow-origin" not in other.headers
        stranger = await browser.options(
            "/codec/decode",
            headers={
                "Origin": "https://elsewhere.example",
                "Access-Control-Request-Method": "POST",
            },
        )
        assert stranger.status_code == 400
        assert "access-control-allow-origin" not in stranger.headers
        # A page on another site could send the cookie (if the browser did) but not read the answer.
        forged = await browser.post(
            "/codec/decode",
            content=json_format.MessageToJson(Payloads(payloads=sealed)),
            headers={"Origin": "https://elsewhere.example", "Content-Type": "text/plain"},
        )
        assert "access-control-allow-origin" not in forged.headers
    finally:
        await browser.aclose()


async def test_bad_requests_are_answered_400_with_what_is_wrong(live, sessions):
    headers = staff_headers(sessions, live.settings, "cv_lead")
    other_key = EncryptionCodec(
        read_payload_keys(f"gone:{base64.b64encode(os.urandom(32)).decode()}")
    )
    lost = await other_key.encode([plain()])
    async with httpx2.AsyncClient(base_url=live.base_url, headers=headers) as http:
        namespace = await http.post(
            "/codec/decode", json=body(plain()), headers={"X-Namespace": "other"}
        )
        not_json = await http.post("/codec/decode", content=b"{payloads", headers={})
        not_utf8 = await http.post("/codec/decode", content=b"\xff\xfe", headers={})
        unknown_key = await http.post("/codec/decode", json=body(*lost))
    answers = (namespace, not_json, not_utf8, unknown_key)
    assert [a.status_code for a in answers] == [400] * 4
    assert "serves the namespace 'default' only, not 'other'" in namespace.json()["detail"]
    assert "Temporal Payloads as protobuf JSON" in not_json.json()["detail"]
    assert "Temporal Payloads as protobuf JSON" in not_utf8.json()["detail"]
    assert "key 'gone', which is not in CVT_PAYLOAD_KEYS" in unknown_key.json()["detail"]
