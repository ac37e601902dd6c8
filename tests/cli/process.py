"""``cvt`` as a person runs it: the installed command in a real process, from a folder of the
test's choosing, with only the settings the test gives (none from the developer's shell)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CVT = str(Path(sys.executable).parent / "cvt")
PROJECT = Path(__file__).resolve().parents[2]
DEMO = PROJECT / "demo" / "sessions-2022-12-to-2024-03.json"
DECISIONS = PROJECT / "demo" / "decisions.json"


def bare_environment(state: Path, **settings: str) -> dict[str, str]:
    """The shell's environment without any CVT_ setting; ``cvt dev``'s state in ``state``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CVT_") and k != "DATABASE_URL"}
    return {**env, "CVT_DEV_STATE_DIR": str(state), **settings}


def run_cvt(
    *args: str, cwd: Path, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CVT, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def files_under(folder: Path) -> list[str]:
    """Everything in ``folder`` (relative paths), to show a command created nothing."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
