"""Helpers the web tests share."""

from __future__ import annotations

import re
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


def live_check(client: Client, url: str, data: dict[str, object]) -> dict[str, str]:
    """Post a form's data as the htmx live check does; the answer's boxes by id: ``general`` for
    the form's own box (the swap target), ``findings-…`` for the boxes sent out of band."""
    response = client.post(url, {**data, "_check": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    general, _, rest = text.partition("\n")
    boxes = dict(
        re.findall(r'^<div id="(findings-[^"]+)" hx-swap-oob="innerHTML">(.*)</div>$', rest, re.M)
    )
    boxes["general"] = general
    return boxes
