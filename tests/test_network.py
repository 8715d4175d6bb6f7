"""Tests for toolkit.network: co-occurrence counts, nodes, graphs, analysis, export."""

from __future__ import annotations

import datetime as dt
import math

import networkx as nx
import pandas as pd
import polars as pl
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

import toolkit as tk
from toolkit import network
from toolkit.contracts import SCHEMAS, validate

A1 = "0123456789abcdef"
A2 = "fedcba9876543210"
A3 = "00000000000000aa"


def mention_rows(rows):
    """MENTIONS from (article, section, paragraph, sentence, date, actor, surface) tuples."""
    records = []
    for article, section, paragraph, sentence, published, actor, surface in rows:
        records.append(
            {
                "article_id": article,
                "sentence_id": f"{article}-s{sentence:05d}",
                "section": section,
                "paragraph": paragraph,
                "sentence": sentence,
                "published": published,
                "actor_id": actor,
                "surface": surface,
                "start": 0,
                "end": len(surface),
                "how": "name",
                "as_place": False,
            }
        )
    return pl.DataFrame(records, schema=SCHEMAS["MENTIONS"])


APRIL = dt.date(2025, 4, 10)
MAY = dt.date(2025, 5, 2)

#: Article 1 (April): title KOR+SYR; body paragraph 0 has sentences 1 (SYR, KOR, SYR) and 2
#: (USA); paragraph 1 has sentence 3 (KOR, RUS). Article 2 (May): sentence 0 RUS+SYR, 4 SYR.
MENTIONS = mention_rows(
    [
        (A1, "title", 0, 0, APRIL, "KOR", "South Korea"),
        (A1, "title", 0, 0, APRIL, "SYR", "Syria"),
        (A1, "body", 0, 1, APRIL, "SYR", "Syria"),
        (A1, "body", 0, 1, APRIL, "KOR", "Seoul"),
        (A1, "body", 0, 1, APRIL, "SYR", "Damascus"),
        (A1, "body", 0, 2, APRIL, "USA", "Washington"),
        (A1, "body", 1, 3, APRIL, "KOR", "South Korean"),
        (A1, "body", 1, 3, APRIL, "RUS", "Russia"),
        (A2, "title", 0, 0, MAY, "RUS", "Russia"),
        (A2, "title", 0, 0, MAY, "SYR", "Syria"),
        (A2, "body", 0, 4, MAY, "SYR", "Syria"),
    ]
)

ACTORS = pl.DataFrame(
    {
        "actor_id": ["KOR", "RUS", "SYR", "USA", "org:un"],
        "name": ["South Korea", "Russia", "Syria", "United States", "United Nations"],
        "kind": ["state", "state", "state", "state", "organization"],
        "country": ["KOR", "RUS", "SYR", "USA", None],
        "aliases": [[], [], [], [], ["UN"]],
    }
)


def counts(edges) -> dict[tuple[str, str], int]:
    return {(s, t): n for s, t, n in edges.select("source", "target", "n_windows").rows()}


# ---------------------------------------------------------------- cooccurrence


def test_sentence_window_counts_each_pair_once_per_sentence():
    edges = tk.cooccurrence(MENTIONS)
    validate(edges, "EDGES")
    assert counts(edges) == {("KOR", "RUS"): 1, ("KOR", "SYR"): 2, ("RUS", "SYR"): 1}
    row = edges.filter(source="KOR", target="SYR").row(0, named=True)
    assert row["n_articles"] == 1
    assert row["first"] == row["last"] == APRIL
    assert row["window"] == "sentence"


def test_measures_follow_their_definitions():
    edges = tk.cooccurrence(MENTIONS)
    # windows: A1 s0..s3 and A2 s0, s4 -> N = 6; KOR in 3, SYR in 4, both in 2
    row = edges.filter(source="KOR", target="SYR").row(0, named=True)
    assert (row["n_source"], row["n_target"], row["n_total"]) == (3, 4, 6)
    assert row["pmi"] == pytest.approx(math.log2(2 * 6 / (3 * 4)))
    assert row["npmi"] == pytest.approx(math.log2(2 * 6 / (3 * 4)) / -math.log2(2 / 6))
    assert row["jaccard"] == pytest.approx(2 / (3 + 4 - 2))
    assert row["dice"] == pytest.approx(2 * 2 / (3 + 4))


def test_npmi_is_one_when_a_pair_fills_every_window():
    mentions = MENTIONS.filter(pl.col("article_id") == A2, pl.col("sentence") == 0)
    row = tk.cooccurrence(mentions).row(0, named=True)
    assert (row["n_windows"], row["n_total"], row["npmi"], row["jaccard"]) == (1, 1, 1.0, 1.0)


def test_paragraph_window_keys_on_section_and_paragraph():
    edges = tk.cooccurrence(MENTIONS, window="paragraph")
    # A1 title {KOR,SYR}; A1 body p0 {SYR,KOR,USA}; A1 body p1 {KOR,RUS};
    # A2 title {RUS,SYR}; A2 body p0 {SYR}
    assert counts(edges) == {
        ("KOR", "RUS"): 1,
        ("KOR", "SYR"): 2,
        ("KOR", "USA"): 1,
        ("RUS", "SYR"): 1,
        ("SYR", "USA"): 1,
    }
    assert edges.get_column("window").unique().to_list() == ["paragraph"]


def test_article_window():
    edges = tk.cooccurrence(MENTIONS, window="article")
    assert counts(edges) == {
        ("KOR", "RUS"): 1,
        ("KOR", "SYR"): 1,
        ("KOR", "USA"): 1,
        ("RUS", "SYR"): 2,
        ("RUS", "USA"): 1,
        ("SYR", "USA"): 1,
    }
    assert edges.filter(source="RUS", target="SYR").item(0, "n_articles") == 2
    assert edges.filter(source="RUS", target="SYR").item(0, "first") == APRIL
    assert edges.filter(source="RUS", target="SYR").item(0, "last") == MAY


def test_k_sentence_windows_are_runs_within_the_mentioned_span():
    edges = tk.cooccurrence(MENTIONS, window=2)
    # A1 span 0..3: windows [0,1] [1,2] [2,3]; A2 span 0..4: [0,1] [1,2] [2,3] [3,4]
    assert counts(edges) == {
        ("KOR", "RUS"): 1,  # [2,3]
        ("KOR", "SYR"): 2,  # [0,1], [1,2]
        ("KOR", "USA"): 2,  # [1,2], [2,3]
        ("RUS", "SYR"): 1,  # A2 [0,1]
        ("RUS", "USA"): 1,  # [2,3]
        ("SYR", "USA"): 1,  # [1,2]
    }
    assert edges.item(0, "window") == "2-sentence"
    assert edges.item(0, "n_total") == 5  # A2 [1,2] and [2,3] hold no mention


def test_k_equal_one_is_the_sentence_window():
    assert tk.cooccurrence(MENTIONS, window=1).equals(tk.cooccurrence(MENTIONS))
    assert tk.cooccurrence(MENTIONS, window="3-sentence").equals(
        tk.cooccurrence(MENTIONS, window=3)
    )


def test_wide_k_equals_article_window_counts():
    wide = tk.cooccurrence(MENTIONS, window=50)
    article = tk.cooccurrence(MENTIONS, window="article")
    assert counts(wide) == counts(article)


def test_sections_filter_counts_only_kept_sections():
    edges = tk.cooccurrence(MENTIONS, sections=["title"])
    assert counts(edges) == {("KOR", "SYR"): 1, ("RUS", "SYR"): 1}
    assert edges.item(0, "n_total") == 2
    assert counts(tk.cooccurrence(MENTIONS, sections="body")) == {
        ("KOR", "RUS"): 1,
        ("KOR", "SYR"): 1,
    }


def test_by_month_computes_within_each_period_and_sums_to_the_whole():
    sliced = tk.cooccurrence(MENTIONS, window="article", by="month")
    validate(sliced, "EDGES")
    assert sliced.columns[:3] == ["source", "target", "period"]
    assert sliced.get_column("period").unique().sort().to_list() == ["2025-04", "2025-05"]
    may = sliced.filter(period="2025-05")
    assert may.rows() == may.rows()  # determinism smoke
    assert may.select("source", "target", "n_windows", "n_total").rows() == [("RUS", "SYR", 1, 1)]
    whole = tk.cooccurrence(MENTIONS, window="article")
    summed = sliced.group_by("source", "target").agg(pl.col("n_windows").sum())
    assert counts(summed) == counts(whole)
    yearly = tk.cooccurrence(MENTIONS, by="year")
    assert yearly.get_column("period").unique().to_list() == ["2025"]


def test_undated_articles_form_a_null_period():
    mentions = MENTIONS.with_columns(
        published=pl.when(pl.col("article_id") == A2).then(None).otherwise(pl.col("published"))
    )
    sliced = tk.cooccurrence(mentions, by="month")
    assert sliced.filter(pl.col("period").is_null()).select("source", "target").rows() == [
        ("RUS", "SYR")
    ]
    assert sliced.filter(pl.col("period").is_null()).item(0, "first") is None


def test_min_count_drops_rare_pairs():
    assert counts(tk.cooccurrence(MENTIONS, min_count=2)) == {("KOR", "SYR"): 2}


def test_pandas_in_pandas_out():
    edges = tk.cooccurrence(MENTIONS.to_pandas())
    assert isinstance(edges, pd.DataFrame)
    validate(edges, "EDGES")
    assert len(edges) == 3


def test_empty_mentions_give_empty_edges():
    edges = tk.cooccurrence(MENTIONS.head(0))
    validate(edges, "EDGES")
    assert edges.height == 0
    assert tk.cooccurrence(MENTIONS.head(1)).height == 0


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"window": "week"}, "'week'"),
        ({"window": 0}, "0"),
        ({"window": True}, "True"),
        ({"sections": ["body", "footer"]}, "'footer'"),
        ({"sections": []}, "at least one"),
        ({"by": "day"}, "'day'"),
        ({"min_count": 0}, "0"),
    ],
)
def test_bad_arguments_name_the_value(kwargs, named):
    with pytest.raises(ValueError, match=named):
        tk.cooccurrence(MENTIONS, **kwargs)


def test_bad_mentions_are_reported():
    with pytest.raises(ValueError, match="sentence"):
        tk.cooccurrence(MENTIONS.drop("sentence"))
    with pytest.raises(ValueError, match=r"actor_id.*1 null"):
        tk.cooccurrence(
            MENTIONS.with_columns(
                actor_id=pl.when(pl.col("sentence") == 4).then(None).otherwise(pl.col("actor_id"))
            )
        )
    with pytest.raises(ValueError, match="unknown values"):
        tk.cooccurrence(MENTIONS.with_columns(section=pl.lit("footer")), window="paragraph")


# ---------------------------------------------------------------- nodes and graphs


def test_actor_nodes_counts_and_infers_missing_actors():
    mentions = pl.concat(
        [
            MENTIONS,
            mention_rows([(A2, "body", 0, 4, MAY, "person:cho-hyun", "Cho Hyun")]),
        ]
    )
    nodes = tk.actor_nodes(mentions, ACTORS)
    validate(nodes, "NODES")
    rows = {row["actor_id"]: row for row in nodes.iter_rows(named=True)}
    assert set(rows) == {"KOR", "RUS", "SYR", "USA", "person:cho-hyun"}
    assert (rows["SYR"]["n_mentions"], rows["SYR"]["n_articles"]) == (5, 2)
    assert rows["person:cho-hyun"]["name"] == "Cho Hyun"
    assert rows["person:cho-hyun"]["kind"] == "person"
    assert rows["person:cho-hyun"]["in_registry"] is False
    assert rows["KOR"]["name"] == "South Korea"


def test_actor_nodes_prefers_inferred_columns():
    extra = mention_rows([(A2, "body", 0, 4, MAY, "group:x", "the X")]).with_columns(
        inferred_name=pl.lit("X Front"), inferred_kind=pl.lit("armed_group")
    )
    nodes = tk.actor_nodes(extra, ACTORS)
    assert nodes.select("name", "kind").row(0) == ("X Front", "armed_group")


def test_to_networkx_carries_attributes():
    edges = tk.cooccurrence(MENTIONS)
    nodes = tk.actor_nodes(MENTIONS, ACTORS)
    G = tk.to_networkx(edges, nodes)
    assert sorted(G.nodes) == ["KOR", "RUS", "SYR"]
    assert G.nodes["KOR"]["label"] == "South Korea"
    assert G.nodes["KOR"]["kind"] == "state"
    data = G.edges["KOR", "SYR"]
    assert data["weight"] == 2
    assert data["first"] == "2025-04-10"
    assert data["npmi"] == pytest.approx(edges.filter(source="KOR", target="SYR").item(0, "npmi"))
    assert G.graph["window"] == "sentence"
    assert G.graph["weight"] == "n_windows"
    assert len(G.graph["corpus"]) == 16
    shuffled = tk.to_networkx(edges.reverse(), nodes.reverse())
    assert shuffled.graph["corpus"] == G.graph["corpus"]
    assert tk.to_networkx(edges, nodes, corpus="abc").graph["corpus"] == "abc"
    other = tk.to_networkx(edges.with_columns(n_windows=pl.col("n_windows") + 1), nodes)
    assert other.graph["corpus"] != G.graph["corpus"]


def test_to_networkx_weight_and_missing_nodes():
    edges = tk.cooccurrence(MENTIONS)
    G = tk.to_networkx(edges, weight="jaccard")
    assert G.edges["KOR", "SYR"]["weight"] == pytest.approx(0.4)
    nodes = tk.actor_nodes(MENTIONS, ACTORS).filter(pl.col("actor_id") != "RUS")
    with pytest.raises(ValueError, match="RUS"):
        tk.to_networkx(edges, nodes)
    with pytest.raises(ValueError, match="missing columns: pmx"):
        tk.to_networkx(edges, weight="pmx")


def test_dynamic_graph_from_sliced_edges():
    sliced = tk.cooccurrence(MENTIONS, window="article", by="month")
    G = tk.to_networkx(sliced, tk.actor_nodes(MENTIONS, ACTORS))
    assert G.graph["mode"] == "dynamic"
    assert G.graph["periods"] == "2025-04|2025-05"
    data = G.edges["RUS", "SYR"]
    assert data["weight"] == 2
    assert data["spells"] == [("2025-04-01", "2025-04-30"), ("2025-05-01", "2025-05-31")]
    assert data["n_windows"] == [(1, "2025-04-01", "2025-04-30"), (1, "2025-05-01", "2025-05-31")]
    assert (data["first"], data["last"]) == ("2025-04-10", "2025-05-02")
    assert G.nodes["USA"]["spells"] == [("2025-04-01", "2025-04-30")]
    with pytest.raises(ValueError, match="'npmi' does not add up"):
        tk.to_networkx(sliced, weight="npmi")


# ---------------------------------------------------------------- analysis


def weighted_graph() -> nx.Graph:
    G = nx.Graph()
    G.add_weighted_edges_from(
        [("a", "b", 3), ("b", "c", 1), ("a", "c", 2), ("c", "d", 5), ("d", "e", 1), ("x", "y", 2)]
    )
    G.add_node("z")
    return G


def test_centrality_matches_networkx():
    G = weighted_graph()
    table = tk.centrality(G)
    assert table.get_column("actor_id").to_list() == sorted(G.nodes)
    rows = {row["actor_id"]: row for row in table.iter_rows(named=True)}
    for node, degree in G.degree():
        assert rows[node]["degree"] == degree
    for node, strength in G.degree(weight="weight"):
        assert rows[node]["weighted_degree"] == strength
    H = G.copy()
    for _u, _v, d in H.edges(data=True):
        d["distance"] = 1 / d["weight"]
    expected_b = nx.betweenness_centrality(H, weight="distance")
    expected_e = nx.eigenvector_centrality(G, weight="weight", max_iter=10_000, tol=1e-12)
    expected_p = _pagerank_python(G, weight="weight", tol=1e-13, max_iter=10_000)
    for node in G:
        assert rows[node]["betweenness"] == pytest.approx(expected_b[node])
        assert rows[node]["eigenvector"] == pytest.approx(expected_e[node], abs=1e-6)
        assert rows[node]["pagerank"] == pytest.approx(expected_p[node], abs=1e-8)
    assert table.get_column("pagerank").sum() == pytest.approx(1.0)
    assert tk.centrality(G).equals(table)
    assert isinstance(tk.centrality(G, backend="pandas"), pd.DataFrame)
    assert tk.centrality(nx.Graph()).height == 0


def test_centrality_rejects_non_positive_weights():
    G = nx.Graph([("a", "b", {"weight": 0})])
    with pytest.raises(ValueError, match="'a'-'b'"):
        tk.centrality(G)


def test_communities_are_deterministic_and_relabelled():
    G = nx.Graph()
    G.add_edges_from(nx.complete_graph(["a", "b", "c", "d"]).edges)
    G.add_edges_from(nx.complete_graph(["p", "q", "r"]).edges)
    G.add_edge("d", "p", weight=0.1)
    for _u, _v, d in G.edges(data=True):
        d.setdefault("weight", 1.0)
    table = tk.communities(G, seed=3)
    assert dict(table.select("actor_id", "community").rows()) == {
        "a": 0,
        "b": 0,
        "c": 0,
        "d": 0,
        "p": 1,
        "q": 1,
        "r": 1,
    }
    assert table.get_column("size").to_list() == [4, 4, 4, 4, 3, 3, 3]
    reordered = nx.Graph()
    reordered.add_edges_from(reversed(list(G.edges(data=True))))
    assert tk.communities(reordered, seed=3).equals(table)
    assert tk.communities(G, method="greedy").equals(table)
    with pytest.raises(ValueError, match="'leiden'"):
        tk.communities(G, method="leiden")


def test_backbone_disparity_filter():
    edges = pl.DataFrame(
        {
            "source": ["a", "a", "a", "b", "c"],
            "target": ["b", "c", "d", "c", "e"],
            "n_windows": [50, 1, 1, 1, 7],
        }
    )
    kept = tk.backbone(edges, alpha=0.05)
    # a: k=3, s=52; b: k=2, s=51; c: k=3, s=9; d: k=1; e: k=1
    alpha_ab = min((1 - 50 / 52) ** 2, (1 - 50 / 51) ** 1)
    alpha_ce = (1 - 7 / 9) ** 2  # e has degree 1: p-value 1 on its side
    assert kept.select("source", "target").rows() == [("a", "b"), ("c", "e")]
    assert kept.get_column("alpha").to_list() == pytest.approx([alpha_ab, alpha_ce])
    loose = tk.backbone(edges, alpha=0.9)
    # only a-d goes: p-value 1 at d (degree 1) and (51/52)^2 = 0.96 at a
    assert loose.select("source", "target").rows() == [
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
        ("c", "e"),
    ]
    with pytest.raises(ValueError, match="alpha"):
        tk.backbone(edges, alpha=0)
    with pytest.raises(ValueError, match="positive"):
        tk.backbone(edges.with_columns(n_windows=pl.lit(0)))


def test_backbone_runs_within_periods():
    sliced = tk.cooccurrence(MENTIONS, by="month")
    kept = tk.backbone(sliced, alpha=1.0)
    assert "alpha" in kept.columns
    validate(kept, "EDGES")


def test_filter_edges():
    edges = pl.DataFrame(
        {
            "source": ["KOR", "KOR", "SYR", "org:un"],
            "target": ["SYR", "person:lee", "org:un", "person:lee"],
            "n_windows": [5, 1, 2, 3],
        }
    )
    assert tk.filter_edges(edges, min_weight=3).height == 2
    assert tk.filter_edges(edges, kinds="state").rows() == [("KOR", "SYR", 5)]
    assert tk.filter_edges(edges, kinds=["state", "organization"]).height == 2
    assert tk.filter_edges(edges, actors=["KOR", "SYR", "org:un"]).height == 2
    nodes = pl.DataFrame(
        {
            "actor_id": ["KOR", "SYR", "org:un", "person:lee"],
            "kind": ["state", "state", "state", "person"],
        }
    )
    assert tk.filter_edges(edges, kinds="state", nodes=nodes).height == 2
    with pytest.raises(ValueError, match="'robot'"):
        tk.filter_edges(edges, kinds="robot")
    weird = pl.DataFrame({"source": ["thing"], "target": ["KOR"], "n_windows": [1]})
    with pytest.raises(ValueError, match="'thing'"):
        tk.filter_edges(weird, kinds="state")
    assert isinstance(tk.filter_edges(edges.to_pandas(), min_weight=3), pd.DataFrame)


# ---------------------------------------------------------------- evidence


def sentences_for(mentions: pl.DataFrame) -> pl.DataFrame:
    return (
        mentions.group_by("sentence_id", "article_id", "section", "paragraph", "sentence")
        .agg(pl.col("surface").sort().str.join(" and ").alias("text"))
        .rename({"sentence": "position"})
        .with_columns(start=pl.lit(0), end=pl.col("text").str.len_chars().cast(pl.Int64))
    )


def test_edge_evidence_lists_the_sentences_behind_an_edge():
    sentences = sentences_for(MENTIONS)
    evidence = tk.edge_evidence(MENTIONS, sentences, "SYR", "KOR")
    assert evidence.get_column("sentence_id").to_list() == [f"{A1}-s00000", f"{A1}-s00001"]
    assert evidence.height == tk.cooccurrence(MENTIONS).filter(source="KOR", target="SYR").item(
        0, "n_windows"
    )
    assert evidence.get_column("actors").to_list() == [["KOR", "SYR"], ["KOR", "SYR"]]
    assert evidence.item(1, "surfaces").to_list() == ["Seoul", "Damascus", "Syria"]
    assert evidence.item(0, "text") == "South Korea and Syria"
    wide = tk.edge_evidence(MENTIONS, sentences, "KOR", "USA", window=2)
    # windows [1,2] and [2,3] of article 1 hold both: sentences 1, 2, 3 mention one of them
    assert wide.get_column("sentence").to_list() == [1, 2, 3]
    assert tk.edge_evidence(MENTIONS, sentences, "USA", "RUS").height == 0
    article = tk.edge_evidence(MENTIONS, sentences, "RUS", "SYR", window="article")
    assert article.get_column("article_id").unique().sort().to_list() == sorted([A1, A2])
    with pytest.raises(ValueError, match="no row for sentence_id"):
        tk.edge_evidence(MENTIONS, sentences.head(1), "SYR", "KOR")


# ---------------------------------------------------------------- export


def test_write_graph_formats_read_back_and_repeat_byte_for_byte(tmp_path):
    edges = tk.cooccurrence(MENTIONS)
    G = tk.to_networkx(edges, tk.actor_nodes(MENTIONS, ACTORS))
    for name in ("g.gexf", "g.graphml"):
        first = tk.write_graph(G, tmp_path / name)[0]
        data = first.read_bytes()
        tk.write_graph(G, tmp_path / name)
        assert first.read_bytes() == data
        assert b"lastmodifieddate" not in data
    back = nx.read_gexf(tmp_path / "g.gexf")
    assert sorted(back.edges) == sorted(G.edges) or {frozenset(e) for e in back.edges} == {
        frozenset(e) for e in G.edges
    }
    assert back.nodes["KOR"]["label"] == "South Korea"
    graphml = nx.read_graphml(tmp_path / "g.graphml")
    assert graphml.edges["KOR", "SYR"]["n_windows"] == 2
    assert graphml.graph["corpus"] == G.graph["corpus"]
    paths = tk.write_graph(G, tmp_path / "net.csv")
    assert [p.name for p in paths] == ["net.edges.csv", "net.nodes.csv"]
    edge_csv = pl.read_csv(paths[0])
    assert edge_csv.columns[:3] == ["source", "target", "weight"]
    assert edge_csv.height == 3
    assert pl.read_csv(paths[1]).columns[:2] == ["id", "label"]
    folder = tk.write_graph(G, tmp_path / "out")
    assert [p.name for p in folder] == ["edges.csv", "nodes.csv"]
    assert folder[0].read_bytes() == paths[0].read_bytes()
    with pytest.raises(ValueError, match=r"g\.png"):
        tk.write_graph(G, tmp_path / "g.png")


def test_write_graph_dynamic(tmp_path):
    sliced = tk.cooccurrence(MENTIONS, window="article", by="month")
    G = tk.to_networkx(sliced, tk.actor_nodes(MENTIONS, ACTORS))
    path = tk.write_graph(G, tmp_path / "g.gexf")[0]
    text = path.read_text()
    assert 'mode="dynamic"' in text
    assert 'timeformat="date"' in text
    back = nx.read_gexf(path)
    assert back.edges["RUS", "SYR"]["spells"] == [
        ("2025-04-01", "2025-04-30"),
        ("2025-05-01", "2025-05-31"),
    ]
    graphml = nx.read_graphml(tk.write_graph(G, tmp_path / "g.graphml")[0])
    assert graphml.edges["RUS", "SYR"]["n_windows@2025-05"] == 1
    edge_csv = pl.read_csv(tk.write_graph(G, tmp_path / "d.csv")[0])
    assert edge_csv.filter(source="RUS", target="SYR").select("period", "n_windows").rows() == [
        ("2025-04", 1),
        ("2025-05", 1),
    ]
    assert edge_csv.get_column("n_windows").sum() == sliced.get_column("n_windows").sum()


# ---------------------------------------------------------------- shipped corpus


def test_shipped_corpus_links_syria_with_korea_and_russia():
    pytest.importorskip("toolkit.mentions")
    articles = tk.load_articles("data/raw/corpus")
    sentences = tk.split_sentences(articles)
    mentions = tk.extract_mentions(sentences, tk.load_actors())
    edges = tk.cooccurrence(mentions)
    validate(edges, "EDGES")
    first, second = articles.get_column("article_id").to_list()[:2]
    for pair, article in ((("KOR", "SYR"), first), (("RUS", "SYR"), second)):
        evidence = tk.edge_evidence(mentions, sentences, *pair)
        assert edges.filter(source=pair[0], target=pair[1]).height == 1
        assert article in evidence.get_column("article_id").to_list()


def test_module_exports():
    for name in (
        "cooccurrence",
        "actor_nodes",
        "to_networkx",
        "centrality",
        "communities",
        "backbone",
        "filter_edges",
        "edge_evidence",
        "write_graph",
    ):
        assert getattr(tk, name) is getattr(network, name)


@pytest.mark.parametrize("window", ["sentence", "paragraph", "article", 3])
@pytest.mark.parametrize("by", [None, "month"])
def test_chunked_and_fallback_paths_agree(monkeypatch, window, by):
    expected = tk.cooccurrence(MENTIONS, window=window, by=by)
    # tiny budget: every article becomes its own chunk of pairs
    monkeypatch.setattr(network, "_PAIR_BUDGET", 1)
    assert tk.cooccurrence(MENTIONS, window=window, by=by).equals(expected)
    # keys that "do not fit" in one int64 take the lexsort path
    monkeypatch.setattr(network, "_INT64_LIMIT", 1)
    assert tk.cooccurrence(MENTIONS, window=window, by=by).equals(expected)


def test_pandas_tables_give_the_same_graph():
    edges = tk.cooccurrence(MENTIONS)
    nodes = tk.actor_nodes(MENTIONS, ACTORS)
    from_polars = tk.to_networkx(edges, nodes)
    from_pandas = tk.to_networkx(
        tk.cooccurrence(MENTIONS.to_pandas()), tk.actor_nodes(MENTIONS.to_pandas(), ACTORS)
    )
    assert from_pandas.graph == from_polars.graph
    assert from_pandas.edges["KOR", "SYR"] == from_polars.edges["KOR", "SYR"]
    assert isinstance(tk.backbone(edges.to_pandas(), alpha=1.0), pd.DataFrame)
