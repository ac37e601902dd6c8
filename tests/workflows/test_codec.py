"""Temporal payloads are encrypted: nothing readable leaves the process, keys rotate (the newest
encodes, any listed key decodes), and payloads written before encryption still read."""

from __future__ import annotations

import base64
import os

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import ApplicationError
from temporalio.worker import Replayer

from models.payload_keys import read_payload_keys
from models.presenter import PresenterCreate
from tests.temporal import CONVERTER, TEST_PAYLOAD_KEYS
from tests.workflows.calendar_anchor import london
from worker.build import WORKFLOWS, workflow_runner
from workflows import case_workflow_id
from workflows.codec import ENCODING, KEY_ID, EncryptionCodec, PayloadKeyError, data_converter


def keys(*names: str) -> str:
    return ",".join(f"{name}:{base64.b64encode(os.urandom(32)).decode()}" for name in names)


CONVERTER_KEYS = read_payload_keys(TEST_PAYLOAD_KEYS)
OLD, NEW = keys("2025-11"), keys("2026-05")
PRESENTER = PresenterCreate(name="Amina Begum", email="amina@example.com", organisation="Tenants")


def plain(text: str) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=text.encode())


async def test_a_payload_is_encrypted_and_decrypts_to_what_was_sent():
    codec = EncryptionCodec(read_payload_keys(NEW))
    sent = [plain('{"name": "Amina Begum", "email": "amina@example.com"}'), plain("2")]

    encoded = await codec.encode(sent)

    assert [p.metadata["encoding"] for p in encoded] == [ENCODING, ENCODING]
    assert [p.metadata[KEY_ID] for p in encoded] == [b"2026-05", b"2026-05"]
    wire = b"".join(p.SerializeToString() for p in encoded)
    assert b"Amina" not in wire and b"amina@example.com" not in wire
    assert await codec.decode(encoded) == sent


async def test_the_same_payload_encrypts_differently_each_time():
    codec = EncryptionCodec(read_payload_keys(NEW))
    first, second = await codec.encode([plain("same"), plain("same")])
    assert first.data != second.data


async def test_a_payload_written_before_encryption_passes_through_unchanged():
    codec = EncryptionCodec(read_payload_keys(NEW))
    recorded = [plain('{"name": "Amina Begum"}')]
    assert await codec.decode(recorded) == recorded


async def test_after_rotation_the_new_key_encodes_and_the_old_key_still_decodes():
    before = EncryptionCodec(read_payload_keys(OLD))
    after = EncryptionCodec(read_payload_keys(f"{NEW},{OLD}"))
    written_before = await before.encode([plain("written with the old key")])

    assert await after.decode(written_before) == [plain("written with the old key")]
    written_after = await after.encode([plain("written with the new key")])
    assert written_after[0].metadata[KEY_ID] == b"2026-05"
    assert await after.decode(written_after) == [plain("written with the new key")]


async def test_a_process_without_the_key_says_which_key_is_missing():
    old_only = EncryptionCodec(read_payload_keys(OLD))
    written = await EncryptionCodec(read_payload_keys(NEW)).encode([plain("x")])
    with pytest.raises(PayloadKeyError, match="key '2026-05', which is not in CVT_PAYLOAD_KEYS"):
        await old_only.decode(written)


async def test_a_changed_key_or_altered_payload_is_refused_not_misread():
    written = await EncryptionCodec(read_payload_keys(NEW)).encode([plain("x")])
    same_name_other_key = EncryptionCodec(read_payload_keys(keys("2026-05")))
    with pytest.raises(PayloadKeyError, match="does not decrypt"):
        await same_name_other_key.decode(written)
    altered = Payload()
    altered.CopyFrom(written[0])
    altered.data = altered.data[:-1] + bytes([altered.data[-1] ^ 1])
    with pytest.raises(PayloadKeyError, match="does not decrypt"):
        await EncryptionCodec(read_payload_keys(NEW)).decode([altered])
    truncated = Payload(metadata=written[0].metadata, data=b"\x00")
    with pytest.raises(PayloadKeyError, match="does not decrypt"):
        await EncryptionCodec(read_payload_keys(NEW)).decode([truncated])


async def test_the_data_converter_encrypts_pydantic_payloads_and_reads_them_back():
    converter = data_converter(read_payload_keys(NEW))
    payloads = await converter.encode([PRESENTER])
    assert b"amina@example.com" not in b"".join(p.SerializeToString() for p in payloads)
    assert await converter.decode(payloads, [PresenterCreate]) == [PRESENTER]


async def test_failure_messages_are_encrypted_too():
    failure = Failure()
    await CONVERTER.encode_failure(
        ApplicationError("No email for amina@example.com", type="unreachable"), failure
    )
    assert b"amina@example.com" not in failure.SerializeToString()
    decoded = await CONVERTER.decode_failure(failure)
    assert isinstance(decoded, ApplicationError)
    assert (decoded.message, decoded.type) == ("No email for amina@example.com", "unreachable")


async def test_a_case_history_holds_no_personal_data_and_replays_with_the_shared_converter(
    scenario,
):
    await scenario.go_to(london(scenario.monday, 14))
    case = await scenario.start(
        actions=[{"text": "Survey every flat", "owner_id": scenario.owner.id}]
    )
    history = await scenario.env.client.get_workflow_handle(
        case_workflow_id(case.state.record.id)
    ).fetch_history()

    stored = b"".join(event.SerializeToString() for event in history.events)
    started = history.events[0].workflow_execution_started_event_attributes.input.payloads
    readable = b"".join(p.data for p in await EncryptionCodec(CONVERTER_KEYS).decode(started))
    for personal in (b"Amina Begum", b"amina@example.com", b"Olu Owner"):
        assert personal in readable  # the case's input names them ...
        assert personal not in stored  # ... and the server holds it encrypted
    replayer = Replayer(
        workflows=WORKFLOWS, data_converter=CONVERTER, workflow_runner=workflow_runner()
    )
    assert (await replayer.replay_workflow(history)).replay_failure is None
    without_the_key = Replayer(
        workflows=WORKFLOWS,
        data_converter=pydantic_data_converter,
        workflow_runner=workflow_runner(),
    )
    failed = await without_the_key.replay_workflow(history, raise_on_replay_failure=False)
    assert failed.replay_failure is not None
