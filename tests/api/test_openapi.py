"""The OpenAPI declares what the API really answers (every refusal a Problem, by the shape of
each route), a wrong method is 405, and integers in addresses are bounded. The generated
requests against it: tests/api/test_openapi_conformance.py."""

from __future__ import annotations

import uuid

from fastapi.routing import iter_route_contexts

from api.main import create_app
from models.policy import Policy
from tests.factories import staff_headers
from tests.live import LiveApp, app_settings

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _schema() -> dict:
    return create_app(app_settings()).openapi()


def _refusal_schemas(schema: dict) -> list[tuple[str, str, str, dict]]:
    return [
        (path, method, code, answer["content"]["application/json"]["schema"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        for code, answer in operation["responses"].items()
        if code[0] in "45"
    ]


def test_every_refusal_is_declared_as_the_problem_body_the_api_sends() -> None:
    schema = _schema()
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"detail", "errors"}
    assert problem["required"] == ["detail"]
    refusals = _refusal_schemas(schema)
    assert len(refusals) > 200
    for path, method, code, body in refusals:
        assert body == PROBLEM or PROBLEM in body.get("anyOf", []), (path, method, code)
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_each_operation_declares_the_refusals_its_shape_can_answer() -> None:
    operations = _schema()["paths"]
    note = operations["/api/v1/actions/{action_id}/notes"]["post"]["responses"]
    assert {"400", "401", "403", "404", "409", "413", "422", "503"} <= set(note)
    # A command refused at once is a Problem; one the workflow refuses is a receipt with its id.
    assert note["409"]["content"]["application/json"]["schema"]["anyOf"] == [
        {"$ref": "#/components/schemas/CommandReceipt"},
        PROBLEM,
    ]
    assert {"401", "429", "422", "503"} <= set(
        operations["/api/v1/auth/token"]["post"]["responses"]
    )
    me = operations["/api/v1/auth/me"]["get"]["responses"]
    assert set(me) == {"200", "401", "503"}  # no input, no permission beyond signing in
    assert {"400", "401", "403"} <= set(operations["/codec/decode"]["post"]["responses"])


def test_send_time_is_described_as_the_clock_time_it_is_sent_as() -> None:
    send_time = _schema()["components"]["schemas"]["Policy"]["properties"]["send_time"]
    assert "format" not in send_time  # JSON Schema's "time" demands an offset; it has none
    import re

    sent = Policy().model_dump(mode="json")["send_time"]
    assert re.fullmatch(send_time["pattern"], sent)
    assert Policy.model_validate({"send_time": "16:30"}).send_time.hour == 16


async def test_a_method_a_path_does_not_take_is_405(live_app: LiveApp, sessions) -> None:
    """Generated from the app's routes: every POST-only path (ids filled in) answers GET with
    405, e.g. GET /api/v1/reports/quarterly is not a report called 'quarterly'."""
    import httpx2

    app = create_app(app_settings())
    methods: dict[str, set[str]] = {}
    for route in iter_route_contexts(app.routes):
        if route.path_format and route.path_format.startswith("/api/v1/") and route.methods:
            methods.setdefault(route.path_format, set()).update(route.methods)
    post_only = [path for path, m in methods.items() if "GET" not in m]
    assert "/api/v1/reports/quarterly" in post_only
    headers = staff_headers(sessions, live_app.settings, "admin")
    async with httpx2.AsyncClient(base_url=live_app.base_url, headers=headers) as http:
        for path in post_only:
            filled = "/".join(
                str(uuid.uuid4()) if part.startswith("{") else part for part in path.split("/")
            )
            answer = await http.get(filled)
            assert answer.status_code == 405, (path, answer.status_code, answer.text)
            assert set(answer.headers["allow"].split(", ")) == methods[path], path


async def test_paging_beyond_its_bounds_is_refused_by_field(live_app: LiveApp, sessions) -> None:
    import httpx2

    headers = staff_headers(sessions, live_app.settings, "viewer")
    async with httpx2.AsyncClient(base_url=live_app.base_url, headers=headers) as http:
        for query, field in [
            ({"offset": 2**70}, "offset"),
            ({"offset": -1}, "offset"),
            ({"limit": 0}, "limit"),
            ({"limit": 2**64}, "limit"),
        ]:
            answer = await http.get("/api/v1/cases", params=query)
            assert answer.status_code == 422, (query, answer.text)
            assert answer.json()["errors"][0]["field"] == field
        assert (await http.get("/api/v1/cases", params={"limit": 500})).status_code == 200
