"""The ``yusuan`` command line."""

from __future__ import annotations

import errno
import shutil
import sys
import traceback
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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

if TYPE_CHECKING:
    from yusuan.tables.forms import ProjectForm


class TableFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


def _load(path: Path):  # type: ignore[no-untyped-def]
    from yusuan.dataset import read_dataset_noticed
    from yusuan.fsutil import check_input_tree

    check_input_tree(path)
    loaded = read_dataset_noticed(path)
    dataset, problems = loaded.dataset, loaded.problems
    for notice in loaded.notices:
        err.print(f"  [注意 / note] {notice}", markup=False, highlight=False)
    if dataset is None:
        err.print(
            f"[bold red]无法读取数据集 / cannot read dataset[/] {path}：{len(problems)} 处错误 / problem(s)"
        )
        for problem in problems:
            err.print(f"  • {problem}", markup=False, highlight=False)
        raise typer.Exit(EXIT_INPUT)
    return dataset


# --- 上年数据集 (--prior): the previous year's dataset gives the prior-year figures -----------

PriorOption = Annotated[
    Path | None,
    typer.Option(
        "--prior",
        help="上年数据集（文件夹或工作簿），上年数由其公开表计算；默认取 yusuan.toml 的"
        " prior_dataset / the previous year's dataset (default: prior_dataset in yusuan.toml)",
    ),
]


def _load_with_prior(path: Path, prior: Path | None):  # type: ignore[no-untyped-def]
    """``_load``, then the prior-year figures of the previous year's dataset when one is named
    (``--prior`` or the manifest's ``prior_dataset``); its problems exit like the dataset's."""
    from yusuan.dataset.assemble import Loaded
    from yusuan.dataset.prior import with_prior

    dataset = _load(path)
    if prior is None and not dataset.manifest.prior_dataset:
        return dataset
    if prior is not None:
        from yusuan.fsutil import check_input_tree

        check_input_tree(prior)
    loaded = with_prior(Loaded(dataset, [], []), path, prior)
    for notice in loaded.notices:
        err.print(f"  [注意 / note] {notice}", markup=False, highlight=False)
    if loaded.dataset is None:
        err.print(
            f"[bold red]无法读取上年数据集 / cannot use the previous year's dataset[/] {path}："
            f"{len(loaded.problems)} 处错误 / problem(s)"
        )
        for problem in loaded.problems:
            err.print(f"  • {problem}", markup=False, highlight=False)
        raise typer.Exit(EXIT_INPUT)
    return loaded.dataset


def _prior_sources(path: Path, data: Any, prior: Path | None) -> tuple[Path, ...]:
    """The previous year's dataset as an input an output must not overwrite."""
    from yusuan.dataset.prior import prior_path

    found = prior_path(path, data, prior)
    return (found,) if found is not None else ()


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
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址 / address")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口 / port")] = 8000,
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help="数据文件夹（SQLite 数据库等；设置 DATABASE_URL 则用 PostgreSQL）/ data folder",
        ),
    ] = Path("yusuan-data"),
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            help="分析库文件夹：门户的跨部门、跨年度图表读它，公开的预算写入它（也可设 YUSUAN_STORE）"
            " / analytics store: the portal's charts read it, published budgets go into it",
        ),
    ] = None,
) -> None:
    """启动预算网站（公开门户与编制审核）/ Serve the budget web application.

    首次启动时建库并载入示例与演示用户（密码只显示一次）/ the first start migrates and loads the
    example with demo users (passwords printed once). Needs ``pip install 'yusuan[web]'``.
    """
    import os

    os.environ["YUSUAN_DATA"] = str(data.resolve())
    if store is not None:
        os.environ["YUSUAN_STORE"] = str(store.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yusuan.web.settings")
    from yusuan.web.serve import prepare, run

    for line in prepare():
        typer.echo(line)
    run(host, port)


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
            help="只输出这些表或项目申报表（编号、id、表名或项目名称，可重复）/ only these tables or"
            " project forms (number, id, table name or project name; repeatable)",
        ),
    ] = None,
    width: Annotated[
        int | None,
        typer.Option(
            "--width",
            help="文本宽度，宽表分段输出；0 为不分段（默认终端宽度）/ text width: wider tables wrap"
            " into blocks of columns; 0 never wraps (default: the terminal's width)",
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
    prior: PriorOption = None,
) -> None:
    """输出公开表 / Print the disclosure tables (and project performance-target forms) of a dataset."""
    from yusuan.render.csv_out import render_tidy_csv
    from yusuan.render.json_out import render_json
    from yusuan.render.text import render_form, render_table, render_units
    from yusuan.tables import build_tables, resolve_table_name
    from yusuan.tables.forms import find_forms, forms_of

    data = _load_with_prior(dataset, prior)
    all_forms = forms_of(data)
    only: list[str] | None = None
    picked: list[ProjectForm] = []
    for name in table or []:
        try:
            only = [*(only or []), resolve_table_name(name)]
        except KeyError as exc:
            found = find_forms(name, all_forms)
            if not found:
                err.print(
                    f"{exc.args[0]}；也不是唯一的项目名称 / nor one project's name", markup=False
                )
                raise typer.Exit(EXIT_INPUT) from exc
            picked += found
    built = build_tables(data, only) if only or not picked else []
    project_forms = picked or (all_forms if forms and not table else [])
    if fmt is TableFormat.json:
        sys.stdout.write(render_json(built, project_forms) + "\n")
    elif fmt is TableFormat.csv:
        sys.stdout.write(render_tidy_csv(built, data.manifest.department, data.year))
    else:
        if width is None and sys.stdout.isatty():
            width = shutil.get_terminal_size().columns
        chunks = [render_units(data.manifest.units)] if not table else []
        chunks += [render_table(t, width or None) for t in built]
        chunks += [render_form(f) for f in project_forms]
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
        typer.Option(
            "--only", help="只生成这些格式 / only these formats: xlsx, pdf, docx, data, site"
        ),
    ] = None,
    prior: PriorOption = None,
) -> None:
    """生成公开文件包（Excel、PDF、Word、网站、开放数据）/ Build the disclosure package.

    退出码 / exit status: 0 成功 built; 1 因致命问题拒绝发布 refused (fatal findings); 2 无法读取 input unreadable
    或输出位置不可用 unusable output; 3 内部错误 internal error.
    """

    from yusuan.publish.build import FORMATS, BuildRefused, build_package
    from yusuan.publish.narrative import parse_texts
    from yusuan.rules.report import render_text

    unknown = sorted(set(only or ()) - set(FORMATS))
    if unknown:
        raise InputError(
            f"未知的格式 {'、'.join(unknown)}；可选：{'、'.join(FORMATS)}",
            f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}",
        )
    data = _load_with_prior(dataset, prior)
    texts, text_problems = parse_texts(data.explanation)
    for problem in text_problems:
        err.print(f"  • {problem}", markup=False, highlight=False)
    formats = tuple(only) if only else FORMATS
    labels = {
        "check": "检查 checking",
        "tables": "编表 tables",
        "xlsx": "Excel",
        "pdf": "PDF",
        "docx": "Word",
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
                sources=(dataset, *_prior_sources(dataset, data, prior)),
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
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="列出无法运行的规则及原因 / list the rules that could not run"
        ),
    ] = False,
    prior: PriorOption = None,
) -> None:
    """检查预算数据，列出问题 / Check a budget and list what is wrong.

    退出码 / exit status: 0 无致命问题 no fatal finding; 1 有致命问题 fatal findings; 2 无法读取 input
    unreadable 或未知规则 unknown rule id; 3 内部错误 internal error.
    """
    if rule_ids:
        _known_rules(rule_ids)
    from yusuan.rules import check_dataset
    from yusuan.rules.report import render_html, render_json, render_text

    loaded = _load_with_prior(dataset, prior)
    report = check_dataset(loaded, only=rule_ids)
    if fmt is CheckFormat.html:  # each finding beside the figures of the tables and forms
        from yusuan.audit.report import dataset_figures

        sys.stdout.write(render_html(report, figures=dataset_figures(loaded)) + "\n")
        raise typer.Exit(EXIT_FINDINGS if report.has_fatal else EXIT_OK)
    render = {CheckFormat.text: render_text, CheckFormat.json: render_json}[fmt]
    sys.stdout.write(render(report, verbose=verbose) + "\n")
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
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="列出无法运行的规则及原因 / list the rules that could not run"
        ),
    ] = False,
    tidy: Annotated[
        Path | None,
        typer.Option(
            "--tidy",
            help="把所有文件的每个数写成一张长表（.csv 或 .parquet）/ "
            "write every figure of every document as one long table (.csv, or .parquet)",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="批量：Dask 本机工作进程数 / batch: Dask worker processes on this machine",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="批量：已有 Dask 集群地址 / batch: address of a Dask scheduler"
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="批量：跳过 -o 中已完成的文件 / batch: skip documents done in -o"
        ),
    ] = False,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="批量：结果写入分析库 / batch: put the tables in a store"),
    ] = None,
) -> None:
    """审计已公开的预算文件：读回数据，找出自相矛盾之处 / Audit published disclosures.

    退出码 / exit status: 0 无致命问题 no fatal finding; 1 有致命问题 fatal findings; 2 有文件无法读取 unreadable input.
    """
    if workers is not None or scheduler or resume or store is not None:
        from yusuan.audit.batch import batch_command

        if export is not None or fmt is not CheckFormat.text:
            err.print(
                "批量审计把每个文件的 JSON 报告写入 -o，不支持 --export-dataset 与 --format / "
                "batch audit writes each document's JSON report to -o; "
                "--export-dataset and --format do not apply",
                markup=False,
            )
            raise typer.Exit(EXIT_INPUT)

        raise typer.Exit(
            batch_command(
                files,
                out,
                workers=workers or 1,
                scheduler=scheduler,
                resume=resume,
                store=store,
                progress=progress,
            )
        )
    from yusuan.audit.run import audit_command

    raise typer.Exit(
        audit_command(files, fmt.value, out, export, progress, tidy=tidy, verbose=verbose)
    )


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
    query: Annotated[
        str | None,
        typer.Argument(
            help="编码或名称（可省略）/ a code or a name to look up, e.g. 2050202 or 小学教育"
        ),
    ] = None,
    year: Annotated[
        int,
        typer.Option(
            "--year", "-y", help="预算年度（默认下一年）/ fiscal year (default: next year)"
        ),
    ] = date.today().year + 1,
) -> None:
    """分类目录：覆盖情况、按编码或名称查询 / Catalogue coverage; look a code or a name up."""
    from yusuan.catalog.coverage import coverage_rows, edition_note, looks_like_code, lookup, search

    console = Console()
    err.print(edition_note(year), markup=False, highlight=False)
    if query:
        by_code = looks_like_code(query)
        hits = lookup(query, year) if by_code else search(query, year)
        if not hits:
            what = "编码" if by_code else "名称含"
            err.print(
                f"{year}年目录中没有{what}“{query}”的条目 / nothing in the {year} catalogues"
                f" {'with code' if by_code else 'whose name contains'} {query!r}",
                markup=False,
            )
            raise typer.Exit(EXIT_FINDINGS)
        if not by_code:
            found = RichTable("编码 code", "名称 name", "级次 level", "目录 catalogue")
            for hit in hits:
                found.add_row(hit[1], hit[2], hit[3], hit[0])
            console.print(found)
            return
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
    code: Annotated[
        str | None,
        typer.Option(
            help="部门编码（必填；在终端中未给出时会询问）/ department code (asked when omitted)"
        ),
    ] = None,
    name: Annotated[str, typer.Option(help="部门名称 / department name")] = "某某部门",
    year: Annotated[
        int, typer.Option(help="预算年度（默认下一年）/ fiscal year (default: next year)")
    ] = date.today().year + 1,
    force: Annotated[
        bool, typer.Option("--force", help="覆盖已有文件夹 / overwrite an existing folder")
    ] = False,
) -> None:
    """生成空白数据集模板（文件夹与工作簿，含 说明.md、下拉选项与科目代码表）/ Write an empty,
    documented dataset template (folder and workbook, with 说明.md, drop-downs and a code sheet)."""
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
    if not code:
        if not sys.stdin.isatty():
            err.print(
                "请用 --code 指定部门编码，如 --code 104 / give the department code with --code",
                markup=False,
            )
            raise typer.Exit(EXIT_INPUT)
        code = str(typer.prompt("部门编码 / department code")).strip()
    workbook = write_template(folder, code=code, name=name, year=year)
    typer.echo(f"已生成 {year}年模板 / written: {folder}/  and  {workbook}")
    typer.echo(f"填写说明见 {folder / 'README.md'}；部门职责等文字写在 {folder / '说明.md'}")


# --- convert (with 预算管理一体化 flat files, issue #10) ---------------------------------------


class DatasetFormat(StrEnum):
    dataset = "dataset"
    yitihua = "yitihua"


class FlatHeaders(StrEnum):
    element = "element"
    chinese = "chinese"


@app.command()
def convert(
    source: Annotated[
        Path,
        typer.Argument(
            help="数据集（文件夹或 .xlsx），或 --from yitihua 时的一体化平铺文件（.csv/.xlsx）"
            " / dataset folder or workbook, or a 一体化 flat file with --from yitihua"
        ),
    ],
    target: Annotated[
        Path,
        typer.Argument(
            help="输出（以 .xlsx 结尾则为工作簿，否则为文件夹；--to yitihua 时为 .csv/.xlsx 文件）"
            " / output workbook or folder (a .csv/.xlsx file with --to yitihua)"
        ),
    ],
    from_format: Annotated[
        DatasetFormat,
        typer.Option(
            "--from", help="输入格式 / input format: dataset, yitihua (预算管理一体化平铺文件)"
        ),
    ] = DatasetFormat.dataset,
    to_format: Annotated[
        DatasetFormat,
        typer.Option("--to", help="输出格式 / output format: dataset, yitihua"),
    ] = DatasetFormat.dataset,
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help="--from yitihua 时必填：yusuan.toml（部门与单位），或一个数据集（保留其项目、"
            "绩效指标等，只替换预算明细）/ with --from yitihua: a yusuan.toml, or a dataset whose "
            "budget lines are replaced",
        ),
    ] = None,
    headers: Annotated[
        FlatHeaders | None,
        typer.Option(
            "--headers",
            help="--to yitihua 的表头（默认 element）/ headers of --to yitihua: element, chinese",
        ),
    ] = None,
) -> None:
    """在文件夹与工作簿之间转换数据集 / Convert a dataset between folder and workbook.

    也可读写预算管理一体化平铺文件（--from yitihua / --to yitihua）/ also reads and writes
    flat 预算管理一体化 files. 不覆盖非 yusuan 生成的文件夹或已有文件 / never replaces a folder
    yusuan did not make, an existing file, or the source.
    """
    from yusuan.dataset import is_workbook, save_dataset
    from yusuan.fsutil import check_output, marked_folder

    if from_format is DatasetFormat.yitihua and to_format is DatasetFormat.yitihua:
        raise InputError(
            "--from yitihua 与 --to yitihua 不能同时使用",
            "--from yitihua and --to yitihua cannot be used together",
        )
    if from_format is DatasetFormat.yitihua:
        if manifest is None:
            raise InputError(
                "--from yitihua 需要 --manifest：yusuan.toml 或数据集（平铺文件不含部门、单位性质）",
                "--from yitihua needs --manifest: a yusuan.toml or a dataset (a flat file has "
                "no department or unit kinds)",
            )
        data = _load_flat(source, manifest)
        sources: tuple[Path, ...] = (source, manifest)
    else:
        if manifest is not None:
            raise InputError(
                "--manifest 只用于 --from yitihua", "--manifest is only for --from yitihua"
            )
        data = None
        sources = (source,)
    if headers is not None and to_format is not DatasetFormat.yitihua:
        raise InputError("--headers 只用于 --to yitihua", "--headers is only for --to yitihua")
    if to_format is DatasetFormat.yitihua:
        from yusuan.dataset.yitihua import write_flat

        check_output(target, as_file=True, sources=sources)
        write_flat(_load(source), target, (headers or FlatHeaders.element).value)
        typer.echo(f"已写入 / written: {target}")
        return
    as_file = is_workbook(target)
    check_output(target, as_file=as_file, sources=sources)
    if data is None:
        data = _load(source)
    if as_file:
        save_dataset(data, target)
    else:
        with marked_folder(target) as folder:
            save_dataset(data, folder)
    typer.echo(f"已写入 / written: {target}")


def _load_flat(path: Path, manifest: Path):  # type: ignore[no-untyped-def]
    """A flat 一体化 file combined with a manifest or dataset; problems printed, exit 2."""
    from yusuan.dataset.yitihua import read_flat
    from yusuan.fsutil import check_input_file, check_input_tree

    check_input_file(path)
    check_input_tree(manifest)
    loaded = read_flat(path, manifest)
    for notice in loaded.notices:
        err.print(f"  [注意 / note] {notice}", markup=False, highlight=False)
    if loaded.dataset is None:
        err.print(
            f"[bold red]无法导入 / cannot import[/] {path}：{len(loaded.problems)} 处错误 / problem(s)"
        )
        for problem in loaded.problems:
            err.print(f"  • {problem}", markup=False, highlight=False)
        raise typer.Exit(EXIT_INPUT)
    return loaded.dataset


# --- end of convert --------------------------------------------------------------------------


def _quiet_unraisable(unraisable: Any) -> None:
    """An exception in a finaliser after a failure (a half-written zip closed by the garbage
    collector) is not news: no traceback unless debugging."""
    if "--debug" in sys.argv:
        print(f"{unraisable.err_msg}: {unraisable.object!r}", file=sys.stderr)
        traceback.print_exception(unraisable.exc_value, file=sys.stderr)


def _command_group(name: str, help_text: str) -> typer.Typer:
    """A group of subcommands: ``yusuan NAME COMMAND``."""
    group = typer.Typer(help=help_text, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


synthetic_app = _command_group(
    "synthetic", "合成数据（基准测试与演示）/ Synthetic budgets for benchmarks and demos."
)


@synthetic_app.command("city")
def synthetic_city(
    out: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹 / output folder")],
    departments: Annotated[int, typer.Option(min=1, help="部门数 / departments")] = 30,
    years: Annotated[int, typer.Option(min=1, help="年数 / consecutive years")] = 5,
    seed: Annotated[int, typer.Option(help="随机种子 / random seed")] = 1,
    first_year: Annotated[int, typer.Option(help="第一个预算年度 / first fiscal year")] = 2021,
) -> None:
    """生成一个合成城市：每个部门每年一个数据集 / Write a synthetic city: one dataset per department and year."""
    from yusuan.synthetic_city import write_city

    with progress_bar(err) as bar:
        task = bar.add_task("生成 writing", total=departments * years)

        def on_dataset(folder: Path) -> None:
            bar.update(task, advance=1, description=f"生成 writing: {folder.name}")

        written = write_city(
            out,
            departments=departments,
            years=years,
            seed=seed,
            first_year=first_year,
            on_dataset=on_dataset,
        )
    typer.echo(f"已生成 / written: {len(written)} datasets in {out}")


@synthetic_app.command("next-year")
def synthetic_next_year(
    dataset: Annotated[Path, typer.Argument(help="本年数据集 / this year's dataset")],
    out: Annotated[Path, typer.Option("--out", "-o", help="下一年数据集文件夹 / output folder")],
    seed: Annotated[int, typer.Option(help="随机种子 / random seed")] = 1,
) -> None:
    """生成该部门下一年的数据集（逐年变动，prior_dataset 指回本数据集，说明.md 给出部分变动原因）/
    Write the department's following year (drifted), with prior_dataset pointing back."""
    import os

    from yusuan.dataset import is_workbook, save_dataset
    from yusuan.fsutil import check_output, marked_folder
    from yusuan.synthetic_city import next_year_dataset

    as_file = is_workbook(out)
    check_output(out, as_file=as_file, sources=(dataset,))
    data = _load(dataset)
    # prior_dataset is relative to the new dataset's folder (a workbook's: the folder it is in)
    back = os.path.relpath(dataset.resolve(), out.resolve().parent if as_file else out.resolve())
    following = next_year_dataset(data, seed, Path(back).as_posix())
    if as_file:
        save_dataset(following, out)
    else:
        with marked_folder(out) as folder:
            save_dataset(following, folder)
    typer.echo(
        f"已生成 / written: {following.year}年 {out}（prior_dataset = {Path(back).as_posix()}）"
    )


store_app = _command_group(
    "store", "分析库：多部门多年度数据（Parquet + DuckDB）/ The analytics store (Parquet + DuckDB)."
)


@store_app.command("build")
def store_build(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="数据集、公开文件或包含它们的文件夹 / datasets, documents or folders of them"
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="分析库文件夹 / store folder")],
) -> None:
    """把数据集与公开文件写入分析库 / Put datasets and documents into the analytics store.

    同一来源再次写入时替换原有数据 / a source stored again replaces what the store had from it.
    退出码 / exit status: 0 全部写入 all stored; 2 有来源无法读取 some source unreadable.
    """
    from yusuan.analytics.store import build_store

    with progress_bar(err) as bar:
        task = bar.add_task("入库 storing", total=None)

        def on_source(index: int, total: int, path: Path) -> None:
            bar.update(task, completed=index, total=total, description=f"入库 storing: {path.name}")

        result = build_store(out, inputs, on_source)
    for problem in result.problems:
        err.print(f"  • {problem}", markup=False, highlight=False)
    typer.echo(
        f"已入库 / stored: {len(result.stored)} sources, {result.values} values in {out}"
        + (f"；无法读取 / unreadable: {len(result.problems)}" if result.problems else "")
    )
    raise typer.Exit(EXIT_INPUT if result.problems or not result.stored else EXIT_OK)


@store_app.command("views")
def store_views() -> None:
    """列出可直接查询的视图 / List the views a query can use."""
    from yusuan.analytics.views import FACTS_COLUMNS, READY_VIEWS

    typer.echo(f"facts({', '.join(FACTS_COLUMNS)})")
    for name, (about, _) in READY_VIEWS.items():
        typer.echo(f"{name}\n    {about}")


@store_app.command("export")
def store_export(
    store: Annotated[Path, typer.Argument(help="分析库文件夹 / store folder")],
    out: Annotated[Path, typer.Option("--out", "-o", help="数据包文件夹 / Data Package folder")],
) -> None:
    """把分析库导出为开放数据包（Frictionless Data Package, CSV）/ Export the store as open data.

    长表 facts.csv 与每张公开表一个文件，跨部门、跨年度堆叠；datapackage.json 说明每个文件的字段
    / the long facts.csv and one CSV per disclosure table, stacked across departments and years,
    each described in datapackage.json. 退出码 / exit status: 0 done; 2 bad store or output.
    """
    from yusuan.analytics.package import export_package

    try:
        result = export_package(store, out)
    except FileNotFoundError as problem:
        err.print(str(problem), markup=False)
        raise typer.Exit(EXIT_INPUT) from problem
    typer.echo(
        f"已导出 / exported: {result.sources} sources, {result.facts} values, "
        f"{result.tables} tables to {out}"
    )


@app.command()
def query(
    store: Annotated[Path, typer.Argument(help="分析库文件夹 / store folder")],
    sql: Annotated[str, typer.Argument(help="SQL（DuckDB），如 / e.g. SELECT * FROM facts")],
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="输出格式 / output format")
    ] = TableFormat.text,
) -> None:
    """用 SQL 查询分析库 / Query the analytics store with SQL (views: yusuan store views).

    退出码 / exit status: 0 成功 done; 2 分析库或 SQL 有误 bad store or SQL.
    """
    import duckdb

    from yusuan.analytics.query import render_result, run_query

    try:
        names, rows = run_query(store, sql)
    except (FileNotFoundError, duckdb.Error) as problem:
        err.print(str(problem), markup=False)
        raise typer.Exit(EXIT_INPUT) from problem
    sys.stdout.write(render_result(names, rows, fmt.value))


def main() -> None:
    sys.unraisablehook = _quiet_unraisable
    app()


if __name__ == "__main__":
    main()
