"""Analytics: many departments' and years' budgets in one store, queried with SQL (DuckDB).

``store`` writes every built dataset and every audited document as rows of one long Parquet
table; ``views`` defines the documented ``facts`` view and the ready views over it; ``query``
runs SQL and formats the result. See docs/analytics.md.
"""
