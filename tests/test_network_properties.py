"""Property tests for toolkit.network.cooccurrence on random mention tables."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import networkx as nx
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms import bipartite

import toolkit as tk
from toolkit.contracts import SCHEMAS, SECTIONS, validate

ACTORS = ["KOR", "PRK", "RUS", "SYR", "USA", "org:un", "person:lee-jae-myung"]
DATES = [dt.date(2024, 12, 30), dt.date(2025, 1, 2), dt.date(2025, 1, 20), dt.date(2025, 3, 1)]
WINDOWS = ["sentence", "paragraph", "article", 2, 3]

mention = st.tuples(
    st.integers(0, 3),  # article
    st.integers(0, 7),  # sentence position
    st.sampled_from(ACTORS),
)


@st.composite
def mention_tables(draw):
    """MENTIONS with consistent per-article dates and per-sentence section and paragraph."""
    rows = draw(st.lists(mention, min_size=0, max_size=40))
    dates = draw(st.lists(st.sampled_from(DATES), min_size=4, max_size=4))
    layout = draw(
        st.lists(st.tuples(st.sampled_from(SECTIONS), st.integers(0, 2)), min_size=8, max_size=8)
    )
    records = []
    for article, sentence, actor in rows:
        article_id = f"{article:016x}"
        section, paragraph = layout[sentence]
        records.append(
            {
                "article_id": article_id,
                "sentence_id": f"{article_id}-s{sentence:05d}",
                "section": section,
                "paragraph": paragraph,
                "sentence": sentence,
                "published": dates[article],
                "actor_id": actor,
                "surface": actor,
                "start": 0,
                "end": len(actor),
                "how": "name",
                "as_place": False,
            }
        )
    return pl.DataFrame(records, schema=SCHEMAS["MENTIONS"])


def windows_of(mentions: pl.DataFrame, window) -> dict[tuple, set[str]]:
    """Window -> actors, enumerated directly from the documented definitions."""
    found: dict[tuple, set[str]] = defaultdict(set)
    rows = mentions.to_dicts()
    if isinstance(window, int):
        positions = defaultdict(list)
        for row in rows:
            positions[row["article_id"]].append(row["sentence"])
        for article, seen in positions.items():
            first, last = min(seen), max(seen)
            for start in range(first, max(first, last - window + 1) + 1):
                for row in rows:
                    if row["article_id"] == article and start <= row["sentence"] < start + window:
                        found[(article, start)].add(row["actor_id"])
        return found
    for row in rows:
        key = {
            "sentence": (row["article_id"], row["sentence"]),
            "paragraph": (row["article_id"], row["section"], row["paragraph"]),
            "article": (row["article_id"],),
        }[window]
        found[key].add(row["actor_id"])
    return found


def projected_counts(mentions: pl.DataFrame, window) -> dict[tuple[str, str], int]:
    windows = windows_of(mentions, window)
    if not windows:
        return {}
    B = nx.Graph()
    actor_nodes = {actor for members in windows.values() for actor in members}
    B.add_nodes_from(actor_nodes, bipartite=0)
    for key, members in windows.items():
        B.add_node(("window", key), bipartite=1)
        B.add_edges_from((actor, ("window", key)) for actor in members)
    P = bipartite.weighted_projected_graph(B, actor_nodes)
    return {tuple(sorted((u, v))): d["weight"] for u, v, d in P.edges(data=True)}


def edge_counts(edges: pl.DataFrame) -> dict[tuple[str, str], int]:
    return {(s, t): n for s, t, n in edges.select("source", "target", "n_windows").rows()}


SETTINGS = settings(max_examples=60, deadline=None)


@SETTINGS
@given(mention_tables(), st.sampled_from(WINDOWS))
def test_counts_equal_the_bipartite_projection(mentions, window):
    edges = tk.cooccurrence(mentions, window=window)
    validate(edges, "EDGES")
    assert edge_counts(edges) == projected_counts(mentions, window)
    n_total = len(windows_of(mentions, window))
    assert set(edges.get_column("n_total").to_list()) <= {n_total}


@SETTINGS
@given(mention_tables(), st.sampled_from(WINDOWS), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(mentions, window, random):
    order = list(range(mentions.height))
    random.shuffle(order)
    shuffled = mentions[order]
    assert tk.cooccurrence(shuffled, window=window).equals(tk.cooccurrence(mentions, window=window))


@SETTINGS
@given(mention_tables(), st.sampled_from(WINDOWS), st.sampled_from([None, "month", "year"]))
def test_pairs_are_ordered_and_measures_in_range(mentions, window, by):
    edges = tk.cooccurrence(mentions, window=window, by=by)
    validate(edges, "EDGES")
    for row in edges.iter_rows(named=True):
        assert row["source"] < row["target"]
        assert 1 <= row["n_windows"] <= min(row["n_source"], row["n_target"])
        assert row["n_articles"] <= row["n_windows"]
        assert max(row["n_source"], row["n_target"]) <= row["n_total"]
        assert -1.0 <= row["npmi"] <= 1.0
        assert 0.0 < row["jaccard"] <= 1.0
        assert 0.0 < row["dice"] <= 1.0
        assert row["jaccard"] <= row["dice"]
        assert row["first"] <= row["last"]


@SETTINGS
@given(mention_tables(), st.sampled_from(WINDOWS), st.sampled_from(["month", "year"]))
def test_time_slices_sum_to_the_whole(mentions, window, by):
    whole = tk.cooccurrence(mentions, window=window)
    sliced = tk.cooccurrence(mentions, window=window, by=by)
    summed = sliced.group_by("source", "target").agg(
        pl.col("n_windows").sum(),
        pl.col("n_articles").sum(),
        pl.col("first").min(),
        pl.col("last").max(),
    )
    assert (
        summed.sort("source", "target").rows()
        == whole.select("source", "target", "n_windows", "n_articles", "first", "last").rows()
    )


@SETTINGS
@given(mention_tables(), st.sampled_from(WINDOWS))
def test_sections_filter_equals_filtering_first(mentions, window):
    sections = ["title", "body"]
    direct = tk.cooccurrence(mentions, window=window, sections=sections)
    filtered = tk.cooccurrence(mentions.filter(pl.col("section").is_in(sections)), window=window)
    assert direct.equals(filtered)


@settings(max_examples=30, deadline=None)
@given(mention_tables(), st.sampled_from(WINDOWS))
def test_every_edge_has_evidence(mentions, window):
    edges = tk.cooccurrence(mentions, window=window)
    sentences = mentions.select("sentence_id", text=pl.col("sentence_id")).unique()
    for source, target, n_windows in edges.select("source", "target", "n_windows").rows():
        evidence = tk.edge_evidence(mentions, sentences, source, target, window=window)
        assert evidence.height >= 1
        mentioned = set().union(*map(set, evidence.get_column("actors").to_list()))
        assert mentioned == {source, target}
        if window == "sentence":
            assert evidence.height == n_windows
