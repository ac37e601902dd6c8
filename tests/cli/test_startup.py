"""``cvt --help`` and a mistyped command answer at once: the CLI imports the app only inside the
command that runs (a real process each time)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CVT = str(Path(sys.executable).parent / "cvt")
HEAVY = ("temporalio", "api.main", "sqlmodel", "sqlalchemy", "matplotlib", "fpdf", "services")

#: Runs the real ``cvt`` app in a fresh interpreter for each argument list, then prints which
#: modules were loaded (as JSON).
PROBE = """
import json, sys
from cli.main import app
for args in json.loads(sys.argv[1]):
    try:
        app(args, prog_name="cvt")
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)))
"""


def loaded_modules(*runs: list[str]) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(runs)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)


def test_help_of_every_command_imports_none_of_the_app() -> None:
    helps = [
        [*path, "--help"]
        for path in (
            [],
            ["dev"],
            ["import"],
            ["export"],
            ["case", "start"],
            ["user", "add"],
            ["report"],
            ["report", "quarterly"],
            ["report", "redraft"],
            ["mail", "list"],
            ["db", "upgrade"],
        )
    ]
    assert heavy(loaded_modules(*helps)) == []


def test_argument_errors_import_none_of_the_app() -> None:
    mistakes = [
        ["report", "quarterly"],  # --meeting missing
        ["import", "no-such-file.json"],
        ["case", "start"],
        ["no-such-command"],
        ["export", "--format"],
    ]
    assert heavy(loaded_modules(*mistakes)) == []


def test_cvt_help_lists_the_commands_and_a_mistake_says_what_is_missing() -> None:
    shown = subprocess.run([CVT, "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0
    for command in ("dev", "import", "export", "case", "report", "user", "mail", "db"):
        assert f"\n  {command} " in shown.stdout
    mistake = subprocess.run(
        [CVT, "report", "quarterly"], capture_output=True, text=True, timeout=60
    )
    assert mistake.returncode == 2
    assert "Missing option '--meeting'" in mistake.stderr
