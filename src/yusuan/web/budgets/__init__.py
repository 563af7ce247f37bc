"""The budgets app: organisations, budgets and their rows, roles, workflow, entry and portal."""
