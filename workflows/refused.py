"""``Refused``: a command that cannot apply, raised by the case and action rules.

One class shared by every rule module and ``workflows.base.apply_once`` (which records the
refusal as the command's outcome); the worker passes this module through the sandbox so that
it stays one class.
"""

from __future__ import annotations


class Refused(Exception):
    """A command that cannot apply; its message is shown to the person who sent it."""
