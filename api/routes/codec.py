"""The Temporal remote codec (``/codec/encode``, ``/codec/decode``): the Temporal UI and CLI send
payloads here to be decrypted for a signed-in Community Voice Lead or administrator.

The protocol (Temporal's codec server): POST a ``Payloads`` message as protobuf JSON, with the
namespace in ``X-Namespace``; the answer is ``Payloads`` in the same form, 400 if the body or a
payload cannot be read. CORS for the Temporal UI's origin is added by ``CodecCors`` below (only
on these two routes).

Sign-in: an ``Authorization: Bearer`` token from ``POST /api/v1/auth/token`` (the Temporal CLI's
``--codec-auth``), or the staff session cookie (the Temporal UI in the browser where the person
signed in, with "include cross-origin credentials"). The rest of the JSON API takes tokens only,
so that a request forged by another site cannot ride on the cookie; these two routes may take
it because they change nothing, the cookie is ``SameSite=Lax`` (another site's POST does not
carry it), and no origin but the Temporal UI's may read their answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from google.protobuf import json_format
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send
from temporalio.api.common.v1 import Payload, Payloads

from api.deps import SettingsDep, get_current_staff, no_permission, unauthorised
from api.openapi import problems
from api.pages.deps import signed_in_user
from api.security import StaffTokens
from models.staff import Permission, StaffUser
from workflows.codec import EncryptionCodec, PayloadKeyError

PREFIX = "/codec"
Namespace = Annotated[
    str | None, Header(alias="X-Namespace", description="The Temporal namespace (optional).")
]
_REFUSALS = problems(
    400,
    401,
    403,
    d400="Not Temporal Payloads as protobuf JSON, another namespace, or a key not listed.",
    d403="Only a Community Voice Lead or an administrator may read histories.",
)
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "Temporal Payloads as protobuf JSON (data in base64).",
                    "example": {"payloads": [{"metadata": {"encoding": "..."}, "data": "..."}]},
                }
            }
        },
    }
}

router = APIRouter(prefix=PREFIX, tags=["Temporal codec"])
_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")


def history_reader(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> StaffUser:
    """A Community Voice Lead or administrator, by bearer token or by the session cookie."""
    if credentials is not None:
        tokens: StaffTokens = request.app.state.tokens
        user = get_current_staff(request, tokens, credentials)
    else:
        found = signed_in_user(request)
        if found is None:
            raise unauthorised(
                "Sign in first: in this browser at /sign-in (the Temporal UI sends the session "
                "cookie), or send 'Authorization: Bearer <token>' from POST /api/v1/auth/token."
            )
        user = found
    if not user.can(Permission.read_histories):
        raise no_permission(user, Permission.read_histories)
    return user


HistoryReader = Annotated[StaffUser, Depends(history_reader)]


def get_codec(request: Request) -> EncryptionCodec:
    codec: EncryptionCodec = request.app.state.codec
    return codec


CodecDep = Annotated[EncryptionCodec, Depends(get_codec)]
Convert = Callable[[Sequence[Payload]], Awaitable[list[Payload]]]


@router.post("/encode", openapi_extra=_BODY, responses=_REFUSALS)
async def encode(
    request: Request,
    _: HistoryReader,
    codec: CodecDep,
    settings: SettingsDep,
    namespace: Namespace = None,
) -> Response:
    """Encrypt payloads with the current key (the Temporal UI uses it to send signals)."""
    return await _apply(request, codec.encode, settings.temporal_namespace, namespace)


@router.post("/decode", openapi_extra=_BODY, responses=_REFUSALS)
async def decode(
    request: Request,
    _: HistoryReader,
    codec: CodecDep,
    settings: SettingsDep,
    namespace: Namespace = None,
) -> Response:
    """Decrypt payloads with whichever key each names; unencrypted payloads come back as sent."""
    return await _apply(request, codec.decode, settings.temporal_namespace, namespace)


async def _apply(request: Request, convert: Convert, served: str, asked: str | None) -> Response:
    if asked is not None and asked != served:
        raise _bad(f"X-Namespace: this codec serves the namespace '{served}' only, not '{asked}'.")
    try:
        payloads = json_format.Parse(await request.body(), Payloads())
    except (json_format.ParseError, ValueError) as error:  # ValueError: not UTF-8
        raise _bad(
            'The body must be Temporal Payloads as protobuf JSON: {"payloads": [{"metadata": '
            f'{{…}}, "data": "<base64>"}}]}} ({error}).'
        ) from None
    try:
        converted = await convert(payloads.payloads)
    except PayloadKeyError as error:
        raise _bad(str(error)) from None
    return Response(
        json_format.MessageToJson(Payloads(payloads=converted)), media_type="application/json"
    )


def _bad(message: str) -> HTTPException:
    return HTTPException(status.HTTP_400_BAD_REQUEST, detail=message)


class CodecCors:
    """CORS for the Temporal UI's origins on ``/codec/*`` only: the rest of the app stays
    same-origin. Credentials are allowed, so the UI can send the staff session cookie."""

    def __init__(self, app: ASGIApp, *, origins: Sequence[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=list(origins),
            allow_credentials=True,
            allow_methods=["POST"],
            allow_headers=["Content-Type", "X-Namespace", "Authorization"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PREFIX + "/"):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
