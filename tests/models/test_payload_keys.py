"""CVT_PAYLOAD_KEYS: read newest first, each mistake named with its fix (and never echoed), the
development key only in development, real keys required everywhere else."""

from __future__ import annotations

import base64
import os

import pytest
from pydantic import ValidationError

from models.payload_keys import DEV_PAYLOAD_KEY, DEV_PAYLOAD_KEY_ID, read_payload_keys
from models.settings import Settings

SECRET = "s" * 48


def key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def settings(**values: object) -> Settings:
    return Settings.model_validate({"secret_key": SECRET, **values})


def test_keys_are_read_newest_first():
    new, old = key(), key()
    keys = read_payload_keys(f" 2026-05:{new} , 2025-11:{old} ")
    assert [k.id for k in keys] == ["2026-05", "2025-11"]
    assert keys[0].secret.get_secret_value() == base64.b64decode(new)
    assert new not in repr(keys)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("just-a-key", "key 1 has no valid name before its colon"),
        (f"a b:{key()}", "key 1 has no valid name"),
        ("2026-05:not base64!", "key '2026-05' is not base64"),
        (f"2026-05:{base64.b64encode(os.urandom(16)).decode()}", "is 16 bytes; each must be 32"),
        (f"a:{key()},a:{key()}", "the name 'a' is listed twice"),
    ],
    ids=["no name", "bad name", "not base64", "too short", "twice"],
)
def test_a_badly_written_key_is_refused_with_the_fix_and_without_echoing_it(text, says):
    with pytest.raises(ValidationError) as refused:
        settings(environment="production", payload_keys=text)
    message = str(refused.value)
    assert "CVT_PAYLOAD_KEYS" in message and says in message
    assert "ID:KEY" in message and "os.urandom(32)" in message
    assert text.split(":")[-1] not in message


def test_development_uses_the_built_in_key_when_none_is_set():
    keys = settings(environment="development").payload_keys
    assert [(k.id, k.secret.get_secret_value()) for k in keys] == [
        (DEV_PAYLOAD_KEY_ID, DEV_PAYLOAD_KEY)
    ]


def test_development_uses_keys_it_is_given():
    assert [k.id for k in settings(payload_keys=f"mine:{key()}").payload_keys] == ["mine"]


@pytest.mark.parametrize("environment", ["test", "production"])
def test_outside_development_keys_are_required(environment):
    with pytest.raises(
        ValidationError, match="CVT_PAYLOAD_KEYS: set real keys outside development"
    ):
        settings(environment=environment)


def test_outside_development_the_public_development_key_is_refused():
    dev = base64.b64encode(DEV_PAYLOAD_KEY).decode()
    with pytest.raises(ValidationError, match="the built-in development key is public"):
        settings(environment="production", payload_keys=f"2026-05:{key()},old:{dev}")


def test_keys_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("CVT_ENVIRONMENT", "production")
    monkeypatch.setenv("CVT_SECRET_KEY", SECRET)
    monkeypatch.setenv("CVT_PAYLOAD_KEYS", f"2026-05:{key()},2025-11:{key()}")
    monkeypatch.setenv("CVT_TEMPORAL_UI_ORIGINS", "https://temporal.example.org, http://x:8233")
    loaded = Settings()
    assert [k.id for k in loaded.payload_keys] == ["2026-05", "2025-11"]
    assert loaded.temporal_ui_origins == ("https://temporal.example.org", "http://x:8233")
