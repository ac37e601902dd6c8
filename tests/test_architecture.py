"""The floors hold: every import runs down the house (``[tool.importlinter]`` in pyproject.toml).

``models`` → ``activities``, ``notifications`` → ``workflows`` → ``services`` → ``api``,
``cli``, ``worker``; and ``api`` and ``cli`` never import each other. See ARCHITECTURE.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=where,
        env={**os.environ, "PYTHONPATH": str(where)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_import_runs_down_the_floors() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_floors_are_the_five_of_architecture_md() -> None:
    (layers,) = [c["layers"] for c in CONFIG["contracts"] if c["type"] == "layers"]
    assert layers == [
        "api | cli | worker",
        "services",
        "workflows",
        "activities : notifications",
        "models",
    ]
    assert set(CONFIG["root_packages"]) == {
        "models", "activities", "notifications", "workflows", "services", "api", "cli", "worker",
    }  # fmt: skip


def test_a_wrong_way_import_breaks_the_contract(tmp_path: Path) -> None:
    """The guard itself: a copy of the code with one import running up the house fails."""
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=lambda _, names: [n for n in names if not (n.endswith(".py") or "." not in n)],
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    assert lint_imports(tmp_path).returncode == 0
    with (tmp_path / "models" / "formatting.py").open("a") as module:
        module.write("\nfrom services import errors  # noqa: E402 - the wrong way\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert "models is not allowed to import services" in result.stdout
    assert "models.formatting -> services.errors" in result.stdout
