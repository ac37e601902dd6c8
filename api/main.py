"""Builds the FastAPI app: JSON API under /api/v1, Temporal client and inbox relay in lifespan."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from temporalio.client import Client

from api import error_pages, errors, openapi
from api.head import HeadAsGet
from api.headers import SecurityHeaders, inline_script_hashes, page_policy
from api.pages import (
    devmail,
    docs,
    info,
    owner,
    presenter,
    presenter_consent,
    presenter_equality,
    staff,
)
from api.pages import report_drafts as report_draft_pages
from api.pages import reports as report_pages
from api.request_guard import RequestGuard
from api.routes import (
    actions,
    auth,
    boards,
    cases,
    codec,
    commands,
    directory,
    escalations,
    said_summaries,
)
from api.routes import names_check as names_check_routes
from api.routes import reports as report_routes
from api.security import StaffTokens
from api.session import StaffSessionMiddleware
from api.static import Assets
from api.templating import templates
from models.db import create_engine, session_factory
from models.settings import Settings, get_settings
from services.commands import Commands
from services.inbox import Inbox
from services.passwords import PasswordChecker
from services.signin import SignIn
from services.throttle import SignInThrottle
from workflows.client import connect
from workflows.codec import EncryptionCodec

API_PREFIX = "/api/v1"
APP_STATIC = Path(__file__).parent / "static" / "app"


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    client: Client | None = None,
    relay: bool = True,
) -> FastAPI:
    """The app. Tests pass their own engine and Temporal client; production reads settings."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_engine = engine is None
        db = engine or create_engine(settings.database_url, **settings.engine_options())
        sessions = session_factory(db)
        temporal = client or await connect(settings, lazy=True)
        inbox = Inbox(
            sessions,
            temporal,
            task_queue=settings.task_queue,
            wait_seconds=settings.command_wait_seconds,
            max_waiting=settings.command_max_waiting,
            admission_seconds=settings.command_admission_seconds,
        )
        app.state.settings = settings
        app.state.sessions = sessions
        app.state.temporal = temporal
        app.state.codec = EncryptionCodec(settings.payload_keys)
        app.state.inbox = inbox
        app.state.commands = Commands(sessions, inbox)
        checker = PasswordChecker(
            workers=settings.password_hash_workers, queue=settings.password_hash_queue
        )
        app.state.signin = SignIn(
            sessions,
            checker,
            SignInThrottle(
                per_address=settings.sign_in_per_address_per_minute,
                per_account=settings.sign_in_per_account_per_minute,
            ),
        )
        app.state.tokens = StaffTokens(
            settings.secret_key.get_secret_value(), settings.token_hours * 3600
        )
        relay_task = (
            asyncio.create_task(inbox.run_relay(settings.relay_interval_seconds)) if relay else None
        )
        try:
            yield
        finally:
            if relay_task is not None:
                relay_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await relay_task
            await inbox.close()
            checker.close()
            if own_engine:
                db.dispose()

    app = FastAPI(
        title="Community Voice",
        summary="Case tracker for the Community Voice process of partnership boards.",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # api.pages.docs serves Swagger UI from this site
        redoc_url=None,
    )
    errors.install(app)
    openapi.install(app)
    app.include_router(docs.router)
    for module in (auth, boards, directory, cases, said_summaries, actions, escalations, commands):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(names_check_routes.router, prefix=API_PREFIX)
    app.include_router(report_routes.router, prefix=API_PREFIX)
    app.include_router(codec.router)
    app.include_router(info.router)
    app.include_router(owner.router)
    app.include_router(presenter.router)
    app.include_router(presenter_consent.router)
    app.include_router(presenter_equality.router)
    if settings.environment in ("development", "test"):
        app.include_router(devmail.router)
    app.include_router(report_pages.router)
    app.include_router(report_draft_pages.router)
    app.include_router(report_pages.public_router)
    staff.install(app)
    error_pages.install(app)  # after every JSON handler: it wraps them for browsers
    app.add_middleware(
        StaffSessionMiddleware,
        secret=settings.secret_key.get_secret_value(),
        max_age_seconds=settings.token_hours * 3600,
    )
    app.add_middleware(codec.CodecCors, origins=settings.temporal_ui_origins)
    # Outermost last: headers on every answer, HEAD as GET, then refusals before any route.
    app.add_middleware(
        RequestGuard,
        max_body_bytes=settings.max_request_bytes,
        loopback_only=settings.loopback_only,
    )
    app.add_middleware(HeadAsGet)
    app.state.page_csp = page_policy(inline_script_hashes(templates.env))
    app.add_middleware(SecurityHeaders, page_csp=app.state.page_csp)
    assets = app.state.assets = Assets()
    assets.mount(app, "nhsuk", settings.nhsuk_assets_dir)
    assets.mount(app, "swagger", settings.swagger_ui_dir)
    assets.mount(app, "app", APP_STATIC)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def app() -> FastAPI:
    """Factory for ``uvicorn --factory api.main:app``."""
    return create_app()
