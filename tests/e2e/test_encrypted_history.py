"""Temporal histories hold no personal data in clear. A real case with a presenter runs to its end
on the dev server with encrypted payloads; the histories the server hands out name nobody; a
signed-in Community Voice Lead still reads them through the codec, as the Temporal CLI and UI
do, and the CLI without the codec cannot."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from datetime import date

import httpx2
import pytest
from sqlmodel import select

from models.outbox import OutboxMessage
from models.policy import Policy
from tests.factories import add_board, add_owner, staff_headers
from tests.helpers import eventually
from tests.live import app_settings, serve_app
from tests.temporal import binary
from workflows import action_workflow_id, case_workflow_id

pytestmark = [pytest.mark.e2e]

PERSONAL = ["Amina Begum", "amina@example.com", "Olu Owner"]


async def test_a_case_runs_to_its_end_and_its_histories_name_nobody_in_clear(
    dev_env, dev_worker, engine, sessions, task_queue
):
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    olu = add_owner(sessions, name="Olu Owner")
    settings = app_settings(task_queue=task_queue)
    cv_lead_auth = staff_headers(sessions, settings, "cv_lead")
    async with (
        serve_app(engine=engine, client=dev_env.client, settings=settings) as live,
        httpx2.AsyncClient(
            base_url=live.base_url, headers=staff_headers(sessions, settings, "engagement_lead")
        ) as lead,
    ):
        # Given a session with a presenter and one owned action, run to its end
        started = await lead.post(
            "/api/v1/cases",
            json={
                "board": "tht",
                "meeting_date": date.today().isoformat(),
                "theme": "Damp and mould in social housing",
                "said": "Amina Begum described her children's asthma made worse by mould.",
                "presenters": [{"name": "Amina Begum", "email": "amina@example.com"}],
                # The action's text names her too (and becomes the child workflow's summary).
                "actions": [{"text": "Write to Amina Begum about damp", "owner_id": str(olu.id)}],
            },
        )
        assert started.status_code == 201, started.text
        case_id = started.json()["case_id"]
        [action] = (await lead.get(f"/api/v1/cases/{case_id}")).json()["actions"]
        base = f"/api/v1/actions/{action['id']}"
        assert (await lead.post(f"{base}/acknowledge", json={})).status_code == 200
        done = await lead.post(f"{base}/done", json={"text": "Surveyed; Amina Begum told"})
        assert done.status_code == 200, done.text
        closed = await eventually(lambda: _case_closed(lead, case_id))
        assert closed["actions"][0]["status"] == "done"
        assert "presenter_action_closed" in _outbox(sessions)

        # When the histories are fetched from the Temporal server
        workflow_ids = [case_workflow_id(case_id), action_workflow_id(action["id"])]
        for workflow_id in workflow_ids:
            history = await dev_env.client.get_workflow_handle(workflow_id).fetch_history()
            stored = b"".join(event.SerializeToString() for event in history.events)
            # Then nobody is named in them
            for words in PERSONAL:
                assert words.encode() not in stored, (workflow_id, words)

        # A signed-in Community Voice Lead reads them with the codec; without it, nobody can
        address = dev_env.client.service_client.config.target_host
        codec = ["--codec-endpoint", f"{live.base_url}/codec"]
        with_codec = await _temporal_show(
            workflow_ids[0], address, *codec, "--codec-auth", cv_lead_auth["Authorization"]
        )
        without = await _temporal_show(workflow_ids[0], address)
        assert all(words in with_codec for words in PERSONAL)
        assert not any(words in without for words in PERSONAL)
        assert "binary/encrypted" in without


async def _temporal_show(workflow_id: str, address: str, *flags: str) -> str:
    """``temporal workflow show`` as an operator runs it (the app answers in this event loop):
    the text of every payload in the history it prints."""
    process = await asyncio.create_subprocess_exec(
        binary("temporal"),
        "workflow",
        "show",
        "--workflow-id",
        workflow_id,
        "--address",
        address,
        "--output",
        "json",
        *flags,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return "\n".join(_payload_texts(json.loads(out)))


def _payload_texts(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        if "metadata" in node and "data" in node:
            yield base64.b64decode(node["data"]).decode(errors="replace")
            yield base64.b64decode(node["metadata"].get("encoding", "")).decode(errors="replace")
        for value in node.values():
            yield from _payload_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _payload_texts(value)


async def _case_closed(http: httpx2.AsyncClient, case_id: str) -> dict | None:
    case = (await http.get(f"/api/v1/cases/{case_id}")).json()
    return case if case["status"] == "closed" else None


def _outbox(sessions) -> list[str]:
    with sessions() as session:
        return [m.kind for m in session.exec(select(OutboxMessage)).all()]
