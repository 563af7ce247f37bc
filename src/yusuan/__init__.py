"""yusuan (预算): prepare, prove, publish and audit Chinese departmental budgets (部门预算).

The package is a small pure core (``model``, ``catalog``, ``tables``) with I/O at the edges
(``dataset`` reads and writes datasets, ``render`` turns tables into text/JSON/CSV, ``cli``).
"""

__version__ = "0.1.0"
