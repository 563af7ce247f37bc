"""Reading ``yusuan.toml``: syntax errors located and in Chinese, every value of the right type.

A TOML syntax error is one problem with its line and column, and nothing else is reported about
the manifest (every other message would follow from it). A value of the wrong type
(``department = "x"``, ``units = "x"``, ``rules = 1``) is a located problem, never a traceback.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yusuan.dataset.problems import Notice, Place, Problem
from yusuan.dataset.schema import MANIFEST_FILE
from yusuan.dataset.textfile import read_text_file

# tomllib's messages (a closed set), in Chinese; the English one is shown beside it.
_TOML_MESSAGES_ZH = (
    ("Illegal character '\\n'", '字符串在行尾前没有结尾的引号（请补上英文双引号 "）'),
    ("Illegal character", "字符串中有不允许的控制字符"),
    ("Unterminated string", "字符串缺少结尾的引号"),
    ("Expected '=' after a key", '键名后应为“=”（文字的值要加英文双引号，如 name = "某某局"）'),
    ("Expected newline or end of document", "一条语句后应换行（值后面多了内容？引号是否配对？）"),
    ("Expected ']]'", "[[...]] 块头缺少结尾的“]]”"),
    ("Expected ']'", "[...] 节头缺少结尾的“]”"),
    ("Invalid value", "值无效（文字要加英文双引号，数字不加）"),
    ("Invalid statement", "无效的语句"),
    ("Invalid initial character for a key part", "键名的首字符无效"),
    ("Invalid date or datetime", "日期或时间无效"),
    ("Invalid hex value", "十六进制值无效"),
    ("Unclosed array", "数组缺少结尾的“]”"),
    ("Unclosed inline table", "内联表缺少结尾的“}”"),
    ("Unescaped '\\' in a string", "字符串中的“\\”要写成“\\\\”"),
    ("Escaped character is not a Unicode scalar value", "转义字符无效"),
    ("Cannot overwrite a value", "同一个键赋值了两次"),
    ("Cannot declare", "同一节声明了两次"),
    ("Cannot mutate immutable namespace", "不能再次定义已有的节或键"),
    ("Cannot redefine namespace", "不能再次定义已有的节或键"),
    ("Duplicate inline table key", "内联表中的键重复"),
    ("Found invalid character", "出现无效字符"),
)
_TOML_AT = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")


def toml_problem(label: str, text: str, error: tomllib.TOMLDecodeError) -> Problem:
    """One located problem for a TOML syntax error, in Chinese and English."""
    message = str(error)
    at = _TOML_AT.search(message)
    english = message[: at.start()] if at else message
    if at and at.group(1):
        line, column = int(at.group(1)), int(at.group(2))
    else:  # at the end of the document: its last line
        line, column = max(1, len(text.splitlines())), 0
    chinese = next((zh for en, zh in _TOML_MESSAGES_ZH if english.startswith(en)), "语法错误")
    where_zh = f"第{column}个字符处" if column else "文件末尾"
    where_en = f"character {column}" if column else "the end of the file"
    return Problem(
        "manifest-syntax",
        label,
        line,
        "",
        f"清单不是有效的 TOML（{where_zh}）：{chinese}",
        f"manifest is not valid TOML (at {where_en}): {english}",
    )


_TOML_ARRAY = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]")
_TOML_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"-]+)\s*\]")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


def toml_key_lines(text: str) -> dict[str, int]:
    """The line of each key and section, to locate problems found after parsing:
    ``{"budget": 7, "budget.year": 9, "units": 20}`` (the first line that names it)."""
    lines: dict[str, int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _TOML_ARRAY.match(line):
            section = ""  # keys of array blocks are located by block number instead
            lines.setdefault(match.group(1), number)
        elif match := _TOML_TABLE.match(line):
            section = match.group(1)
            lines.setdefault(section, number)
        elif match := _TOML_KEY.match(line):
            lines.setdefault(f"{section}.{match.group(1)}" if section else match.group(1), number)
    return lines


@dataclass
class ManifestValues:
    """What ``yusuan.toml`` says, as text, with the problems and notices met reading it."""

    department: dict[str, str] = field(default_factory=dict)
    budget: dict[str, str] = field(default_factory=dict)
    format_version: Any = None
    units: list[dict[str, str]] = field(default_factory=list)
    rules: dict[str, dict[str, str]] = field(default_factory=dict)
    # [[accepted]] entries as written (dataset.folder.read_acceptances checks them)
    accepted: list[Any] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    unreadable: bool = False  # nothing can be said about the manifest beyond its problems


def _scalar(value: Any) -> str | None:
    """A manifest value as text: strings, integers and booleans; ``None`` for any other type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int):
        return str(value)
    return None


def _type_name(value: Any) -> tuple[str, str]:
    kinds = (
        (bool, "true/false"),
        (dict, "一节"),
        (list, "数组"),
        (str, "文字"),
        (int, "整数"),
        (float, "小数"),
    )
    for kind, zh in kinds:
        if isinstance(value, kind):
            return zh, kind.__name__
    return "日期或其他类型", type(value).__name__


class _Reader:
    def __init__(self, lines: dict[str, int]) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def wrong_type(self, place: Place, value: Any, expected_zh: str, expected_en: str) -> None:
        zh, en = _type_name(value)
        self.problems.append(
            place.problem(
                "manifest-type",
                MANIFEST_FILE,
                f"应为{expected_zh}，实际是{zh}",
                f"expected {expected_en}, got {en}",
            )
        )

    def section(self, data: dict[str, Any], key: str) -> dict[str, str]:
        """``[department]`` or ``[budget]``: a section of text values."""
        value = data.get(key, {})
        if not isinstance(value, dict):
            where = Place(self.lines.get(key, 0), key)
            self.wrong_type(where, value, f"一节（[{key}] 下逐行填写）", f"a section [{key}]")
            return {}
        section: dict[str, str] = {}
        for name, item in value.items():
            text = _scalar(item)
            if text is None:
                where = Place(self.lines.get(f"{key}.{name}", 0), name, block=f"[{key}]")
                self.wrong_type(where, item, "文字或整数", "text or an integer")
            else:
                section[name] = text
        return section

    def units(self, data: dict[str, Any]) -> list[dict[str, str]]:
        value = data.get("units", [])
        if not isinstance(value, list) or not all(isinstance(u, dict) for u in value):
            where = Place(self.lines.get("units", 0), "units")
            self.wrong_type(where, value, "若干 [[units]] 块（每个单位一块）", "[[units]] blocks")
            return []
        units = []
        for index, block in enumerate(value, start=1):
            fields: dict[str, str] = {}
            for key in ("code", "name", "kind", "parent"):
                text = _scalar(block.get(key, ""))
                if text is None:
                    where = Place(index, key, block="[[units]]")
                    self.wrong_type(where, block[key], "文字", "text")
                    text = ""
                fields[key] = text.strip()
            units.append(fields)
        return units

    def rules(self, data: dict[str, Any]) -> dict[str, dict[str, str]]:
        value = data.get("rules", {})
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            where = Place(self.lines.get("rules", 0), "rules")
            self.wrong_type(
                where,
                value,
                '按规则编号分节的设置（如 [rules."IND-008"] 下写 enabled = "false"）',
                'sections per rule id (e.g. [rules."IND-008"] enabled = "false")',
            )
            return {}
        rules: dict[str, dict[str, str]] = {}
        for rule, settings in value.items():
            rules[str(rule)] = {}
            for key, item in settings.items():
                text = _scalar(item)
                if text is None:
                    where = Place(0, key, block=f'[rules."{rule}"]')
                    self.wrong_type(where, item, "文字", "text")
                else:
                    rules[str(rule)][str(key)] = text
        return rules


def read_manifest_toml(path: Path) -> ManifestValues:
    """Read ``yusuan.toml``; every problem located, nothing raised."""
    label = path.name
    decoded, problems, notices = read_text_file(path, label)
    if decoded is None:
        return ManifestValues(problems=problems, notices=notices, unreadable=True)
    try:
        data = tomllib.loads(decoded.text)
    except tomllib.TOMLDecodeError as exc:
        problem = toml_problem(label, decoded.text, exc)
        return ManifestValues(problems=[problem], notices=notices, unreadable=True)
    lines = toml_key_lines(decoded.text)
    reader = _Reader(lines)
    values = ManifestValues(
        department=reader.section(data, "department"),
        budget=reader.section(data, "budget"),
        format_version=data.get("format_version"),
        units=reader.units(data),
        rules=reader.rules(data),
        accepted=data["accepted"] if isinstance(data.get("accepted"), list) else [],
        notices=notices,
        places={
            key: Place(line, key.partition(".")[2], block=f"[{key.partition('.')[0]}]")
            for key, line in lines.items()
            if "." in key
        },
    )
    values.problems = reader.problems
    return values
