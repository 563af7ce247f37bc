"""One finding per fact: fold the findings the rules made, after all of them ran.

A rule yields one finding per place it looks at; read as a reviewer reads, many of them repeat a
fact already stated. This module folds them, in five general steps, each driven by the findings'
keys (rule + place + fact) and by the small tables below — never by a rule's own code:

1. **the same message at several places** (one catalogue item misnamed on three procurement rows)
   → one finding naming every place;
2. **one record, several places of it** (the 实施期 and 年度 halves of a form row, or several fields
   of one form): the same rule whose fact differs only by the part of the record → one finding,
   the parts joined in its message ("实施期、年度", "“经办人”、“填报日期”");
3. **one cell, several rules**: the most specific rule wins, the others go into ``also``
   (``SUPERSEDES``);
4. **a consequence** (a sum that fails because one part is already flagged) is linked to the
   finding it follows from (``caused_by``) and reported under it (``FOLLOWS``);
5. **a pattern**: the same rule with the same fact at ``GROUP_MIN`` or more projects or rows →
   one grouped finding listing them ("24个项目的申报表未填写“经办人”、“填报日期”").

Folding never loses a finding (each folded finding is kept in ``parts``) and never lowers a
severity: a finding is as severe as the most severe finding folded into it or following from it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from yusuan.rules.base import PLACE_VALUES, Finding, Location, Rule, Severity, format_message

GROUP_MIN = 5

# Values that tell apart the parts of one record (a form's halves, its fields), with how their
# values are joined when the findings merge: a field name is quoted in the messages, so its
# values are joined inside the quotes.
RECORD_PARTS: Mapping[str, str] = {"period": "、", "half": "、", "field": "”、“"}

# Values that are the figures of one place rather than the fact (each half of a form has its own
# 资金总额; each project its own amounts): joined when halves merge, elided in a grouped pattern.
PLACE_FIGURES: Mapping[str, tuple[str, ...]] = {
    "IND-008": ("funds",),
    "IND-009": ("funds",),
    "IND-010": ("funds",),
    "PRJ-002": ("period_funds", "year_funds"),
}

# Values that name the form's labels at a place (a half prints its 二级 label as “服务对象满意度”,
# the other as “服务对象满意度指标”): part of the place, so halves merge and the first is kept.
PLACE_LABELS: Mapping[str, tuple[str, ...]] = {
    "IND-003": ("levels", "hint", "hint_en"),
    "IND-006": ("category",),
    "IND-016": ("category",),
}


class Scope(enum.Enum):
    """Where two findings must be for one to fold into, or follow from, the other."""

    CELL = "cell"  # the same places (one cell, one field, one indicator row)
    # the same table cell, stated on the same line of a text (each rule quotes the text its way)
    STATED_CELL = "stated-cell"
    RECORD = "record"  # the same project form
    RECORD_AMOUNT = "record-amount"  # the same project form, and the same difference
    AMOUNT = "amount"  # the consequence's difference is the cause's amount or difference
    # a comparison between tables that names, with the same difference, the cell a sum already
    # flagged (the comparison follows from the sum)
    NAMES_CELL = "names-cell"
    # a sum whose difference is that of a comparison naming one of its parts (same table and
    # column, another row): the sum follows from the part
    NAMES_PART = "names-part"
    # a comparison between tables that names a row printed with a code the catalogue does not
    # have, or the row the catalogue has for that name: the mismatch is the misprinted code
    NAMES_MISCODED = "names-miscoded"


@dataclass(frozen=True)
class Supersedes:
    """At one place, ``winner`` is the more specific statement of what ``loser`` also says."""

    winner: str
    loser: str
    scope: Scope
    why: str


@dataclass(frozen=True)
class Follows:
    """``consequence`` fails because of what one of ``causes`` (in order of preference) found."""

    consequence: str
    causes: tuple[str, ...]
    scope: Scope
    why: str


SUPERSEDES: tuple[Supersedes, ...] = (
    Supersedes(
        "IND-008",
        "IND-005",
        Scope.CELL,
        "a cost target read as more than the funds, of which the missing unit is the reason",
    ),
    Supersedes(
        "IND-016",
        "IND-015",
        Scope.CELL,
        "a row filed under 满意度 that is no satisfaction "
        "measure: its value cannot be a satisfaction percentage either",
    ),
    Supersedes(
        "TXT-002",
        "TXT-005",
        Scope.CELL,
        "a text cut off at its start also starts its numbering late",
    ),
    Supersedes(
        "PRJ-007",
        "PRJ-008",
        Scope.RECORD,
        "负责人 and 联系电话 swapped: one mistake seen from both fields",
    ),
    Supersedes(
        "XT-016",
        "XT-017",
        Scope.CELL,
        "the forms' sum is more than the project expenditure, so it also differs from it",
    ),
    Supersedes(
        "FA-020",
        "FA-024",
        Scope.STATED_CELL,
        "a 科目's 决算 or budget in the narrative against its table, read as a statement of "
        "budget and outturn and as a figure of the table",
    ),
    Supersedes(
        "PRJ-001",
        "XT-018",
        Scope.RECORD,
        "the form's 年度资金总额 against the budget lines, "
        "checked from the project and from the tables",
    ),
)

# Rules whose findings restate another rule's finding (DAT-006: one that rests only on a split
# the dataset chose), with the value naming that rule: they link to each other as the findings
# they restate would.
RESTATES: Mapping[str, str] = {"DAT-006": "rule"}

_SUMS = tuple(f"ARITH-00{n}" for n in range(1, 7))
_COMPARISONS = tuple(f"XT-0{n:02d}" for n in range(1, 16))

# A project's 年度资金总额 that is wrong shows first in its own sources (PRJ-004), then against the
# budget lines (PRJ-001, XT-018), and then in everything computed from it.
_FUNDS_CAUSES = ("PRJ-004", "PRJ-001", "XT-018")

FOLLOWS: tuple[Follows, ...] = (
    Follows(
        "PRJ-001", ("PRJ-004",), Scope.RECORD_AMOUNT, "the total already disagrees with its sources"
    ),
    Follows(
        "XT-018", ("PRJ-004",), Scope.RECORD_AMOUNT, "the total already disagrees with its sources"
    ),
    Follows("PRJ-003", _FUNDS_CAUSES, Scope.RECORD, "实施期 < 年度 because 年度 is wrong"),
    Follows("XT-016", _FUNDS_CAUSES, Scope.AMOUNT, "the forms' sum includes the wrong total"),
    Follows("XT-017", _FUNDS_CAUSES, Scope.AMOUNT, "the forms' sum includes the wrong total"),
    Follows(
        "XT-014", ("CAT-011",), Scope.AMOUNT, "the lines filed in the wrong category are the gap"
    ),
    Follows(
        "XT-015", ("CAT-011",), Scope.AMOUNT, "the lines filed in the wrong category are the gap"
    ),
    *(
        Follows(comparison, _SUMS, Scope.NAMES_CELL, "compares a cell that does not add up")
        for comparison in _COMPARISONS
    ),
    *(
        Follows(total, _COMPARISONS, Scope.NAMES_PART, "one of its parts is already wrong")
        for total in _SUMS
    ),
    *(
        Follows(
            comparison,
            ("CAT-002",),
            Scope.NAMES_MISCODED,
            "one table prints the row under a code the catalogue does not have, so the row is "
            "missing under one code and unexpected under the other",
        )
        for comparison in _COMPARISONS
    ),
)


# --- helpers -----------------------------------------------------------------------------------


def worst(severities: Iterable[Severity]) -> Severity:
    return min(severities, key=lambda s: s.rank)


def leaves(finding: Finding) -> tuple[Finding, ...]:
    """The findings as the rules made them, folded into this one."""
    return finding.parts or (finding,)


def amend(finding: Finding, **changes: object) -> Finding:
    """``finding`` with some fields changed, still standing for the findings the rules made."""
    return replace(finding, parts=leaves(finding), **changes)  # type: ignore[arg-type]


def _unique(items: Iterable[object]) -> list[object]:
    """The items in order, each once (values may be unhashable: compared as text)."""
    seen: dict[object, object] = {}
    for item in items:
        seen.setdefault(item if isinstance(item, (str, Location)) else repr(item), item)
    return list(seen.values())


def combine(
    first: Finding,
    others: Sequence[Finding],
    *,
    message: tuple[str, str] | None = None,
    values: Mapping[str, object] | None = None,
    group: int = 0,
    fold_rules: bool = False,
) -> Finding:
    """``first`` standing for itself and ``others``: every place, every part, the worst severity."""
    members = (first, *others)
    places = [p for p in _unique(p for f in members for p in f.places) if p != first.location]
    also = [a for f in members for a in f.also]
    if fold_rules:
        also += [f.rule for f in others]
    also_ids = tuple(str(a) for a in _unique(a for a in also if a != first.rule))
    zh, en = message or (first.message_zh, first.message_en)
    return replace(
        first,
        severity=worst(f.severity for f in members),
        message_zh=zh,
        message_en=en,
        values=dict(values) if values is not None else first.values,
        other_places=tuple(places),  # type: ignore[arg-type]
        also=also_ids,
        group=group or first.group,
        parts=tuple(leaf for f in members for leaf in leaves(f)),
    )


def _buckets(
    findings: Sequence[Finding], key: Callable[[Finding], object | None]
) -> dict[object, list[int]]:
    found: dict[object, list[int]] = {}
    for index, finding in enumerate(findings):
        k = key(finding)
        if k is not None:
            found.setdefault(k, []).append(index)
    return found


def _merge_buckets(
    findings: Sequence[Finding],
    key: Callable[[Finding], object | None],
    merge: Callable[[list[Finding]], Finding | None],
    minimum: int = 2,
) -> list[Finding]:
    """Replace each bucket of ``minimum`` or more findings by their merge (at the first's place)."""
    out: list[Finding | None] = list(findings)
    for indexes in _buckets(findings, key).values():
        if len(indexes) < minimum:
            continue
        merged = merge([findings[i] for i in indexes])
        if merged is None:
            continue
        out[indexes[0]] = merged
        for i in indexes[1:]:
            out[i] = None
    return [f for f in out if f is not None]


# --- 1. the same message at several places -----------------------------------------------------


def merge_same_message(findings: Sequence[Finding]) -> list[Finding]:
    return _merge_buckets(
        findings,
        lambda f: (f.rule, f.message_zh, f.message_en) if not f.caused_by else None,
        lambda group: combine(group[0], group[1:]),
    )


# --- 2. the parts of one record ----------------------------------------------------------------


def _record_fact(finding: Finding) -> object | None:
    if not finding.location.project or finding.group:
        return None
    varying = (
        set(RECORD_PARTS)
        | set(PLACE_FIGURES.get(finding.rule, ()))
        | set(PLACE_LABELS.get(finding.rule, ()))
    )
    fact = tuple(sorted((k, str(v)) for k, v in finding.values.items() if k not in varying))
    return (finding.rule, finding.location.project, fact)


def _joined_values(
    group: Sequence[Finding], keys: Iterable[str], sep: Callable[[str], str]
) -> dict[str, object]:
    values = dict(group[0].values)
    for key in keys:
        seen = [str(v) for v in _unique(f.values[key] for f in group if key in f.values)]
        if len(seen) > 1:
            values[key] = sep(key).join(seen)
    return values


def _refill(
    rules: Mapping[str, Rule], group: Sequence[Finding], values: Mapping[str, object]
) -> tuple[str, str]:
    rule = rules.get(group[0].rule)
    if rule is None:  # a finding made outside the registry: keep every message
        return (
            "；".join(str(m) for m in _unique(f.message_zh for f in group)),
            "; ".join(str(m) for m in _unique(f.message_en for f in group)),
        )
    return format_message(rule, values)


def join_record_parts(findings: Sequence[Finding], rules: Mapping[str, Rule]) -> list[Finding]:
    def merge(group: list[Finding]) -> Finding:
        keys = [*RECORD_PARTS, *PLACE_FIGURES.get(group[0].rule, ())]
        values = _joined_values(group, keys, lambda k: RECORD_PARTS.get(k, "、"))
        return combine(group[0], group[1:], message=_refill(rules, group, values), values=values)

    return _merge_buckets(findings, _record_fact, merge)


# --- 3. one cell, several rules ----------------------------------------------------------------


def _stated_cell(place: Location) -> tuple[object, ...]:
    return (place.table, place.row, place.column, place.file, place.page, place.line)


def _same_place(a: Finding, b: Finding, scope: Scope) -> bool:
    if scope is Scope.CELL:
        return set(b.places) <= set(a.places)
    if scope is Scope.STATED_CELL:
        return {_stated_cell(p) for p in b.places} <= {_stated_cell(p) for p in a.places}
    if scope is Scope.RECORD:
        return bool(a.location.project) and a.location.project == b.location.project
    return False


def fold_superseded(findings: Sequence[Finding]) -> list[Finding]:
    out: list[Finding | None] = list(findings)
    for entry in SUPERSEDES:
        winners: dict[object, list[int]] = {}
        for j, found in enumerate(out):
            if found is not None and found.rule == entry.winner:
                for point in _meeting_points(found, entry.scope, as_cause=True):
                    winners.setdefault(point, []).append(j)
        for i, loser in enumerate(out):
            if loser is None or loser.rule != entry.loser:
                continue
            points = _meeting_points(loser, entry.scope, as_cause=False)
            candidates = sorted({j for p in points for j in winners.get(p, ())})
            for j in candidates:
                winner = out[j]
                if winner is not None and _same_place(winner, loser, entry.scope):
                    out[j] = combine(winner, [loser], fold_rules=True)
                    out[i] = None
                    break
    return [f for f in out if f is not None]


# --- 4. consequences ---------------------------------------------------------------------------


def _magnitude(value: object) -> str:
    return str(value).strip().lstrip("-+－ ").strip()


def _cell(place: Location) -> tuple[str, str]:
    return place.table, f"{place.row} {place.column}".strip()


def _named_cells(finding: Finding) -> set[tuple[str, str]]:
    """The table cells a comparison names (“{a_table}“{a_cell}”…{b_table}“{b_cell}””)."""
    values = finding.values
    return {
        (str(values[t]), str(values[c]))
        for t, c in (("a_table", "a_cell"), ("b_table", "b_cell"))
        if values.get(t) and values.get(c)
    }


def _miscoded(cause: Finding) -> set[str]:
    """The printed code of a CAT-002 finding and the catalogue's codes for its printed name."""
    codes = {str(cause.values.get("code", ""))}
    codes.update(str(cause.values.get("catalogue_codes", "")).split("、"))
    return codes - {""}


def _named_codes(finding: Finding) -> set[str]:
    """The codes of the rows a comparison names (the digits its cells start with)."""
    return {
        cell[: len(cell) - len(cell.lstrip("0123456789"))] for _, cell in _named_cells(finding)
    } - {""}


def _is_part(row: str, total: str) -> bool:
    """Whether ``row`` is below ``total``: a longer code under a code (类 → 款 → 项), or any coded
    row under an uncoded total (合计)."""
    code, total_code = row.split(" ")[0], total.split(" ")[0]
    if not code.isdigit():
        return False
    if not total_code.isdigit():
        return True
    return code.startswith(total_code) and len(code) > len(total_code)


def _same_gap(a: Finding, b: Finding) -> bool:
    gap = _magnitude(a.values.get("difference", ""))
    return bool(gap) and gap == _magnitude(b.values.get("difference", ""))


def _follows(consequence: Finding, cause: Finding, scope: Scope) -> bool:
    if scope is Scope.RECORD_AMOUNT:
        return _same_place(cause, consequence, Scope.RECORD) and _same_gap(consequence, cause)
    if scope is Scope.NAMES_CELL:
        return _same_gap(consequence, cause) and _cell(cause.location) in _named_cells(consequence)
    if scope is Scope.NAMES_PART:
        total = consequence.location
        return _same_gap(consequence, cause) and any(
            t == total.table
            and cell.endswith(f" {total.column}")
            and _is_part(cell.removesuffix(f" {total.column}"), total.row)
            for t, cell in _named_cells(cause)
        )
    if scope is Scope.NAMES_MISCODED:
        return bool(_named_codes(consequence) & _miscoded(cause))
    if scope is Scope.AMOUNT:
        gap = _magnitude(consequence.values.get("difference", ""))
        return bool(gap) and gap in {
            _magnitude(cause.values.get(k, "")) for k in ("amount", "difference")
        }
    return _same_place(cause, consequence, scope)


def _meeting_points(finding: Finding, scope: Scope, as_cause: bool) -> set[object]:
    """Where a cause and its consequence must meet under ``scope`` (an index, so that linking
    compares only findings that can meet; ``_follows`` then decides)."""
    if scope in (Scope.RECORD, Scope.RECORD_AMOUNT):
        return {finding.location.project} if finding.location.project else set()
    if scope is Scope.CELL:
        return set(finding.places)
    if scope is Scope.STATED_CELL:
        return {_stated_cell(p) for p in finding.places}
    if scope is Scope.AMOUNT:
        keys = ("amount", "difference") if as_cause else ("difference",)
        return {_magnitude(finding.values[k]) for k in keys if k in finding.values}
    if scope is Scope.NAMES_CELL:
        return {_cell(finding.location)} if as_cause else set(_named_cells(finding))
    if scope is Scope.NAMES_MISCODED:
        return set(_miscoded(finding) if as_cause else _named_codes(finding))
    return {t for t, _ in _named_cells(finding)} if as_cause else {finding.location.table}


def stated_rule(finding: Finding) -> str:
    """The rule whose finding this is: its own, or the one it restates (``RESTATES``)."""
    key = RESTATES.get(finding.rule)
    return str(finding.values.get(key, finding.rule)) if key else finding.rule


def link_consequences(findings: Sequence[Finding]) -> list[Finding]:
    """Set ``caused_by`` to the key of the first finding each consequence follows from (followed
    up to the first cause), and raise that finding to the severity of its consequences."""
    out = list(findings)
    keys = [f.key for f in out]
    index_of = {key: i for i, key in reversed(list(enumerate(keys)))}
    by_rule: dict[str, list[int]] = {}
    for i, f in enumerate(out):
        by_rule.setdefault(stated_rule(f), []).append(i)
    for entry in FOLLOWS:
        causes: dict[object, list[int]] = {}
        for rule_id in entry.causes:
            for j in by_rule.get(rule_id, ()):
                for point in _meeting_points(out[j], entry.scope, as_cause=True):
                    causes.setdefault(point, []).append(j)
        for i in by_rule.get(entry.consequence, ()):
            finding = out[i]
            if finding.caused_by:
                continue
            candidates = sorted(
                {
                    j
                    for p in _meeting_points(finding, entry.scope, False)
                    for j in causes.get(p, ())
                },
                key=lambda j: (entry.causes.index(stated_rule(out[j])), j),
            )
            cause = next(
                (j for j in candidates if j != i and _follows(finding, out[j], entry.scope)), None
            )
            if cause is None:
                continue
            root = _root(cause, out, index_of)
            if root != i:
                out[i] = amend(finding, caused_by=keys[root])
    return _raise_causes(out)


def _root(index: int, findings: Sequence[Finding], index_of: Mapping[str, int]) -> int:
    seen = {index}
    while findings[index].caused_by:
        above = index_of.get(findings[index].caused_by)
        if above is None or above in seen:
            break
        seen.add(above)
        index = above
    return index


def _raise_causes(findings: Sequence[Finding]) -> list[Finding]:
    by_cause: dict[str, list[Finding]] = {}
    for f in findings:
        if f.caused_by:
            by_cause.setdefault(f.caused_by, []).append(f)
    out = []
    for f in findings:
        following = by_cause.get(f.key, [])
        if following:
            f = amend(f, severity=worst([f.severity, *(c.severity for c in following)]))
        out.append(f)
    return out


# --- 5. patterns -------------------------------------------------------------------------------


def _pattern_fact(finding: Finding) -> object | None:
    if finding.caused_by or finding.group:
        return None
    elided = PLACE_VALUES | set(PLACE_FIGURES.get(finding.rule, ()))
    fact = tuple(sorted((k, str(v)) for k, v in finding.values.items() if k not in elided))
    return (finding.rule, finding.severity, fact)


# How a count names the places of a pattern, by the value the message named one place with.
_COUNTED = {
    "project": (("项目“{}”", "{}个项目"), ("project “{}”", "{} projects")),
    "row": (("“{}”", "{}行"), ("“{}”", "{} rows")),
}


def pattern_message(rule: Rule, values: Mapping[str, object], count: int) -> tuple[str, str]:
    """The rule's message for ``count`` projects or rows at once: the place named by a count
    (“24个项目”, “5行”), the per-place figures by “…”."""
    holes = {key: f"\x00{n}\x00" for n, key in enumerate(sorted(PLACE_VALUES))}
    holed = {**values, **holes}
    for key in PLACE_FIGURES.get(rule.id, ()):
        holed[key] = "…"
    zh, en = format_message(rule, holed)
    for key, hole in holes.items():
        (zh_place, zh_count), (en_place, en_count) = _COUNTED.get(
            key, (("“{}”", "{}处"), ("“{}”", "{} places"))
        )
        zh = zh.replace(zh_place.format(hole), zh_count.format(count))
        zh = zh.replace(hole, zh_count.format(count))
        en = en.replace(en_place.format(hole), en_count.format(count))
        en = en.replace(hole, en_count.format(count))
    return zh, en


def pattern_size(findings: Sequence[Finding]) -> int:
    """How many projects (or, for findings not on a form, places) a pattern covers."""
    places = [p for f in findings for p in f.places]
    if all(p.project for p in places):
        return len({p.project for p in places})
    return len(set(places))


def group_patterns(findings: Sequence[Finding], rules: Mapping[str, Rule]) -> list[Finding]:
    renamed: dict[str, str] = {}

    def merge(group: list[Finding]) -> Finding | None:
        rule = rules.get(group[0].rule)
        size = pattern_size(group)
        if rule is None or size < GROUP_MIN:
            return None
        values = {k: v for k, v in group[0].values.items() if k not in PLACE_VALUES}
        merged = combine(
            group[0],
            group[1:],
            message=pattern_message(rule, values, size),
            values=values,
            group=size,
        )
        for member in group:
            renamed[member.key] = merged.key
        return merged

    out = _merge_buckets(findings, _pattern_fact, merge)
    return [amend(f, caused_by=renamed[f.caused_by]) if f.caused_by in renamed else f for f in out]


# --- all together ------------------------------------------------------------------------------


def importance(finding: Finding) -> tuple[int, int, str, str]:
    """Fatal first, then the finding that applies at the most places."""
    return (
        finding.severity.rank,
        -max(finding.group, len(finding.places)),
        finding.rule,
        finding.location.describe(),
    )


def consolidate(findings: Sequence[Finding], rules: Mapping[str, Rule]) -> list[Finding]:
    """Fold the findings of a check run into one finding per fact (the module's five steps)."""
    folded = merge_same_message(findings)
    folded = join_record_parts(folded, rules)
    folded = fold_superseded(folded)
    folded = link_consequences(folded)
    folded = group_patterns(folded, rules)
    return sorted(folded, key=importance)


def place_matches(place: Location, text: str, keys: Mapping[str, str]) -> bool:
    """An acceptance's place: the place as a report prints it, or some of its keys."""
    if text and text.strip() == place.describe():
        return True
    if not keys:
        return False
    return all(str(getattr(place, k, "")) == v for k, v in keys.items())
