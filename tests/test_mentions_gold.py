"""Mention quality on the gold set (``tests/data/gold_mentions/``), against the shipped registry.

Prints precision and recall for state mentions (bar: P >= 0.95, R >= 0.90) and for
people and organisations (bar: P and R >= 0.85), plus the accuracy of ``as_place``
on the spans the gold set flags; fails below the bar. Every paragraph of a gold
article is one SENTENCES row, so the offsets are paragraph offsets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import polars as pl
import pytest

import toolkit as tk
from toolkit.contracts import validate

GOLD_DIR = Path(__file__).parent / "data" / "gold_mentions"
CORPUS = Path(__file__).resolve().parent.parent / "data" / "raw" / "corpus"
MARK = re.compile(r"\[([^\[\]|]+)\|([^\[\]|]+)(?:\|(place|actor))?\]")
SECTION_ORDER = ("title", "summary", "caption", "body")
STATE_BAR = (0.95, 0.90)
OTHER_BAR = (0.85, 0.85)


def strip_markup(marked: str) -> tuple[str, list[tuple[int, int, str, str | None]]]:
    """Return the plain text and its spans ``(start, end, actor_id, flag)``."""
    plain, spans, last = [], [], 0
    length = 0
    for m in MARK.finditer(marked):
        before = marked[last : m.start()]
        plain.append(before)
        length += len(before)
        surface = m.group(1)
        spans.append((length, length + len(surface), m.group(2), m.group(3)))
        plain.append(surface)
        length += len(surface)
        last = m.end()
    plain.append(marked[last:])
    text = "".join(plain)
    if "[" in text or "]" in text:
        raise ValueError(f"unparsed markup left in: {text[:80]!r}")
    return text, spans


def read_gold(path: Path) -> dict:
    """Parse one gold file into header fields and (section, paragraph, text, spans) rows."""
    header: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    current = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("# "):
            current = line[2:].strip()
            if current not in SECTION_ORDER:
                raise ValueError(f"{path.name}:{number}: unknown section {current!r}")
            sections.setdefault(current, [""])
        elif current is None:
            if line.strip():
                key, _, value = line.partition(":")
                header[key.strip()] = value.strip()
        elif not line.strip():
            sections[current].append("")
        else:
            paragraphs = sections[current]
            paragraphs[-1] = f"{paragraphs[-1]} {line}".strip()
    rows = []
    for section in SECTION_ORDER:
        paragraphs = [p for p in sections.get(section, []) if p]
        for index, marked in enumerate(paragraphs):
            text, spans = strip_markup(marked)
            rows.append((section, index, text, spans))
    return {"name": path.stem, "header": header, "rows": rows}


def gold_articles() -> list[dict]:
    return [read_gold(path) for path in sorted(GOLD_DIR.glob("*.txt"))]


def gold_tables(articles: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """SENTENCES (one row per paragraph) and the gold spans keyed like MENTIONS."""
    sentence_rows, span_rows = [], []
    for article in articles:
        article_id = hashlib.sha256(article["name"].encode()).hexdigest()[:16]
        published = dt.date.fromisoformat(article["header"]["published"])
        offsets: dict[str, int] = {}
        for position, (section, paragraph, text, spans) in enumerate(article["rows"]):
            start = offsets.get(section, 0)
            offsets[section] = start + len(text) + 2
            sentence_id = f"{article_id}-s{position:05d}"
            sentence_rows.append(
                (sentence_id, article_id, section, paragraph, position, text, start,
                 start + len(text), published)
            )  # fmt: skip
            for a, b, actor_id, flag in spans:
                span_rows.append((article["name"], sentence_id, a, b, text[a:b], actor_id, flag))
    sentences = pl.DataFrame(
        sentence_rows,
        schema=["sentence_id", "article_id", "section", "paragraph", "position", "text",
                "start", "end", "published"],
        orient="row",
    )  # fmt: skip
    spans = pl.DataFrame(
        span_rows,
        schema=["file", "sentence_id", "start", "end", "surface", "actor_id", "flag"],
        orient="row",
    )
    return sentences, spans


def category(actor_id: str) -> str | None:
    if re.fullmatch(r"[A-Z]{3}", actor_id):
        return "state"
    if actor_id.startswith(("person:", "org:", "group:", "media:")):
        return "other"
    return None  # places are not scored


def score(gold: set, predicted: set) -> tuple[float, float, int, int, int]:
    hits = len(gold & predicted)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(gold) if gold else 1.0
    return precision, recall, hits, len(predicted), len(gold)


@pytest.fixture(scope="module")
def gold():
    articles = gold_articles()
    sentences, spans = gold_tables(articles)
    actors = tk.load_actors(include_user=False)
    roles = tk.load_roles(include_user=False)
    mentions = tk.extract_mentions(sentences, actors, roles=roles)
    return articles, sentences, spans, mentions


def test_gold_set_is_big_enough_and_well_formed(gold):
    articles, sentences, spans, _ = gold
    assert len(articles) >= 17  # the two shipped articles + at least 15 written here
    assert sentences["sentence_id"].is_unique().all()
    texts = dict(sentences.select("sentence_id", "text").iter_rows())
    for sentence_id, a, b, surface in spans.select("sentence_id", "start", "end", "surface").rows():
        assert texts[sentence_id][a:b] == surface
    assert spans.height > 300


def test_gold_shipped_articles_match_the_corpus():
    """Files 01 and 02 hold the shipped corpus's text, paragraph for paragraph."""
    articles = tk.load_articles(CORPUS)
    corpus_text = "\n".join(
        "\n".join([row["title"], *row["summary"], *row["captions"], row["body"]])
        for row in articles.iter_rows(named=True)
    )
    for article in gold_articles()[:2]:
        for _, _, text, _ in article["rows"]:
            assert text in corpus_text, text[:60]


def test_gold_precision_and_recall(gold):
    _, _, spans, mentions = gold
    validate(mentions, "MENTIONS")
    gold_keys = {
        "state": set(),
        "other": set(),
    }
    for sentence_id, a, b, actor_id in spans.select(
        "sentence_id", "start", "end", "actor_id"
    ).rows():
        kind = category(actor_id)
        if kind:
            gold_keys[kind].add((sentence_id, a, b, actor_id))
    predicted = {"state": set(), "other": set()}
    for sentence_id, a, b, actor_id in mentions.select(
        "sentence_id", "start", "end", "actor_id"
    ).rows():
        kind = category(actor_id)
        if kind:
            predicted[kind].add((sentence_id, a, b, actor_id))
    texts = dict(gold[1].select("sentence_id", "text").iter_rows())
    failures = []
    for kind, (p_bar, r_bar) in (("state", STATE_BAR), ("other", OTHER_BAR)):
        precision, recall, hits, n_pred, n_gold = score(gold_keys[kind], predicted[kind])
        label = "states" if kind == "state" else "people+organisations"
        print(
            f"\ngold {label}: precision {precision:.3f} ({hits}/{n_pred}), "
            f"recall {recall:.3f} ({hits}/{n_gold})"
        )
        for sid, a, b, actor in sorted(gold_keys[kind] - predicted[kind]):
            print(f"  missed  {texts[sid][a:b]!r} -> {actor}")
        for sid, a, b, actor in sorted(predicted[kind] - gold_keys[kind]):
            print(f"  spurious {texts[sid][a:b]!r} -> {actor}")
        if precision < p_bar or recall < r_bar:
            failures.append(f"{label}: P={precision:.3f} R={recall:.3f} (bar {p_bar}/{r_bar})")
    assert not failures, "; ".join(failures)


def test_gold_as_place(gold):
    """``as_place`` agrees with the gold flags on the state spans that were found."""
    _, _, spans, mentions = gold
    flags = spans.filter(pl.col("flag").is_not_null())
    joined = flags.join(
        mentions.select("sentence_id", "start", "end", "actor_id", "as_place"),
        on=["sentence_id", "start", "end", "actor_id"],
        how="inner",
    )
    right = joined.filter(pl.col("as_place") == (pl.col("flag") == "place"))
    accuracy = right.height / joined.height
    print(f"\ngold as_place: accuracy {accuracy:.3f} ({right.height}/{joined.height})")
    for row in joined.filter(pl.col("as_place") != (pl.col("flag") == "place")).rows(named=True):
        print(f"  wrong as_place: {row['surface']!r} gold={row['flag']} in {row['file']}")
    assert joined.height >= 40
    assert accuracy >= 0.85
