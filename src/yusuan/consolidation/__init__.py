"""Consolidation (汇总): a 部门 is its 本级 plus its 下属单位.

- ``scope``: the words of a 部门预算 and a 单位预算 (data/scopes.toml);
- ``restrict``: one unit's dataset (the unit and its subtree) cut from a department's, for its
  单位预算; ``split`` cuts a department into one dataset per unit directly under it;
- ``merge``: a department's dataset assembled from its units' datasets (``yusuan consolidate
  department``), refusing what cannot belong together;
- ``city``: a city's 本级 totals across departments by function and economic class.
"""
