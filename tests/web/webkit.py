"""Helpers the web tests share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client


def client_for(user: Any = None, **options: Any) -> Client:
    """A test client, logged in as ``user`` when one is given."""
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client


def line_data(line: Any, **changes: object) -> dict[str, object]:
    """A budget line as form or API input (amount in exact 元), with some fields changed."""
    data: dict[str, object] = {
        "unit_code": line.unit_code,
        "function_code": line.function_code,
        "economic_code": line.economic_code,
        "source": line.source,
        "kind": line.kind,
        "category": line.category,
        "project": line.project,
        "amount": str(Decimal(line.amount_fen).scaleb(-2)),
        "note": line.note,
        "revision": line.revision,
    }
    data.update(changes)
    return data
