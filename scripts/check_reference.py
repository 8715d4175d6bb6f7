"""Summarise the shipped reference events: counts, precision, histories, unverified rows.

Run: ``.venv/bin/python scripts/check_reference.py`` (add ``--unverified`` to list rows
whose date was not checked against a retrieved copy of its source).
"""

from __future__ import annotations

import sys

import polars as pl

from toolkit.reference import RELATION_KINDS, load_dyad_notes, load_reference_events


def main(argv: list[str]) -> int:
    events = load_reference_events()
    admissions = events.filter(pl.col("kind") == "un_admission")
    relations = events.filter(pl.col("kind").is_in(RELATION_KINDS)).with_columns(
        counterpart=pl.when(pl.col("a") == "KOR").then(pl.col("b")).otherwise(pl.col("a"))
    )
    unverified = pl.col("note").str.starts_with("unverified").fill_null(False)
    print(f"events: {events.height}  un_admission: {admissions.height}")
    print(
        f"KOR relation events: {relations.height} over {relations['counterpart'].n_unique()} states"
    )
    print(relations.group_by("kind", "precision").len().sort("kind", "precision"))
    changed = relations.filter(pl.col("kind") != "establish_relations")
    print("states with severance, suspension or restoration:")
    print(", ".join(sorted(changed["counterpart"].unique().to_list())))
    coarse = relations.filter(pl.col("precision") != "day")
    print("relation events with month/year precision:")
    for row in coarse.sort("counterpart", "date").iter_rows(named=True):
        print(f"  {row['counterpart']} {row['kind']} {row['date']} ({row['precision']})")
    print(
        f"unverified: {events.filter(unverified).height} rows "
        f"({relations.filter(unverified).height} relation events)"
    )
    if "--unverified" in argv:
        for row in events.filter(unverified).sort("event_id").iter_rows(named=True):
            print(f"  {row['event_id']}")
    print(load_dyad_notes().select("focal", "counterpart", "status"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
