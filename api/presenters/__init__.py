"""Presenters: turn domain values into what pages show, so templates hold no logic."""
