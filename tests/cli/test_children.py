"""What ``cvt dev`` does when one of its processes stops (real processes, a short back-off)."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

from cli.children import Child, watch


def child(tmp_path: Path, code: str, **options: object) -> Child:
    return Child(
        "worker",
        "worker",
        [sys.executable, "-c", code],
        cwd=tmp_path,
        log_dir=tmp_path,
        first_delay=0.05,
        **options,  # type: ignore[arg-type]
    )


def watch_until(
    children: list[Child], said: list[str], done: object, timeout: float = 60
) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = watch(children, {}, said.append)
        if code is not None or done(said):  # type: ignore[operator]
            return code
        time.sleep(0.05)
    raise AssertionError(f"nothing happened in {timeout} s: {said}")


def test_a_child_that_keeps_stopping_is_restarted_with_back_off_then_given_up(
    tmp_path: Path,
) -> None:
    worker = child(tmp_path, "import sys; sys.exit(3)", limit=2)
    worker.start({})
    said: list[str] = []
    assert watch_until([worker], said, lambda _: False) == 1
    log = tmp_path / "worker.log"
    assert said == [
        f"The worker stopped (exit 3); starting it again in 0.05 s (restart 1 of 2). See {log}.",
        "Started the worker again.",
        f"The worker stopped (exit 3); starting it again in 0.1 s (restart 2 of 2). See {log}.",
        "Started the worker again.",
        f"The worker stopped 2 times in a row (last exit 3): giving up and stopping everything. "
        f"See {log}.",
    ]


def test_a_child_that_ran_a_while_starts_counting_again(tmp_path: Path) -> None:
    worker = child(tmp_path, "import sys; sys.exit(3)", limit=1, stable_after=0.0)
    worker.start({})
    said: list[str] = []
    watch_until([worker], said, lambda s: len(s) >= 6)
    assert said[4].startswith("The worker stopped (exit 3); starting it again in 0.05 s (restart 1")


def test_the_temporal_server_stopping_stops_everything(tmp_path: Path) -> None:
    server = child(tmp_path, "import sys; sys.exit(1)", restart=False)
    server.label = "Temporal dev server"
    server.start({})
    said: list[str] = []
    assert watch_until([server], said, lambda _: False) == 1
    assert said == [
        f"The Temporal dev server stopped (exit 1); stopping everything. See "
        f"{tmp_path / 'worker.log'}."
    ]


def test_a_mail_catcher_stopped_on_purpose_is_left_stopped(tmp_path: Path) -> None:
    catcher = child(tmp_path, "import time; time.sleep(60)", may_stop=True)
    catcher.label = "mail catcher"
    catcher.start({})
    assert catcher.process is not None
    catcher.process.send_signal(signal.SIGTERM)
    catcher.process.wait()
    said: list[str] = []
    assert watch_until([catcher], said, lambda s: bool(s)) is None
    assert said[0].startswith("The mail catcher was stopped. Mail waits in the outbox")
    assert watch([catcher], {}, said.append) is None and len(said) == 1
