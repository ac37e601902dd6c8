"""What encrypting Temporal payloads costs: ``python -m bench.codec``.

Takes every workflow and activity payload of the recorded replay histories (a real case and its
two actions, written before encryption), then encrypts and decrypts them with the payload codec
(``workflows/codec.py``) many times. Prints the payloads' count and sizes, the time per payload
each way, and the bytes encryption adds. Prints figures; never fails.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from temporalio.api.common.v1 import Payload
from temporalio.client import WorkflowHistory

from tests.temporal import CONVERTER
from workflows.codec import EncryptionCodec

HISTORIES = Path(__file__).resolve().parent.parent / "tests" / "replay" / "histories"


def payloads() -> list[Payload]:
    found: list[Payload] = []
    for path in sorted(HISTORIES.glob("*.json")):
        history = WorkflowHistory.from_json(path.stem, path.read_text())
        for event in history.events:
            for attributes, field in (
                ("workflow_execution_started_event_attributes", "input"),
                ("activity_task_scheduled_event_attributes", "input"),
                ("activity_task_completed_event_attributes", "result"),
                ("workflow_execution_signaled_event_attributes", "input"),
            ):
                if event.HasField(attributes):  # type: ignore[arg-type]
                    found.extend(getattr(getattr(event, attributes), field).payloads)
    return found


async def run(rounds: int) -> None:
    codec = CONVERTER.payload_codec
    assert isinstance(codec, EncryptionCodec)
    plain = payloads()
    size = sum(p.ByteSize() for p in plain)
    encoded = await codec.encode(plain)
    started = time.perf_counter()
    for _ in range(rounds):
        encoded = await codec.encode(plain)
    encode_s = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(rounds):
        await codec.decode(encoded)
    decode_s = time.perf_counter() - started
    count = len(plain) * rounds
    print(
        f"{len(plain)} payloads from {len(list(HISTORIES.glob('*.json')))} recorded histories, "
        f"{size / 1024:.0f} KiB, largest {max(p.ByteSize() for p in plain) / 1024:.1f} KiB"
    )
    print(
        f"encrypt: {encode_s / count * 1e6:.1f} µs a payload "
        f"({size * rounds / encode_s / 1e6:.0f} MB/s); "
        f"decrypt: {decode_s / count * 1e6:.1f} µs a payload "
        f"({size * rounds / decode_s / 1e6:.0f} MB/s)"
    )
    added = sum(p.ByteSize() for p in encoded) - size
    print(f"encryption adds {added / len(plain):.0f} bytes a payload ({added / size:.1%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    asyncio.run(run(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
