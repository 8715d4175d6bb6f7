"""Table contracts: the one place that names every table's columns and dtypes.

Each stage of the data flow returns a table whose required columns are listed
here (see ``DESIGN.md``). Extra columns are allowed; missing columns, wrong
dtypes and values outside a column's vocabulary are errors.

Examples
--------
>>> import polars as pl
>>> from toolkit.contracts import validate
>>> nodes = pl.DataFrame({"actor_id": ["KOR"], "name": ["South Korea"]})
>>> validate(nodes, "NODES")
Traceback (most recent call last):
...
toolkit.contracts.ContractError: NODES is missing columns: kind, country, n_mentions, n_articles
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from toolkit._backend import is_pandas, to_polars

Str = pl.String
Int = pl.Int64
Date = pl.Date
Float = pl.Float64
Bool = pl.Boolean
StrList = pl.List(pl.String)

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "ARTICLES": {
        "article_id": Str,
        "source": Str,
        "position": Int,
        "title": Str,
        "published": Date,
        "date_text": Str,
        "dateline": Str,
        "summary": StrList,
        "captions": StrList,
        "body": Str,
        "url": Str,
        "outlet": Str,
        "n_words": Int,
    },
    "SENTENCES": {
        "sentence_id": Str,
        "article_id": Str,
        "section": Str,
        "paragraph": Int,
        "position": Int,
        "text": Str,
        "start": Int,
        "end": Int,
    },
    "ACTORS": {
        "actor_id": Str,
        "name": Str,
        "kind": Str,
        "country": Str,
        "aliases": StrList,
    },
    "ROLES": {
        "actor_id": Str,
        "role": Str,
        "of": Str,
        "start": Date,
        "end": Date,
    },
    "MENTIONS": {
        "article_id": Str,
        "sentence_id": Str,
        "section": Str,
        "paragraph": Int,
        "sentence": Int,
        "published": Date,
        "actor_id": Str,
        "surface": Str,
        "start": Int,
        "end": Int,
        "how": Str,
        "as_place": Bool,
    },
    "EDGES": {
        "source": Str,
        "target": Str,
        "window": Str,
        "n_windows": Int,
        "n_articles": Int,
        "first": Date,
        "last": Date,
        "pmi": Float,
        "npmi": Float,
        "jaccard": Float,
        "dice": Float,
    },
    "NODES": {
        "actor_id": Str,
        "name": Str,
        "kind": Str,
        "country": Str,
        "n_mentions": Int,
        "n_articles": Int,
    },
    "EVENTS": {
        "event_id": Str,
        "kind": Str,
        "a": Str,
        "b": Str,
        "date": Date,
        "precision": Str,
        "origin": Str,
        "article_id": Str,
        "sentence_id": Str,
        "evidence": Str,
        "cameo": Str,
    },
    "STATUS": {
        "focal": Str,
        "counterpart": Str,
        "name": Str,
        "status": Str,
        "since": Date,
        "basis": Str,
        "evidence": Str,
        "conflict": Bool,
        "as_of": Date,
    },
}

SECTIONS = ("title", "summary", "caption", "body")
ACTOR_KINDS = ("state", "person", "organization", "armed_group", "media", "place")
MENTION_HOWS = ("name", "alias", "demonym", "capital", "surname", "role", "inferred")
EVENT_KINDS = (
    "establish_relations",
    "restore_relations",
    "sever_relations",
    "suspend_relations",
    "upgrade_relations",
    "downgrade_relations",
    "un_admission",
    "visit",
    "meet",
    "agreement",
    "withdraw_forces",
    "ceasefire",
    "aid",
)
#: Event kinds that describe a (symmetric) diplomatic relationship; stored with ``a < b``.
RELATION_KINDS = tuple(kind for kind in EVENT_KINDS if kind.endswith("_relations"))
PRECISIONS = ("day", "month", "year")
ORIGINS = ("reference", "corpus")
STATUSES = ("ties", "no_ties", "severed", "suspended", "unknown", "not_applicable", "self")
BASES = ("reference", "corpus", "reference+corpus")

#: Closed vocabularies: a value outside these (nulls aside) breaks the contract.
VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "SENTENCES": {"section": SECTIONS},
    "ACTORS": {"kind": ACTOR_KINDS},
    "MENTIONS": {"section": SECTIONS, "how": MENTION_HOWS},
    "NODES": {"kind": ACTOR_KINDS},
    "EVENTS": {"kind": EVENT_KINDS, "precision": PRECISIONS, "origin": ORIGINS},
    "STATUS": {"status": STATUSES, "basis": BASES},
}

#: Columns that must never be null.
NOT_NULL: dict[str, tuple[str, ...]] = {
    "ARTICLES": ("article_id", "source", "position", "title", "body", "n_words"),
    "SENTENCES": ("sentence_id", "article_id", "section", "position", "text", "start", "end"),
    "ACTORS": ("actor_id", "name", "kind", "aliases"),
    "ROLES": ("actor_id", "role"),
    "MENTIONS": ("article_id", "sentence_id", "actor_id", "surface", "start", "end", "how"),
    "EDGES": ("source", "target", "window", "n_windows", "n_articles"),
    "NODES": ("actor_id", "n_mentions", "n_articles"),
    "EVENTS": ("event_id", "kind", "a", "date", "precision", "origin"),
    "STATUS": ("focal", "counterpart", "status", "conflict", "as_of"),
}

#: Column sets whose combination identifies a row.
KEYS: dict[str, tuple[str, ...]] = {
    "ARTICLES": ("article_id",),
    "SENTENCES": ("sentence_id",),
    "ACTORS": ("actor_id",),
    "NODES": ("actor_id",),
    "EVENTS": ("event_id",),
    "STATUS": ("focal", "counterpart"),
}


class ContractError(ValueError):
    """A table does not have the columns, dtypes or values its contract names."""


def empty(name: str) -> pl.DataFrame:
    """Return an empty polars table with exactly the contract's columns.

    Examples
    --------
    >>> empty("EDGES").columns[:3]
    ['source', 'target', 'window']
    """
    return pl.DataFrame(schema=_schema(name))


def _schema(name: str) -> Mapping[str, pl.DataType]:
    try:
        return SCHEMAS[name]
    except KeyError:
        known = ", ".join(SCHEMAS)
        raise ContractError(f"unknown table {name!r}; known tables: {known}") from None


def _casts_losslessly(series: pl.Series, dtype: pl.DataType) -> bool:
    try:
        cast = series.cast(dtype)
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError):
        return False
    if cast.null_count() != series.null_count():
        return False
    if dtype == pl.Date and series.dtype.is_temporal():
        return bool((cast.cast(series.dtype) == series).all())
    if dtype == pl.Int64 and series.dtype.is_float():
        return bool((cast.cast(series.dtype) == series).all())
    return not (dtype == pl.Date and not series.dtype.is_temporal())


def validate(table, name: str):
    """Check ``table`` (polars or pandas) against the contract ``name`` and return it.

    Raises
    ------
    ContractError
        Naming every missing column, every column of the wrong dtype, nulls in
        required columns, duplicate keys, and values outside a closed vocabulary.

    Examples
    --------
    >>> import polars as pl
    >>> table = empty("NODES")
    >>> validate(table, "NODES") is table
    True
    """
    schema = _schema(name)
    frame = to_polars(table)
    missing = [column for column in schema if column not in frame.columns]
    if missing:
        raise ContractError(f"{name} is missing columns: {', '.join(missing)}")
    problems: list[str] = []
    lenient = is_pandas(table)
    for column, dtype in schema.items():
        actual = frame.schema[column]
        if actual == dtype or actual == pl.Null:
            continue
        if lenient and _casts_losslessly(frame.get_column(column), dtype):
            # pandas has no date or nullable-int dtype by default: datetime64 at
            # midnight stands for a date, float with whole values for an int.
            continue
        problems.append(f"column {column!r} has dtype {actual}, expected {dtype}")
    for column in NOT_NULL.get(name, ()):
        n_null = frame.get_column(column).null_count()
        if n_null:
            problems.append(f"column {column!r} has {n_null} null values")
    for column, allowed in VOCABULARIES.get(name, {}).items():
        values = frame.get_column(column).drop_nulls().unique().to_list()
        unknown = sorted(set(values) - set(allowed))
        if unknown:
            problems.append(f"column {column!r} has values outside {allowed}: {unknown[:10]}")
    key = KEYS.get(name)
    if key and frame.height:
        n_dup = frame.height - frame.select(key).unique().height
        if n_dup:
            problems.append(f"{n_dup} rows repeat the key ({', '.join(key)})")
    if problems:
        raise ContractError(f"{name} breaks its contract: " + "; ".join(problems))
    return table
