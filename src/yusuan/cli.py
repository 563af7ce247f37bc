"""The ``yusuan`` command line."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from yusuan import __version__
from yusuan.console import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, progress_bar

app = typer.Typer(
    name="yusuan",
    help="预算 yusuan：部门预算的编制数据、检查、公开与审计。\n\n"
    "Prepare, prove, publish and audit Chinese departmental budgets (部门预算公开).",
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
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="显示版本 / show the version"
        ),
    ] = False,
) -> None:
    """预算 yusuan."""


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

    退出码 / exit status: 0 成功 built; 1 因致命问题拒绝发布 refused (fatal findings); 2 无法读取 input unreadable.
    """

    from yusuan.publish.build import FORMATS, BuildRefused, UnsafeOutput, build_package
    from yusuan.publish.narrative import read_texts
    from yusuan.rules.report import render_text

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
                data, out, texts=texts, force=force, formats=formats, on_step=on_step
            )
        except BuildRefused as refused:
            progress.stop()
            sys.stdout.write(render_text(refused.report) + "\n")
            err.print(f"[bold red]{refused}[/]")
            raise typer.Exit(EXIT_FINDINGS) from refused
        except (UnsafeOutput, ValueError) as problem:
            progress.stop()
            err.print(str(problem), markup=False)
            raise typer.Exit(EXIT_INPUT) from problem
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

    退出码 / exit status: 0 无致命问题 no fatal finding; 1 有致命问题 fatal findings; 2 无法读取 input unreadable.
    """
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
    """在文件夹与工作簿之间转换数据集 / Convert a dataset between folder and workbook."""
    from yusuan.dataset import save_dataset

    save_dataset(_load(source), target)
    typer.echo(f"已写入 / written: {target}")


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
    app()


if __name__ == "__main__":
    main()
