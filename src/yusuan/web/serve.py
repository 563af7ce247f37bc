"""``yusuan serve``: migrate, load the example and demo users on the first start, then serve."""

from __future__ import annotations

from collections.abc import Iterator


def prepare() -> Iterator[str]:
    """Set up Django, migrate, load the demo once; yields lines to print."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    from yusuan.web.budgets.demo import load_demo

    users = load_demo()
    if users:
        yield "已载入示例 examples/linfen-2021 与演示用户（密码只显示这一次）/ demo users (shown once):"
        for user in users:
            yield f"  {user.name:<11} {user.password}  {user.role}（{user.scope}）"
    from yusuan.web.budgets.analytics_store import configured_store, sync_published

    store = configured_store()
    if store is not None:
        added = sync_published(store)
        yield f"分析库 / analytics store: {store}（新写入已公开预算 / published budgets added: {len(added)}）"


def run(host: str, port: int) -> None:
    from django.core.management import call_command

    print(f"http://{host}:{port}/  （Ctrl+C 停止 / to stop）", flush=True)
    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
