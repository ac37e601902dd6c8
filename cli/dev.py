"""``cvt dev``: everything on one machine, with durable state under ``var/``.

Starts a Temporal dev server (SQLite file, web UI), migrates and seeds the database, loads the
demo sessions, then runs the worker, the web app and the mail catcher until Ctrl-C, starting
again any that stops (``cli/children.py``). Running it again resumes the same cases and timers.
The settings it gives them are written to ``var/dev-settings.json``, where every other ``cvt``
command finds them (``cli/local.py``). Ports: ``CVT_DEV_*_PORT``; the state folder:
``CVT_DEV_STATE_DIR``.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from cli import local
from cli.children import Child, watch
from cli.failures import Failure

PROJECT_ROOT = local.PROJECT
DEMO_FILE = PROJECT_ROOT / "demo" / "sessions-2022-12-to-2024-03.json"
#: The answers to the questions the demo file raises (see ``cvt import --decide``).
DEMO_DECISIONS = PROJECT_ROOT / "demo" / "decisions.json"
BIN = Path(sys.executable).parent


def _port(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise Failure(f"{name}: '{value}' is not a port; give a number such as {default}.", 2)
    return int(value)


@dataclass
class Ports:
    temporal: int = field(default_factory=lambda: _port("CVT_DEV_TEMPORAL_PORT", 7233))
    temporal_ui: int = field(default_factory=lambda: _port("CVT_DEV_TEMPORAL_UI_PORT", 8233))
    api: int = field(default_factory=lambda: _port("CVT_DEV_API_PORT", 8000))
    smtp: int = field(default_factory=lambda: _port("CVT_DEV_SMTP_PORT", 1025))


#: What ``cvt dev`` tells its processes, and the other ``cvt`` commands (``cli/local.py``).
SHARED = (
    "CVT_DATABASE_URL",
    "CVT_TEMPORAL_ADDRESS",
    "CVT_BASE_URL",
    "CVT_SMTP_HOST",
    "CVT_SMTP_PORT",
    "CVT_TEMPORAL_UI_ORIGINS",
    "CVT_DEV_MAIL_DIR",
)


def environment(ports: Ports, state: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("CVT_ENVIRONMENT", "development")
    env.setdefault("CVT_DATABASE_URL", local.default_database_url(state))
    env.setdefault("CVT_DEV_MAIL_DIR", str(state / "mail"))
    env.setdefault("CVT_TEMPORAL_ADDRESS", f"127.0.0.1:{ports.temporal}")
    env.setdefault("CVT_BASE_URL", f"http://127.0.0.1:{ports.api}")
    env.setdefault("CVT_SMTP_HOST", "127.0.0.1")
    env.setdefault("CVT_SMTP_PORT", str(ports.smtp))
    env.setdefault("CVT_TEMPORAL_UI_ORIGINS", f"http://127.0.0.1:{ports.temporal_ui}")
    return env


def children(ports: Ports, state: Path, env: dict[str, str]) -> list[Child]:
    python = sys.executable
    return [
        Child(
            "temporal",
            "Temporal dev server",
            [
                str(BIN / "temporal"),
                "server",
                "start-dev",
                "--db-filename",
                str(state / "temporal.db"),
                "--ip",
                "127.0.0.1",
                "--port",
                str(ports.temporal),
                "--ui-port",
                str(ports.temporal_ui),
                # Payloads are encrypted: the UI asks the app's codec (staff sign-in).
                "--ui-codec-endpoint",
                f"http://127.0.0.1:{ports.api}/codec",
                "--sqlite-pragma",
                "journal_mode=WAL",
                "--sqlite-pragma",
                "synchronous=NORMAL",
                "--log-level",
                "warn",
            ],
            restart=False,
            cwd=PROJECT_ROOT,
            log_dir=state,
        ),
        Child(
            "mail",
            "mail catcher",
            [
                *(python, "-m", "notifications.catcher"),
                *("--port", str(ports.smtp), "--maildir", env["CVT_DEV_MAIL_DIR"]),
            ],
            may_stop=True,
            cwd=PROJECT_ROOT,
            log_dir=state,
        ),
        Child("worker", "worker", [python, "-m", "worker"], cwd=PROJECT_ROOT, log_dir=state),
        Child(
            "api",
            "web app",
            [
                python,
                "-m",
                "uvicorn",
                "api.main:app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(ports.api),
            ],
            cwd=PROJECT_ROOT,
            log_dir=state,
        ),
    ]


def _port_busy(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not _port_busy(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing answered on port {port} after {timeout:.0f}s")
        time.sleep(0.2)


def prepare(env: dict[str, str]) -> None:
    """Migrate, seed, and load the demo sessions (all idempotent)."""
    os.environ.update(env)
    from models.settings import get_settings

    get_settings.cache_clear()
    from cli.connect import commands
    from cli.seed import seed
    from models.audit import Actor, ActorKind
    from models.db import create_engine, migrate, session_factory
    from services.import_files import read_file
    from services.importer import import_sessions

    engine = create_engine(env["CVT_DATABASE_URL"])
    migrate(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        seed(session)

    async def load_demo() -> None:
        items = read_file(
            DEMO_FILE.name,
            DEMO_FILE.read_text(),
            board="tht",
            decisions=json.loads(DEMO_DECISIONS.read_text()),
        )
        actor = Actor(kind=ActorKind.importer, name=f"Import of {DEMO_FILE.name}")
        report = await import_sessions(
            await commands(), items, board="tht", actor=actor, dry_run=False
        )
        new = sum(1 for s in report.sessions if s.status == "imported")
        print(f"  demo sessions: {new} imported, {len(report.sessions) - new} already there")

    asyncio.run(load_demo())
    engine.dispose()


def run() -> int:
    ports = Ports()
    state = local.state_dir()
    state.mkdir(parents=True, exist_ok=True)
    for name, port in vars(ports).items():
        if _port_busy(port):
            print(f"Port {port} ({name}) is in use: stop what runs there, or set CVT_DEV_*_PORT.")
            return 1
    env = environment(ports, state)
    procs = children(ports, state, env)
    stopping = False
    code: int | None = None

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        print(f"Starting Community Voice (logs in {state}/*.log) …", flush=True)
        procs[0].start(env)
        _wait_for_port(ports.temporal)
        prepare(env)
        for child in procs[1:]:
            child.start(env)
        _wait_for_port(ports.api)
        settings = local.write_settings(state, env, SHARED)
        print(
            f"""
  Community Voice is running.
    Web app and API:  http://127.0.0.1:{ports.api}/        (API docs: /docs)
    Mail catcher:     http://127.0.0.1:{ports.api}/dev/mail
    Temporal web UI:  http://127.0.0.1:{ports.temporal_ui}/
      (payloads are encrypted: to read them there, see "Encrypted Temporal payloads" in README)
  Staff sign-in (demo): lead@example.org, cvlead@example.org, admin@example.org,
    viewer@example.org — password: community-voice-demo
  Other cvt commands (.venv/bin/cvt) use these settings from any folder ({settings.name}).
  Press Ctrl-C to stop. Running it again resumes the same cases and timers.
""",
            flush=True,
        )
        while not stopping and code is None:
            code = watch(procs, env, lambda line: print(line, flush=True))
            time.sleep(0.5)
    finally:
        print("Stopping …", flush=True)
        for child in reversed(procs):
            child.stop()
        print("Stopped.", flush=True)
    return code or 0
