"""Publishing: the written explanation (部门预算情况说明) and other documents built from the tables."""
