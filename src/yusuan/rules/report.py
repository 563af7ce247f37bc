"""A check report as text (grouped by severity and place), JSON (a documented contract) or HTML."""

from __future__ import annotations

import html
import json
from typing import Any

from yusuan.rules.base import Finding, Severity
from yusuan.rules.engine import Report

CONTRACT_VERSION = 1


def report_object(report: Report) -> dict[str, Any]:
    """The JSON contract of ``yusuan check --format json`` (docs/check-contract.md)."""
    return {
        "contract": CONTRACT_VERSION,
        "title": report.title,
        "subject": report.subject_kind,
        "summary": {
            "fatal": report.count(Severity.FATAL),
            "warning": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "rules": len(report.runs),
            "outcomes": {o.value: n for o, n in report.outcomes().items()},
            "text": report.summary_zh(),
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
        "findings": [finding_object(f) for f in report.findings],
    }


def finding_object(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.english,
        "severity_zh": finding.severity.value,
        "message": finding.message_zh,
        "message_en": finding.message_en,
        "location": finding.location.as_dict(),
        "values": {key: str(value) for key, value in finding.values.items()},
    }


def render_json(report: Report) -> str:
    return json.dumps(report_object(report), ensure_ascii=False, indent=1)


def render_text(report: Report) -> str:
    out = [report.title] if report.title else []
    for severity in Severity:
        found = [f for f in report.findings if f.severity is severity]
        if not found:
            continue
        out.append(f"\n【{severity.value} {severity.english}】{len(found)} 项")
        place = None
        for finding in sorted(
            found, key=lambda f: (f.location.table or f.location.project or f.location.file, f.rule)
        ):
            here = (
                finding.location.table
                or (f"项目“{finding.location.project}”" if finding.location.project else "")
                or finding.location.file
            )
            if here != place:
                out.append(f"  ▸ {here or '（整体）'}")
                place = here
            out.append(f"    [{finding.rule}] {finding.message_zh}")
            detail = finding.location.describe()
            if detail and detail != here:
                out.append(f"        位置：{detail}")
    skipped = [r for r in report.runs if r.outcome.value in ("could_not_run",)]
    if skipped:
        out.append("\n无法运行的规则 / rules that could not run:")
        out += [f"  [{r.rule.id}] {r.rule.title_zh}：{r.reason}" for r in skipped]
    out.append("")
    out.append(report.summary_zh())
    out.append(report.summary_en())
    return "\n".join(out)


_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5rem;max-width:72rem;color:#222}
h1{font-size:1.4rem}.summary{padding:.6rem 1rem;background:#f4f6f8;border-radius:6px}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccd;padding:.3rem .5rem;
vertical-align:top;text-align:left}th{background:#eef2f7}.致命{color:#b00020;font-weight:bold}.警告{color:#a15c00}
.提示{color:#2d5e9e}code{font-size:.9em}
"""


def render_html(report: Report, *, fragment: bool = False) -> str:
    rows = []
    for f in report.findings:
        rows.append(
            "<tr>"
            f"<td class='{f.severity.value}'>{f.severity.value}</td>"
            f"<td><code>{html.escape(f.rule)}</code></td>"
            f"<td>{html.escape(f.message_zh)}<br><small>{html.escape(f.message_en)}</small></td>"
            f"<td>{html.escape(f.location.describe())}</td>"
            "</tr>"
        )
    body = (
        f"<h1>检查结果 {html.escape(report.title)}</h1>"
        f"<p class='summary'>{html.escape(report.summary_zh())}<br><small>{html.escape(report.summary_en())}</small></p>"
        "<table><thead><tr><th>级别</th><th>规则</th><th>说明</th><th>位置</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
    if fragment:
        return body
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>检查结果</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )
