"""Generate the mention benchmark's inputs: a news-like corpus and a large registry.

Run: ``.venv/bin/python benchmarks/make_news_corpus.py`` (``--mb 100`` is the default).

Writes, under ``benchmarks/out/`` (git-ignored):

- ``news_sentences.parquet``: a SENTENCES table (plus ``published``) of at least
  ``--mb`` megabytes of UTF-8 sentence text. Sentences come from templates that
  mix registry names, aliases, demonyms, capitals, role phrases, unregistered
  people introduced by a role, curly apostrophes, possessives and plain filler.
- ``news_actors.parquet``: ACTORS = the shipped registry (``tk.load_actors()``)
  plus synthetic people and organisations, so that the registry has at least
  5,000 aliases.

Everything is drawn from ``random.Random(SEED)``: the same files every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
from pathlib import Path

import polars as pl

import toolkit as tk
from toolkit.contracts import SCHEMAS

SEED = 20260128
OUT = Path(__file__).resolve().parent / "out"
SENTENCES_PATH = OUT / "news_sentences.parquet"
ACTORS_PATH = OUT / "news_actors.parquet"


def _words(text: str) -> list[str]:
    return text.split()


_ONSETS = _words("b c d f g h k l m n p r s t v z br dr kr tr sh kh ch zh")
_VOWELS = _words("a e i o u a e o ai ei ou")
_CODAS = ["", "", "n", "r", "l", "s", "m", "v", "sh", "k"]

FILLER = [
    "The meeting lasted for two hours and covered trade, energy and security.",
    "Officials gave no further details about the talks.",
    "Prices of wheat and fuel have risen sharply since the summer.",
    "The statement did not say when the next round of negotiations would begin.",
    "Analysts said the move was largely symbolic but could open the way to wider cooperation.",
    "Thousands of people gathered in the main square on Friday evening.",
    "The ministry said it was studying the proposal and would respond in due course.",
    "A ceasefire has largely held since early last month, according to observers.",
    "The agreement still has to be approved by parliament.",
    "Reporters were not allowed to ask questions after the briefing.",
    "He told us the convoy had reached the border crossing before dawn.",
    "It is not clear who will lead the delegation at the summit.",
]
VERBS = ["said", "warned", "announced", "denied", "confirmed", "welcomed", "rejected"]
NOUNS = ["ties", "trade", "the proposal", "the ceasefire", "sanctions", "the agreement"]
TITLES = ["President", "Foreign Minister", "Prime Minister", "top diplomat", "spokesman"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _word(rng: random.Random, n_syllables: int) -> str:
    parts = [
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(n_syllables)
    ]
    return "".join(parts).capitalize()


def synthetic_actors(rng: random.Random, *, n_people: int = 2600, n_orgs: int = 400):
    """Invented people (name + 2 aliases each) and organisations (name + 1 alias)."""
    rows, seen = [], set()
    while len(rows) < n_people:
        first, last = _word(rng, 2), _word(rng, 3)
        name = f"{first} {last}"
        if name in seen:
            continue
        seen.add(name)
        slug = f"person:{first.lower()}-{last.lower()}"
        aliases = [f"{first[0]}. {last}", f"{first} {last}-{_word(rng, 1)}"]
        rows.append((slug, name, "person", None, aliases, last))
    while len(rows) < n_people + n_orgs:
        core = _word(rng, 3)
        name = f"{core} {rng.choice(['Council', 'Front', 'Alliance', 'Institute', 'Agency'])}"
        if name in seen:
            continue
        seen.add(name)
        rows.append((f"org:{core.lower()}", name, "organization", None, [f"{core} Group"], None))
    return pl.DataFrame(
        rows,
        schema={
            "actor_id": pl.String,
            "name": pl.String,
            "kind": pl.String,
            "country": pl.String,
            "aliases": pl.List(pl.String),
            "surname": pl.String,
        },
        orient="row",
    )


def build_registry(rng: random.Random) -> pl.DataFrame:
    shipped = tk.load_actors().select(
        "actor_id", "name", "kind", "country", "aliases", "demonyms", "capitals", "surname"
    )
    synthetic = synthetic_actors(rng).with_columns(
        demonyms=pl.lit([], dtype=pl.List(pl.String)),
        capitals=pl.lit([], dtype=pl.List(pl.String)),
    )
    return pl.concat([shipped, synthetic.select(shipped.columns)], how="vertical")


def _pick(rng, items):
    return items[rng.randrange(len(items))]


def build_sentences(rng: random.Random, registry: pl.DataFrame, target_mb: float):
    states = registry.filter(pl.col("kind") == "state")
    state_names = states["name"].to_list()
    state_aliases = [a for lst in states["aliases"].to_list() for a in lst]
    demonyms = [d for lst in states["demonyms"].to_list() for d in lst if not d.endswith("s")]
    capitals = [c for lst in states["capitals"].to_list() for c in lst]
    people = registry.filter(pl.col("kind") == "person")
    person_names = people["name"].to_list()
    person_aliases = [a for lst in people["aliases"].to_list() for a in lst]
    orgs = registry.filter(pl.col("kind") != "person").filter(pl.col("kind") != "state")
    org_names = orgs["name"].to_list() + [a for lst in orgs["aliases"].to_list() for a in lst]
    unregistered = [f"{_word(rng, 2)} {_word(rng, 2)}" for _ in range(3000)]

    def sentence() -> str:
        k = rng.randrange(12)
        if k == 0:
            return (
                f"{_pick(rng, demonyms)} {_pick(rng, TITLES)} {_pick(rng, person_names)} said on "
                f"{_pick(rng, DAYS)} that {_pick(rng, state_names)} would review its "
                f"{_pick(rng, NOUNS)} with {_pick(rng, capitals)}."
            )
        if k == 1:
            return (
                f"{_pick(rng, person_aliases)}, the {_pick(rng, demonyms).lower()} envoy, met "
                f"{_pick(rng, person_names)} in {_pick(rng, capitals)} to discuss "
                f"{_pick(rng, NOUNS)}."
            )
        if k == 2:
            return (
                f"Officials in {_pick(rng, capitals)} said the {_pick(rng, org_names)} had "
                f"{_pick(rng, VERBS)} {_pick(rng, NOUNS)}."
            )
        if k == 3:
            capital, verb, noun = _pick(rng, capitals), _pick(rng, VERBS), _pick(rng, NOUNS)
            return f"{capital} {verb} {noun} on {_pick(rng, DAYS)}."
        if k == 4:
            return (
                f"{_pick(rng, state_names)}’s {_pick(rng, TITLES)} {_pick(rng, unregistered)} "
                f"told reporters that relations with {_pick(rng, capitals)} were improving."
            )
        if k == 5:
            return (
                f"The {_pick(rng, state_aliases)} and {_pick(rng, state_names)} signed an "
                f"agreement in {_pick(rng, capitals)}, the {_pick(rng, org_names)} reported."
            )
        if k == 6:
            return (
                f"{_pick(rng, capitals)}'s decision drew criticism from "
                f"{_pick(rng, state_names)} and the {_pick(rng, org_names)}."
            )
        return _pick(rng, FILLER)

    rows = []
    total = 0
    target = int(target_mb * 1_000_000)
    start_day = dt.date(2020, 1, 1)
    article = 0
    while total < target:
        article_id = hashlib.sha256(f"{SEED}-{article}".encode()).hexdigest()[:16]
        published = start_day + dt.timedelta(days=rng.randrange(2200))
        for position in range(20):
            text = sentence()
            total += len(text.encode("utf-8"))
            rows.append(
                (
                    f"{article_id}-s{position:05d}",
                    article_id,
                    "body",
                    position // 4,
                    position,
                    text,
                    0,
                    len(text),
                    published,
                )
            )
        article += 1
    return pl.DataFrame(
        rows,
        schema={**SCHEMAS["SENTENCES"], "published": pl.Date},
        orient="row",
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="megabytes of sentence text")
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    registry = build_registry(rng)
    sentences = build_sentences(rng, registry, args.mb)
    OUT.mkdir(parents=True, exist_ok=True)
    registry.write_parquet(ACTORS_PATH)
    sentences.write_parquet(SENTENCES_PATH)
    n_aliases = registry["aliases"].list.len().sum()
    n_bytes = sentences["text"].str.len_bytes().sum()
    print(f"registry: {registry.height} actors, {n_aliases} aliases -> {ACTORS_PATH}")
    print(f"corpus: {sentences.height} sentences, {n_bytes / 1e6:.1f} MB -> {SENTENCES_PATH}")


if __name__ == "__main__":
    main()
