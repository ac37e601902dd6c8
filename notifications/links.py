"""Signed links in emails (itsdangerous): one person, one action or case, one purpose, expiring.

A link is ``{base_url}/{purpose path}/{target id}/{token}``. The token signs the purpose (as the
salt), the target id, the person (owner or presenter id) and, for owners, the assignment number,
with the app's secret and the time it was made. Opening a link only shows a page; whether the
link still *applies* (the action was reassigned or closed, the presenter answered already) is
decided by the page from the database, so revocation needs no list of revoked tokens.

Tokens are signed, not encrypted: they carry ids only, never names or addresses.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes


class LinkPurpose(StrEnum):
    owner = "owner"  # an owner's page for one action
    presenter = "presenter"  # a presenter's page to confirm the agreed actions of a session
    feedback = "feedback"  # a presenter's answer once an action has closed


PATHS = {
    LinkPurpose.owner: "/owner",
    LinkPurpose.presenter: "/presenter",
    LinkPurpose.feedback: "/feedback",
}


@dataclass(frozen=True)
class LinkClaims:
    purpose: LinkPurpose
    target: uuid.UUID  # the action (owner, feedback) or the case (presenter)
    person: uuid.UUID  # the owner or presenter the link was sent to
    assignment_no: int | None
    issued_at: datetime


class LinkError(Exception):
    """A link that cannot be used; ``claims`` is set when its contents can be trusted."""

    claims: LinkClaims | None = None


class LinkInvalid(LinkError):
    """Not a link we made: changed, cut short, or for another purpose (HTTP 403)."""


class LinkMismatch(LinkError):
    """A genuine link whose id is not the one in the address (HTTP 404)."""


class LinkExpired(LinkError):
    """A genuine link older than the maximum age (HTTP 410)."""

    def __init__(self, claims: LinkClaims, max_age: timedelta) -> None:
        super().__init__(f"link issued {claims.issued_at.isoformat()} is older than {max_age}")
        self.claims = claims


class _ClockSigner(TimestampSigner):
    clock: Callable[[], float] = staticmethod(time.time)

    def get_timestamp(self) -> int:
        return int(self.clock())


class Links:
    """Makes and reads signed links. ``clock`` (seconds since the epoch) only for tests."""

    def __init__(
        self,
        secret: str,
        base_url: str,
        *,
        max_age: timedelta = timedelta(days=60),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.max_age = max_age
        signer = type("Signer", (_ClockSigner,), {"clock": staticmethod(clock)})
        self._serializers = {
            purpose: URLSafeTimedSerializer(secret, salt=f"cvt-link-{purpose}", signer=signer)
            for purpose in LinkPurpose
        }

    # --- making -------------------------------------------------------------------------------

    def token(
        self,
        purpose: LinkPurpose,
        target: uuid.UUID,
        person: uuid.UUID,
        assignment_no: int | None = None,
    ) -> str:
        payload: list[Any] = [target.hex, person.hex]
        if assignment_no is not None:
            payload.append(assignment_no)
        return str(self._serializers[purpose].dumps(payload))

    def url(
        self,
        purpose: LinkPurpose,
        target: uuid.UUID,
        person: uuid.UUID,
        assignment_no: int | None = None,
    ) -> str:
        token = self.token(purpose, target, person, assignment_no)
        return f"{self.base_url}{PATHS[purpose]}/{target}/{token}"

    def owner_url(self, action_id: uuid.UUID, owner_id: uuid.UUID, assignment_no: int) -> str:
        return self.url(LinkPurpose.owner, action_id, owner_id, assignment_no)

    def presenter_url(self, case_id: uuid.UUID, presenter_id: uuid.UUID) -> str:
        return self.url(LinkPurpose.presenter, case_id, presenter_id)

    def feedback_url(self, action_id: uuid.UUID, presenter_id: uuid.UUID) -> str:
        return self.url(LinkPurpose.feedback, action_id, presenter_id)

    def case_url(self, case_id: uuid.UUID) -> str:
        """The staff page of a case (needs a staff sign-in: a signed link never gives one)."""
        return f"{self.base_url}/cases/{case_id}"

    def report_url(self, report_id: uuid.UUID) -> str:
        """The staff page of a report or digest."""
        return f"{self.base_url}/reports/{report_id}"

    # --- reading ------------------------------------------------------------------------------

    def read(self, purpose: LinkPurpose, target: uuid.UUID, token: str) -> LinkClaims:
        """The claims of ``token`` for ``target``; raises a ``LinkError`` saying what is wrong."""
        serializer = self._serializers[purpose]
        try:
            payload, signed_at = serializer.loads(
                token, max_age=int(self.max_age.total_seconds()), return_timestamp=True
            )
        except SignatureExpired as expired:
            try:  # the signature is ours, only too old: its payload can be trusted
                old = serializer.load_payload(want_bytes(expired.payload or b""))
            except BadData:
                old = None
            claims = self._claims(purpose, old, expired.date_signed)
            if claims is None:
                raise LinkInvalid("expired link with an unreadable payload") from expired
            if claims.target != target:
                raise LinkMismatch("link is for another record") from expired
            raise LinkExpired(claims, self.max_age) from expired
        except BadData as bad:
            raise LinkInvalid(str(bad)) from bad
        claims = self._claims(purpose, payload, signed_at)
        if claims is None:
            raise LinkInvalid("unreadable payload")
        if claims.target != target:
            error = LinkMismatch("link is for another record")
            error.claims = claims
            raise error
        return claims

    @staticmethod
    def _claims(
        purpose: LinkPurpose, payload: Any, signed_at: datetime | None
    ) -> LinkClaims | None:
        if not isinstance(payload, list):
            return None
        try:
            target, person = uuid.UUID(hex=payload[0]), uuid.UUID(hex=payload[1])
            assignment_no = int(payload[2]) if len(payload) > 2 else None
        except (TypeError, ValueError, IndexError):
            return None
        issued = signed_at or datetime.now(UTC)
        if issued.tzinfo is None:
            issued = issued.replace(tzinfo=UTC)
        return LinkClaims(purpose, target, person, assignment_no, issued)
