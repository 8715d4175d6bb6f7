"""Conversion between the two table libraries users bring: polars and pandas.

Every public function does its work in polars. It converts its input with
:func:`to_polars` and converts the result back with :func:`like_input`, so a
pandas user gets pandas back and a polars user gets polars.
"""

from __future__ import annotations

import polars as pl

BACKENDS = ("polars", "pandas")


def is_pandas(table) -> bool:
    """Return True when ``table`` is a pandas DataFrame (without importing pandas)."""
    return type(table).__module__.startswith("pandas")


def to_polars(table) -> pl.DataFrame:
    """Return ``table`` as a polars DataFrame; polars input is returned unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> to_polars(pd.DataFrame({"a": [1]})).columns
    ['a']
    """
    if isinstance(table, pl.DataFrame):
        return table
    if isinstance(table, pl.LazyFrame):
        return table.collect()
    if is_pandas(table):
        return pl.from_pandas(table)
    kind = f"{type(table).__module__}.{type(table).__name__}"
    raise TypeError(f"expected a polars or pandas DataFrame, got {kind}")


def to_backend(table: pl.DataFrame, backend: str):
    """Return a polars table converted to ``backend`` ("polars" or "pandas")."""
    check_backend(backend)
    return table.to_pandas() if backend == "pandas" else table


def like_input(result: pl.DataFrame, *inputs):
    """Return ``result`` in the library of the first DataFrame among ``inputs``.

    Examples
    --------
    >>> import pandas as pd
    >>> type(like_input(pl.DataFrame({"a": [1]}), pd.DataFrame())).__name__
    'DataFrame'
    >>> like_input(pl.DataFrame({"a": [1]}), None).shape
    (1, 1)
    """
    for table in inputs:
        if table is None:
            continue
        return result.to_pandas() if is_pandas(table) else result
    return result


def check_backend(backend: str) -> None:
    """Raise a ValueError naming the bad value unless ``backend`` is known."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
