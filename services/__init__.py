"""The application layer: what the web app, the command line and the worker all do.

Commands and the inbox, intake, import and export, reports, the directory, reads for pages,
signed links, sign-in, and what to do about a bounce. It stands on ``workflows``,
``activities``, ``notifications`` and ``models``, and imports nothing from ``api``, ``cli`` or
``worker``.
"""
