"""Development settings (with their well-known secret) only ever listen on this machine."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models.settings import DEFAULT_SECRET, Settings, is_loopback
from tests.temporal import TEST_PAYLOAD_KEYS

SECRET = "a-long-random-secret-" + "x" * 30


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_addresses(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "cv.example.nhs.uk"])  # noqa: S104
def test_other_addresses(host: str) -> None:
    assert not is_loopback(host)


def test_development_listens_on_loopback_only_and_says_how_to_serve_others() -> None:
    dev = Settings(environment="development", _env_file=None)  # type: ignore[call-arg]
    assert dev.secret_key.get_secret_value() == DEFAULT_SECRET
    assert dev.exposure_refusal("127.0.0.1") is None
    refusal = dev.exposure_refusal("0.0.0.0")  # noqa: S104
    assert refusal is not None
    assert "Refusing to listen on 0.0.0.0" in refusal
    assert "CVT_ENVIRONMENT=production" in refusal and "CVT_SECRET_KEY" in refusal
    with_secret = Settings(environment="development", secret_key=SECRET, _env_file=None)  # type: ignore[call-arg]
    assert with_secret.exposure_refusal("0.0.0.0") is not None, "development: loopback only"  # noqa: S104


def test_outside_development_a_real_secret_may_serve_others() -> None:
    """(The default secret cannot get this far: outside development it is refused at once.)"""
    served = Settings(
        environment="test",
        secret_key=SECRET,
        payload_keys=TEST_PAYLOAD_KEYS,
        _env_file=None,  # type: ignore[call-arg]
    )
    assert served.exposure_refusal("0.0.0.0") is None  # noqa: S104
    with pytest.raises(ValidationError, match="CVT_SECRET_KEY"):
        Settings(environment="production", _env_file=None)  # type: ignore[call-arg]


def test_the_nhs_font_comes_from_assets_nhs_uk_in_production_unless_set() -> None:
    def settings(environment: str, **extra: object) -> Settings:
        return Settings(
            environment=environment,  # type: ignore[arg-type]
            secret_key=SECRET,
            payload_keys=TEST_PAYLOAD_KEYS,
            _env_file=None,  # type: ignore[call-arg]
            **extra,  # type: ignore[arg-type]
        )

    assert settings("production").serves_nhs_font
    assert not settings("test").serves_nhs_font
    assert not settings("production", nhs_font=False).serves_nhs_font
    assert settings("test", nhs_font=True).serves_nhs_font
