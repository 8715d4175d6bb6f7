"""Altair charts of the toolkit's tables, rendered offline and byte-stable.

Every function takes tables (polars or pandas) and returns an ``altair`` chart;
none writes files (``toolkit figures`` does). Data are embedded inline, sorted
by a total order, with dates as ISO strings, so the same table always gives the
same specification, and so the same notebook output under nbval.

Rendering: :func:`use_offline_renderer` makes notebooks show each chart as a
Vega-Lite v5 specification (drawn by JupyterLab's bundled renderer, no CDN)
together with an SVG rendered here by ``vl-convert`` (what GitHub's notebook
viewer and exported HTML show). :func:`to_svg`, :func:`to_png` and
:func:`to_html` render without a browser or network.

Examples
--------
>>> import polars as pl
>>> nodes = pl.DataFrame({"actor_id": ["SYR", "KOR"], "name": ["Syria", "South Korea"],
...                       "kind": ["state", "state"], "country": ["SYR", "KOR"],
...                       "n_mentions": [9, 7], "n_articles": [2, 1]})
>>> mentions_chart(nodes).to_dict()["mark"]["type"]
'bar'
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources

import altair as alt
import networkx as nx
import polars as pl

from toolkit._backend import to_polars
from toolkit.contracts import EVENT_KINDS, STATUSES

#: Vega-Lite version the charts target: the one JupyterLab 4 renders offline.
VEGA_LITE_VERSION = "5.20"

#: One colour per relation status, fixed so maps read the same across dates and states.
STATUS_COLOURS = {
    "ties": "#2b8cbe",
    "no_ties": "#e34a33",
    "severed": "#b30000",
    "suspended": "#fdbb84",
    "unknown": "#d9d9d9",
    "not_applicable": "#969696",
    "self": "#252525",
}
#: One colour per actor kind.
KIND_COLOURS = {
    "state": "#1f77b4",
    "person": "#ff7f0e",
    "organization": "#2ca02c",
    "armed_group": "#d62728",
    "media": "#9467bd",
    "place": "#8c564b",
}
NO_POLYGON_NOTE = "Small states without a polygon at 1:110m are listed in the table, not drawn."


def _rows(table, *, sort: list[str]) -> list[dict]:
    """Table rows as JSON-ready dicts (dates as ISO strings), in a total order."""
    frame = to_polars(table)
    frame = frame.sort([*sort, *[c for c in frame.columns if c not in sort]], nulls_last=True)
    temporal = [c for c, dtype in frame.schema.items() if dtype.is_temporal()]
    frame = frame.with_columns(pl.col(c).dt.strftime("%Y-%m-%d") for c in temporal)
    nested = [c for c, dtype in frame.schema.items() if dtype.is_nested()]
    return frame.drop(nested).to_dicts()


def _check_columns(table: pl.DataFrame, needed: list[str], what: str) -> None:
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(f"{what} needs columns {missing}; got {table.columns}")


def mentions_chart(nodes, *, top: int = 20, title: str = "Most mentioned actors") -> alt.Chart:
    """Horizontal bars of the ``top`` actors of a NODES table by mentions, coloured by kind.

    Examples
    --------
    >>> import polars as pl
    >>> nodes = pl.DataFrame({"actor_id": ["A"], "name": ["A"], "kind": ["state"],
    ...                       "country": ["AAA"], "n_mentions": [3], "n_articles": [1]})
    >>> mentions_chart(nodes, top=5).to_dict()["encoding"]["y"]["field"]
    'name'
    """
    if top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    frame = to_polars(nodes)
    _check_columns(
        frame, ["actor_id", "name", "kind", "n_mentions", "n_articles"], "mentions_chart"
    )
    shown = frame.sort(["n_mentions", "actor_id"], descending=[True, False]).head(top)
    return (
        alt.Chart(alt.Data(values=_rows(shown, sort=["actor_id"])), title=title)
        .mark_bar()
        .encode(
            x=alt.X("n_mentions:Q", title="mentions"),
            y=alt.Y("name:N", sort="-x", title=None),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=list(KIND_COLOURS), range=list(KIND_COLOURS.values())),
            ),
            tooltip=["name:N", "kind:N", "n_mentions:Q", "n_articles:Q", "actor_id:N"],
        )
        .properties(width=420, height=alt.Step(16))
    )


def network_chart(
    G: nx.Graph,
    *,
    seed: int = 0,
    color: str = "kind",
    communities=None,
    labels: int = 25,
    title: str = "Actor co-occurrence network",
) -> alt.LayerChart:
    """Draw a co-occurrence graph with a spring layout fixed by ``seed``.

    Nodes are sized by ``n_mentions`` and coloured by ``kind`` or, with
    ``color="community"``, by the ``community`` column of ``communities``
    (the table :func:`toolkit.communities` returns). Edge width follows the
    graph's weight attribute. The ``labels`` most mentioned nodes are labelled.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph(weight="n_windows")
    >>> G.add_node("KOR", name="South Korea", kind="state", n_mentions=5, n_articles=1)
    >>> G.add_node("SYR", name="Syria", kind="state", n_mentions=7, n_articles=2)
    >>> G.add_edge("KOR", "SYR", n_windows=3)
    >>> [layer["mark"]["type"] for layer in network_chart(G).to_dict()["layer"]]
    ['rule', 'circle', 'text']
    """
    if color not in ("kind", "community"):
        raise ValueError(f"color must be 'kind' or 'community', got {color!r}")
    if color == "community" and communities is None:
        raise ValueError("color='community' needs the communities table (tk.communities(G))")
    weight = G.graph.get("weight", "n_windows")
    layout = nx.spring_layout(G, seed=seed, weight=weight) if len(G) else {}
    community_of = {}
    if communities is not None:
        community_of = dict(to_polars(communities).select("actor_id", "community").iter_rows())
    nodes = [
        {
            "actor_id": node,
            "name": data.get("name", node),
            "kind": data.get("kind", "unknown"),
            "n_mentions": int(data.get("n_mentions", 1)),
            "n_articles": int(data.get("n_articles", 0)),
            "community": str(community_of.get(node, "")),
            "x": round(float(layout[node][0]), 4),
            "y": round(float(layout[node][1]), 4),
        }
        for node, data in sorted(G.nodes(data=True))
    ]
    ranked = sorted(nodes, key=lambda row: (-row["n_mentions"], row["actor_id"]))
    for rank, row in enumerate(ranked):
        row["label"] = row["name"] if rank < labels else ""
    edges = [
        {
            "source": min(u, v),
            "target": max(u, v),
            "weight": float(data.get(weight, 1)),
            "x": round(float(layout[u][0]), 4),
            "y": round(float(layout[u][1]), 4),
            "x2": round(float(layout[v][0]), 4),
            "y2": round(float(layout[v][1]), 4),
        }
        for u, v, data in G.edges(data=True)
    ]
    edges.sort(key=lambda row: (row["source"], row["target"]))
    axis = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    edge_layer = (
        alt.Chart(alt.Data(values=edges))
        .mark_rule(color="#9e9e9e", opacity=0.6)
        .encode(
            x=alt.X("x:Q", axis=axis),
            y=alt.Y("y:Q", axis=axis),
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth("weight:Q", scale=alt.Scale(range=[0.5, 5]), legend=None),
            tooltip=["source:N", "target:N", alt.Tooltip("weight:Q", title=weight)],
        )
    )
    if color == "kind":
        colour = alt.Color(
            "kind:N", scale=alt.Scale(domain=list(KIND_COLOURS), range=list(KIND_COLOURS.values()))
        )
    else:
        colour = alt.Color("community:N", scale=alt.Scale(scheme="tableau10"))
    node_layer = (
        alt.Chart(alt.Data(values=nodes))
        .mark_circle(opacity=0.9, stroke="white", strokeWidth=0.8)
        .encode(
            x=alt.X("x:Q", axis=axis),
            y=alt.Y("y:Q", axis=axis),
            size=alt.Size("n_mentions:Q", scale=alt.Scale(range=[40, 900]), title="mentions"),
            color=colour,
            tooltip=["name:N", "kind:N", "n_mentions:Q", "n_articles:Q", "community:N"],
        )
    )
    label_layer = (
        alt.Chart(alt.Data(values=nodes))
        .mark_text(dy=-12, fontSize=10)
        .encode(x="x:Q", y="y:Q", text="label:N")
    )
    return alt.layer(edge_layer, node_layer, label_layer, title=title).properties(
        width=520, height=420
    )


def ties_over_time_chart(
    ties, *, events=None, focal: str | None = None, title: str | None = None
) -> alt.LayerChart:
    """Step line of UN members with ties to the focal state; corpus events marked.

    ``ties`` is the table :func:`toolkit.ties_over_time` returns (``date``,
    ``n_ties``, ``n_members``); ``events`` (optional EVENTS) adds a rule at each
    relation event with ``origin="corpus"``.

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> ties = pl.DataFrame({"date": [dt.date(2024, 1, 1), dt.date(2025, 1, 1)],
    ...                      "n_ties": [190, 191], "n_members": [193, 193]})
    >>> spec = ties_over_time_chart(ties, focal="KOR").to_dict()
    >>> spec["layer"][0]["mark"]["interpolate"]
    'step-after'
    """
    frame = to_polars(ties)
    _check_columns(frame, ["date", "n_ties", "n_members"], "ties_over_time_chart")
    long = frame.select("date", "n_ties", "n_members").unpivot(
        index="date", variable_name="series", value_name="count"
    )
    long = long.with_columns(
        pl.col("series").replace({"n_ties": "members with ties", "n_members": "UN members"})
    )
    heading = title or f"UN members with diplomatic ties to {focal or 'the focal state'}"
    line = (
        alt.Chart(alt.Data(values=_rows(long, sort=["series", "date"])))
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("count:Q", title="states"),
            color=alt.Color("series:N", title=None),
            tooltip=["date:T", "series:N", "count:Q"],
        )
    )
    layers = [line]
    if events is not None:
        marked = to_polars(events).filter(
            (pl.col("origin") == "corpus") & pl.col("kind").str.ends_with("_relations")
        )
        if focal is not None:
            marked = marked.filter((pl.col("a") == focal) | (pl.col("b") == focal))
        marked = marked.select("date", "kind", "a", "b", "evidence")
        layers.append(
            alt.Chart(alt.Data(values=_rows(marked, sort=["date", "kind", "a", "b"])))
            .mark_rule(color="#d62728", strokeDash=[4, 3])
            .encode(x="date:T", tooltip=["date:T", "kind:N", "a:N", "b:N", "evidence:N"])
        )
    return alt.layer(*layers, title=heading).properties(width=560, height=260)


@cache
def _world_features() -> tuple[dict, ...]:
    path = resources.files("toolkit") / "data" / "world_110m.geojson"
    return tuple(json.loads(path.read_text(encoding="utf-8"))["features"])


def status_map(status, *, title: str | None = None) -> alt.LayerChart:
    """World choropleth of a STATUS table: each state coloured by its status.

    Boundaries: Natural Earth 1:110m (public domain), shipped with the package.
    States absent from the table are drawn in white as "not listed".

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> status = pl.DataFrame({"focal": ["KOR"], "counterpart": ["SYR"], "name": ["Syria"],
    ...     "status": ["no_ties"], "since": [None], "basis": ["reference"], "evidence": [""],
    ...     "conflict": [False], "as_of": [dt.date(2025, 4, 9)]})
    >>> status_map(status).to_dict()["layer"][1]["mark"]["type"]
    'geoshape'
    """
    frame = to_polars(status)
    _check_columns(frame, ["focal", "counterpart", "name", "status", "as_of"], "status_map")
    by_code = {row["counterpart"]: row for row in _rows(frame, sort=["counterpart"])}
    features = []
    for feature in _world_features():
        row = by_code.get(feature["id"], {})
        properties = {
            "iso3": feature["id"],
            "name": row.get("name") or feature["properties"]["name"],
            "status": row.get("status", "not listed"),
            "since": row.get("since") or "",
        }
        features.append(
            {
                "type": "Feature",
                "id": feature["id"],
                "properties": properties,
                "geometry": feature["geometry"],
            }
        )
    focal = frame.get_column("focal").first() if frame.height else "?"
    as_of = frame.get_column("as_of").first() if frame.height else None
    as_of_text = as_of.isoformat() if isinstance(as_of, dt.date) else str(as_of)
    heading = title or f"Diplomatic relations with {focal} as of {as_of_text}"
    domain = [*STATUSES, "not listed"]
    colours = [*STATUS_COLOURS.values(), "#ffffff"]
    sphere = alt.Chart(alt.sphere()).mark_geoshape(fill="#f4f8fb", stroke="#c0c0c0")
    shapes = (
        alt.Chart(alt.Data(values=features, format=alt.DataFormat(type="json")))
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.3)
        .encode(
            color=alt.Color(
                "properties.status:N",
                title="status",
                scale=alt.Scale(domain=domain, range=colours),
                # A thin outline keeps the white "not listed" swatch visible.
                legend=alt.Legend(symbolStrokeColor="#9e9e9e", symbolStrokeWidth=0.5),
            ),
            tooltip=[
                alt.Tooltip("properties.name:N", title="state"),
                alt.Tooltip("properties.status:N", title="status"),
                alt.Tooltip("properties.since:N", title="since"),
            ],
        )
    )
    return (
        alt.layer(sphere, shapes, title=alt.Title(heading, subtitle=NO_POLYGON_NOTE))
        .project("equalEarth")
        .properties(width=620, height=330)
    )


def events_timeline_chart(events, *, title: str = "Events reported in the corpus") -> alt.Chart:
    """Events on a timeline: one row per kind, coloured by origin, evidence in the tooltip.

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> events = pl.DataFrame({"event_id": ["e1"], "kind": ["meet"], "a": ["KOR"], "b": ["SYR"],
    ...     "date": [dt.date(2025, 4, 10)], "precision": ["day"], "origin": ["corpus"],
    ...     "article_id": ["x"], "sentence_id": ["x-s00001"], "evidence": ["They met."],
    ...     "cameo": ["040"]})
    >>> events_timeline_chart(events).to_dict()["encoding"]["y"]["field"]
    'kind'
    """
    frame = to_polars(events)
    _check_columns(
        frame, ["event_id", "kind", "a", "b", "date", "origin", "evidence"], "events_timeline_chart"
    )
    shown = frame.select("event_id", "kind", "a", "b", "date", "precision", "origin", "evidence")
    return (
        alt.Chart(alt.Data(values=_rows(shown, sort=["date", "event_id"])), title=title)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("kind:N", title=None, sort=list(EVENT_KINDS)),
            color=alt.Color("origin:N"),
            shape=alt.Shape("precision:N"),
            tooltip=["date:T", "kind:N", "a:N", "b:N", "precision:N", "evidence:N"],
        )
        .properties(width=560, height=alt.Step(26))
    )


def _spec(chart: alt.TopLevelMixin) -> dict:
    return chart.to_dict(validate=True)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to SVG text offline (vl-convert), identical across runs."""
    import vl_convert

    return vl_convert.vegalite_to_svg(_spec(chart), vl_version=VEGA_LITE_VERSION)


def to_png(chart: alt.TopLevelMixin, *, scale: float = 2.0) -> bytes:
    """Render a chart to PNG bytes offline (vl-convert), identical across runs."""
    import vl_convert

    return vl_convert.vegalite_to_png(_spec(chart), vl_version=VEGA_LITE_VERSION, scale=scale)


def to_html(chart: alt.TopLevelMixin) -> str:
    """A standalone HTML page with the Vega JavaScript inlined: opens with no network."""
    import vl_convert

    return vl_convert.vegalite_to_html(_spec(chart), vl_version=VEGA_LITE_VERSION, bundle=True)


def _offline_bundle(spec: dict, **_options) -> dict:
    import vl_convert

    return {
        f"application/vnd.vegalite.v{VEGA_LITE_VERSION[0]}+json": spec,
        "image/svg+xml": vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION),
        "text/plain": "<toolkit chart: Vega-Lite v5 specification with an SVG rendering>",
    }


def use_offline_renderer() -> None:
    """Show charts in notebooks as Vega-Lite v5 JSON plus an SVG made here.

    JupyterLab draws the Vega-Lite JSON with its bundled renderer (no CDN);
    GitHub's viewer and nbconvert's HTML show the SVG. No random element ids
    are emitted, so nbval can compare the outputs strictly.

    Examples
    --------
    >>> use_offline_renderer()
    >>> import altair as alt
    >>> alt.renderers.active
    'toolkit-offline'
    """
    alt.renderers.register("toolkit-offline", _offline_bundle)
    alt.renderers.enable("toolkit-offline")
    # Charts embed their data inline; lift altair's 5,000-row guard, which is about
    # notebook size, not correctness, and would otherwise stop a full STATUS map.
    alt.data_transformers.disable_max_rows()
