"""Mention extraction: throughput of ``tk.extract_mentions`` vs spaCy's PhraseMatcher.

Run: ``.venv/bin/python benchmarks/bench_mentions.py`` (generates the corpus first when
``benchmarks/out/`` does not hold it; ``--mb 10`` for a quick run).

1. Inputs: ``benchmarks/make_news_corpus.py`` (fixed seed) writes a news-like SENTENCES
   table of at least ``--mb`` MB of text and a registry (the shipped one plus synthetic
   people and organisations) with at least 5,000 aliases.
2. Ours: ``extract_mentions(sentences, actors, roles=tk.load_roles())`` on the whole
   corpus, everything included (folding, matching, roles, surnames, inferred people,
   ``as_place``, output table). Best of ``--repeat`` runs. With the default
   ``threads=None`` a corpus this size is split by article between one thread per
   CPU (``toolkit.mentions.PARALLEL_MIN_BYTES``); the run with ``threads=1`` is
   timed too, and its output must equal the default run's. The matcher (trie,
   option tables) is built on the first call and cached for the registry, and the
   compiled kernels are loaded from numba's cache (or compiled) on first use: the
   script does both first, on a small slice, and prints that time separately.
   The matching core alone (decoding the texts, folding, one scan, leftmost-longest,
   over the names only, in one thread; what spaCy's PhraseMatcher also does) is
   timed too.
3. spaCy: ``PhraseMatcher(attr="LOWER")`` on ``spacy.blank("en")`` with the same surface
   forms (names, aliases, demonyms, capitals), ``nlp.pipe`` over the first ``--spacy-mb``
   MB of the same sentences: tokenising and matching only, no resolution. Best of
   ``--repeat`` runs. Its matcher is built once before the timed runs, as ours is.
4. Check: on a random sample of sentences (fixed seed), the scan's leftmost-longest
   matches equal those of the reference regular expression (word-boundary alternation
   of the escaped keys, longest first); the script exits non-zero when they differ.

Figures are MB of UTF-8 sentence text per second of wall time.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_news_corpus

import toolkit as tk
from toolkit._scan import join_codes, scan
from toolkit.mentions import (
    _matcher,
    _n_threads,
    extract_mentions,
    matcher_keys,
    plain_matches,
    reference_matches,
    surface_forms,
)


def load_inputs(mb: float) -> tuple[pl.DataFrame, pl.DataFrame]:
    paths = (make_news_corpus.SENTENCES_PATH, make_news_corpus.ACTORS_PATH)
    if all(p.exists() for p in paths):
        sentences = pl.read_parquet(paths[0])
        if sentences["text"].str.len_bytes().sum() >= mb * 1e6 * 0.999:
            return sentences, pl.read_parquet(paths[1])
    make_news_corpus.main(["--mb", str(mb)])
    return pl.read_parquet(paths[0]), pl.read_parquet(paths[1])


def best_of(repeat: int, function) -> tuple[float, object]:
    """Best wall time of ``repeat`` runs (also prints the CPU time of that run)."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = function()
        wall = time.perf_counter() - start
        if wall < best:
            best, best_cpu = wall, time.process_time() - cpu
    print(f"  best run: {best:.2f} s wall, {best_cpu:.2f} s CPU (all threads of this process)")
    return best, result


def bench_spacy(texts: list[str], forms: list[str], repeat: int) -> float:
    """Best time of tokenising and matching ``texts``; the matcher is built once, untimed."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    start = time.perf_counter()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("ACTOR", list(nlp.tokenizer.pipe(forms)))
    print(f"  spaCy matcher build (not timed below): {time.perf_counter() - start:.2f} s")

    def run():
        n = 0
        for doc in nlp.pipe(texts, batch_size=1000):
            n += len(matcher(doc))
        return n

    seconds, n_matches = best_of(repeat, run)
    print(f"  spaCy matches: {n_matches}")
    return seconds


def check_reference(sentences: pl.DataFrame, actors: pl.DataFrame, n: int) -> bool:
    rng = random.Random(make_news_corpus.SEED)
    texts = sentences["text"].to_list()
    sample = [texts[i] for i in sorted(rng.sample(range(len(texts)), min(n, len(texts))))]
    keys = matcher_keys(actors)
    ours = plain_matches(sample, actors)
    reference = [(i, *m) for i, text in enumerate(sample) for m in reference_matches(text, keys)]
    same = ours == reference
    print(
        f"reference regex check on {len(sample)} sampled sentences ({len(keys)} keys): "
        f"{len(reference)} matches, scan {'EQUAL' if same else 'DIFFERENT'}"
    )
    return same


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="corpus size in MB")
    parser.add_argument("--spacy-mb", type=float, default=5.0, help="spaCy subset in MB")
    parser.add_argument("--repeat", type=int, default=5, help="runs; the best is reported")
    parser.add_argument("--check", type=int, default=5000, help="sentences for the regex check")
    args = parser.parse_args(argv)

    sentences, actors = load_inputs(args.mb)
    roles = tk.load_roles()
    n_bytes = sentences["text"].str.len_bytes().sum()
    n_aliases = actors["aliases"].list.len().sum()
    forms = surface_forms(actors).filter(pl.col("how") != "surname")["form"].unique().sort()
    print(
        f"corpus: {sentences.height} sentences, {n_bytes / 1e6:.1f} MB; registry: "
        f"{actors.height} actors, {n_aliases} aliases, {len(forms)} distinct surface forms"
    )

    print(f"load average before the runs (1, 5, 15 min): {os.getloadavg()}")
    start = time.perf_counter()
    # builds and caches the matcher for this registry, loads (or compiles) the kernels
    extract_mentions(sentences.head(20_000), actors, roles=roles, threads=1)
    print(f"matcher build and kernels on a small slice: {time.perf_counter() - start:.2f} s")

    seconds, mentions = best_of(
        args.repeat, lambda: extract_mentions(sentences, actors, roles=roles)
    )
    ours = n_bytes / 1e6 / seconds
    n_threads = _n_threads(int(n_bytes), None)  # what the default chose
    print(
        f"ours ({n_threads} threads, the default): {mentions.height} mentions in "
        f"{seconds:.2f} s -> {ours:.1f} MB/s (best of {args.repeat})"
    )
    print(
        "  by how: "
        + ", ".join(f"{h}={n}" for h, n in mentions["how"].value_counts().sort("how").rows())
    )
    one_seconds, one = best_of(
        args.repeat, lambda: extract_mentions(sentences, actors, roles=roles, threads=1)
    )
    same_output = one.equals(mentions)
    print(
        f"ours, threads=1: {one.height} mentions in {one_seconds:.2f} s -> "
        f"{n_bytes / 1e6 / one_seconds:.1f} MB/s; output "
        f"{'EQUAL to' if same_output else 'DIFFERENT from'} the default run"
    )
    del one

    trie = _matcher(actors, []).trie  # the names only, as spaCy gets them
    column = sentences["text"]

    def core():
        return scan(trie, join_codes(column)[0])[0].size

    core_seconds, n_core = best_of(args.repeat, core)
    print(
        f"ours, matching core only, one thread (decode, fold, scan, leftmost-longest; "
        f"no case rule, no resolution, no table): {n_core} matches in {core_seconds:.2f} s "
        f"-> {n_bytes / 1e6 / core_seconds:.1f} MB/s"
    )

    subset, size = [], 0
    for text in sentences["text"].to_list():
        if size >= args.spacy_mb * 1e6:
            break
        subset.append(text)
        size += len(text.encode("utf-8"))
    spacy_seconds = bench_spacy(subset, forms.to_list(), args.repeat)
    theirs = size / 1e6 / spacy_seconds
    print(
        f"spaCy PhraseMatcher (blank en): {size / 1e6:.1f} MB in {spacy_seconds:.2f} s -> "
        f"{theirs:.2f} MB/s (best of {args.repeat})"
    )
    print(
        f"speed-up: {ours / theirs:.1f}x (threads=1: {n_bytes / 1e6 / one_seconds / theirs:.1f}x)"
    )
    same = check_reference(sentences, actors, args.check)
    print(f"load average after the runs (1, 5, 15 min): {os.getloadavg()}")
    return 0 if same and same_output else 1


if __name__ == "__main__":
    raise SystemExit(main())
