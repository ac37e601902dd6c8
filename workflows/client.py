"""Connecting to Temporal with the converter every process must share (``workflows/codec.py``)."""

from __future__ import annotations

from temporalio.client import Client

from models.settings import Settings
from workflows.codec import data_converter


async def connect(settings: Settings, *, lazy: bool = False) -> Client:
    """``lazy``: do not connect until first used (the API starts even while Temporal is down)."""
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings.payload_keys),
        lazy=lazy,
    )
