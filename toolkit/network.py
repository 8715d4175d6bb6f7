"""Actor co-occurrence networks: MENTIONS into EDGES, NODES and networkx graphs.

Two actors co-occur when both are mentioned inside the same *window* of text. A
window is a sentence, a paragraph, a whole article, or a run of ``k``
consecutive sentences of one article. A pair counts once per window, however
often the two actors are mentioned in it.

The counting works on integer codes with numpy and polars: the (window, actor)
pairs are sorted once, every window's actor pairs are generated without a join,
and pair figures are reduced from one sort of (pair, article). Articles are
processed in chunks so that memory stays bounded on wide windows.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> import toolkit as tk
>>> mentions = pl.DataFrame({
...     "article_id": ["a1", "a1", "a1", "a1"],
...     "sentence": [0, 0, 1, 1],
...     "actor_id": ["SYR", "KOR", "KOR", "RUS"],
...     "published": [dt.date(2025, 4, 10)] * 4,
... })
>>> tk.cooccurrence(mentions).select("source", "target", "n_windows").rows()
[('KOR', 'RUS', 1), ('KOR', 'SYR', 1)]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
import numbers
import re
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import numpy as np
import polars as pl

from toolkit._backend import check_backend, like_input, to_backend, to_polars
from toolkit.contracts import ACTOR_KINDS, SECTIONS

WINDOWS = ("sentence", "paragraph", "article")
PERIODS = ("month", "year")
COMMUNITY_METHODS = ("louvain", "greedy")

#: Edge columns that add up over time slices; only these can weight a graph built
#: from sliced edges (pmi and friends are not additive).
ADDITIVE_COLUMNS = ("n_windows", "n_articles")

#: Kind of an actor from its id prefix (see the brief's id conventions).
ID_PREFIX_KINDS = {
    "person": "person",
    "org": "organization",
    "group": "armed_group",
    "media": "media",
    "place": "place",
}

_EDGE_SCHEMA = {
    "source": pl.String,
    "target": pl.String,
    "window": pl.String,
    "n_windows": pl.Int64,
    "n_articles": pl.Int64,
    "first": pl.Date,
    "last": pl.Date,
    "pmi": pl.Float64,
    "npmi": pl.Float64,
    "jaccard": pl.Float64,
    "dice": pl.Float64,
    "n_source": pl.Int64,
    "n_target": pl.Int64,
    "n_total": pl.Int64,
}

# Pairs generated per chunk before they are reduced; bounds peak memory.
_PAIR_BUDGET = 24_000_000
_INT64_LIMIT = 2**62
# Day sentinels standing in for a null ``published`` while reducing with min/max.
_NO_DAY_HIGH = np.iinfo(np.int64).max
_NO_DAY_LOW = np.iinfo(np.int64).min


# --------------------------------------------------------------------------- arguments


def _parse_window(window) -> tuple[str, int | None]:
    """Return (label, k); k is None for the named windows."""
    if isinstance(window, str):
        if window in WINDOWS:
            return window, None
        match = re.fullmatch(r"([0-9]+)-sentences?", window)
        if match:
            window = int(match.group(1))
        else:
            raise ValueError(
                f"window must be one of {WINDOWS}, an int k >= 1 or 'k-sentence', got {window!r}"
            )
    if isinstance(window, bool) or not isinstance(window, numbers.Integral):
        raise ValueError(
            f"window must be one of {WINDOWS}, an int k >= 1 or 'k-sentence', got {window!r}"
        )
    k = int(window)
    if k < 1:
        raise ValueError(f"window must be an int k >= 1, got {window!r}")
    return ("sentence", None) if k == 1 else (f"{k}-sentence", k)


def _parse_sections(sections) -> tuple[str, ...] | None:
    if sections is None:
        return None
    chosen = (sections,) if isinstance(sections, str) else tuple(sections)
    if not chosen:
        raise ValueError("sections must name at least one of " + ", ".join(SECTIONS))
    for section in chosen:
        if section not in SECTIONS:
            raise ValueError(f"sections: unknown section {section!r}; expected one of {SECTIONS}")
    return chosen


def _check_by(by) -> None:
    if by is not None and by not in PERIODS:
        raise ValueError(f"by must be None, 'month' or 'year', got {by!r}")


def _check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    return int(value)


def _require_columns(frame: pl.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{what} is missing columns: {', '.join(missing)}")


def _check_not_null(frame: pl.DataFrame, columns: Iterable[str], what: str) -> None:
    for column in columns:
        n_null = frame.get_column(column).null_count()
        if n_null:
            row = frame.with_row_index("_row").filter(pl.col(column).is_null()).row(0, named=True)
            raise ValueError(
                f"{what}: column {column!r} has {n_null} null values "
                f"(first at row {row['_row']}, article_id={row.get('article_id')!r})"
            )


def _prepare_mentions(mentions, window_label: str, k, sections, by) -> pl.DataFrame:
    """Validate and select the mention columns one window type needs."""
    frame = to_polars(mentions)
    needed = ["article_id", "actor_id", "published"]
    if window_label == "paragraph":
        needed += ["section", "paragraph"]
    elif window_label != "article":
        needed.append("sentence")
    if sections is not None and "section" not in needed:
        needed.append("section")
    _require_columns(frame, needed, "mentions")
    frame = frame.select(needed)
    if frame.schema["published"] == pl.Null or isinstance(frame.schema["published"], pl.Datetime):
        # pandas has no date dtype: its round trip turns Date into datetime64
        frame = frame.with_columns(pl.col("published").cast(pl.Date))
    if frame.schema["published"] != pl.Date:
        raise ValueError(
            f"mentions: column 'published' must be a Date, got {frame.schema['published']}"
        )
    _check_not_null(frame, [column for column in needed if column != "published"], "mentions")
    if "section" in needed:
        unknown = sorted(set(frame.get_column("section").unique().to_list()) - set(SECTIONS))
        if unknown:
            raise ValueError(f"mentions: column 'section' has unknown values {unknown[:5]}")
    for column in ("sentence", "paragraph"):
        if column in needed:
            if not frame.schema[column].is_integer():
                raise ValueError(f"mentions: column {column!r} must be integer")
            if frame.height and frame.get_column(column).min() < 0:
                raise ValueError(f"mentions: column {column!r} has negative values")
    if sections is not None:
        frame = frame.filter(pl.col("section").is_in(list(sections)))
    return frame


def _period_expr(by: str | None) -> pl.Expr:
    fmt = "%Y-%m" if by == "month" else "%Y"
    return pl.col("published").dt.strftime(fmt)


# --------------------------------------------------------------------------- counting


def _article_days(art: np.ndarray, published: pl.Series, n_art: int):
    """Earliest and latest day number per article code (sentinels for undated)."""
    days = published.to_physical().cast(pl.Int64)
    high = days.fill_null(_NO_DAY_HIGH).to_numpy()
    first_day = np.full(n_art, _NO_DAY_HIGH, dtype=np.int64)
    first_day[art] = high
    if np.array_equal(first_day[art], high):
        # one date per article, the normal case: no per-row min/max needed
        last_day = np.where(first_day == _NO_DAY_HIGH, _NO_DAY_LOW, first_day)
        return first_day, last_day
    np.minimum.at(first_day, art, high)
    last_day = np.full(n_art, _NO_DAY_LOW, dtype=np.int64)
    np.maximum.at(last_day, art, days.fill_null(_NO_DAY_LOW).to_numpy())
    return first_day, last_day


def _bits(n: int) -> int:
    """Bits needed for codes 0 .. n - 1."""
    return max(1, (n - 1).bit_length())


def _sorted_unique(w: np.ndarray, a: np.ndarray, n_actors: int) -> tuple[np.ndarray, np.ndarray]:
    """Sort (window, actor) rows and drop repeats; one int64 key when it fits."""
    if w.size == 0:
        return w, a
    bits = _bits(n_actors)
    if (int(w.max()) + 1) << bits < _INT64_LIMIT:
        # one int64 key, window in the high bits: shifts and masks are cheap to undo
        key = w << bits
        key |= a
        key = pl.Series(key).sort().to_numpy()
        key = key[_run_starts(key)]
        return key >> bits, key & ((1 << bits) - 1)
    order = np.lexsort((a, w))
    w, a = w[order], a[order]
    keep = np.empty(w.size, dtype=bool)
    keep[0] = True
    keep[1:] = (w[1:] != w[:-1]) | (a[1:] != a[:-1])
    return w[keep], a[keep]


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Indices where a run of equal values starts in a sorted array."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.empty(values.size, dtype=bool)
    new[0] = True
    np.not_equal(values[1:], values[:-1], out=new[1:])
    return np.flatnonzero(new)


def _window_pairs(partners: np.ndarray, offset: int, index_type) -> tuple[np.ndarray, np.ndarray]:
    """Row index pairs (i, j), i < j, of rows sharing a window, given the rows after each."""
    total = int(partners.sum(dtype=np.int64))
    rows = np.arange(offset, offset + partners.size, dtype=index_type)
    src = np.repeat(rows, partners)
    # j runs over i+1 .. i+partners[i]: output position t maps to t + (i + 1 - start_i)
    starts = np.cumsum(partners, dtype=np.int64) - partners
    dst = np.repeat((rows + 1 - starts).astype(index_type), partners)
    dst += np.arange(total, dtype=index_type)
    return src, dst


def _expand_ranges(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each i repeated counts[i] times: (i, 0..counts[i]-1), vectorised."""
    total = int(counts.sum())
    owner = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    offsets = np.cumsum(counts) - counts
    step = np.arange(total, dtype=np.int64) - np.repeat(offsets, counts)
    return owner, step


def _sliding_windows(w: np.ndarray, a: np.ndarray, stride: int, k: int):
    """Turn sentence rows (w = article*stride + position) into k-sentence window rows.

    In each article the windows are the runs of k consecutive positions starting
    at ``first`` .. ``max(first, last - k + 1)``, where first/last are the lowest and
    highest positions with a mention. A window is keyed by its start position.
    """
    art = w // stride
    pos = w % stride
    starts = _run_starts(art)
    sizes = np.diff(np.append(starts, art.size))
    first = np.repeat(pos[starts], sizes)
    last = np.repeat(pos[np.append(starts[1:], art.size) - 1], sizes)
    top = np.maximum(first, last - k + 1)
    lo = np.maximum(first, pos - k + 1)
    hi = np.minimum(pos, top)
    owner, step = _expand_ranges(hi - lo + 1)
    return art[owner] * stride + lo[owner] + step, a[owner]


def _pair_keys(actor, src, dst, n_actors: int, pair_type) -> np.ndarray:
    """source * n_actors + target for row pairs, computed in place."""
    keys = actor[src].astype(pair_type)
    keys *= n_actors
    keys += actor[dst]
    return keys


def _reduce_pairs(
    pair: np.ndarray,
    art: np.ndarray,
    n_articles_total: int,
    period_of_art: np.ndarray,
    first_day: np.ndarray,
    last_day: np.ndarray,
) -> dict[str, np.ndarray]:
    """Per (pair, period): windows, distinct articles, first and last day."""
    bits = _bits(n_articles_total)
    if (int(pair.max()) + 1) << bits < _INT64_LIMIT:
        key = pair.astype(np.int64)
        key <<= bits
        key |= art
        key = pl.Series(key).sort().to_numpy()
        # runs of one (pair, article) come straight from the sorted key
        run = _run_starts(key)
        run_key = key[run]
        run_pair, run_art = run_key >> bits, run_key & ((1 << bits) - 1)
        size = key.size
    else:
        order = np.lexsort((art, pair))
        pair, art = pair[order], art[order]
        new = np.empty(pair.size, dtype=bool)
        new[0] = True
        new[1:] = (pair[1:] != pair[:-1]) | (art[1:] != art[:-1])
        run = np.flatnonzero(new)
        run_pair, run_art = pair[run], art[run]
        size = pair.size
    run_windows = np.diff(run, append=size)
    if period_of_art.max() == 0:
        # a single period: groups are the runs of one pair
        run_period = np.zeros(run.size, dtype=np.int64)
        group = _run_starts(run_pair)
    else:
        run_period = period_of_art[run_art]
        # articles are coded in (period, article_id) order: periods are runs within a pair
        new = np.empty(run.size, dtype=bool)
        new[0] = True
        new[1:] = (run_pair[1:] != run_pair[:-1]) | (run_period[1:] != run_period[:-1])
        group = np.flatnonzero(new)
    return {
        "pair": run_pair[group],
        "period": run_period[group],
        "n_windows": np.add.reduceat(run_windows, group),
        "n_articles": np.diff(group, append=run.size),
        "first": np.minimum.reduceat(first_day[run_art], group),
        "last": np.maximum.reduceat(last_day[run_art], group),
    }


def _count(frame: pl.DataFrame, window_label: str, k: int | None, by: str | None):
    """Return (pair table, marginal table, actor names, period labels) for prepared mentions."""
    # integer codes: strings are hashed once each, everything after is numpy
    article_ids = frame.get_column("article_id").unique()
    art = frame.get_column("article_id").cast(pl.Enum(article_ids)).to_physical().to_numpy()
    art = art.astype(np.int64)
    n_art = article_ids.len()
    first_day, last_day = _article_days(art, frame.get_column("published"), n_art)
    articles = (
        pl.DataFrame({"article_id": article_ids, "published": first_day})
        .with_columns(
            published=pl.when(pl.col("published") < _NO_DAY_HIGH)
            .then(pl.col("published"))
            .cast(pl.Int32)
            .cast(pl.Date)
        )
        .with_columns(period=_period_expr(by) if by else pl.lit(None, dtype=pl.String))
    )
    period_labels = articles.get_column("period").unique().sort(nulls_last=False)
    period_of_art = (
        articles.get_column("period")
        .cast(pl.Enum(period_labels.drop_nulls()))
        .to_physical()
        .cast(pl.Int64)
        .fill_null(-1)
        .to_numpy()
    )
    # null period (undated articles) gets code 0 so that codes index arrays
    period_of_art = period_of_art + (1 if period_labels.null_count() else 0)
    period_labels = period_labels.to_list()
    if by:
        # recode articles in (period, article_id) order: a pair's periods are then runs
        order = articles.with_row_index("_old").sort("period", "article_id", nulls_last=False)
        new_code = np.empty(n_art, dtype=np.int64)
        new_code[order.get_column("_old").to_numpy()] = np.arange(n_art)
        art = new_code[art]
        first_day, last_day = first_day[order["_old"]], last_day[order["_old"]]
        period_of_art = period_of_art[order["_old"]]

    actor_names = frame.get_column("actor_id").unique().sort()
    n_actors = actor_names.len()
    actor = frame.get_column("actor_id").cast(pl.Enum(actor_names)).to_physical().to_numpy()
    actor = actor.astype(np.int64)

    if window_label == "article":
        stride = 1
        w = art
    elif window_label == "paragraph":
        section = frame.get_column("section").cast(pl.Enum(list(SECTIONS))).to_physical()
        paragraph = frame.get_column("paragraph").cast(pl.Int64).to_numpy()
        n_par = int(paragraph.max()) + 1 if paragraph.size else 1
        stride = len(SECTIONS) * n_par
        w = art * stride + section.cast(pl.Int64).to_numpy() * n_par + paragraph
    else:
        position = frame.get_column("sentence").cast(pl.Int64).to_numpy()
        stride = int(position.max()) + 1 if position.size else 1
        w = art * stride + position
        del position
    del art  # free big temporaries early: lower peak memory, fewer page faults
    w, actor = _sorted_unique(w, actor, n_actors)
    if k is not None:
        w, actor = _sliding_windows(w, actor, stride, k)
        w, actor = _sorted_unique(w, actor, n_actors)

    n_periods = len(period_labels)
    art_of_row = w // stride if stride > 1 else w
    window_starts = _run_starts(w)
    if n_periods == 1:
        # one period (no by=): skip per-row period lookups
        n_total = np.array([window_starts.size])
        n_by_actor = np.bincount(actor, minlength=n_actors)
    else:
        row_period = period_of_art[art_of_row]
        n_total = np.bincount(row_period[window_starts], minlength=n_periods)
        n_by_actor = None
        if n_periods * n_actors <= 4 * w.size + 1_000_000:
            n_by_actor = np.bincount(row_period * n_actors + actor, minlength=n_periods * n_actors)
    if n_by_actor is not None:
        present = np.flatnonzero(n_by_actor)
        marginals = pl.DataFrame(
            {"period": present // n_actors, "actor": present % n_actors, "n": n_by_actor[present]}
        )
    else:
        marginals = (
            pl.DataFrame({"period": row_period, "actor": actor})
            .group_by("period", "actor")
            .len("n")
            .with_columns(pl.col("n").cast(pl.Int64))
        )

    # actor pairs in each window: row i pairs with the rows after it in its window
    index_type = np.int32 if w.size < 2**31 else np.int64
    window_ends = np.empty(window_starts.size, dtype=index_type)
    window_ends[:-1] = window_starts[1:]
    window_ends[-1] = w.size
    partners = np.repeat(window_ends, window_ends - window_starts)
    partners -= np.arange(1, w.size + 1, dtype=index_type)
    bounds = np.array([0, w.size])
    if int(partners.sum(dtype=np.int64)) > _PAIR_BUDGET:
        # chunks of about _PAIR_BUDGET pairs, cut at article starts so that
        # per-chunk article counts add up
        art_starts = _run_starts(art_of_row)
        before = np.cumsum(partners, dtype=np.int64) - partners
        chunk = before[art_starts] // _PAIR_BUDGET
        bounds = np.append(art_starts[_run_starts(chunk)], w.size)
    actor = actor.astype(np.int32) if n_actors < 2**31 else actor
    pair_type = np.int32 if n_actors * n_actors < 2**31 else np.int64
    art_of_row = art_of_row.astype(np.int32) if n_art < 2**31 else art_of_row
    parts = []
    for lo, hi in itertools.pairwise(bounds):
        src, dst = _window_pairs(partners[lo:hi], lo, index_type)
        if src.size == 0:
            continue
        parts.append(
            _reduce_pairs(
                _pair_keys(actor, src, dst, n_actors, pair_type),
                art_of_row[src],
                n_art,
                period_of_art,
                first_day,
                last_day,
            )
        )
    if parts:
        pairs = pl.DataFrame({name: np.concatenate([p[name] for p in parts]) for name in parts[0]})
    else:
        names = ("pair", "period", "n_windows", "n_articles", "first", "last")
        pairs = pl.DataFrame({name: np.zeros(0, dtype=np.int64) for name in names})
    if len(parts) > 1:
        pairs = pairs.group_by("pair", "period").agg(
            pl.col("n_windows").sum(),
            pl.col("n_articles").sum(),
            pl.col("first").min(),
            pl.col("last").max(),
        )
    return pairs, marginals, n_total, n_actors, actor_names, period_labels


def cooccurrence(mentions, *, window="sentence", sections=None, by=None, min_count=1):
    """Count how often two actors are mentioned in the same window (EDGES).

    Parameters
    ----------
    mentions : polars or pandas DataFrame
        MENTIONS. Uses ``article_id``, ``actor_id``, ``published`` and, by window,
        ``sentence`` (the sentence position in the article) or ``section`` and
        ``paragraph``.
    window : {"sentence", "paragraph", "article"} or int, default "sentence"
        What counts as one window:

        - ``"sentence"``: one sentence, keyed ``(article_id, sentence)``;
        - ``"paragraph"``: one paragraph, keyed ``(article_id, section, paragraph)``
          (``paragraph`` is the index within the section; the title is paragraph 0);
        - ``"article"``: one article;
        - an int ``k >= 1`` (or the string ``"k-sentence"``): runs of ``k``
          consecutive sentence positions of one article. In an article whose
          mentions lie at positions ``first .. last`` the windows start at every
          position ``first, first + 1, ..., max(first, last - k + 1)`` and cover
          ``[start, start + k - 1]``; so a pair ``d < k`` sentences apart counts in
          up to ``k - d`` windows, ``k = 1`` gives exactly the ``"sentence"``
          result (labelled ``"sentence"``), and a ``k`` wider than the article's
          mention span gives one window per article. Windows that would reach past
          the first or last mentioned sentence are not counted, since they would
          only repeat a subset of a counted window.
    sections : str or list of str, optional
        Keep only mentions in these sections (``title``, ``summary``, ``caption``,
        ``body``) before counting; every figure, including window totals, is then
        computed on the kept mentions.
    by : {"month", "year"}, optional
        Slice by the article's ``published`` date. Adds a ``period`` column
        (``"2025-04"`` or ``"2025"``; null for undated articles, which form their
        own slice) and computes every figure, totals included, within its period.
        Counts of the slices add up to the unsliced counts.
    min_count : int, default 1
        Keep pairs seen in at least this many windows (within the period).

    Returns
    -------
    polars or pandas DataFrame
        EDGES, one row per actor pair (and period), sorted by (period,) source,
        target. With, for a pair (a, b) and within the period, ``N`` = number of
        windows that contain at least one mention, ``n_a`` and ``n_b`` = windows
        containing a and b, ``n_ab`` = windows containing both:

        - ``n_windows`` = n_ab; ``n_articles`` = distinct articles of those windows;
        - ``first``/``last`` = earliest/latest ``published`` of those windows
          (null when none is dated);
        - ``pmi`` = log2(n_ab * N / (n_a * n_b)), finite since n_ab >= 1;
        - ``npmi`` = pmi / -log2(n_ab / N), in [-1, 1]; when n_ab = N (both actors in
          every window) the ratio is 0/0 and npmi is defined as 1;
        - ``jaccard`` = n_ab / (n_a + n_b - n_ab), in (0, 1];
        - ``dice`` = 2 * n_ab / (n_a + n_b), in (0, 1];
        - extra columns ``n_source`` = n_a, ``n_target`` = n_b, ``n_total`` = N, and
          ``window`` (``"sentence"``, ``"paragraph"``, ``"article"``, ``"3-sentence"``).

    Raises
    ------
    ValueError
        For an unknown window, section or period, a ``min_count`` below 1, missing
        columns, or nulls in key columns (naming the value or column).

    Notes
    -----
    Cost grows with the number of (window, actor) pairs, sum of m(m-1)/2 over windows
    of m distinct actors: small for sentences, large for article windows of long
    articles. Pairs are generated and reduced in chunks of about 24 million, cut at
    article boundaries, so memory stays bounded. See ``benchmarks/bench_network.py``.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> mentions = pl.DataFrame({
    ...     "article_id": ["a1"] * 5,
    ...     "sentence": [0, 0, 0, 2, 2],
    ...     "actor_id": ["SYR", "KOR", "SYR", "RUS", "SYR"],
    ...     "published": [dt.date(2025, 4, 10)] * 5,
    ... })
    >>> edges = cooccurrence(mentions)
    >>> edges.select("source", "target", "n_windows", "n_source", "n_target", "n_total").rows()
    [('KOR', 'SYR', 1, 1, 2, 2), ('RUS', 'SYR', 1, 1, 2, 2)]
    >>> cooccurrence(mentions, window=3).select("source", "target", "window").rows()
    [('KOR', 'RUS', '3-sentence'), ('KOR', 'SYR', '3-sentence'), ('RUS', 'SYR', '3-sentence')]
    >>> cooccurrence(mentions, window="week")
    Traceback (most recent call last):
    ...
    ValueError: window must be one of ('sentence', 'paragraph', 'article'), ...
    """
    window_label, k = _parse_window(window)
    chosen = _parse_sections(sections)
    _check_by(by)
    min_count = _check_positive_int(min_count, "min_count")
    frame = _prepare_mentions(mentions, window_label, k, chosen, by)
    schema = dict(_EDGE_SCHEMA)
    if by:
        schema = {"source": pl.String, "target": pl.String, "period": pl.String} | {
            name: dtype for name, dtype in schema.items() if name not in ("source", "target")
        }
    if frame.height == 0:
        return like_input(pl.DataFrame(schema=schema), mentions)
    pairs, marginals, n_total, n_actors, actor_names, period_labels = _count(
        frame, window_label, k, by
    )
    totals = pl.DataFrame(
        {"period": np.arange(len(period_labels)), "n_total": n_total.astype(np.int64)}
    )
    margin_a = marginals.rename({"actor": "a", "n": "n_source"})
    margin_b = marginals.rename({"actor": "b", "n": "n_target"})
    n_ab = pl.col("n_windows").cast(pl.Float64)
    n_a = pl.col("n_source").cast(pl.Float64)
    n_b = pl.col("n_target").cast(pl.Float64)
    total = pl.col("n_total").cast(pl.Float64)
    pmi = (n_ab * total / (n_a * n_b)).log(2)
    counted = (
        pairs.filter(pl.col("n_windows") >= min_count)
        .with_columns(a=pl.col("pair") // n_actors, b=pl.col("pair") % n_actors)
        .join(margin_a, on=["period", "a"], how="left")
        .join(margin_b, on=["period", "b"], how="left")
        .join(totals, on="period", how="left")
    )
    labels = pl.Series(period_labels, dtype=pl.String)
    edges = (
        counted.with_columns(
            source=actor_names.gather(counted.get_column("a")),
            target=actor_names.gather(counted.get_column("b")),
            period=labels.gather(counted.get_column("period")),
            window=pl.lit(window_label),
            first=pl.when(pl.col("first") < _NO_DAY_HIGH).then(pl.col("first")),
            last=pl.when(pl.col("last") > _NO_DAY_LOW).then(pl.col("last")),
            pmi=pmi,
            npmi=pl.when(pl.col("n_windows") == pl.col("n_total"))
            .then(1.0)
            .otherwise(pmi / -(n_ab / total).log(2))
            .clip(-1.0, 1.0),
            jaccard=n_ab / (n_a + n_b - n_ab),
            dice=2.0 * n_ab / (n_a + n_b),
        )
        .with_columns(
            first=pl.col("first").cast(pl.Int32).cast(pl.Date),
            last=pl.col("last").cast(pl.Int32).cast(pl.Date),
        )
        .select(list(schema))
        .cast(schema)
        .sort([*(["period"] if by else []), "source", "target"], nulls_last=False)
    )
    return like_input(edges, mentions)


# --------------------------------------------------------------------------- nodes


def actor_kind(actor_id: str) -> str | None:
    """Return an actor's kind from its id (``KOR`` -> state), or None if unknown.

    Examples
    --------
    >>> actor_kind("KOR"), actor_kind("person:ahmad-al-sharaa"), actor_kind("org:un")
    ('state', 'person', 'organization')
    """
    if re.fullmatch(r"[A-Z]{3}", actor_id):
        return "state"
    prefix, sep, _ = actor_id.partition(":")
    return ID_PREFIX_KINDS.get(prefix) if sep else None


def actor_nodes(mentions, actors, *, sections=None):
    """Describe every mentioned actor (NODES).

    Parameters
    ----------
    mentions : polars or pandas DataFrame
        MENTIONS (``article_id``, ``actor_id``, ``surface``, ``published``; ``section``
        when ``sections`` is given).
    actors : polars or pandas DataFrame
        ACTORS: ``actor_id``, ``name``, ``kind``, ``country``.
    sections : str or list of str, optional
        Count only mentions in these sections, as in :func:`cooccurrence`.

    Returns
    -------
    polars or pandas DataFrame
        NODES sorted by ``actor_id``: ``name``, ``kind``, ``country`` from the
        registry; ``n_mentions`` (mention rows), ``n_articles`` (distinct articles),
        ``first``/``last`` (dates), ``in_registry``. Actors missing from the registry
        (people inferred from the text) take ``name`` from an ``inferred_name``
        column when the mentions have one, else their most frequent surface (ties:
        the alphabetically first); ``kind`` from ``inferred_kind``, else from the id
        prefix, else ``"person"``; ``country`` from ``inferred_country`` if present.

    Examples
    --------
    >>> import polars as pl
    >>> mentions = pl.DataFrame({
    ...     "article_id": ["a1", "a1", "a2"],
    ...     "actor_id": ["KOR", "person:cho-hyun", "KOR"],
    ...     "surface": ["South Korea", "Cho", "Seoul"],
    ...     "published": [None, None, None],
    ... })
    >>> actors = pl.DataFrame({"actor_id": ["KOR"], "name": ["South Korea"], "kind": ["state"],
    ...                        "country": ["KOR"]})
    >>> actor_nodes(mentions, actors).select("actor_id", "name", "kind", "n_mentions").rows()
    [('KOR', 'South Korea', 'state', 2), ('person:cho-hyun', 'Cho', 'person', 1)]
    """
    chosen = _parse_sections(sections)
    frame = to_polars(mentions)
    registry = to_polars(actors)
    needed = ["article_id", "actor_id", "surface", "published"]
    _require_columns(frame, needed + (["section"] if chosen else []), "mentions")
    _require_columns(registry, ["actor_id", "name", "kind", "country"], "actors")
    _check_not_null(frame, ["article_id", "actor_id"], "mentions")
    duplicated = registry.filter(pl.col("actor_id").is_duplicated()).get_column("actor_id")
    if duplicated.len():
        raise ValueError(f"actors: actor_id {duplicated[0]!r} appears more than once")
    if chosen:
        frame = frame.filter(pl.col("section").is_in(list(chosen)))
    inferred = [
        pl.col(f"inferred_{name}").drop_nulls().mode().sort().first().alias(f"inferred_{name}")
        for name in ("name", "kind", "country")
        if f"inferred_{name}" in frame.columns
    ]
    surfaces = (
        frame.group_by("actor_id", "surface")
        .len()
        .sort(["actor_id", "len", "surface"], descending=[False, True, False])
        .group_by("actor_id", maintain_order=True)
        .agg(pl.col("surface").first().alias("_surface"))
    )
    counts = (
        frame.group_by("actor_id")
        .agg(
            pl.len().cast(pl.Int64).alias("n_mentions"),
            pl.col("article_id").n_unique().cast(pl.Int64).alias("n_articles"),
            pl.col("published").cast(pl.Date).min().alias("first"),
            pl.col("published").cast(pl.Date).max().alias("last"),
            *inferred,
        )
        .join(surfaces, on="actor_id", how="left")
    )
    for name in ("name", "kind", "country"):
        if f"inferred_{name}" not in counts.columns:
            counts = counts.with_columns(pl.lit(None, dtype=pl.String).alias(f"inferred_{name}"))
    fields = registry.select(
        "actor_id",
        pl.col("name").cast(pl.String),
        pl.col("kind").cast(pl.String),
        pl.col("country").cast(pl.String),
        in_registry=pl.lit(True),
    )
    id_kind = pl.col("actor_id").map_elements(actor_kind, return_dtype=pl.String)
    nodes = (
        counts.join(fields, on="actor_id", how="left")
        .with_columns(pl.col("in_registry").fill_null(False))
        .with_columns(
            name=pl.coalesce("name", "inferred_name", "_surface", "actor_id"),
            kind=pl.coalesce("kind", "inferred_kind", id_kind, pl.lit("person")),
            country=pl.coalesce("country", "inferred_country"),
        )
        .select(
            "actor_id",
            "name",
            "kind",
            "country",
            "n_mentions",
            "n_articles",
            "first",
            "last",
            "in_registry",
        )
        .sort("actor_id")
    )
    return like_input(nodes, mentions)


# --------------------------------------------------------------------------- graphs


def _canonical_bytes(frame: pl.DataFrame) -> bytes:
    """CSV of a table with sorted columns and rows: the same content gives the same bytes."""
    frame = frame.select(sorted(frame.columns))
    frame = frame.with_columns(
        pl.col(name).cast(pl.List(pl.String)).list.join("|")
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.List)
    )
    frame = frame.sort(frame.columns, nulls_last=False) if frame.columns else frame
    return frame.write_csv().encode()


def fingerprint(*tables) -> str:
    """Return a 16-hex-digit SHA-256 fingerprint of tables' content (order-insensitive).

    Examples
    --------
    >>> import polars as pl
    >>> a = pl.DataFrame({"x": [1, 2], "y": ["p", "q"]})
    >>> fingerprint(a) == fingerprint(a.reverse().select("y", "x"))
    True
    """
    digest = hashlib.sha256()
    for table in tables:
        if table is not None:
            digest.update(_canonical_bytes(to_polars(table)))
            digest.update(b"\x00")
    return digest.hexdigest()[:16]


def _attribute_value(value):
    """Return a value GEXF/GraphML can store, or None to leave the attribute out."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | tuple):
        return "|".join(str(item) for item in value)
    return value


def _attributes(row: dict, skip: Iterable[str]) -> dict:
    skipped = set(skip)
    out = {}
    for name, value in row.items():
        if name in skipped:
            continue
        value = _attribute_value(value)
        if value is not None:
            out[name] = value
    return out


def _period_bounds(period: str) -> tuple[str, str]:
    """First and last day of a "2025-04" or "2025" period, as ISO strings."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}", period):
        year, month = int(period[:4]), int(period[5:])
        start = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return start.isoformat(), (following - dt.timedelta(days=1)).isoformat()
    if re.fullmatch(r"[0-9]{4}", period):
        return f"{period}-01-01", f"{period}-12-31"
    raise ValueError(f"edges: period {period!r} is neither 'YYYY-MM' nor 'YYYY'")


def _dates_as_dates(frame: pl.DataFrame) -> pl.DataFrame:
    """pandas has no date dtype: turn the datetimes of a round trip back into dates."""
    return frame.with_columns(
        pl.col(name).cast(pl.Date)
        for name in ("first", "last")
        if name in frame.columns and isinstance(frame.schema[name], pl.Datetime)
    )


def to_networkx(edges, nodes=None, *, weight="n_windows", corpus=None):
    """Build an undirected networkx graph from EDGES and NODES.

    Parameters
    ----------
    edges : polars or pandas DataFrame
        EDGES (``source``, ``target``, ``window`` and the weight column); other
        columns become edge attributes. With a ``period`` column (from
        ``cooccurrence(..., by=...)``) the graph is *dynamic*, see below.
    nodes : polars or pandas DataFrame, optional
        NODES; its columns become node attributes (``name`` is also the ``label``
        that Gephi shows). Every edge endpoint must have a row. Nodes without edges
        are not added.
    weight : str, default "n_windows"
        Edge column copied to each edge's ``weight`` attribute.
    corpus : str, optional
        Corpus fingerprint to record (e.g. from the build manifest). By default it
        is :func:`fingerprint` of the edges and nodes: the first 16 hex digits of the
        SHA-256 of their content as CSV with sorted columns and rows, so the same
        tables give the same fingerprint whatever their row order.

    Returns
    -------
    networkx.Graph
        Nodes and edges are inserted in sorted order. Dates become ISO strings and
        list values ``|``-joined strings, so GEXF and GraphML can store them; nulls
        are left out. ``G.graph`` holds ``window``, ``weight``, ``corpus`` and
        ``name``. A dynamic graph (edges with ``period``) has ``mode="dynamic"``,
        ``by`` and ``periods``; each edge holds ``spells`` (one ``(start, end)``
        date pair per period it occurs in), every numeric column as a list of
        ``(value, start, end)`` (GEXF dynamic attributes), ``first``/``last`` over
        all periods and ``weight`` = the sum over periods, which requires an
        additive weight (``n_windows`` or ``n_articles``). Nodes get the ``spells``
        of the periods in which they have an edge.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> mentions = pl.DataFrame({"article_id": ["a1", "a1"], "sentence": [0, 0],
    ...     "actor_id": ["KOR", "SYR"], "published": [dt.date(2025, 4, 10)] * 2})
    >>> G = to_networkx(cooccurrence(mentions))
    >>> G.edges["KOR", "SYR"]["weight"], G.edges["KOR", "SYR"]["first"], G.graph["window"]
    (1, '2025-04-10', 'sentence')
    """
    frame = _dates_as_dates(to_polars(edges))
    _require_columns(frame, ["source", "target", weight], "edges")
    node_frame = None if nodes is None else _dates_as_dates(to_polars(nodes))
    if node_frame is not None:
        _require_columns(node_frame, ["actor_id"], "nodes")
    dynamic = "period" in frame.columns
    key = ["source", "target", "period"] if dynamic else ["source", "target"]
    frame = frame.sort(key, nulls_last=False)
    if frame.select(key).is_duplicated().any():
        row = frame.filter(frame.select(key).is_duplicated()).row(0, named=True)
        raise ValueError(f"edges: pair {row['source']!r}-{row['target']!r} appears more than once")
    windows = (
        sorted(set(frame.get_column("window").drop_nulls().to_list()))
        if ("window" in frame.columns)
        else []
    )
    G = nx.Graph()
    G.graph["window"] = "|".join(windows)
    G.graph["weight"] = weight
    G.graph["corpus"] = corpus if corpus is not None else fingerprint(frame, node_frame)
    G.graph["name"] = (
        f"actor co-occurrence; window={G.graph['window']}; weight={weight}; "
        f"corpus={G.graph['corpus']}"
    )
    endpoints = sorted(
        set(frame.get_column("source").to_list()) | set(frame.get_column("target").to_list())
    )
    node_rows = {}
    if node_frame is not None:
        for row in node_frame.iter_rows(named=True):
            node_rows[row["actor_id"]] = row
        missing = [actor for actor in endpoints if actor not in node_rows]
        if missing:
            raise ValueError(f"nodes: no row for edge endpoints {missing[:5]}")
    for actor in endpoints:
        attrs = _attributes(node_rows.get(actor, {}), ["actor_id"])
        attrs.setdefault("label", attrs.get("name", actor))
        G.add_node(actor, **attrs)
    if not dynamic:
        for row in frame.iter_rows(named=True):
            attrs = _attributes(row, ["source", "target"])
            attrs["weight"] = row[weight]
            G.add_edge(row["source"], row["target"], **attrs)
        return G
    if weight not in ADDITIVE_COLUMNS:
        raise ValueError(
            f"weight {weight!r} does not add up over periods; use one of {ADDITIVE_COLUMNS} or "
            "build one graph per period"
        )
    if frame.get_column("period").null_count():
        raise ValueError("edges: 'period' has nulls (undated articles); filter them out first")
    periods = sorted(set(frame.get_column("period").to_list()))
    bounds = {period: _period_bounds(period) for period in periods}
    G.graph["mode"] = "dynamic"
    G.graph["timeformat"] = "date"
    G.graph["by"] = "month" if periods and len(periods[0]) == 7 else "year"
    G.graph["periods"] = "|".join(periods)
    numeric = [
        name
        for name, dtype in frame.schema.items()
        if dtype.is_numeric() and name not in ("source", "target")
    ]
    node_spells: dict[str, set[str]] = {actor: set() for actor in endpoints}
    for (source, target), group in frame.group_by(["source", "target"], maintain_order=True):
        rows = group.to_dicts()
        attrs = _attributes(rows[0], ["source", "target", "period", "first", "last", *numeric])
        spans = [bounds[row["period"]] for row in rows]
        attrs["spells"] = spans
        for name in numeric:
            values = [
                (_attribute_value(row[name]), *span)
                for row, span in zip(rows, spans, strict=True)
                if _attribute_value(row[name]) is not None
            ]
            if values:
                attrs[name] = values
        firsts = [row["first"] for row in rows if row.get("first") is not None]
        lasts = [row["last"] for row in rows if row.get("last") is not None]
        if firsts:
            attrs["first"] = min(firsts).isoformat()
        if lasts:
            attrs["last"] = max(lasts).isoformat()
        attrs["weight"] = sum(row[weight] for row in rows)
        G.add_edge(source, target, **attrs)
        for row in rows:
            node_spells[source].add(row["period"])
            node_spells[target].add(row["period"])
    for actor, spell_periods in node_spells.items():
        G.nodes[actor]["spells"] = [bounds[period] for period in sorted(spell_periods)]
    return G


# --------------------------------------------------------------------------- analysis


def _sorted_copy(G: nx.Graph) -> nx.Graph:
    """Same graph with nodes and edges inserted in sorted order (for determinism)."""
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes))
    H.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in G.edges(data=True)))
    return H


def _edge_weights(G: nx.Graph, weight: str | None) -> dict:
    weights = {}
    for u, v, data in G.edges(data=True):
        value = 1.0 if weight is None else data.get(weight, 1.0)
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
            raise ValueError(f"edge {u!r}-{v!r}: weight {weight!r} must be a positive number")
        weights[(u, v)] = float(value)
    return weights


def _power_iteration(nodes, edge_list, weights, kind: str, max_iter=10_000, tol=1e-12):
    """Eigenvector centrality or PageRank by power iteration on edge arrays (no scipy)."""
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    u = np.array([index[a] for a, _ in edge_list], dtype=np.int64)
    v = np.array([index[b] for _, b in edge_list], dtype=np.int64)
    src = np.concatenate([u, v])
    dst = np.concatenate([v, u])
    wgt = np.concatenate([weights, weights])
    x = np.full(n, 1.0 / n)
    if kind == "pagerank":
        strength = np.bincount(src, weights=wgt, minlength=n)
        dangling = strength == 0
        share = np.divide(wgt, strength[src], out=np.zeros_like(wgt), where=strength[src] > 0)
    for _ in range(max_iter):
        last = x
        if kind == "pagerank":
            x = (
                0.85
                * (np.bincount(dst, weights=x[src] * share, minlength=n) + x[dangling].sum() / n)
                + 0.15 / n
            )
        else:
            # (A + I) x, as networkx does, so bipartite graphs converge too
            x = x + np.bincount(dst, weights=x[src] * wgt, minlength=n)
            x = x / (np.linalg.norm(x) or 1.0)
        if np.abs(x - last).sum() < n * tol:
            break
    return x


def centrality(G, *, weight="weight", backend="polars"):
    """Return degree, weighted degree, betweenness, eigenvector and PageRank per actor.

    Parameters
    ----------
    G : networkx.Graph
        For example from :func:`to_networkx`.
    weight : str or None, default "weight"
        Edge attribute holding tie strength (positive). None treats every edge as 1.
    backend : {"polars", "pandas"}

    Returns
    -------
    polars or pandas DataFrame
        Sorted by ``actor_id``: ``degree`` (neighbours), ``weighted_degree`` (sum of
        weights), ``betweenness`` (normalised, shortest paths with distance
        1 / weight, so strong ties are short), ``eigenvector`` (unit length, by power
        iteration on A + I, the networkx method) and ``pagerank`` (damping 0.85,
        weighted, dangling mass spread evenly). All deterministic. Betweenness costs
        O(nodes × edges); sample graphs first when they have many thousands of nodes.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("KOR", "SYR", {"weight": 2}), ("RUS", "SYR", {"weight": 1})])
    >>> centrality(G).select("actor_id", "degree", "weighted_degree", "betweenness").rows()
    [('KOR', 1, 2.0, 0.0), ('RUS', 1, 1.0, 0.0), ('SYR', 2, 3.0, 1.0)]
    """
    check_backend(backend)
    H = _sorted_copy(G)
    nodes = list(H.nodes)
    schema = {
        "actor_id": pl.String,
        "degree": pl.Int64,
        "weighted_degree": pl.Float64,
        "betweenness": pl.Float64,
        "eigenvector": pl.Float64,
        "pagerank": pl.Float64,
    }
    if not nodes:
        return to_backend(pl.DataFrame(schema=schema), backend)
    weights = _edge_weights(H, weight)
    for (u, v), value in weights.items():
        H.edges[u, v]["_distance"] = 1.0 / value
    edge_list = list(weights)
    values = np.array(list(weights.values()), dtype=np.float64)
    betweenness = nx.betweenness_centrality(H, weight="_distance", normalized=True)
    eigenvector = _power_iteration(nodes, edge_list, values, "eigenvector")
    pagerank = _power_iteration(nodes, edge_list, values, "pagerank")
    strength = dict.fromkeys(nodes, 0.0)
    for (u, v), value in weights.items():
        strength[u] += value
        strength[v] += value
    table = pl.DataFrame(
        {
            "actor_id": nodes,
            "degree": [H.degree(node) for node in nodes],
            "weighted_degree": [strength[node] for node in nodes],
            "betweenness": [betweenness[node] for node in nodes],
            "eigenvector": eigenvector,
            "pagerank": pagerank,
        },
        schema=schema,
    )
    return to_backend(table, backend)


def communities(G, *, seed=0, method="louvain", weight="weight", resolution=1.0, backend="polars"):
    """Partition actors into communities; the same graph and seed give the same table.

    Parameters
    ----------
    G : networkx.Graph
    seed : int, default 0
        Seed for Louvain's random node order.
    method : {"louvain", "greedy"}
        ``"louvain"``: :func:`networkx.community.louvain_communities`;
        ``"greedy"``: Clauset-Newman-Moore greedy modularity (no randomness).
        (Leiden is not offered: networkx only dispatches it to optional backends.)
    weight : str or None, default "weight"
    resolution : float, default 1.0
        Modularity resolution; above 1 gives smaller communities.
    backend : {"polars", "pandas"}

    Returns
    -------
    polars or pandas DataFrame
        ``actor_id``, ``community``, ``size`` sorted by ``actor_id``. Communities are
        numbered 0, 1, ... by decreasing size, ties broken by their smallest actor id.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> communities(G).rows()
    [('a', 0, 3), ('b', 0, 3), ('c', 0, 3), ('x', 1, 2), ('y', 1, 2)]
    """
    check_backend(backend)
    if method not in COMMUNITY_METHODS:
        raise ValueError(f"method must be one of {COMMUNITY_METHODS}, got {method!r}")
    H = _sorted_copy(G)
    schema = {"actor_id": pl.String, "community": pl.Int64, "size": pl.Int64}
    if H.number_of_nodes() == 0:
        return to_backend(pl.DataFrame(schema=schema), backend)
    if weight is not None:
        _edge_weights(H, weight)
    if method == "louvain":
        found = nx.community.louvain_communities(H, weight=weight, resolution=resolution, seed=seed)
    else:
        found = nx.community.greedy_modularity_communities(H, weight=weight, resolution=resolution)
    ordered = sorted((sorted(group) for group in found), key=lambda group: (-len(group), group[0]))
    rows = [(actor, number, len(group)) for number, group in enumerate(ordered) for actor in group]
    table = pl.DataFrame(rows, schema=schema, orient="row").sort("actor_id")
    return to_backend(table, backend)


def backbone(edges, *, alpha=0.05, weight="n_windows"):
    """Keep the statistically significant edges: the disparity filter.

    Serrano, Boguñá and Vespignani (2009), "Extracting the multiscale backbone of
    complex weighted networks", PNAS 106(16). For an edge (i, j) and its endpoint i
    with degree k_i and strength s_i (sum of weights), p_ij = w_ij / s_i and the
    edge's p-value at i is ``(1 - p_ij) ** (k_i - 1)``: the chance that a uniform
    random split of s_i over k_i edges gives this edge a share at least p_ij. At a
    degree-1 endpoint the p-value is 1 (no evidence from that side). The edge's
    ``alpha`` column is the smaller of its two p-values, and the edge is kept when
    ``alpha < alpha`` (significant for either endpoint). With a ``period`` column
    the filter runs within each period.

    Parameters
    ----------
    edges : polars or pandas DataFrame
        EDGES.
    alpha : float, default 0.05
        Significance level, in (0, 1].
    weight : str, default "n_windows"
        Positive edge column.

    Returns
    -------
    polars or pandas DataFrame
        The kept edges with an added ``alpha`` (p-value) column, in input order.

    Examples
    --------
    >>> import polars as pl
    >>> edges = pl.DataFrame({"source": ["a", "a", "a", "b"], "target": ["b", "c", "d", "c"],
    ...                       "n_windows": [50, 1, 1, 1]})
    >>> backbone(edges, alpha=0.05).select("source", "target", "alpha").rows()
    [('a', 'b', 0.00147...)]
    """
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha <= 1:
        raise ValueError(f"alpha must be a number in (0, 1], got {alpha!r}")
    frame = to_polars(edges)
    _require_columns(frame, ["source", "target", weight], "edges")
    if not frame.schema[weight].is_numeric():
        raise ValueError(f"edges: weight column {weight!r} must be numeric")
    bad = frame.filter(pl.col(weight).is_null() | (pl.col(weight) <= 0) | pl.col(weight).is_nan())
    if bad.height:
        row = bad.row(0, named=True)
        raise ValueError(
            f"edges: weight {weight!r} must be positive, got {row[weight]!r} for "
            f"{row['source']!r}-{row['target']!r}"
        )
    group = ["period"] if "period" in frame.columns else []
    ends = pl.concat(
        [
            frame.select(*group, node=pl.col(end), w=pl.col(weight).cast(pl.Float64))
            for end in ("source", "target")
        ]
    )
    strength = ends.group_by(*group, "node").agg(s=pl.col("w").sum(), k=pl.len())

    def p_value(end: str) -> pl.Expr:
        share = pl.col(weight).cast(pl.Float64) / pl.col(f"s_{end}")
        return (
            pl.when(pl.col(f"k_{end}") > 1)
            .then((1.0 - share).clip(0.0, 1.0).pow(pl.col(f"k_{end}") - 1))
            .otherwise(1.0)
        )

    kept = (
        frame.with_row_index("_row")
        .join(
            strength.rename({"node": "source", "s": "s_source", "k": "k_source"}),
            on=[*group, "source"],
            how="left",
        )
        .join(
            strength.rename({"node": "target", "s": "s_target", "k": "k_target"}),
            on=[*group, "target"],
            how="left",
        )
        .with_columns(alpha=pl.min_horizontal(p_value("source"), p_value("target")))
        .filter(pl.col("alpha") < alpha)
        .sort("_row")
        .select(*frame.columns, "alpha")
    )
    return like_input(kept, edges)


def filter_edges(
    edges, *, min_weight=None, weight="n_windows", kinds=None, actors=None, nodes=None
):
    """Keep edges by weight, by the kind of both actors, or among given actors.

    Parameters
    ----------
    edges : polars or pandas DataFrame
        EDGES.
    min_weight : number, optional
        Keep edges whose ``weight`` column is at least this.
    weight : str, default "n_windows"
    kinds : str or list of str, optional
        Keep edges whose two actors are both of these kinds (``state``, ``person``,
        ``organization``, ``armed_group``, ``media``, ``place``). Kinds come from
        ``nodes`` when given (NODES or ACTORS), otherwise from the actor id
        (``KOR`` is a state, ``person:...`` a person, ``org:`` an organization,
        ``group:`` an armed group, ``media:``, ``place:``).
    actors : str or list of str, optional
        Keep edges whose two actors are both in this list (the induced subgraph).
    nodes : polars or pandas DataFrame, optional
        Table with ``actor_id`` and ``kind``.

    Returns
    -------
    polars or pandas DataFrame
        The kept rows, in input order.

    Examples
    --------
    >>> import polars as pl
    >>> edges = pl.DataFrame({"source": ["KOR", "KOR"], "target": ["SYR", "person:lee"],
    ...                       "n_windows": [3, 1]})
    >>> filter_edges(edges, kinds="state").rows()
    [('KOR', 'SYR', 3)]
    >>> filter_edges(edges, min_weight=2).height
    1
    """
    frame = to_polars(edges)
    _require_columns(frame, ["source", "target"], "edges")
    condition = pl.lit(True)
    if min_weight is not None:
        _require_columns(frame, [weight], "edges")
        if isinstance(min_weight, bool) or not isinstance(min_weight, numbers.Real):
            raise ValueError(f"min_weight must be a number, got {min_weight!r}")
        condition = condition & (pl.col(weight) >= min_weight)
    if kinds is not None:
        chosen = (kinds,) if isinstance(kinds, str) else tuple(kinds)
        for kind in chosen:
            if kind not in ACTOR_KINDS:
                raise ValueError(f"kinds: unknown kind {kind!r}; expected one of {ACTOR_KINDS}")
        ids = sorted(
            set(frame.get_column("source").to_list()) | set(frame.get_column("target").to_list())
        )
        if nodes is not None:
            node_frame = to_polars(nodes)
            _require_columns(node_frame, ["actor_id", "kind"], "nodes")
            known = dict(node_frame.select("actor_id", "kind").iter_rows())
        else:
            known = {actor: actor_kind(actor) for actor in ids}
        unknown = [actor for actor in ids if known.get(actor) is None]
        if unknown:
            raise ValueError(
                f"kinds: no kind for actor {unknown[0]!r}; pass nodes= with a 'kind' column"
            )
        keep = [actor for actor in ids if known[actor] in chosen]
        condition = condition & pl.col("source").is_in(keep) & pl.col("target").is_in(keep)
    if actors is not None:
        chosen_actors = [actors] if isinstance(actors, str) else list(actors)
        condition = (
            condition
            & pl.col("source").is_in(chosen_actors)
            & pl.col("target").is_in(chosen_actors)
        )
    return like_input(frame.filter(condition), edges)


# --------------------------------------------------------------------------- evidence


def _window_keys(frame: pl.DataFrame, window_label: str, k: int | None) -> pl.DataFrame:
    """Add a ``_window`` struct column naming each mention's window(s); k explodes rows."""
    if window_label == "article":
        return frame.with_columns(_window=pl.struct("article_id"))
    if window_label == "paragraph":
        return frame.with_columns(_window=pl.struct("article_id", "section", "paragraph"))
    if k is None:
        return frame.with_columns(_window=pl.struct("article_id", "sentence"))
    return (
        frame.with_columns(
            _lo=pl.max_horizontal(pl.col("_first"), pl.col("sentence") - k + 1),
            _hi=pl.min_horizontal(
                pl.col("sentence"), pl.max_horizontal(pl.col("_first"), pl.col("_last") - k + 1)
            ),
        )
        .with_columns(_start=pl.int_ranges("_lo", pl.col("_hi") + 1))
        .explode("_start")
        .with_columns(_window=pl.struct("article_id", "_start"))
    )


def edge_evidence(mentions, sentences, source, target, *, window="sentence", sections=None):
    """Return the sentences behind one edge: where the two actors co-occur.

    Parameters
    ----------
    mentions : polars or pandas DataFrame
        MENTIONS (as given to :func:`cooccurrence`, plus ``sentence_id`` and
        ``surface``).
    sentences : polars or pandas DataFrame
        SENTENCES (``sentence_id``, ``text``).
    source, target : str
        The two actor ids, in either order.
    window, sections
        As in :func:`cooccurrence`; use the values the edge was built with.

    Returns
    -------
    polars or pandas DataFrame
        One row per sentence that lies in a window containing both actors and
        mentions at least one of them: ``article_id``, ``sentence_id``, ``section``,
        ``paragraph``, ``sentence``, ``published``, ``text``, ``actors`` and
        ``surfaces`` (which of the two are mentioned there, and how), sorted by
        article and position. With ``window="sentence"`` there is one row per
        window counted in the edge's ``n_windows``.

    Examples
    --------
    >>> import polars as pl
    >>> mentions = pl.DataFrame({"article_id": ["a1"] * 3, "sentence_id": ["a1-s00000"] * 2
    ...     + ["a1-s00001"], "section": ["title"] * 2 + ["body"], "paragraph": [0, 0, 0],
    ...     "sentence": [0, 0, 1], "published": [None] * 3, "actor_id": ["SYR", "KOR", "KOR"],
    ...     "surface": ["Syria", "South Korea", "Seoul"]})
    >>> sentences = pl.DataFrame({"sentence_id": ["a1-s00000", "a1-s00001"],
    ...     "text": ["Syria and South Korea establish ties", "Seoul welcomed it."]})
    >>> edge_evidence(mentions, sentences, "SYR", "KOR").select("sentence_id", "actors").rows()
    [('a1-s00000', ['KOR', 'SYR'])]
    """
    window_label, k = _parse_window(window)
    chosen = _parse_sections(sections)
    frame = to_polars(mentions)
    needed = ["article_id", "sentence_id", "section", "paragraph", "sentence", "published"]
    _require_columns(frame, [*needed, "actor_id", "surface"], "mentions")
    text = to_polars(sentences)
    _require_columns(text, ["sentence_id", "text"], "sentences")
    if chosen is not None:
        frame = frame.filter(pl.col("section").is_in(list(chosen)))
    pair = sorted({source, target})
    if len(pair) != 2:
        raise ValueError(f"source and target must differ, got {source!r} twice")
    if k is not None:
        # window extents come from every actor's mentions, as in cooccurrence
        extents = frame.group_by("article_id").agg(
            _first=pl.col("sentence").min(), _last=pl.col("sentence").max()
        )
        frame = frame.join(extents, on="article_id", how="left")
    selected = _window_keys(frame.filter(pl.col("actor_id").is_in(pair)), window_label, k)
    shared = (
        selected.group_by("_window")
        .agg(pl.col("actor_id").n_unique().alias("_n"))
        .filter(pl.col("_n") == 2)
        .select("_window")
    )
    evidence = (
        selected.join(shared, on="_window", how="semi")
        .unique(
            ["sentence_id", "actor_id", "surface", "start"]
            if "start" in selected.columns
            else ["sentence_id", "actor_id", "surface"]
        )
        .sort("sentence_id", "actor_id", "surface")
        .group_by(needed, maintain_order=True)
        .agg(actors=pl.col("actor_id").unique().sort(), surfaces=pl.col("surface"))
    )
    missing = evidence.join(text, on="sentence_id", how="anti")
    if missing.height:
        raise ValueError(f"sentences: no row for sentence_id {missing.item(0, 'sentence_id')!r}")
    result = (
        evidence.join(text.select("sentence_id", "text"), on="sentence_id", how="left")
        .select(*needed, "text", "actors", "surfaces")
        .sort("article_id", "sentence")
    )
    return like_input(result, mentions)


# --------------------------------------------------------------------------- export

GRAPH_FORMATS = ("gexf", "graphml", "csv")


def _graph_format(path: Path, format: str | None) -> str:
    if format is not None:
        if format not in GRAPH_FORMATS:
            raise ValueError(f"format must be one of {GRAPH_FORMATS}, got {format!r}")
        return format
    suffix = path.suffix.lower().lstrip(".")
    if suffix in GRAPH_FORMATS:
        return suffix
    if suffix == "" or path.is_dir():
        return "csv"
    raise ValueError(f"cannot tell the graph format from {str(path)!r}; use .gexf, .graphml, .csv")


def _static_attributes(data: dict, by_start: dict[str, str]) -> dict:
    """Flatten dynamic values into one attribute per period ("n_windows@2025-04")."""
    out = {}
    for name, value in data.items():
        if name == "spells":
            continue
        if isinstance(value, list):
            for item, start, _end in value:
                out[f"{name}@{by_start[start]}"] = item
        else:
            out[name] = value
    return out


def _period_starts(G: nx.Graph) -> dict[str, str]:
    periods = [period for period in G.graph.get("periods", "").split("|") if period]
    return {_period_bounds(period)[0]: period for period in periods}


def write_graph(G, path, *, format=None):
    """Write a graph to GEXF, GraphML or CSV node and edge lists; return the paths written.

    Parameters
    ----------
    G : networkx.Graph
        From :func:`to_networkx`.
    path : str or Path
        ``*.gexf``, ``*.graphml``, or for CSV either ``name.csv`` (writes
        ``name.edges.csv`` and ``name.nodes.csv``) or a directory (writes
        ``edges.csv`` and ``nodes.csv`` in it).
    format : {"gexf", "graphml", "csv"}, optional
        Overrides the suffix.

    Notes
    -----
    GEXF keeps dynamic graphs dynamic (spells and per-period attribute values, for
    Gephi's timeline); its ``lastmodifieddate`` is left out so that the same graph
    always gives the same bytes. GraphML has no time: per-period values become
    attributes such as ``n_windows@2025-04``. CSV edge lists have ``source``,
    ``target``, ``weight`` first and, for dynamic graphs, one row per edge and
    period; node lists start with ``id`` and ``label`` (the columns Gephi and
    Cytoscape look for).

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> G = nx.Graph([("KOR", "SYR", {"weight": 2})])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_graph(G, f"{folder}/net.csv")]
    ['net.edges.csv', 'net.nodes.csv']
    """
    from xml.etree.ElementTree import SubElement

    path = Path(path)
    chosen = _graph_format(path, format)
    H = nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from(sorted(G.nodes(data=True)))
    H.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in G.edges(data=True)))
    starts = _period_starts(H)
    if chosen == "gexf":
        writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True)
        writer.add_graph(H)
        meta = writer.xml.find("meta")
        meta.attrib.pop("lastmodifieddate", None)
        SubElement(meta, "description").text = H.graph.get("name", "")
        with path.open("wb") as handle:
            writer.write(handle)
        return [path]
    if chosen == "graphml":
        S = nx.Graph()
        S.graph.update({key: str(value) for key, value in H.graph.items()})
        S.add_nodes_from((n, _static_attributes(d, starts)) for n, d in H.nodes(data=True))
        S.add_edges_from((u, v, _static_attributes(d, starts)) for u, v, d in H.edges(data=True))
        nx.write_graphml(S, path, encoding="utf-8", prettyprint=True)
        return [path]
    if path.suffix.lower() == ".csv":
        edge_path = path.with_name(f"{path.stem}.edges.csv")
        node_path = path.with_name(f"{path.stem}.nodes.csv")
    else:
        path.mkdir(parents=True, exist_ok=True)
        edge_path, node_path = path / "edges.csv", path / "nodes.csv"
    node_rows = [
        {"id": n, "label": d.get("label", n)}
        | {key: value for key, value in d.items() if key not in ("label", "spells")}
        for n, d in H.nodes(data=True)
    ]
    edge_rows = []
    for u, v, d in H.edges(data=True):
        static = {key: value for key, value in d.items() if not isinstance(value, list)}
        dynamic = {key: value for key, value in d.items() if isinstance(value, list)}
        base = {"source": u, "target": v, "weight": d.get("weight")} | static
        if not dynamic:
            edge_rows.append(base)
            continue
        per_period: dict[str, dict] = {}
        for name, values in dynamic.items():
            if name == "spells":
                continue
            for value, start, _end in values:
                per_period.setdefault(starts[start], {})[name] = value
        for period in sorted(per_period):
            edge_rows.append(
                {"source": u, "target": v, "period": period}
                | {key: value for key, value in static.items() if key != "weight"}
                | per_period[period]
            )
    _rows_frame(edge_rows, ["source", "target"]).write_csv(edge_path)
    _rows_frame(node_rows, ["id", "label"]).write_csv(node_path)
    return [edge_path, node_path]


def _rows_frame(rows: list[dict], leading: list[str]) -> pl.DataFrame:
    columns = list(leading)
    for row in rows:
        columns += [name for name in row if name not in columns]
    if not rows:
        return pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    return pl.DataFrame(
        [{name: row.get(name) for name in columns} for row in rows],
        infer_schema_length=None,
    )
