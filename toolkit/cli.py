"""Command-line interface: ``toolkit build``, ``toolkit status``, ``toolkit figures``.

Also available as ``python -m toolkit``. The CLI reads, calls the package's
functions, validates every table against its contract, and writes. It is the
only place (with the loaders) that touches files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl

import toolkit as tk
from toolkit import processed as store
from toolkit.contracts import validate

#: Tables written by ``toolkit build``, with the contract each one follows.
BUILD_TABLES = {
    "articles": "ARTICLES",
    "sentences": "SENTENCES",
    "actors": "ACTORS",
    "roles": "ROLES",
    "mentions": "MENTIONS",
    "edges": "EDGES",
    "nodes": "NODES",
    "events": "EVENTS",
}


def _window(value: str) -> str | int:
    if value in ("sentence", "paragraph", "article"):
        return value
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"window must be sentence, paragraph, article or a positive integer, got {value!r}"
        ) from None
    if k < 1:
        raise argparse.ArgumentTypeError(f"window must be a positive integer, got {value!r}")
    return k


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def build_tables(
    raw: Path, *, window: str | int = "sentence"
) -> tuple[dict[str, pl.DataFrame], dict, object]:
    """Run the whole data flow on ``raw`` (a ``data/raw``-shaped directory).

    Returns the tables (polars), the load report as a JSON-ready dict (with the
    unregistered candidate names added for the analyst to review) and the
    ``LoadReport`` itself.
    """
    corpus_dir = raw / "corpus"
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"{corpus_dir} not found: RAW must contain a corpus/ directory")
    report = tk.LoadReport()
    articles = tk.load_articles(corpus_dir, report=report)
    sentences = tk.split_sentences(articles)
    # Only RAW's own registry additions count, never the working directory's.
    actors_dir = raw / "actors"
    user = [actors_dir] if actors_dir.is_dir() else []
    actors = tk.load_actors(paths=user)
    roles = tk.load_roles(paths=user)
    mentions = tk.extract_mentions(sentences, actors, roles=roles)
    candidates = tk.candidate_actors(sentences, mentions)
    edges = tk.cooccurrence(mentions, window=window)
    nodes = tk.actor_nodes(mentions, actors)
    events = tk.extract_events(sentences, mentions, actors=actors, roles=roles)
    tables = {
        "articles": articles,
        "sentences": sentences,
        "actors": actors,
        "roles": roles,
        "mentions": mentions,
        "edges": edges,
        "nodes": nodes,
        "events": events,
    }
    for name, contract in BUILD_TABLES.items():
        validate(tables[name], contract)
    load_report = report.to_dict()
    load_report["unregistered_candidates"] = [
        {key: value for key, value in row.items() if isinstance(value, str | int)}
        for row in candidates.head(50).to_dicts()
    ]
    return tables, load_report, report


def _build(args: argparse.Namespace) -> int:
    raw, out = Path(args.raw), Path(args.out)
    tables, load_report, report = build_tables(raw, window=args.window)
    out.mkdir(parents=True, exist_ok=True)
    outputs = {}
    for name, table in tables.items():
        path = out / f"{name}.parquet"
        store.write_table(table, path)
        outputs[name] = {"rows": table.height, "sha256": store.file_sha256(path)}
    store.write_json(load_report, out / "load_report.json")
    inputs = store.input_files(raw)
    manifest = {
        "toolkit_version": tk.__version__,
        "python": ".".join(map(str, sys.version_info[:2])),
        "dependencies": store.dependency_versions(),
        "parameters": {"window": str(args.window)},
        "inputs": inputs,
        "n_input_files": len(inputs),
        "corpus_fingerprint": store.fingerprint(inputs),
        "tables": outputs,
    }
    store.write_json(manifest, out / "manifest.json")
    print(report.format())
    n_candidates = len(load_report["unregistered_candidates"])
    if n_candidates:
        names = ", ".join(
            row.get("name", "?") for row in load_report["unregistered_candidates"][:10]
        )
        print(f"unregistered candidate names ({n_candidates} listed in load_report.json): {names}")
    summary = ", ".join(f"{name} {info['rows']}" for name, info in outputs.items())
    print(f"wrote {out}: {summary}; corpus {manifest['corpus_fingerprint']}")
    return 0


def _status(args: argparse.Namespace) -> int:
    events = None
    if not args.reference_only:
        events_path = Path(args.processed) / "events.parquet"
        if events_path.is_file():
            events = pl.read_parquet(events_path)
        else:
            print(
                f"note: {events_path} not found; using the reference table alone "
                "(run `toolkit build` to add the corpus's events)",
                file=sys.stderr,
            )
    status = tk.relation_status(args.focal.upper(), as_of=args.as_of, events=events)
    if args.without:
        status = status.filter(~pl.col("status").is_in(["ties", "self", "not_applicable"]))
    columns = ["counterpart", "name", "status", "since", "basis", "conflict", "evidence"]
    shown = status.select(columns)
    if args.format == "csv":
        sys.stdout.write(shown.write_csv())
    elif args.format == "json":
        sys.stdout.write(shown.write_json() + "\n")
    else:
        with pl.Config(
            tbl_rows=-1,
            tbl_cols=-1,
            fmt_str_lengths=60,
            tbl_hide_dataframe_shape=True,
            tbl_hide_column_data_types=True,
            tbl_width_chars=200,
        ):
            print(shown)
        label = "without ties" if args.without else "listed"
        print(f"{shown.height} UN members {label} for {args.focal.upper()} as of {args.as_of}")
    return 0


def _figures(args: argparse.Namespace) -> int:
    from toolkit import figures

    written = figures.write_figures(Path(args.out), processed=Path(args.processed))
    for path in written:
        print(path)
    return 0


def _notebooks(args: argparse.Namespace) -> int:
    from toolkit import notebooks

    for path in args.paths:
        notebooks.execute_in_place(Path(path))
        print(f"executed {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser (exposed for documentation and tests)."""
    top = argparse.ArgumentParser(prog="toolkit", description=__doc__.splitlines()[0])
    top.add_argument("--version", action="version", version=f"toolkit {tk.__version__}")
    commands = top.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="turn data/raw into tables under data/processed")
    build.add_argument("raw", nargs="?", default="data/raw", help="raw data directory")
    build.add_argument("--out", default=str(store.DEFAULT_PROCESSED), help="output directory")
    build.add_argument(
        "--window",
        type=_window,
        default="sentence",
        help="co-occurrence window for edges.parquet: sentence, paragraph, article or k",
    )
    build.set_defaults(run=_build)

    status = commands.add_parser("status", help="relation status of every UN member with FOCAL")
    status.add_argument("focal", help="ISO3 code of the focal state, e.g. KOR")
    status.add_argument("--as-of", required=True, type=_date, help="date, YYYY-MM-DD")
    status.add_argument("--without", action="store_true", help="only states without ties")
    status.add_argument("--format", choices=("table", "csv", "json"), default="table")
    status.add_argument("--processed", default=str(store.DEFAULT_PROCESSED))
    status.add_argument("--reference-only", action="store_true", help="ignore the corpus's events")
    status.set_defaults(run=_status)

    figures = commands.add_parser("figures", help="write every notebook figure as SVG and PNG")
    figures.add_argument("--out", default="reports/figures")
    figures.add_argument("--processed", default=str(store.DEFAULT_PROCESSED))
    figures.set_defaults(run=_figures)

    notebooks = commands.add_parser("notebooks", help="re-execute notebooks in place")
    notebooks.add_argument("paths", nargs="+")
    notebooks.set_defaults(run=_notebooks)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``toolkit`` command."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (FileNotFoundError, ValueError) as error:
        print(f"toolkit {args.command}: error: {error}", file=sys.stderr)
        return 2
