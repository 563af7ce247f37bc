"""The web application and the analytics store (``settings.ANALYTICS_STORE``, from
``YUSUAN_STORE`` or ``yusuan serve --store``): every budget the web app publishes (公开) goes into
the store, so that the portal's charts (``trends``) draw from the same store as ``yusuan query``.

A published budget is one source of the store, named ``yusuan-web:<部门编码>/<年度>``: publishing
an adjusted version (预算调整) replaces the earlier version's rows, never adds to them. The tables
are the core's (``tables.build_tables`` on ``convert.dataset_of``), written with
``analytics.store.replace_source``: its part and the compacted file atomically, under the store's
lock. The store is written after the publication's transaction commits; a failure there leaves
the budget published, is logged, and is made good by ``sync_published`` (run by ``yusuan serve``
at start, and by ``python -m yusuan.web.manage sync_store``). Beside each part a small file
(``parts/<key>.web``) names the budget state stored (``publication.fingerprint``), so that the
sync adds only what is missing or out of date.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction

from yusuan.analytics.store import dataset_source_info, part_path, replace_source
from yusuan.fsutil import atomic_write_text
from yusuan.web.budgets import models as db
from yusuan.web.budgets.publication import fingerprint, published_index

SOURCE_PREFIX = "yusuan-web:"
logger = logging.getLogger("yusuan.web.analytics")


def configured_store() -> Path | None:
    """The store the settings name, or None (no charts, nothing to add)."""
    store = getattr(settings, "ANALYTICS_STORE", None)
    return Path(store) if store else None


def source_of(budget: db.Budget) -> str:
    """The budget's source name in the store: one per department and year."""
    return f"{SOURCE_PREFIX}{budget.department.code}/{budget.year}"


def add_to_store(budget: db.Budget, store: Path) -> int:
    """Put the budget's disclosure tables into the store (replacing its department-year's
    earlier rows); the amounts written."""
    from yusuan.tables import build_tables
    from yusuan.web.budgets.convert import dataset_of

    dataset = dataset_of(budget)
    info = dataset_source_info(dataset, source_of(budget))
    count = replace_source(store, info, build_tables(dataset))
    atomic_write_text(_stamp_path(store, budget), fingerprint(budget) + "\n")
    return count


def _stamp_path(store: Path, budget: db.Budget) -> Path:
    return part_path(store, source_of(budget)).with_suffix(".web")


def stored_state(store: Path, budget: db.Budget) -> str:
    """The fingerprint of the budget state the store holds for its department-year ("": none)."""
    stamp = _stamp_path(store, budget)
    if not stamp.is_file() or not part_path(store, source_of(budget)).is_file():
        return ""
    return stamp.read_text("utf-8").strip()


def _add_published(budget_id: int) -> None:
    store = configured_store()
    if store is None:
        return
    budget = db.Budget.objects.select_related("department__region").get(pk=budget_id)
    try:
        count = add_to_store(budget, store)
    except Exception:  # the budget stays published; sync_published adds it later
        logger.exception(
            "分析库写入失败 / could not add budget %s to the store %s", budget_id, store
        )
        return
    logger.info(
        "budget %s (%s) added to the store %s: %s amounts",
        budget_id,
        source_of(budget),
        store,
        count,
    )


def on_published(budget: db.Budget) -> None:
    """Called inside the transaction that publishes ``budget``: once it commits, its tables go
    into the store (when one is configured)."""
    if configured_store() is not None:
        transaction.on_commit(functools.partial(_add_published, budget.pk))


def sync_published(store: Path, *, replace: bool = False) -> list[str]:
    """Add every published budget (the latest version of each department-year) the store does
    not hold in that state, or all of them with ``replace``; the sources written."""
    written = []
    for budget in published_index():
        if replace or stored_state(store, budget) != fingerprint(budget):
            add_to_store(budget, store)
            written.append(source_of(budget))
    return written
