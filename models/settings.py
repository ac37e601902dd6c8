"""One settings object for every process (API, worker, CLI), read from CVT_* environment variables
or a ``.env`` file. Outside development it refuses the default secret and the development key
for Temporal payloads (``models/payload_keys.py``); development (or the default secret) only ever
listens on this machine (``exposure_refusal``)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import AliasChoices, BeforeValidator, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from models.payload_keys import (
    DEV_PAYLOAD_KEY,
    FORMAT,
    PayloadKey,
    dev_payload_keys,
    parse_payload_keys,
)

DEFAULT_SECRET = "development-only-secret-change-me"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _comma_list(value: object) -> object:
    return (
        tuple(p.strip() for p in value.split(",") if p.strip()) if isinstance(value, str) else value
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CVT_",
        env_file=".env",
        env_ignore_empty=True,
        extra="ignore",
        hide_input_in_errors=True,  # an error must not print a secret or a key
    )

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default="sqlite:///var/community-voice.db",
        validation_alias=AliasChoices("CVT_DATABASE_URL", "DATABASE_URL"),
    )
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    task_queue: str = "community-voice"
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    payload_keys: Annotated[
        tuple[PayloadKey, ...], NoDecode, BeforeValidator(parse_payload_keys)
    ] = Field(
        default=(),
        description="Keys that encrypt Temporal payloads, newest first: ID:KEY,ID:KEY "
        "(README, 'Encrypted Temporal payloads'). Development has a built-in key.",
    )
    temporal_ui_origins: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_comma_list)] = Field(
        default=("http://127.0.0.1:8233",),
        description="Web origins of the Temporal UI, allowed to call /codec (CORS).",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000", description="Where people reach the app (for links)."
    )
    command_wait_seconds: float = Field(
        default=5.0, description="How long a request waits to report a command as applied."
    )
    relay_interval_seconds: float = 2.0
    command_max_waiting: int = Field(
        default=200,
        description="Requests one API process lets wait for a command's answer at once; more "
        "are refused with 503 and Retry-After before anything is stored.",
    )
    command_admission_seconds: float = Field(
        default=1.0, description="How long a request may queue for one of those places."
    )

    # --- database connections (each process has its own pool) ---------------------------------
    database_pool_size: int = Field(default=5, description="Connections kept open per process.")
    database_max_overflow: int = Field(
        default=10, description="Extra connections a process may open under load."
    )
    database_pool_timeout_seconds: float = Field(
        default=10.0,
        description="How long a request waits for a free connection before it is answered "
        "503 with Retry-After.",
    )

    # --- sign-in (services/signin.py, services/throttle.py) ------------------------------------
    password_hash_workers: int = Field(
        default=2,
        description="Threads that check passwords (Argon2 is slow and memory-hard on purpose).",
    )
    password_hash_queue: int = Field(
        default=16,
        description="Sign-ins that may queue for those threads; more are answered 429.",
    )
    sign_in_per_address_per_minute: int = Field(
        default=30, description="Sign-in attempts from one network address a minute."
    )
    sign_in_per_account_per_minute: int = Field(
        default=10, description="Sign-in attempts for one email address a minute."
    )
    token_hours: int = 12
    max_request_bytes: int = Field(
        default=1024 * 1024,
        gt=0,
        description="The largest request body accepted (bigger ones are answered 413).",
    )
    swagger_ui_dir: Path = Field(
        default=PROJECT_ROOT / "node_modules" / "swagger-ui-dist",
        description="Swagger UI (npm swagger-ui-dist), served at /static/swagger for /docs.",
    )
    nhsuk_assets_dir: Path = Field(
        default=PROJECT_ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk",
        description="The built NHS.UK frontend (npm nhsuk-frontend), served at /static/nhsuk.",
    )

    # --- email (notifications/delivery.py) ---------------------------------------------------
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        default="none", description="'starttls' (port 587), 'tls' (implicit, port 465) or 'none'."
    )
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = 30.0
    mail_from_address: str = Field(
        default="community-voice@example.org",
        validation_alias=AliasChoices(
            "CVT_MAIL_FROM_ADDRESS", "CVT_MAIL_FROM", "mail_from_address"
        ),
        description="Every message is From the service; Reply-To names the relevant person.",
    )
    mail_from_name: str = "Community Voice"
    mail_delivery: bool = Field(
        default=True, description="Run outbox delivery in the worker process."
    )
    mail_poll_seconds: float = Field(default=1.0, description="How often the outbox is read.")
    mail_retry_initial_seconds: float = 30.0
    mail_retry_max_seconds: float = 3600.0
    mail_claim_seconds: float = Field(
        default=300.0,
        description="A claimed message not recorded within this time was being sent by a worker "
        "that stopped: it is looked at again (see notifications/delivery.py).",
    )
    mail_give_up_hours: float = Field(
        default=72.0,
        description="A recipient's server answering 'try later' for this long counts as a bounce.",
    )
    link_max_age_days: float = Field(
        default=60.0, description="Signed links in emails expire after this (each email renews)."
    )
    nhs_font: bool | None = Field(
        default=None,
        description="Load the NHS font (Frutiger) from assets.nhs.uk, the only place licensed to "
        "serve it. Unset: in production only. Off, pages use the font only if it is installed "
        "and otherwise Arial, and never wait on assets.nhs.uk (a machine that cannot reach it "
        "would hold every page's load event until the request gives up).",
    )
    dev_mail_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "mail",
        description="The development mail catcher's Maildir, shown at /dev/mail.",
    )

    def engine_options(self) -> dict[str, Any]:
        """Pool sizing for ``models.db.create_engine`` (an in-memory SQLite database has none)."""
        if self.database_url in ("sqlite://", "sqlite:///:memory:"):
            return {}
        return {
            "pool_size": self.database_pool_size,
            "max_overflow": self.database_max_overflow,
            "pool_timeout": self.database_pool_timeout_seconds,
        }

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Self:
        if self.environment != "development" and self.secret_key.get_secret_value() in (
            DEFAULT_SECRET,
            "",
        ):
            raise ValueError(
                "CVT_SECRET_KEY: set a long random secret outside development, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return self

    @model_validator(mode="after")
    def _refuse_dev_payload_key(self) -> Self:
        if self.environment == "development":
            if not self.payload_keys:
                self.payload_keys = dev_payload_keys()
            return self
        if not self.payload_keys:
            raise ValueError(f"CVT_PAYLOAD_KEYS: set real keys outside development: {FORMAT}")
        if any(k.secret.get_secret_value() == DEV_PAYLOAD_KEY for k in self.payload_keys):
            raise ValueError(
                "CVT_PAYLOAD_KEYS: the built-in development key is public; outside development "
                f"use keys of your own: {FORMAT}"
            )
        return self

    @property
    def serves_nhs_font(self) -> bool:
        return self.environment == "production" if self.nhs_font is None else self.nhs_font

    @property
    def loopback_only(self) -> bool:
        """Development (where the well-known default secret is allowed, and /dev/mail is open)
        answers this machine only. Outside it, the default secret is refused at once."""
        return self.environment == "development"

    def exposure_refusal(self, host: str) -> str | None:
        """Why the web app must not listen on ``host`` with these settings (None: it may)."""
        if not self.loopback_only or is_loopback(host):
            return None
        return (
            f"Refusing to listen on {host}: this is the development environment, where anyone "
            "who can reach the app could sign staff sessions and owners' links with the "
            "well-known default secret, and read the mail catcher. Development listens on "
            "127.0.0.1 only. To serve others, set CVT_ENVIRONMENT=production and CVT_SECRET_KEY "
            "to a long random secret (python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))')."
        )


def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost``: this machine only (``0.0.0.0`` is every address)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@lru_cache
def get_settings() -> Settings:
    return Settings()
