"""The ``yusuan`` command line."""

from __future__ import annotations

import errno
import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table as RichTable
from typer.core import TyperGroup
from typer.exceptions import TyperException

from yusuan import __version__
from yusuan.console import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_STATUS_HELP,
    InputError,
    internal_error_message,
    os_error_message,
    progress_bar,
)
from yusuan.fsutil import InputNotAFile, UnsafeOutput

DEBUG_KEY = "yusuan.debug"


def failure_status(command: str, failure: Exception, *, debug: bool) -> int:
    """Say on stderr why ``command`` failed and return its exit status: 2 for what the user
    can act on (input, output place, disk), 3 for an internal error; the traceback only when
    debugging."""
    if debug:
        traceback.print_exception(failure, file=sys.stderr)
    if isinstance(failure, InputError | UnsafeOutput | InputNotAFile):
        typer.echo(f"yusuan {command}：{failure}", err=True)
        return EXIT_INPUT
    if isinstance(failure, OSError):
        message = os_error_message(command, failure)
        if message is not None:
            typer.echo(message, err=True)
            return EXIT_INPUT
    typer.echo(internal_error_message(command, failure), err=True)
    return EXIT_INTERNAL


class Commands(TyperGroup):
    """Every command's failure ends in one documented exit status (see ``yusuan.console``)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (TyperException, typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt as interrupted:  # not a finding (1): the shell's convention
            typer.echo(f"yusuan {_command(ctx)}：已中断 / interrupted", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from interrupted
        except Exception as failure:
            if isinstance(failure, OSError) and failure.errno == errno.EPIPE:
                raise  # the reader of stdout went away: not ours to report
            status = failure_status(_command(ctx), failure, debug=_debugging(ctx))
            raise typer.Exit(status) from failure


def _command(ctx: Any) -> str:
    return str(ctx.invoked_subcommand or ctx.info_name or "")


def _debugging(ctx: Any) -> bool:
    return bool(ctx.meta.get(DEBUG_KEY, False))


app = typer.Typer(
    name="yusuan",
    cls=Commands,
    help="预算 yusuan：部门预算的编制数据、检查、公开与审计。\n\n"
    "Prepare, prove, publish and audit Chinese departmental budgets (部门预算公开).\n\n"
    + EXIT_STATUS_HELP,
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
err = Console(stderr=True)


class TableFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


def _load(path: Path):  # type: ignore[no-untyped-def]
    from yusuan.dataset import read_dataset
    from yusuan.fsutil import check_input_tree

    check_input_tree(path)
    dataset, problems = read_dataset(path)
    if dataset is None:
        err.print(
            f"[bold red]无法读取数据集 / cannot read dataset[/] {path}：{len(problems)} 处错误 / problem(s)"
        )
        for problem in problems:
            err.print(f"  • {problem}", markup=False, highlight=False)
        raise typer.Exit(EXIT_INPUT)
    return dataset


def _version(value: bool) -> None:
    if value:
        typer.echo(f"yusuan {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="显示版本 / show the version"
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="内部错误时显示完整回溯 / show the traceback of an internal error"
        ),
    ] = False,
) -> None:
    """预算 yusuan."""
    ctx.meta[DEBUG_KEY] = debug


@app.command()
def tables(
    dataset: Annotated[
        Path,
        typer.Argument(
            help="数据集：含 yusuan.toml 的文件夹或 .xlsx 工作簿 / dataset folder or workbook"
        ),
    ],
    table: Annotated[
        list[str] | None,
        typer.Option(
            "--table",
            "-t",
            help="只输出这些表（编号、id 或名称，可重复）/ only these tables (number, id or name; repeatable)",
        ),
    ] = None,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="输出格式 / output format")
    ] = TableFormat.text,
    forms: Annotated[
        bool,
        typer.Option(
            "--forms/--no-forms", help="同时输出项目绩效目标申报表 / include the project forms"
        ),
    ] = True,
) -> None:
    """输出公开表 / Print the disclosure tables (and project performance-target forms) of a dataset."""
    from yusuan.render.csv_out import render_tidy_csv
    from yusuan.render.json_out import render_json
    from yusuan.render.text import render_form, render_table
    from yusuan.tables import build_tables, resolve_table_name
    from yusuan.tables.forms import forms_of

    data = _load(dataset)
    try:
        only = [resolve_table_name(name) for name in table] if table else None
    except KeyError as exc:
        err.print(str(exc.args[0]), markup=False)
        raise typer.Exit(EXIT_INPUT) from exc
    built = build_tables(data, only)
    project_forms = forms_of(data) if forms and only is None else []
    if fmt is TableFormat.json:
        sys.stdout.write(render_json(built, project_forms) + "\n")
    elif fmt is TableFormat.csv:
        sys.stdout.write(render_tidy_csv(built))
    else:
        chunks = [render_table(t) for t in built] + [render_form(f) for f in project_forms]
        sys.stdout.write("\n\n".join(chunks) + "\n")


@app.command()
def build(
    dataset: Annotated[
        Path, typer.Argument(help="数据集：文件夹或 .xlsx 工作簿 / dataset folder or workbook")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹 / output folder")] = Path(
        "out"
    ),
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="有致命问题也生成，并把检查结果写入输出 / publish despite fatal findings, with the findings",
        ),
    ] = False,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="只生成这些格式 / only these formats: xlsx, pdf, data, site"),
    ] = None,
) -> None:
    """生成公开文件包（Excel、PDF、网站、开放数据）/ Build the disclosure package.

    退出码 / exit status: 0 成功 built; 1 因致命问题拒绝发布 refused (fatal findings); 2 无法读取 input unreadable
    或输出位置不可用 unusable output; 3 内部错误 internal error.
    """

    from yusuan.publish.build import FORMATS, BuildRefused, build_package
    from yusuan.publish.narrative import read_texts
    from yusuan.rules.report import render_text

    unknown = sorted(set(only or ()) - set(FORMATS))
    if unknown:
        raise InputError(
            f"未知的格式 {'、'.join(unknown)}；可选：{'、'.join(FORMATS)}",
            f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}",
        )
    data = _load(dataset)
    texts_dir = dataset if dataset.is_dir() else dataset.parent
    texts, text_problems = read_texts(texts_dir)
    for problem in text_problems:
        err.print(f"  • {problem}", markup=False, highlight=False)
    formats = tuple(only) if only else FORMATS
    labels = {
        "check": "检查 checking",
        "tables": "编表 tables",
        "xlsx": "Excel",
        "pdf": "PDF",
        "data": "开放数据 open data",
        "site": "网站 web site",
    }
    with progress_bar(err) as progress:
        task = progress.add_task("生成 building", total=2 + len(formats))

        def on_step(name: str, index: int, total: int) -> None:
            progress.update(
                task,
                completed=index,
                total=total,
                description=f"生成 building: {labels.get(name, name)}",
            )

        try:
            result = build_package(
                data,
                out,
                texts=texts,
                force=force,
                formats=formats,
                on_step=on_step,
                sources=(dataset,),
            )
        except BuildRefused as refused:
            progress.stop()
            sys.stdout.write(render_text(refused.report) + "\n")
            err.print(f"[bold red]{refused}[/]")
            raise typer.Exit(EXIT_FINDINGS) from refused
        progress.update(task, completed=2 + len(formats))
    typer.echo(
        f"已生成 / built {len(result.files)} files in {result.out_dir}  ({result.report.summary_zh()})"
    )
    for name, seconds in result.seconds.items():
        typer.echo(f"  {labels.get(name, name):<16} {seconds:6.2f} s")


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


@app.command()
def check(
    dataset: Annotated[
        Path, typer.Argument(help="数据集：文件夹或 .xlsx 工作簿 / dataset folder or workbook")
    ],
    fmt: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="输出格式 / output format")
    ] = CheckFormat.text,
    rule_ids: Annotated[
        list[str] | None,
        typer.Option("--rule", "-r", help="只运行这些规则 / only these rules (repeatable)"),
    ] = None,
) -> None:
    """检查预算数据，列出问题 / Check a budget and list what is wrong.

    退出码 / exit status: 0 无致命问题 no fatal finding; 1 有致命问题 fatal findings; 2 无法读取 input
    unreadable 或未知规则 unknown rule id; 3 内部错误 internal error.
    """
    if rule_ids:
        _known_rules(rule_ids)
    from yusuan.rules import check_dataset
    from yusuan.rules.report import render_html, render_json, render_text

    report = check_dataset(_load(dataset), only=rule_ids)
    render = {
        CheckFormat.text: render_text,
        CheckFormat.json: render_json,
        CheckFormat.html: render_html,
    }[fmt]
    sys.stdout.write(render(report) + "\n")
    raise typer.Exit(EXIT_FINDINGS if report.has_fatal else EXIT_OK)


def _known_rules(rule_ids: list[str]) -> None:
    """Raise ``InputError`` naming each unknown rule id and the nearest known ones."""
    import difflib

    from yusuan.rules.engine import load_rules

    known = sorted(load_rules())
    unknown = [r for r in dict.fromkeys(rule_ids) if r not in known]
    if not unknown:
        return
    hints = []
    for rule_id in unknown:
        near = difflib.get_close_matches(rule_id.upper(), known, n=3, cutoff=0.5)
        hints.append(f"{rule_id}（{'、'.join(near) if near else '—'}）")
    raise InputError(
        f"未知的规则编号：{'；'.join(hints)}；括号内为最接近的规则，`yusuan rules` 列出全部",
        f"unknown rule id(s): {'; '.join(hints)}; nearest known ids in brackets, "
        "`yusuan rules` lists them all",
    )


@app.command()
def audit(
    files: Annotated[
        list[Path],
        typer.Argument(help="公开文件或文件夹（PDF、TXT、XLSX）/ published documents or folders"),
    ],
    fmt: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="输出格式 / output format")
    ] = CheckFormat.text,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="输出文件夹（HTML 报告与 summary.csv）/ output folder for reports and summary.csv",
        ),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export-dataset", help="把文件转为 yusuan 数据集 / export the document as a dataset"
        ),
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="显示进度 / show progress")
    ] = True,
) -> None:
    """审计已公开的预算文件：读回数据，找出自相矛盾之处 / Audit published disclosures.

    退出码 / exit status: 0 无致命问题 no fatal finding; 1 有致命问题 fatal findings; 2 有文件无法读取 unreadable input.
    """
    from yusuan.audit.run import audit_command

    raise typer.Exit(audit_command(files, fmt.value, out, export, progress))


class RulesFormat(StrEnum):
    text = "text"
    markdown = "markdown"


@app.command()
def rules(
    fmt: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="输出格式 / output format")
    ] = RulesFormat.text,
) -> None:
    """列出全部检查规则 / List every rule with its id, severity, basis and an example message."""
    from yusuan.rules.base import GROUPS, format_message
    from yusuan.rules.docs import rules_markdown
    from yusuan.rules.engine import load_rules

    if fmt is RulesFormat.markdown:
        sys.stdout.write(rules_markdown())
        return
    registry = load_rules()
    for group, title in GROUPS.items():
        members = sorted((r for r in registry.values() if r.group == group), key=lambda r: r.id)
        if members:
            typer.echo(f"\n{title}")
        for r in members:
            example, _ = format_message(r, r.example)
            typer.echo(f"  {r.id}  [{r.severity.value}] {r.title_zh} / {r.title_en}")
            typer.echo(f"        例：{example}")
            typer.echo(f"        依据：{r.basis}")


@app.command()
def catalog(
    code: Annotated[
        str | None, typer.Argument(help="要查询的编码（可省略）/ a code to look up")
    ] = None,
    year: Annotated[int, typer.Option("--year", "-y", help="预算年度 / fiscal year")] = 2021,
) -> None:
    """分类目录的覆盖情况与编码查询 / Catalogue coverage, or look a code up."""
    from yusuan.catalog.coverage import coverage_rows, lookup

    console = Console()
    if code:
        hits = lookup(code, year)
        if not hits:
            err.print(
                f"目录中没有编码“{code}”（{year}年）/ code {code!r} not found for {year}",
                markup=False,
            )
            raise typer.Exit(EXIT_FINDINGS)
        labels = (
            "目录 catalogue",
            "编码 code",
            "名称 name",
            "级次 level",
            "上级 parent",
            "来源 source",
            "可信度 confidence",
        )
        for hit in hits:
            for label, value in zip(labels, hit, strict=True):
                console.print(f"{label:<20}{value}", markup=False, highlight=False, soft_wrap=True)
            console.print()
        return
    grid = RichTable(
        "目录 catalogue",
        "版本",
        "级次",
        "条目",
        "可信度 高/中/低",
        "主要来源 sources (see catalog/data/*/SOURCES.md)",
        title=f"{year}年分类目录覆盖 / catalogue coverage",
    )
    for row in coverage_rows(year):
        grid.add_row(*row)
    console.print(grid)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="新数据集文件夹 / new dataset folder")],
    code: Annotated[str, typer.Option(help="部门编码 / department code")] = "000",
    name: Annotated[str, typer.Option(help="部门名称 / department name")] = "某某部门",
    year: Annotated[int, typer.Option(help="预算年度 / fiscal year")] = 2021,
    force: Annotated[
        bool, typer.Option("--force", help="覆盖已有文件夹 / overwrite an existing folder")
    ] = False,
) -> None:
    """生成空白数据集模板（文件夹与工作簿）/ Write an empty, documented dataset template."""
    from yusuan.dataset.template import write_template
    from yusuan.fsutil import not_a_folder_message

    if folder.exists() and not folder.is_dir():
        raise UnsafeOutput(not_a_folder_message(folder))
    beside = folder.with_suffix(".xlsx")
    if beside.exists() and not force:
        raise InputError(
            f"工作簿已存在：{beside}（使用 --force 覆盖）",
            f"{beside} exists (use --force to overwrite)",
        )
    if folder.exists() and any(folder.iterdir()) and not force:
        err.print(
            f"文件夹已存在且非空：{folder}（使用 --force 覆盖）/ folder exists and is not empty",
            markup=False,
        )
        raise typer.Exit(EXIT_INPUT)
    workbook = write_template(folder, code=code, name=name, year=year)
    typer.echo(f"已生成 / written: {folder}/  and  {workbook}")


@app.command()
def convert(
    source: Annotated[
        Path, typer.Argument(help="数据集（文件夹或 .xlsx）/ dataset folder or workbook")
    ],
    target: Annotated[
        Path,
        typer.Argument(
            help="输出（以 .xlsx 结尾则为工作簿，否则为文件夹）/ output workbook or folder"
        ),
    ],
) -> None:
    """在文件夹与工作簿之间转换数据集 / Convert a dataset between folder and workbook.

    不覆盖非 yusuan 生成的文件夹或已有文件 / never replaces a folder yusuan did not make, an
    existing file, or the source.
    """
    from yusuan.dataset import is_workbook, save_dataset
    from yusuan.fsutil import check_output, marked_folder

    as_file = is_workbook(target)
    check_output(target, as_file=as_file, sources=(source,))
    data = _load(source)
    if as_file:
        save_dataset(data, target)
    else:
        with marked_folder(target) as folder:
            save_dataset(data, folder)
    typer.echo(f"已写入 / written: {target}")


def _quiet_unraisable(unraisable: Any) -> None:
    """An exception in a finaliser after a failure (a half-written zip closed by the garbage
    collector) is not news: no traceback unless debugging."""
    if "--debug" in sys.argv:
        print(f"{unraisable.err_msg}: {unraisable.object!r}", file=sys.stderr)
        traceback.print_exception(unraisable.exc_value, file=sys.stderr)


def main() -> None:
    sys.unraisablehook = _quiet_unraisable
    app()


if __name__ == "__main__":
    main()
