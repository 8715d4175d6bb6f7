"""Charts: offline, deterministic, every status and kind coloured, bad arguments named."""

import datetime as dt
import re

import networkx as nx
import polars as pl
import pytest

from toolkit import charts
from toolkit.contracts import ACTOR_KINDS, STATUSES


@pytest.fixture
def nodes():
    return pl.DataFrame(
        {
            "actor_id": ["SYR", "KOR", "person:ahmad-al-sharaa", "org:un"],
            "name": ["Syria", "South Korea", "Ahmad Al-Sharaa", "United Nations"],
            "kind": ["state", "state", "person", "organization"],
            "country": ["SYR", "KOR", "SYR", None],
            "n_mentions": [12, 8, 4, 3],
            "n_articles": [2, 1, 2, 1],
        }
    )


@pytest.fixture
def status():
    codes = ["KOR", "SYR", "PRK", "CUB", "JPN", "FRA", "SGP"]
    values = ["self", "no_ties", "not_applicable", "severed", "ties", "suspended", "unknown"]
    return pl.DataFrame(
        {
            "focal": ["KOR"] * len(codes),
            "counterpart": codes,
            "name": codes,
            "status": values,
            "since": [None] * len(codes),
            "basis": ["reference"] * len(codes),
            "evidence": [""] * len(codes),
            "conflict": [False] * len(codes),
            "as_of": [dt.date(2025, 4, 9)] * len(codes),
        },
        schema_overrides={"since": pl.Date},
    )


def _graph():
    G = nx.Graph(weight="n_windows")
    for actor, kind, n in [("KOR", "state", 5), ("SYR", "state", 7), ("RUS", "state", 3)]:
        G.add_node(actor, name=actor, kind=kind, n_mentions=n, n_articles=1)
    G.add_edge("KOR", "SYR", n_windows=3)
    G.add_edge("RUS", "SYR", n_windows=1)
    return G


def test_palettes_cover_the_contract_vocabularies():
    assert set(charts.KIND_COLOURS) == set(ACTOR_KINDS)
    assert set(charts.STATUS_COLOURS) == set(STATUSES)


def test_same_input_same_svg_and_png(status):
    first, second = charts.status_map(status), charts.status_map(status.reverse())
    assert charts.to_svg(first) == charts.to_svg(second)
    assert charts.to_png(first) == charts.to_png(second)


def test_network_layout_is_fixed_by_seed():
    spec = charts.network_chart(_graph(), seed=1).to_dict()
    again = charts.network_chart(_graph(), seed=1).to_dict()
    other = charts.network_chart(_graph(), seed=2).to_dict()
    assert spec == again
    assert spec != other


def test_network_chart_by_community_needs_the_table():
    with pytest.raises(ValueError, match="communities"):
        charts.network_chart(_graph(), color="community")
    with pytest.raises(ValueError, match="'size'"):
        charts.network_chart(_graph(), color="size")
    communities = pl.DataFrame({"actor_id": ["KOR", "SYR", "RUS"], "community": [0, 0, 1]})
    spec = charts.network_chart(_graph(), color="community", communities=communities).to_dict()
    assert spec["layer"][1]["encoding"]["color"]["field"] == "community"


def test_status_map_colours_each_state_by_its_status(status):
    spec = charts.status_map(status).to_dict()
    features = {f["id"]: f["properties"] for f in spec["layer"][1]["data"]["values"]}
    assert features["SYR"]["status"] == "no_ties"
    assert features["CUB"]["status"] == "severed"
    assert features["BRA"]["status"] == "not listed"
    scale = spec["layer"][1]["encoding"]["color"]["scale"]
    assert scale["domain"][: len(STATUSES)] == list(STATUSES)
    assert "2025-04-09" in spec["title"]["text"]


def test_mentions_chart_accepts_pandas_and_limits_rows(nodes):
    spec = charts.mentions_chart(nodes.to_pandas(), top=2).to_dict()
    assert [row["actor_id"] for row in spec["data"]["values"]] == ["KOR", "SYR"]
    with pytest.raises(ValueError, match="top"):
        charts.mentions_chart(nodes, top=0)
    with pytest.raises(ValueError, match="n_mentions"):
        charts.mentions_chart(nodes.drop("n_mentions"))


def test_ties_chart_marks_corpus_relation_events_only():
    ties = pl.DataFrame(
        {
            "date": [dt.date(2024, 12, 31), dt.date(2025, 12, 31)],
            "n_ties": [190, 191],
            "n_members": [193, 193],
        }
    )
    events = pl.DataFrame(
        {
            "kind": ["establish_relations", "meet", "establish_relations"],
            "a": ["KOR", "KOR", "CUB"],
            "b": ["SYR", "SYR", "KOR"],
            "date": [dt.date(2025, 4, 10)] * 3,
            "origin": ["corpus", "corpus", "reference"],
            "evidence": ["established", "met", "ref"],
        }
    )
    spec = charts.ties_over_time_chart(ties, events=events, focal="KOR").to_dict()
    assert [row["evidence"] for row in spec["layer"][1]["data"]["values"]] == ["established"]


def test_offline_bundle_has_vega_lite_v5_and_svg_and_no_random_ids(nodes):
    charts.use_offline_renderer()
    chart = charts.mentions_chart(nodes)
    bundle = chart._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"}
    again = chart._repr_mimebundle_()
    again = again[0] if isinstance(again, tuple) else again
    assert again == bundle


def test_standalone_html_loads_nothing_from_the_network(nodes):
    html = charts.to_html(charts.mentions_chart(nodes))
    assert not re.search(r"<script[^>]+src=", html)
    assert "cdn." not in html
