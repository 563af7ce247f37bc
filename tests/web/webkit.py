"""Helpers the web tests share."""

from __future__ import annotations

from typing import Any

from django.test import Client


def client_for(user: Any = None, **options: Any) -> Client:
    """A test client, logged in as ``user`` when one is given."""
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client
