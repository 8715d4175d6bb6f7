"""Benchmark: sentence-level co-occurrence EDGES from 5 million mentions.

Run from the project root:

    .venv/bin/python benchmarks/bench_network.py

It builds a synthetic MENTIONS table (fixed seed, every contract column), writes it
to a temporary parquet file, and then times, each in a fresh subprocess:

* ``tk.cooccurrence(mentions)`` (full EDGES: counts, articles, dates, measures), and
* the plain pandas way to count the same pairs: drop repeated (sentence, actor)
  rows, self-merge on the sentence, keep ``actor_x < actor_y``, group and count.

Each fresh process reports the wall time of its first (cold) call and, for the
toolkit, the best of ``--calls`` calls, plus the extra peak memory the first call
needed (peak resident set size during the call minus the resident size just
before it; the kernel's high-water mark is reset first). The best of ``--repeats``
processes is reported, and the two results are checked to give identical counts.

Synthetic corpus: 100,000 articles x 15 sentences with mentions (positions spread
over 30 sentences, the first one a title) = 1.5 million sentence windows; each
holds 1 + Poisson(2.33) mentions (mean 3.33); actors are drawn from 2,000 ids with
Zipf-like frequencies p(rank r) proportional to 1/r; dates spread over 2020-2025.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

SEED = 20_250_401


def make_mentions(n_mentions: int, n_actors: int, seed: int = SEED) -> pl.DataFrame:
    """Synthetic MENTIONS with the contract's columns."""
    rng = np.random.default_rng(seed)
    per_sentence = 1 + rng.poisson(2.33, size=n_mentions)
    cumulative = np.cumsum(per_sentence)
    n_sentences = int(np.searchsorted(cumulative, n_mentions)) + 1
    per_sentence = per_sentence[:n_sentences]
    per_sentence[-1] -= int(cumulative[n_sentences - 1]) - n_mentions
    sentence_of = np.repeat(np.arange(n_sentences), per_sentence)
    per_article = 15
    article = sentence_of // per_article
    # 15 mentioned sentences spread over 30 positions: 2*i or 2*i + 1
    position = (2 * (np.arange(n_sentences) % per_article) + rng.integers(0, 2, n_sentences))[
        sentence_of
    ]
    weights = 1.0 / np.arange(1, n_actors + 1)
    actor = rng.choice(n_actors, size=n_mentions, p=weights / weights.sum())
    letters = [chr(ord("A") + i) for i in range(26)]
    states = [a + b + c for a in letters for b in letters for c in letters][:: 26 * 26 // 4][:200]
    names = np.array(
        [states[i] if i < len(states) else f"person:actor-{i:05d}" for i in range(n_actors)]
    )
    n_articles = int(article.max()) + 1
    article_ids = np.array([f"{value:016x}" for value in rng.integers(0, 2**63, n_articles)])
    days = rng.integers(0, 6 * 365, n_articles)
    frame = pl.DataFrame(
        {
            "article_id": article_ids[article],
            "sentence": position.astype(np.int64),
            "actor_id": names[actor],
            "day": days[article].astype(np.int32),
        }
    )
    return frame.select(
        "article_id",
        sentence_id=pl.concat_str(
            "article_id", pl.lit("-s"), pl.col("sentence").cast(pl.String).str.zfill(5)
        ),
        section=pl.when(pl.col("sentence") == 0).then(pl.lit("title")).otherwise(pl.lit("body")),
        paragraph=pl.when(pl.col("sentence") == 0).then(0).otherwise((pl.col("sentence") - 1) // 3),
        sentence="sentence",
        published=pl.lit(np.datetime64("2020-01-01", "D")).cast(pl.Date)
        + pl.duration(days=pl.col("day")),
        actor_id="actor_id",
        surface="actor_id",
        start=pl.lit(0, dtype=pl.Int64),
        end=pl.col("actor_id").str.len_chars().cast(pl.Int64),
        how=pl.lit("name"),
        as_place=pl.lit(False),
    )


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark for this process (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _count_pandas(mentions):
    """The plain pandas way: unique (sentence, actor) rows, self-merge, filter, count."""
    windows = mentions.drop_duplicates(["article_id", "sentence", "actor_id"])
    merged = windows.merge(windows, on=["article_id", "sentence"])
    merged = merged[merged["actor_id_x"] < merged["actor_id_y"]]
    return merged.groupby(["actor_id_x", "actor_id_y"]).size()


def worker(kind: str, data: Path, out: Path, calls: int) -> None:
    """Time ``calls`` calls in this fresh process; print a JSON line with the figures.

    Memory is measured on the first (cold) call: the peak-RSS mark is reset just
    before it and read just after it.
    """
    import gc
    import resource

    if kind == "toolkit":
        import toolkit as tk

        mentions = pl.read_parquet(data)
        tk.cooccurrence(mentions.head(1000))  # imports and warm-up outside the timing
    else:
        import pandas as pd

        mentions = pd.read_parquet(data, columns=["article_id", "sentence", "actor_id"])
    gc.collect()
    exact = _reset_peak()
    before = _status_kib("VmRSS")
    timings = []
    peak = 0
    for call in range(calls):
        start = time.perf_counter()
        result = tk.cooccurrence(mentions) if kind == "toolkit" else _count_pandas(mentions)
        timings.append(time.perf_counter() - start)
        if call == 0:
            usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            peak = _status_kib("VmHWM") if exact else usage
            first = result
        del result
    if kind == "toolkit":
        counts = first.select("source", "target", n=pl.col("n_windows"))
    else:
        counts = pl.from_pandas(first.reset_index()).rename(
            {"actor_id_x": "source", "actor_id_y": "target", "0": "n"}
        )
    counts.sort("source", "target").write_parquet(out)
    print(
        json.dumps(
            {
                "kind": kind,
                "cold_seconds": timings[0],
                "best_seconds": min(timings),
                "extra_peak_mib": (peak - before) / 1024,
                "process_peak_mib": peak / 1024,
                "exact_peak": exact,
                "n_pairs": counts.height,
            }
        )
    )


def run(kind: str, data: Path, out: Path, calls: int) -> dict:
    command = [sys.executable, __file__, "--worker", kind, "--data", str(data), "--out", str(out)]
    completed = subprocess.run(
        [*command, "--calls", str(calls)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=5_000_000)
    parser.add_argument("--actors", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per method")
    parser.add_argument("--calls", type=int, default=3, help="toolkit calls per process")
    parser.add_argument("--worker", choices=["toolkit", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.data, args.out, args.calls)
        return
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "mentions.parquet"
        mentions = make_mentions(args.mentions, args.actors)
        mentions.write_parquet(data)
        n_windows = mentions.select(pl.struct("article_id", "sentence").n_unique()).item()
        n_articles = mentions.get_column("article_id").n_unique()
        print(
            f"mentions: {mentions.height:,}; actors: {mentions['actor_id'].n_unique():,}; "
            f"articles: {n_articles:,}; sentence windows: {n_windows:,}; "
            f"mentions per window: {mentions.height / n_windows:.2f}"
        )
        del mentions
        print(f"cores: {os.cpu_count()}; load average now: {os.getloadavg()[0]:.2f}")
        results: dict[str, list[dict]] = {"toolkit": [], "pandas": []}
        for repeat in range(args.repeats):
            for kind in ("toolkit", "pandas"):
                calls = args.calls if kind == "toolkit" else 1
                figures = run(kind, data, Path(folder) / f"{kind}.parquet", calls)
                results[kind].append(figures)
                print(
                    f"process {repeat + 1} {kind:8s} cold {figures['cold_seconds']:6.2f} s  "
                    f"best of {calls} calls {figures['best_seconds']:6.2f} s  "
                    f"extra peak {figures['extra_peak_mib']:5.0f} MiB  "
                    f"(process peak {figures['process_peak_mib']:.0f} MiB)"
                )
        ours = pl.read_parquet(Path(folder) / "toolkit.parquet")
        theirs = pl.read_parquet(Path(folder) / "pandas.parquet").cast(ours.schema)
        identical = ours.equals(theirs)
    cold = {kind: min(r["cold_seconds"] for r in runs) for kind, runs in results.items()}
    best = min(r["best_seconds"] for r in results["toolkit"])
    worst_memory = max(r["extra_peak_mib"] for r in results["toolkit"])
    print(
        f"toolkit: best cold call (fresh process, best of {args.repeats}) {cold['toolkit']:.2f} s; "
        f"best call overall {best:.2f} s; extra peak memory (worst process) {worst_memory:.0f} MiB"
    )
    print(
        f"pandas: best of {args.repeats} {cold['pandas']:.2f} s; speed-up cold vs cold "
        f"{cold['pandas'] / cold['toolkit']:.1f}x, best vs best {cold['pandas'] / best:.1f}x"
    )
    print(
        f"pairs {results['toolkit'][0]['n_pairs']:,}; identical counts: {identical}; "
        f"load average after: {os.getloadavg()[0]:.2f}"
    )
    if not identical:
        raise SystemExit("toolkit and pandas counts differ")


if __name__ == "__main__":
    main()
