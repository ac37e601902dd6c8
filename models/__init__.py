"""Shared, import-safe domain package: tables, schemas, Temporal payloads and pure rules.

Importing anything here has no side effects: no engine, no environment reads, no network (only
the data files shipped in ``models/data`` are read).
"""
