"""``cvt dev``: everything on one machine, with durable state under ``var/``.

Starts a Temporal dev server (SQLite file, web UI), migrates and seeds the database, loads the
demo sessions, then runs the worker, the web app and the mail catcher until Ctrl-C. Running it
again resumes the same cases and timers.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from models.settings import PROJECT_ROOT

VAR = PROJECT_ROOT / "var"
DEMO_FILE = PROJECT_ROOT / "demo" / "sessions-2022-12-to-2024-03.json"
#: The answers to the questions the demo file raises (see ``cvt import --decide``).
DEMO_DECISIONS = PROJECT_ROOT / "demo" / "decisions.json"
BIN = Path(sys.executable).parent


@dataclass
class Ports:
    temporal: int = int(os.environ.get("CVT_DEV_TEMPORAL_PORT", "7233"))
    temporal_ui: int = int(os.environ.get("CVT_DEV_TEMPORAL_UI_PORT", "8233"))
    api: int = int(os.environ.get("CVT_DEV_API_PORT", "8000"))
    smtp: int = int(os.environ.get("CVT_DEV_SMTP_PORT", "1025"))


@dataclass
class Child:
    name: str
    args: list[str]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, env: dict[str, str]) -> None:
        log = open(VAR / f"{self.name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            self.args,
            env=env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def environment(ports: Ports) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("CVT_ENVIRONMENT", "development")
    env.setdefault("CVT_DATABASE_URL", f"sqlite:///{VAR / 'community-voice.db'}")
    env.setdefault("CVT_TEMPORAL_ADDRESS", f"127.0.0.1:{ports.temporal}")
    env.setdefault("CVT_BASE_URL", f"http://127.0.0.1:{ports.api}")
    env.setdefault("CVT_SMTP_HOST", "127.0.0.1")
    env.setdefault("CVT_SMTP_PORT", str(ports.smtp))
    env.setdefault("CVT_TEMPORAL_UI_ORIGINS", f"http://127.0.0.1:{ports.temporal_ui}")
    return env


def children(ports: Ports) -> list[Child]:
    python = sys.executable
    return [
        Child(
            "temporal",
            [
                str(BIN / "temporal"),
                "server",
                "start-dev",
                "--db-filename",
                str(VAR / "temporal.db"),
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
        ),
        Child("mail", [python, "-m", "notifications.catcher", "--port", str(ports.smtp)]),
        Child("worker", [python, "-m", "worker"]),
        Child(
            "api",
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


_reported: set[int] = set()


def _mail_catcher_stopped(child: Child, ports: Ports) -> bool:
    """The mail catcher may be stopped (to see an SMTP outage): the rest keeps running, mail
    waits in the outbox and goes out once a catcher listens on the port again."""
    process = child.process
    if process is None or process.poll() is None:
        return False
    if process.pid not in _reported:
        _reported.add(process.pid)
        print(
            f"The mail catcher stopped (exit {process.returncode}). Mail waits in the outbox and "
            f"is sent when it is back: .venv/bin/python -m notifications.catcher --port "
            f"{ports.smtp}"
        )
    return True


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
    VAR.mkdir(exist_ok=True)
    for name, port in vars(ports).items():
        if _port_busy(port):
            print(f"Port {port} ({name}) is in use: stop what runs there, or set CVT_DEV_*_PORT.")
            return 1
    env = environment(ports)
    procs = children(ports)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        print("Starting Community Voice (logs in var/*.log) …")
        procs[0].start(env)
        _wait_for_port(ports.temporal)
        prepare(env)
        for child in procs[1:]:
            child.start(env)
        _wait_for_port(ports.api)
        print(
            f"""
  Community Voice is running.
    Web app and API:  http://127.0.0.1:{ports.api}/        (API docs: /docs)
    Mail catcher:     http://127.0.0.1:{ports.api}/dev/mail
    Temporal web UI:  http://127.0.0.1:{ports.temporal_ui}/
      (payloads are encrypted: to read them there, see "Encrypted Temporal payloads" in README)
  Staff sign-in (demo): lead@example.org, cvlead@example.org, admin@example.org,
    viewer@example.org — password: community-voice-demo
  Press Ctrl-C to stop. Running it again resumes the same cases and timers.
"""
        )
        while not stopping:
            for child in procs:
                if child.name == "mail" and _mail_catcher_stopped(child, ports):
                    continue
                if child.process is not None and child.process.poll() is not None:
                    print(
                        f"{child.name} stopped (exit {child.process.returncode}); "
                        f"see var/{child.name}.log"
                    )
                    stopping = True
            time.sleep(0.5)
    finally:
        print("Stopping …")
        for child in reversed(procs):
            child.stop()
        print("Stopped.")
    return 0
