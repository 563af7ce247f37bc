"""A check report as text, JSON (a documented contract, docs/check.md) or HTML.

Every form opens with a summary — counts by severity, then by rule with one example each, then
the grouped patterns, the most important first — and then lists the findings one per fact
(``Report.reported``): each with every place it applies to, the rules folded into it, the
consequences that follow from it, and apart, the findings a reviewer accepted.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yusuan.rules.base import REGISTRY, Finding, Location, Outcome, Severity
from yusuan.rules.consolidate import leaves
from yusuan.rules.engine import Report, RuleRun

CONTRACT_VERSION = 1


# --- the summary -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleLine:
    """One rule in the summary: how often it was found, at how many places, and an example."""

    rule: str
    title_zh: str
    title_en: str
    severity: Severity
    findings: int
    places: int
    example: Finding


def by_rule(report: Report) -> list[RuleLine]:
    """The rules with findings, the most important first (fatal, then by places)."""
    lines: dict[str, list[Finding]] = {}
    for finding in report.reported:
        lines.setdefault(finding.rule, []).append(finding)
    out = []
    for rule_id, found in lines.items():
        rule = REGISTRY.get(rule_id)
        out.append(
            RuleLine(
                rule_id,
                rule.title_zh if rule else rule_id,
                rule.title_en if rule else rule_id,
                min((f.severity for f in found), key=lambda s: s.rank),
                len(found),
                sum(len(f.places) for f in found),
                found[0],
            )
        )
    return sorted(out, key=lambda line: (line.severity.rank, -line.places, line.rule))


def patterns(report: Report) -> list[Finding]:
    return sorted(
        (f for f in report.reported if f.group), key=lambda f: (f.severity.rank, -f.group)
    )


def could_not_run(report: Report) -> list[RuleRun]:
    return [r for r in report.runs if r.outcome is Outcome.COULD_NOT_RUN]


def place_list(finding: Finding) -> str:
    """The places of a finding as one line: the projects of a pattern by name, else each place."""
    projects = list(dict.fromkeys(p.project for p in finding.places))
    if finding.group and all(projects):
        return "、".join(projects)
    return "；".join(p.describe() for p in finding.places)


# --- JSON --------------------------------------------------------------------------------------


def report_object(report: Report, *, verbose: bool = False) -> dict[str, Any]:
    """The JSON contract of ``yusuan check --format json`` (docs/check.md)."""
    del verbose  # the JSON always lists everything
    return {
        "contract": CONTRACT_VERSION,
        "title": report.title,
        "subject": report.subject_kind,
        "summary": {
            "fatal": report.count(Severity.FATAL),
            "warning": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "accepted": len(report.accepted),
            "places": sum(len(f.places) for f in report.reported),
            "rules": len(report.runs),
            "outcomes": {o.value: n for o, n in report.outcomes().items()},
            "text": report.summary_zh(),
            "by_rule": [
                {
                    "rule": line.rule,
                    "title": line.title_zh,
                    "title_en": line.title_en,
                    "severity": line.severity.english,
                    "findings": line.findings,
                    "places": line.places,
                    "example": line.example.message_zh,
                }
                for line in by_rule(report)
            ],
            "patterns": [
                {"rule": f.rule, "key": f.key, "count": f.group, "message": f.message_zh}
                for f in patterns(report)
            ],
        },
        "outcomes": [
            {
                "rule": run.rule.id,
                "outcome": run.outcome.value,
                "severity": run.severity.english,
                "reason": run.reason,
                "findings": len(run.findings),
            }
            for run in report.runs
        ],
        "findings": [finding_object(f, report) for f in report.reported],
        "accepted": [finding_object(f, report) for f in report.accepted],
    }


def finding_object(finding: Finding, report: Report | None = None) -> dict[str, Any]:
    """One finding: the contract-1 keys (rule, severity, message, location = the first place,
    values) and the keys of one finding per fact (key, places, also, caused_by, group,
    accepted, consequences)."""
    consequences = report.consequences_of(finding) if report is not None else []
    return {
        "rule": finding.rule,
        "severity": finding.severity.english,
        "severity_zh": finding.severity.value,
        "message": finding.message_zh,
        "message_en": finding.message_en,
        "location": finding.location.as_dict(),
        "values": {key: str(value) for key, value in finding.values.items()},
        "key": finding.key,
        "places": [place.as_dict() for place in finding.places],
        "also": list(finding.also),
        "caused_by": finding.caused_by or None,
        "group": {
            "count": finding.group,
            "members": [
                {"message": leaf.message_zh, "location": leaf.location.as_dict()}
                for leaf in leaves(finding)
            ],
        }
        if finding.group
        else None,
        "accepted": {"reason": finding.accepted} if finding.accepted else None,
        "consequences": [finding_object(c, report) for c in consequences],
    }


def render_json(report: Report, *, verbose: bool = False) -> str:
    return json.dumps(report_object(report, verbose=verbose), ensure_ascii=False, indent=1)


# --- text --------------------------------------------------------------------------------------


def summary_text(report: Report) -> list[str]:
    out = ["概要 / summary", f"  {report.summary_zh()}", f"  {report.summary_en()}"]
    lines = by_rule(report)
    if lines:
        out.append("  按规则 / by rule:")
        for line in lines:
            places = f"，{line.places}处" if line.places != line.findings else ""
            out.append(
                f"    {line.severity.value} [{line.rule}] {line.title_zh} {line.findings}项{places}"
                f"：例 {line.example.message_zh}"
            )
    grouped = patterns(report)
    if grouped:
        out.append("  成组的问题 / patterns:")
        out += [f"    [{f.rule}] {f.message_zh}" for f in grouped]
    return out


def finding_text(finding: Finding, report: Report, indent: str = "  ") -> list[str]:
    out = [f"{indent}[{finding.rule}] {finding.message_zh}"]
    count = f"（{len(finding.places)}处）" if len(finding.places) > 1 else ""
    if finding.group and all(p.project for p in finding.places):
        count = f"（{finding.group}个项目）"
    out.append(f"{indent}    位置{count}：{place_list(finding)}")
    if finding.also:
        out.append(f"{indent}    同一处另有规则 / also: {'、'.join(finding.also)}")
    if finding.accepted:
        out.append(f"{indent}    已接受 / accepted：{finding.accepted}")
    for consequence in report.consequences_of(finding):
        out.append(
            f"{indent}    ↳ 由此引起 / follows: [{consequence.rule}] {consequence.message_zh}"
        )
    return out


def render_text(report: Report, *, verbose: bool = False) -> str:
    """Lines, not pages: a summary first, then the findings by severity, the accepted ones apart."""
    out = [report.title] if report.title else []
    out += summary_text(report)
    for severity in Severity:
        found = [f for f in report.reported if f.severity is severity]
        if not found:
            continue
        out.append("")
        out.append(f"【{severity.value} {severity.english}】{len(found)} 项")
        for finding in found:
            out += finding_text(finding, report)
    if report.accepted:
        out.append("")
        out.append(f"已接受的问题 / accepted findings: {len(report.accepted)} 项（不阻止发布）")
        for finding in report.accepted:
            out += finding_text(finding, report)
    skipped = could_not_run(report)
    if skipped:
        out.append("")
        if verbose:
            out.append(f"无法运行的规则 / rules that could not run: {len(skipped)} 条")
            out += [f"  [{r.rule.id}] {r.rule.title_zh}：{r.reason}" for r in skipped]
        else:
            out.append(
                f"无法运行的规则 / rules that could not run: {len(skipped)} 条"
                "（--verbose 列出规则与原因 / lists them with the reasons）"
            )
    out += ["", report.summary_zh(), report.summary_en()]
    return "\n".join(out)


# --- HTML --------------------------------------------------------------------------------------

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5rem;max-width:90rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:1.6rem}
.summary{padding:.6rem 1rem;background:#f4f6f8;border-radius:6px}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccd;padding:.3rem .5rem;
vertical-align:top;text-align:left}th{background:#eef2f7}
table.findings{width:100%;table-layout:fixed}col.sev{width:4.5rem}col.rule{width:6.5rem}col.fig{width:48%}.fig .scroll{overflow-x:auto;max-width:100%}.fig th,.fig td{white-space:nowrap}td.title{min-width:10rem}
.nowrap,td.sev,td.rule,td.num{white-space:nowrap}td.num{text-align:right}
.致命,.sev-fatal{color:#b00020;font-weight:bold}.警告,.sev-warning{color:#a15c00}.提示,.sev-info{color:#2d5e9e}
code{font-size:.9em}small{color:#555}.where{color:#444;font-size:.9em}.also{color:#666;font-size:.85em}
.follows{margin:.3rem 0 0 .8rem;padding-left:.5rem;border-left:3px solid #ccd;font-size:.9em}
.filters{display:flex;flex-wrap:wrap;gap:.8rem;align-items:center;margin:.6rem 0}
.filters label{white-space:nowrap}tr.head td{background:#f4f6f8;font-weight:bold}
.lang-zh .en,.lang-en .zh{display:none}.hidden{display:none}
td.hit{background:#ffe08a;outline:2px solid #c0392b;font-weight:bold}td.part{background:#e8f1fb}
table.vals td,table.vals th{font-size:.85em;padding:.1rem .35rem}
"""

_SCRIPT = """
(function(){
 var rows=[].slice.call(document.querySelectorAll('tr.f'));
 var body=document.querySelector('table.findings tbody');
 function options(sel,key){var seen={};rows.forEach(function(r){var v=r.dataset[key];
  if(v&&!seen[v]){seen[v]=1;var o=document.createElement('option');o.value=v;o.textContent=v;sel.appendChild(o);}});}
 var keys=['sev','rule','table','project'];
 keys.forEach(function(k){var s=document.getElementById('by-'+k);if(s)options(s,k);});
 function apply(){
  var want={};keys.forEach(function(k){var s=document.getElementById('by-'+k);want[k]=s?s.value:'';});
  var group=document.getElementById('group').value;
  [].slice.call(body.querySelectorAll('tr.head')).forEach(function(h){h.remove();});
  var shown=rows.filter(function(r){var ok=keys.every(function(k){return !want[k]||r.dataset[k]===want[k];});
   r.classList.toggle('hidden',!ok);return ok;});
  var ordered=rows.slice();
  if(group){ordered.sort(function(a,b){var x=a.dataset[group]||'',y=b.dataset[group]||'';
   return x<y?-1:x>y?1:(+a.dataset.n)-(+b.dataset.n);});}
  var last=null;
  ordered.forEach(function(r){
   if(group&&!r.classList.contains('hidden')&&r.dataset[group]!==last){last=r.dataset[group];
    var h=document.createElement('tr');h.className='head';var c=document.createElement('td');c.colSpan=4;
    c.textContent=(last||'（整体）')+'：'+shown.filter(function(x){return x.dataset[group]===last;}).length;
    h.appendChild(c);body.appendChild(h);}
   body.appendChild(r);});
  document.getElementById('shown').textContent=shown.length;
 }
 document.querySelectorAll('.filters select').forEach(function(s){s.addEventListener('change',apply);});
 var lang=document.getElementById('lang');
 var box=document.querySelector('.lang-zh,.lang-en');
 lang.addEventListener('click',function(){var zh=box.classList.contains('lang-zh');
  box.classList.toggle('lang-zh',!zh);box.classList.toggle('lang-en',zh);});
 apply();
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _both(zh: str, en: str) -> str:
    """Both languages; the page shows one at a time (the toggle switches), the other on hover."""
    return (
        f"<span class='zh' title='{_e(en)}'>{_e(zh)}</span>"
        f"<span class='en' title='{_e(zh)}'>{_e(en)}</span>"
    )


def values_html(finding: Finding) -> str:
    """The figures and names a message was filled with, when nothing better can be shown."""
    shown = [
        (k, str(v))
        for k, v in finding.values.items()
        if k not in ("project", "excerpt") and not k.endswith("_en") and str(v).strip()
    ]
    if not shown:
        return ""
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in shown)
    return f"<table class='vals'>{rows}</table>"


def page_link(place: Location, source: str) -> str:
    """第N页, linked to that page of the original PDF when the report knows the file."""
    if not place.page:
        return ""
    if source:
        return f"<a href='{_e(source)}#page={place.page}'>第{place.page}页</a>"
    return f"第{place.page}页"


def _where_html(finding: Finding, source: str) -> str:
    parts = []
    for place in finding.places[:12]:
        link = page_link(place, source)
        text = Location(**{**place.as_dict(), "page": 0}).describe()
        parts.append(f"{link} {_e(text)}".strip())
    more = len(finding.places) - 12
    tail = f"；…（共{len(finding.places)}处）" if more > 0 else ""
    if finding.group and all(p.project for p in finding.places):
        return f"<div class='where'>{_e(place_list(finding))}</div>"
    return f"<div class='where'>{'；'.join(parts)}{_e(tail)}</div>"


def finding_row(
    finding: Finding,
    report: Report,
    number: int,
    figures: Callable[[Finding], str] | None,
    source: str,
    cls: str = "f",
) -> str:
    sev = finding.severity
    also = (
        f"<div class='also'>同一处另有规则 / also: {_e('、'.join(finding.also))}</div>"
        if finding.also
        else ""
    )
    accepted = (
        f"<div class='also'>已接受 / accepted：{_e(finding.accepted)}</div>"
        if finding.accepted
        else ""
    )
    follows = "".join(
        f"<div class='follows'>↳ 由此引起 / follows: <code>{_e(c.rule)}</code> "
        f"{_both(c.message_zh, c.message_en)}</div>"
        for c in report.consequences_of(finding)
    )
    shown = (
        (figures(finding) if figures else "")
        or values_html(finding)
        or "<small>（没有可显示的数字 / no figure to show）</small>"
    )
    first = finding.location
    data = (
        f"data-n='{number}' data-sev='{_e(sev.value)}' data-rule='{_e(finding.rule)}' "
        f"data-table='{_e(first.table)}' data-project='{_e(first.project)}'"
    )
    return (
        f"<tr class='{cls}' id='f{number}' {data}>"
        f"<td class='sev sev-{sev.english}'>{_both(sev.value, sev.english)}</td>"
        f"<td class='rule'><code>{_e(finding.rule)}</code></td>"
        f"<td class='msg'>{_both(finding.message_zh, finding.message_en)}"
        f"{_where_html(finding, source)}{also}{accepted}{follows}</td>"
        f"<td class='fig'><div class='scroll'>{shown}</div></td>"
        "</tr>"
    )


def _summary_html(report: Report) -> str:
    rows = "".join(
        f"<tr><td class='sev sev-{line.severity.english}'>{_e(line.severity.value)}</td>"
        f"<td class='rule'><code>{_e(line.rule)}</code></td>"
        f"<td class='title'>{_both(line.title_zh, line.title_en)}</td>"
        f"<td class='num'>{line.findings}</td><td class='num'>{line.places}</td>"
        f"<td>{_both(line.example.message_zh, line.example.message_en)}</td></tr>"
        for line in by_rule(report)
    )
    table = (
        "<table><thead><tr><th>级别</th><th>规则</th><th>规则名称</th><th>项</th><th>处</th>"
        f"<th>例 / example</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else ""
    )
    grouped = "".join(
        f"<li><code>{_e(f.rule)}</code> {_both(f.message_zh, f.message_en)}</li>"
        for f in patterns(report)
    )
    grouped_html = f"<h2>成组的问题 / patterns</h2><ul>{grouped}</ul>" if grouped else ""
    skipped = could_not_run(report)
    skipped_html = (
        f"<p><small>无法运行的规则 / rules that could not run: {len(skipped)} 条 "
        f"（{_e('、'.join(r.rule.id for r in skipped))}）</small></p>"
        if skipped
        else ""
    )
    return (
        f"<p class='summary'>{_both(report.summary_zh(), report.summary_en())}</p>"
        f"{table}{grouped_html}{skipped_html}"
    )


def _filters_html() -> str:
    selects = "".join(
        f"<label>{label} <select id='by-{key}'><option value=''>全部 / all</option></select></label>"
        for key, label in (
            ("sev", "级别"),
            ("rule", "规则"),
            ("table", "表"),
            ("project", "项目"),
        )
    )
    group = (
        "<label>分组 / group by <select id='group'><option value=''>（不分组）</option>"
        "<option value='sev'>级别</option><option value='rule'>规则</option>"
        "<option value='table'>表</option><option value='project'>项目</option></select></label>"
    )
    return (
        f"<div class='filters'>{selects}{group}"
        "<button id='lang' type='button'>中文 / English</button>"
        "<span>显示 <b id='shown'></b> 项</span></div>"
    )


def findings_html(
    report: Report,
    *,
    figures: Callable[[Finding], str] | None = None,
    source: str = "",
) -> str:
    """The summary, the filters and the findings table (with the accepted ones apart)."""
    rows = "".join(
        finding_row(f, report, n, figures, source) for n, f in enumerate(report.reported, 1)
    )
    head = (
        "<colgroup><col class='sev'><col class='rule'><col><col class='fig'></colgroup>"
        "<thead><tr><th>级别</th><th>规则</th><th>说明与位置</th><th>数字 / figures</th>"
        "</tr></thead>"
    )
    accepted = ""
    if report.accepted:
        start = len(report.reported) + 1
        accepted_rows = "".join(
            finding_row(f, report, n, figures, source, cls="accepted")
            for n, f in enumerate(report.accepted, start)
        )
        accepted = (
            f"<h2>已接受的问题 / accepted findings（{len(report.accepted)}）</h2>"
            f"<table class='findings'>{head}<tbody>{accepted_rows}</tbody></table>"
        )
    return (
        _summary_html(report)
        + "<h2>发现的问题 / findings</h2>"
        + _filters_html()
        + f"<table class='findings'>{head}<tbody>{rows}</tbody></table>"
        + accepted
        + f"<script>{_SCRIPT}</script>"
    )


def html_page(title: str, body: str, style: str = "") -> str:
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{STYLE}{style}</style></head>"
        f"<body class='lang-zh'>{body}</body></html>\n"
    )


def render_html(
    report: Report,
    *,
    fragment: bool = False,
    verbose: bool = False,
    figures: Callable[[Finding], str] | None = None,
) -> str:
    """The check page; ``figures`` shows the table rows or form fields beside each finding."""
    del verbose  # the page lists the rules that could not run in its summary
    body = f"<h1>检查结果 {_e(report.title)}</h1>" + findings_html(report, figures=figures)
    if fragment:
        return f"<style>{STYLE}</style><div class='lang-zh'>{body}</div>"
    return html_page("检查结果", body)
