"""``python -m yusuan.web.manage sync_store [--all]``: put every published budget into the
analytics store (``YUSUAN_STORE``) that it does not hold in its published state."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yusuan.web.budgets.analytics_store import configured_store, sync_published


class Command(BaseCommand):
    help = "把已公开的预算写入分析库 / put the published budgets into the analytics store"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="全部重写 / rewrite every published budget"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        store = configured_store()
        if store is None:
            raise CommandError("未配置分析库（YUSUAN_STORE）/ no analytics store configured")
        written = sync_published(store, replace=bool(options["all"]))
        self.stdout.write(f"已写入分析库 / added to {store}: {len(written)} budgets")
