"""The shared budget web application (issue #10): a Django project on yusuan's core.

Departments prepare their budgets here and the finance bureau reviews, approves and publishes
them. Every table, finding and published page is computed by the core (``yusuan.tables``,
``yusuan.rules``, ``yusuan.render``, ``yusuan.publish``) from the budget's rows, which are
converted to the core's ``Dataset`` records by ``budgets.convert``. See docs/web.md.
"""
