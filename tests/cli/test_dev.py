"""``cvt dev`` as a person runs it (a real process on free ports, its state in a temporary folder):
a worker that dies is started again and the app keeps answering, and the other ``cvt`` commands,
run from another folder with no settings, find what it runs."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.cli.process import CVT, bare_environment, run_cvt
from tests.live import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]


def children_of(pid: int) -> dict[int, str]:
    """The processes whose parent is ``pid``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, IndexError, ValueError):
            continue
    return {k: v.decode() for k, v in found.items()}


def worker_pid(pid: int) -> int:
    [worker] = [child for child, line in children_of(pid).items() if " -m worker" in line]
    return worker


class Console:
    """The lines ``cvt dev`` prints, read as they come."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert process.stdout is not None
        self.stdout = process.stdout
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 400) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1).rstrip("\n")
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"'{text}' not printed in {timeout} s: {self.seen}")


def test_a_killed_worker_is_restarted_and_other_commands_find_the_settings(
    tmp_path: Path,
) -> None:
    ports = {name: free_port() for name in ("TEMPORAL", "TEMPORAL_UI", "API", "SMTP")}
    state = tmp_path / "state"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = bare_environment(
        state, PYTHONUNBUFFERED="1", **{f"CVT_DEV_{k}_PORT": str(v) for k, v in ports.items()}
    )
    process = subprocess.Popen(
        [CVT, "dev"],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    console = Console(process)
    try:
        console.wait_for("Community Voice is running.")
        written = json.loads((state / "dev-settings.json").read_text())
        assert written["pid"] == process.pid
        assert written["settings"]["CVT_TEMPORAL_ADDRESS"] == f"127.0.0.1:{ports['TEMPORAL']}"

        first = worker_pid(process.pid)
        os.kill(first, signal.SIGKILL)
        line = console.wait_for("The worker stopped")
        assert line == (
            "The worker stopped (exit -9); starting it again in 1 s (restart 1 of 5). See "
            f"{state / 'worker.log'}."
        )
        console.wait_for("Started the worker again.")
        assert worker_pid(process.pid) != first
        with urllib.request.urlopen(f"http://127.0.0.1:{ports['API']}/sign-in", timeout=30) as page:
            assert page.status == 200

        # Another folder, no CVT_ settings: the database and Temporal of this cvt dev are found.
        found = run_cvt("report", "schedules", cwd=elsewhere, env=bare_environment(state))
        assert found.returncode == 0, found.stderr
        assert "tht: quarterly, ELG digest and annual schedules set." in found.stdout
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)
    console.wait_for("Stopped.")
    assert process.returncode == 0
