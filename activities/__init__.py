"""Temporal activities: all the I/O workflows need (database writes, email)."""
