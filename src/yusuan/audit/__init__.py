"""Audit: read a published disclosure (部门预算公开) back into yusuan's data.

A published document arrives as text extracted from a PDF (tab-separated rows, ``pdftotext
-layout`` text), as PDF tables, or as a workbook. Each reader turns its source into grid rows —
cells of text with the line they came from (``grid``) — and hands them to the shared
recognition layer:

- ``recognise``: which table a title names, what each printed header means, units and exact
  amounts, all from the data files in ``audit/data/``;
- ``shape``: a recognised table's rows in the yusuan shape of that table (full function codes,
  both halves of a two-sided summary, procurement groups, 三公 columns);
- ``forms``: the project performance-target forms as ``Project`` and ``Indicator`` records;
- ``assemble``: grid rows of a whole document -> ``RecognisedDocument``;
- ``document``: the ``RecognisedDocument`` and ``to_subject``, which lets the same rules that
  check a budget before publication audit the document after.

Readers: ``seed_text`` (tab-separated text extracted from a PDF). A published figure is kept as
printed — cut-short and wrong names included — because that is what the rules check.
"""
