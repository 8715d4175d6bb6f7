"""The notebooks' figures, by name, so ``toolkit figures`` can write them all to files.

Each entry builds one chart from the tables of a build (``data/processed``)
with the same parameters as the notebook that shows it. ``toolkit figures``
renders each to SVG and PNG with :mod:`toolkit.charts` (offline, byte-stable).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import altair as alt

import toolkit as tk
from toolkit import charts
from toolkit.processed import DEFAULT_PROCESSED, load_table

#: Parameters shared with the notebooks' parameter cells.
FOCAL = "KOR"
STATUS_DATE = "2025-04-09"
TIES_START, TIES_END = "1948-01-01", "2026-01-01"


def mentions_figure(processed: Path) -> alt.Chart:
    """Top actors by mentions (notebook 02)."""
    return charts.mentions_chart(load_table("nodes", processed))


def network_figure(processed: Path) -> alt.LayerChart:
    """Sentence-window co-occurrence network, coloured by community (notebook 03)."""
    graph = tk.to_networkx(load_table("edges", processed), load_table("nodes", processed))
    return charts.network_chart(graph, color="community", communities=tk.communities(graph))


def status_map_figure(processed: Path, *, as_of: str) -> alt.LayerChart:
    """Map of relations with the focal state on one date (notebook 04)."""
    events = load_table("events", processed)
    return charts.status_map(tk.relation_status(FOCAL, as_of=as_of, events=events))


def ties_figure(processed: Path) -> alt.LayerChart:
    """UN members with ties to the focal state, year by year (notebook 04)."""
    events = load_table("events", processed)
    ties = tk.ties_over_time(FOCAL, start=TIES_START, end=TIES_END, freq="year", events=events)
    return charts.ties_over_time_chart(ties, events=events, focal=FOCAL)


def events_figure(processed: Path) -> alt.Chart:
    """Events the corpus reports, on a timeline (notebook 05)."""
    return charts.events_timeline_chart(load_table("events", processed))


FIGURES: dict[str, Callable[[Path], alt.TopLevelMixin]] = {
    "02-mentions": mentions_figure,
    "03-network": network_figure,
    "04-status-map": lambda processed: status_map_figure(processed, as_of=STATUS_DATE),
    "04-ties-over-time": ties_figure,
    "05-events-timeline": events_figure,
}


def write_figures(out: Path, *, processed: Path = DEFAULT_PROCESSED) -> list[Path]:
    """Render every figure to ``out/<name>.svg`` and ``.png``; return the paths written."""
    from toolkit.processed import write_atomic, write_text

    written = []
    for name, make in FIGURES.items():
        chart = make(Path(processed))
        svg_path, png_path = out / f"{name}.svg", out / f"{name}.png"
        write_text(charts.to_svg(chart), svg_path)
        png = charts.to_png(chart)
        write_atomic(png_path, lambda tmp, png=png: tmp.write_bytes(png))
        written += [svg_path, png_path]
    return written
