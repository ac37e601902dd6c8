"""How ``cvt`` fails: one clear line saying what to do, a non-zero exit, and nothing created.

``App`` is the root command. A command that meets a known problem (Temporal or the database
out of reach, settings refused, a file it cannot read) ends with one line from ``explain``; an
unexpected error ends with one line too, and ``CVT_DEBUG=1`` shows its traceback. Nothing here
imports the app: the modules an error came from are looked up in ``sys.modules``.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import typer

#: Exit codes: 1 the work could not be done (something out of reach, refused); 2 bad input.
UNAVAILABLE, BAD_INPUT = 1, 2


class Failure(Exception):
    """A failure the command has put in words already."""

    def __init__(self, message: str, code: int = UNAVAILABLE) -> None:
        super().__init__(message)
        self.code = code


def fail(lines: list[str] | str, code: int = BAD_INPUT) -> NoReturn:
    """Say what is wrong (each problem on its line) on stderr and exit with ``code``."""
    for line in [lines] if isinstance(lines, str) else lines:
        typer.echo(line, err=True)
    raise typer.Exit(code=code)


def _module_type(module: str, name: str) -> type[BaseException] | None:
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def _is(error: BaseException, module: str, name: str) -> bool:
    kind = _module_type(module, name)
    return kind is not None and isinstance(error, kind)


def _first_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return lines[0].strip() if lines else ""


def _temporal_address() -> str:
    return os.environ.get("CVT_TEMPORAL_ADDRESS") or "127.0.0.1:7233"


def _database() -> str:
    url = os.environ.get("CVT_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for the message; never fails the message itself
        return "the database"


def explain(error: BaseException) -> tuple[str, int] | None:
    """The line (and exit code) for a problem a person can fix; None for a bug."""
    if isinstance(error, Failure):
        return str(error), error.code
    text = str(error)
    if (isinstance(error, RuntimeError) and text.startswith("Failed client connect")) or _is(
        error, "temporalio.service", "RPCError"
    ):
        return (
            f"Cannot reach Temporal at {_temporal_address()}: start everything with 'make run' "
            "in the project folder, or set CVT_TEMPORAL_ADDRESS to where Temporal runs.",
            UNAVAILABLE,
        )
    if _is(error, "pydantic", "ValidationError") and "Settings" in getattr(error, "title", ""):
        problems = [
            str(e.get("msg", "")).removeprefix("Value error, ")
            for e in error.errors()  # type: ignore[attr-defined]
        ]
        return f"Settings refused: {'; '.join(problems)}", BAD_INPUT
    if _is(error, "sqlalchemy.exc", "DBAPIError"):
        cause = _first_line(getattr(error, "orig", None) or error)
        if "no such table" in cause or "does not exist" in cause:
            return (
                f"The database {_database()} has no tables yet: run 'cvt db upgrade' "
                "(make run does it).",
                UNAVAILABLE,
            )
        return (
            f"Cannot use the database {_database()}: {cause}. Check CVT_DATABASE_URL, or start "
            "everything with 'make run'.",
            UNAVAILABLE,
        )
    if isinstance(error, OSError) and error.filename is not None:
        return f"Cannot use {error.filename}: {error.strerror or error}.", UNAVAILABLE
    if isinstance(error, UnicodeDecodeError):
        return (
            "The file is not text in UTF-8: save it as UTF-8 (CSV UTF-8 in a spreadsheet) and "
            "run it again.",
            BAD_INPUT,
        )
    return None


class App(typer.Typer):
    """The root ``cvt`` command: every failure ends as one line (``explain``)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            super().__call__(*args, **kwargs)
            code: int | str | None = 0
        except SystemExit as done:
            code = done.code
        except Exception as error:
            if os.environ.get("CVT_DEBUG"):
                raise
            line, code = explain(error) or (
                f"cvt stopped on an unexpected error ({type(error).__name__}: "
                f"{_first_line(error)}). Run it again with CVT_DEBUG=1 to see where, and "
                "report it.",
                UNAVAILABLE,
            )
            typer.echo(line, err=True)
        _exit(code)


def _exit(code: int | str | None) -> NoReturn:
    """Exit with ``code``. Once the Temporal client has been loaded, skip the interpreter's
    teardown: its Rust threads can abort a finished process there ("PyGILState_Release",
    temporalio/sdk-python#300), turning a clean exit into a crash."""
    if "temporalio.bridge" not in sys.modules:
        sys.exit(code)
    if isinstance(code, str):
        typer.echo(code, err=True)
        code = UNAVAILABLE
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
