"""The processes ``cvt dev`` runs, and what it does when one stops.

A worker, web app or mail catcher that stops is started again after a pause that doubles each
time (1, 2, 4, 8, 16 seconds), and the console says so. One that stops five times in a row
(each time within a minute of starting) is given up: ``cvt dev`` stops everything and exits
with 1. The Temporal dev server is not restarted (everything else depends on it). A mail catcher
stopped on purpose (Ctrl-C or ``kill``, to see an SMTP outage) is left stopped.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: Exit codes of a process stopped on purpose (SIGTERM, SIGINT).
ON_PURPOSE = (-signal.SIGTERM, -signal.SIGINT)


@dataclass
class Child:
    name: str
    label: str
    args: list[str]
    cwd: Path
    log_dir: Path
    restart: bool = True
    #: May be left stopped when stopped on purpose (the mail catcher, to see an outage).
    may_stop: bool = False
    first_delay: float = 1.0
    limit: int = 5
    stable_after: float = 60.0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    started_at: float = 0.0
    restarts: int = 0
    restart_at: float | None = None
    left_stopped: bool = False

    @property
    def log(self) -> Path:
        return self.log_dir / f"{self.name}.log"

    def start(self, env: dict[str, str]) -> None:
        log = open(self.log, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            self.args,
            env=env,
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()  # the child holds its own copy
        self.started_at = time.monotonic()
        self.restart_at = None

    def exit_code(self) -> int | None:
        """The exit code once the process has stopped (None while it runs or waits to)."""
        if self.process is None or self.restart_at is not None or self.left_stopped:
            return None
        return self.process.poll()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def watch(children: list[Child], env: dict[str, str], say: Callable[[str], None]) -> int | None:
    """One look at every child: restart what is due, schedule what stopped; the exit code of
    ``cvt dev`` once it must give up (None: carry on)."""
    now = time.monotonic()
    for child in children:
        if child.restart_at is not None and now >= child.restart_at:
            child.start(env)
            say(f"Started the {child.label} again.")
            continue
        code = child.exit_code()
        if code is None:
            continue
        if not child.restart:
            say(f"The {child.label} stopped (exit {code}); stopping everything. See {child.log}.")
            return 1
        if child.may_stop and code in ON_PURPOSE:
            child.left_stopped = True
            say(
                f"The {child.label} was stopped. Mail waits in the outbox and is sent when it is "
                f"back: {' '.join(child.args)}"
            )
            continue
        if now - child.started_at >= child.stable_after:
            child.restarts = 0
        if child.restarts >= child.limit:
            say(
                f"The {child.label} stopped {child.limit} times in a row (last exit {code}): "
                f"giving up and stopping everything. See {child.log}."
            )
            return 1
        delay = child.first_delay * 2**child.restarts
        child.restarts += 1
        child.restart_at = now + delay
        say(
            f"The {child.label} stopped (exit {code}); starting it again in {delay:g} s "
            f"(restart {child.restarts} of {child.limit}). See {child.log}."
        )
    return None
