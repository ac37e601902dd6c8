"""Which installation a ``cvt`` command works on, from any folder.

``cvt dev`` (``make run``) keeps its state in the project's ``var/`` (or ``CVT_DEV_STATE_DIR``)
and writes the settings it gave its processes to ``var/dev-settings.json``. Every other command
reads them while that ``cvt dev`` is running, so it reaches the same database, Temporal and
mail catcher whatever ports were chosen. What the environment (or a ``.env`` file) sets always
wins. With neither, the database is the project's ``var/community-voice.db``, not one in the
current folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
STATE_ENV = "CVT_DEV_STATE_DIR"
SETTINGS_FILE = "dev-settings.json"
DATABASE_KEYS = ("CVT_DATABASE_URL", "DATABASE_URL")


def state_dir() -> Path:
    """Where ``cvt dev`` keeps the databases, the caught mail, the logs and its settings."""
    return Path(os.environ.get(STATE_ENV) or PROJECT / "var").resolve()


def default_database_url(state: Path) -> str:
    return f"sqlite:///{state / 'community-voice.db'}"


def write_settings(state: Path, env: dict[str, str], keys: tuple[str, ...]) -> Path:
    """Record what ``cvt dev`` (process ``os.getpid()``) gave its children; only its owner
    may read it, as a database URL may hold a password."""
    path = state / SETTINGS_FILE
    settings = {key: env[key] for key in keys if env.get(key)}
    path.touch(mode=0o600)
    path.write_text(json.dumps({"pid": os.getpid(), "settings": settings}, indent=2) + "\n")
    return path


def running_settings(state: Path) -> dict[str, str]:
    """The settings of the ``cvt dev`` that is running now (none if it is not)."""
    try:
        data = json.loads((state / SETTINGS_FILE).read_text())
        pid, settings = int(data["pid"]), dict(data["settings"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return {}
    except PermissionError:
        pass  # another user's process: it is running
    return {str(k): str(v) for k, v in settings.items()}


def _dotenv(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k.upper(): v for k, v in dotenv_values(path).items() if v}


def apply() -> None:
    """Fill in the CVT_* variables nothing else sets: the project's ``.env`` (when the current
    folder has none), then a running ``cvt dev``'s settings, then the project's database."""
    here = _dotenv(Path(".env"))
    project = {} if here or Path.cwd().resolve() == PROJECT else _dotenv(PROJECT / ".env")
    given = {k for k, v in os.environ.items() if v} | set(here)
    for key, value in project.items():
        if key not in given:
            os.environ[key] = value
            given.add(key)
    state = state_dir()
    defaults = running_settings(state)
    defaults.setdefault("CVT_DATABASE_URL", default_database_url(state))
    for key, value in defaults.items():
        if key in DATABASE_KEYS and given & set(DATABASE_KEYS):
            continue
        if key not in given:
            os.environ[key] = value
