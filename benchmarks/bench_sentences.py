"""Sentence splitting: accuracy on the gold set and throughput, ours vs alternatives.

Run: ``.venv/bin/python benchmarks/bench_sentences.py`` (add ``--mb 5`` for a quick run).

Accuracy is measured on ``tests/data/gold_sentences.txt`` (news prose written for
this project, one sentence per line). A boundary is the end of a sentence that is
not the end of its paragraph (paragraph ends are given to every splitter, so they
are not counted). Throughput is measured on a synthetic corpus of about 50 MB built
by shuffling the gold paragraphs with a fixed seed into articles of 12 paragraphs;
the figure is the best of 3 runs.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from toolkit.sentences import split_paragraph, split_sentences

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "gold_sentences.txt"

Spans = list[tuple[int, int]]


def read_gold(path: Path = GOLD) -> list[tuple[str, Spans, str]]:
    """Return ``(paragraph text, sentence spans, part)`` for each gold paragraph."""
    paragraphs: list[tuple[str, Spans, str]] = []
    part = "dev"
    text, spans = "", []

    def flush() -> None:
        nonlocal text, spans
        if spans:
            paragraphs.append((text, spans, part))
        text, spans = "", []

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            found = re.match(r"# part: (\w+)", line)
            if found:
                flush()
                part = found.group(1)
            continue
        if not line.strip():
            flush()
            continue
        joiner = " "
        if line.startswith("| "):
            joiner, line = "\n", line[2:]
        if text:
            text += joiner
        spans.append((len(text), len(text) + len(line)))
        text += line
    flush()
    return paragraphs


def score(split: Callable[[str], Spans], paragraphs) -> dict[str, float]:
    """Boundary precision, recall, F1 and the share of gold sentences found exactly."""
    tp = n_gold = n_pred = exact = n_sentences = 0
    for text, gold, _ in paragraphs:
        predicted = split(text)
        gold_cuts = {end for _, end in gold[:-1]}
        pred_cuts = {end for _, end in predicted[:-1]}
        tp += len(gold_cuts & pred_cuts)
        n_gold += len(gold_cuts)
        n_pred += len(pred_cuts)
        exact += len(set(gold) & set(predicted))
        n_sentences += len(gold)
    precision = tp / n_pred if n_pred else 1.0
    recall = tp / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "exact": exact / n_sentences,
        "sentences": n_sentences,
        "boundaries": n_gold,
    }


def errors(split: Callable[[str], Spans], paragraphs) -> list[str]:
    """Human-readable list of missed and spurious boundaries."""
    out = []
    for text, gold, _ in paragraphs:
        predicted = split(text)
        gold_cuts = {end for _, end in gold[:-1]}
        pred_cuts = {end for _, end in predicted[:-1]}
        for cut in sorted(gold_cuts - pred_cuts):
            out.append(f"missed:   ...{text[max(0, cut - 40) : cut]}|{text[cut : cut + 30]}...")
        for cut in sorted(pred_cuts - gold_cuts):
            out.append(f"spurious: ...{text[max(0, cut - 40) : cut]}|{text[cut : cut + 30]}...")
    return out


def _strip(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None


_NAIVE = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")


def naive_split(text: str) -> Spans:
    """Split after every ., ! or ? (plus closing quotes) that is followed by whitespace."""
    spans, start = [], 0
    for match in _NAIVE.finditer(text):
        span = _strip(text, start, match.start())
        if span:
            spans.append(span)
        start = match.end()
    span = _strip(text, start, len(text))
    return [*spans, span] if span else spans


def spacy_splitter() -> Callable[[str], Spans] | None:
    """spaCy's rule-based sentencizer on a blank English pipeline (None if spaCy is missing)."""
    try:
        import spacy
    except ImportError:
        return None
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")

    def split(text: str) -> Spans:
        out = []
        for sentence in nlp(text).sents:
            span = _strip(text, sentence.start_char, sentence.end_char)
            if span:
                out.append(span)
        return out

    split.pipe = lambda texts: [None for _ in nlp.pipe(texts, batch_size=256)]  # type: ignore[attr-defined]
    return split


def synthetic_articles(paragraphs, *, megabytes: float, seed: int = 20240101) -> pl.DataFrame:
    """ARTICLES-shaped table of about ``megabytes`` MB of body text, built reproducibly."""
    rng = random.Random(seed)
    texts = [text for text, _, _ in paragraphs]
    target = int(megabytes * 1_000_000)
    bodies, size = [], 0
    while size < target:
        body = "\n\n".join(rng.choice(texts) for _ in range(12))
        bodies.append(body)
        size += len(body.encode("utf-8"))
    n = len(bodies)
    return pl.DataFrame(
        {
            "article_id": [f"{i:016x}" for i in range(n)],
            "title": ["Synthetic article"] * n,
            "summary": [[]] * n,
            "captions": [[]] * n,
            "body": bodies,
        },
        schema_overrides={"summary": pl.List(pl.String), "captions": pl.List(pl.String)},
    )


def best_of(runs: int, fn: Callable[[], object]) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds over ``runs`` calls (other processes share the CPU)."""
    wall = cpu = float("inf")
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="synthetic corpus size in MB")
    parser.add_argument("--runs", type=int, default=3, help="timing runs (best is reported)")
    parser.add_argument("--spacy-mb", type=float, default=5.0, help="corpus size for spaCy")
    parser.add_argument("--errors", action="store_true", help="list our splitter's errors")
    args = parser.parse_args()

    paragraphs = read_gold()
    heldout = [p for p in paragraphs if p[2] == "heldout"]
    candidates: dict[str, Callable[[str], Spans]] = {"toolkit (ours)": split_paragraph}
    sp = spacy_splitter()
    if sp is not None:
        candidates["spaCy sentencizer"] = sp
    candidates["naive regex"] = naive_split

    corpus = synthetic_articles(paragraphs, megabytes=args.mb)
    bodies = corpus.get_column("body").to_list()
    mb = sum(len(b.encode("utf-8")) for b in bodies) / 1e6
    small = synthetic_articles(paragraphs, megabytes=min(args.spacy_mb, args.mb))
    small_bodies = small.get_column("body").to_list()
    small_mb = sum(len(b.encode("utf-8")) for b in small_bodies) / 1e6

    print(f"gold set: {GOLD.name}, {sum(len(p[1]) for p in paragraphs)} sentences")
    print(f"synthetic corpus: {mb:.1f} MB, {corpus.height} articles (spaCy: {small_mb:.1f} MB)")
    print()
    header = (
        f"{'splitter':<20} {'P':>6} {'R':>6} {'F1':>6} {'exact':>6} {'F1 heldout':>10} "
        f"{'MB/s wall':>9} {'MB/s CPU':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, split in candidates.items():
        overall = score(split, paragraphs)
        held = score(split, heldout) if heldout else None
        if name == "toolkit (ours)":
            size = mb
            wall, cpu = best_of(args.runs, lambda: split_sentences(corpus, sections=["body"]))
        elif name == "spaCy sentencizer":
            size = small_mb
            wall, cpu = best_of(args.runs, lambda split=split: split.pipe(small_bodies))
        else:
            size = mb
            wall, cpu = best_of(
                args.runs, lambda split=split: [split(p) for b in bodies for p in b.split("\n\n")]
            )
        held_f1 = f"{held['f1']:.3f}" if held else "-"
        print(
            f"{name:<20} {overall['precision']:>6.3f} {overall['recall']:>6.3f} "
            f"{overall['f1']:>6.3f} {overall['exact']:>6.3f} {held_f1:>10} "
            f"{size / wall:>9.1f} {size / cpu:>8.1f}"
        )
    ours = score(split_paragraph, paragraphs)
    print()
    print(f"ours: {ours['boundaries']} gold boundaries, {ours['sentences']} gold sentences")
    if args.errors:
        for line in errors(split_paragraph, paragraphs):
            print(line)


if __name__ == "__main__":
    main()
