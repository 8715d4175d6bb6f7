"""toolkit: news corpora into actor networks and relation-status tables.

The public API is flat (``import toolkit as tk; tk.load_articles(...)``); each
name lives in the module named for the table it produces. Submodules are
imported on first use so that ``import toolkit`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # corpus: ARTICLES
    "load_articles": "corpus",
    "LoadReport": "corpus",
    "load_articles_with_report": "corpus",
    "CorpusError": "corpus",
    "CorpusWarning": "corpus",
    # sentences: SENTENCES
    "split_sentences": "sentences",
    "section_text": "sentences",
    # actors: ACTORS, ROLES
    "load_actors": "actors",
    "load_roles": "actors",
    "load_role_titles": "actors",
    "alias_conflicts": "actors",
    "RegistryError": "actors",
    # mentions: MENTIONS
    "extract_mentions": "mentions",
    "candidate_actors": "mentions",
    # network: EDGES, NODES, graphs
    "cooccurrence": "network",
    "actor_nodes": "network",
    "to_networkx": "network",
    "centrality": "network",
    "communities": "network",
    "backbone": "network",
    "filter_edges": "network",
    "edge_evidence": "network",
    "write_graph": "network",
    # events: EVENTS
    "extract_events": "events",
    "event_candidates": "events",
    "load_event_rules": "events",
    # reference: shipped, sourced relation events
    "load_reference_events": "reference",
    "load_dyad_notes": "reference",
    # relations: STATUS
    "relation_status": "relations",
    "relation_history": "relations",
    "ties_over_time": "relations",
    # contracts
    "validate": "contracts",
    "ContractError": "contracts",
}

#: Submodules reachable as attributes (``tk.charts.status_map``) without an import.
_SUBMODULES = ("charts", "contracts", "figures", "notebooks", "processed", "workshop")

__all__ = sorted([*_EXPORTS, *_SUBMODULES, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"toolkit.{name}")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"toolkit.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
