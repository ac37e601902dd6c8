"""The JSON API answers as its own OpenAPI says, whatever it is sent, for every role.

schemathesis generates requests from the app's OpenAPI (``/api/v1/openapi.json``): valid ones,
invalid ones (negative mode), and valid ones naming records that exist (a case, its action, an
escalation, a report and its row, a command), each sent with a bearer token of every role and
with none. The real app over real HTTP (uvicorn) on SQLite, with a real Temporal dev server and
worker behind it, so commands and report drafts are applied, not just stored. Three checks on
every answer: no 5xx, a status code the operation declares, a body its schema allows.

Seeded and bounded: ``CVT_FUZZ_EXAMPLES`` generated requests per operation (default 4; more for
a deeper run, e.g. ``CVT_FUZZ_EXAMPLES=50``), each sent as every role and as nobody: at least
1,000 requests in all.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx2
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from models.policy import Policy
from models.staff import Role
from tests.factories import add_board, add_owner, staff_headers
from tests.live import app_settings, serve_app

SEED = 20261202
EXAMPLES = int(os.environ.get("CVT_FUZZ_EXAMPLES", "4"))
#: A deeper run takes longer than pytest's usual limit: about 30 s an example on a loaded
#: 2-core machine, plus the dev server.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300 + 90 * EXAMPLES)]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@dataclass
class Run:
    requests: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _strategy(operation: Any, known: dict[str, str]) -> st.SearchStrategy[Any]:
    """Valid and invalid requests, and valid ones that name records that exist."""
    strategies = [
        operation.as_strategy(),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    names = [p.name for p in operation.path_parameters]
    if names and all(name in known for name in names):
        ids = {name: known[name] for name in names}
        strategies.append(operation.as_strategy(path_parameters=ids))
    return st.one_of(strategies)


def fuzz(
    document: dict[str, Any],
    base_url: str,
    identities: dict[str, dict[str, str]],
    known: dict[str, str],
) -> Run:
    """Every operation, each generated request sent as every identity (blocking: runs in a
    thread beside the app)."""
    schema = schemathesis.openapi.from_dict(document)
    run = Run()
    for result in schema.get_all_operations():
        _fuzz_one(run, base_url, result.ok(), identities, known)
    return run


def _fuzz_one(
    run: Run,
    base_url: str,
    operation: Any,
    identities: dict[str, dict[str, str]],
    known: dict[str, str],
) -> None:
    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, known))
    def send(case: Any) -> None:
        for who, headers in identities.items():
            _send(run, base_url, operation.label, case, who, headers)

    send()


def _send(
    run: Run, base_url: str, label: str, case: Any, who: str, headers: dict[str, str]
) -> None:
    run.requests += 1
    began = time.monotonic()
    try:
        response = case.call(base_url=base_url, headers=headers, timeout=60)
        run.by_status[response.status_code] = run.by_status.get(response.status_code, 0) + 1
        case.validate_response(response, checks=CHECKS, headers=headers)
    except (Exception, BaseExceptionGroup) as failure:  # collected, not shrunk
        first = str(failure).strip().splitlines()
        run.failures.append(f"{who} {label}: {' | '.join(first[:12])}")
    finally:
        run.seconds[label] = run.seconds.get(label, 0.0) + time.monotonic() - began


async def test_every_operation_answers_as_its_openapi_says_for_every_role(
    dev_env, dev_worker, engine, sessions, task_queue
) -> None:
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    owner = add_owner(sessions)
    settings_ = app_settings(task_queue=task_queue, command_wait_seconds=5.0)
    identities = {role.value: staff_headers(sessions, settings_, role) for role in Role}
    identities["anonymous"] = {}
    async with (
        serve_app(engine=engine, client=dev_env.client, settings=settings_) as live,
        httpx2.AsyncClient(
            base_url=live.base_url, headers=identities["cv_lead"], timeout=60
        ) as http,
    ):
        known = await _records(http, owner_id=str(owner.id))
        started = time.monotonic()
        served = await http.get("/api/v1/openapi.json")
        assert served.status_code == 200
        run = await asyncio.to_thread(fuzz, served.json(), live.base_url, identities, known)
        seconds = time.monotonic() - started
    print(  # noqa: T201 - the figure the README quotes
        f"\nschemathesis: {run.requests} requests in {seconds:.0f}s, by status {run.by_status}"
    )
    slowest = sorted(run.seconds.items(), key=lambda item: -item[1])[:5]
    print("slowest operations (seconds):", [(k, round(v)) for k, v in slowest])  # noqa: T201
    assert run.failures == [], "\n".join(run.failures)
    assert run.requests >= 1000
    assert {200, 201, 401, 403, 404, 422} <= set(run.by_status)  # it reached past the checks


async def _records(http: httpx2.AsyncClient, *, owner_id: str) -> dict[str, str]:
    """A case with an action, an escalation on it, and a quarterly draft, made through the API:
    their ids are what generated requests name when they aim at records that exist."""
    from models.base import utcnow
    from models.policy import LONDON

    today = utcnow().astimezone(LONDON).date()
    made = await http.post(
        "/api/v1/cases",
        json={
            "board": "tht",
            "meeting_date": today.isoformat(),
            "theme": "Damp and mould",
            "said": "Residents described mould in their homes.",
            "presenters": [{"name": "Amina Begum", "email": "amina@example.com"}],
            "actions": [{"text": "Survey every flat on the estate", "owner_id": owner_id}],
        },
    )
    assert made.status_code == 201, made.text
    case_id = made.json()["case_id"]
    case = (await http.get(f"/api/v1/cases/{case_id}")).json()
    action_id = case["actions"][0]["id"]
    raised = await http.post(
        f"/api/v1/actions/{action_id}/escalations", json={"reason": "No reply from the owner."}
    )
    assert raised.status_code == 200, raised.text
    [escalation] = (await http.get("/api/v1/escalations")).json()
    report = await http.post(
        "/api/v1/reports/quarterly",
        json={"board": "tht", "meeting_date": (today + timedelta(days=30)).isoformat()},
    )
    assert report.status_code == 201, report.text
    report_id = report.json()["report_id"]
    rows = (await http.get(f"/api/v1/reports/{report_id}")).json()["rows"]
    return {
        "case_id": case_id,
        "action_id": action_id,
        "escalation_id": escalation["id"],
        "command_id": made.json()["command_id"],
        "report_id": report_id,
        "row_id": rows[0]["id"],
        "slug": "tht",
        "board": "tht",
    }
