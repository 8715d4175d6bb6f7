"""Shipped, sourced reference events: UN admissions and South Korea's diplomatic relations.

Two package data files back this module:

``data/reference_events.csv``
    One row per event, every row with a ``source`` (a URL or a publication). Columns:
    ``event_id, kind, a, b, date, precision, cameo, evidence, source, note``. The loader
    adds the remaining EVENTS columns: ``origin`` (always ``"reference"``) and null
    ``article_id`` / ``sentence_id``. Two families of rows are shipped:

    * ``kind="un_admission"``, ``a=<ISO3>``, ``b="org:un"``: the date the UN lists for
      each of its 193 members. Successor states carry their predecessor's seat and date
      where the UN says so (Russia: the USSR seat, 1945-10-24; Yemen: 1947-09-30); states
      formed by dissolution carry their own admission date (Czechia and Slovakia
      1993-01-19; Serbia 2000-11-01, admitted as the Federal Republic of Yugoslavia).
    * relation events of South Korea (``KOR``) with every other UN member except North
      Korea: ``establish_relations``, ``sever_relations``, ``suspend_relations`` and
      ``restore_relations``.

``data/dyad_notes.csv``
    Pairs whose relationship is not a diplomatic one between two states, with the reason
    and a source: ``focal, counterpart, status, reason, source``. The two Koreas are the
    shipped case (``status="not_applicable"``).

Conventions
-----------
Sources and the ``note`` column
    ``source`` is the page the row was checked against (Korean and English news
    reports, ministry and embassy releases, encyclopedia pages) and ``evidence``
    says what that page states. A ``note`` starting with ``"unverified:"`` marks a
    row whose date was *not* checked against a retrieved copy of its source when the
    file was compiled (the date was taken from the dated table of the cited page
    from memory); such rows need checking before they are relied on at day level.
    ``scripts/check_reference.py`` lists them. Other notes record successor-state
    continuity and disagreements between sources.

Pairs
    For relation kinds the pair is unordered and stored with ``a < b`` (``AFG``/``KOR``,
    ``KOR``/``SYR``). ``event_id`` is ``f"ref-{a}-{b}-{kind}-{date}"``, so it is stable
    and unique as long as a pair has at most one event of a kind on a date.

Date precision
    ``precision`` is ``day``, ``month`` or ``year``. A date known only to the month or to
    the year is stored as the **first day of that period**: "March 1962" is stored as
    ``1962-03-01`` with ``precision="month"``, "1962" as ``1962-01-01`` with
    ``precision="year"``. The stored date is therefore the *earliest* day on which the
    event can have happened, not the day it happened. A relation established "in 1962"
    is **not** taken as active on 1962-01-01: on any day inside 1962 the relation may or
    may not exist yet, so status logic treats the dyad as uncertain until the period has
    ended: :func:`toolkit.relations.relation_status` counts the change from the end of the
    period's last day (a status "as of 1962-12-31" already includes it, one as of any
    earlier day in 1962 is marked ``uncertain``). :func:`event_period` returns the first
    and last day of the period so that callers fold events consistently.

CAMEO codes
    CAMEO (Conflict and Mediation Event Observations, codebook version 0.7b5, Schrodt
    et al.; code list as published in ``openeventdata/text_to_CAMEO``,
    ``CAMEO_codefile.txt``) has no code of its own for establishing or restoring
    relations. The codes used here:

    * ``establish_relations`` -> ``054`` "Grant diplomatic recognition" (the CAMEO event
      closest to opening relations).
    * ``sever_relations`` and ``suspend_relations`` -> ``161`` "Reduce or break
      diplomatic relations".
    * ``restore_relations`` -> null. CAMEO lumps restoration with generic cooperation
      (``05``) or recognition (``054``) depending on the coder; rather than pick one, the
      code is left empty so that no one mistakes it for a coded distinction.
    * ``un_admission`` -> null (not a dyadic interaction between states).

Examples
--------
>>> import polars as pl
>>> events = load_reference_events()
>>> events.filter(pl.col("kind") == "un_admission").height
193
>>> syria = events.filter((pl.col("a") == "KOR") & (pl.col("b") == "SYR"))
>>> syria.select("kind", "date", "precision").row(0)
('establish_relations', datetime.date(2025, 4, 10), 'day')
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re
from importlib import resources
from pathlib import Path

import polars as pl

from toolkit._backend import check_backend, to_backend
from toolkit.contracts import EVENT_KINDS, PRECISIONS, RELATION_KINDS, STATUSES, validate

__all__ = [
    "CAMEO_CODES",
    "RELATION_KINDS",
    "ReferenceDataError",
    "event_period",
    "load_dyad_notes",
    "load_reference_events",
]


#: CAMEO code per relation kind as used in the shipped file (None: no code; see module doc).
CAMEO_CODES: dict[str, str | None] = {
    "establish_relations": "054",
    "restore_relations": None,
    "sever_relations": "161",
    "suspend_relations": "161",
    "un_admission": None,
}

EVENT_FILE_COLUMNS = (
    "event_id",
    "kind",
    "a",
    "b",
    "date",
    "precision",
    "cameo",
    "evidence",
    "source",
    "note",
)
NOTE_FILE_COLUMNS = ("focal", "counterpart", "status", "reason", "source")

_EVENT_COLUMN_ORDER = (
    "event_id",
    "kind",
    "a",
    "b",
    "date",
    "precision",
    "origin",
    "article_id",
    "sentence_id",
    "evidence",
    "cameo",
    "source",
    "note",
)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CAMEO = re.compile(r"^\d{2,4}$")

# Parsed files keyed by (path, mtime_ns, size): an edited file is read again.
_CACHE: dict[tuple[str, str, int, int], pl.DataFrame] = {}


class ReferenceDataError(ValueError):
    """A reference file is malformed; the message names the file and the line."""


def event_period(date: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the period a dated event may fall in.

    A ``day`` date is its own period; a ``month`` or ``year`` date (stored as the
    first day of the period) spans to the last day of that month or year.

    Examples
    --------
    >>> import datetime as dt
    >>> event_period(dt.date(1962, 1, 1), "year")
    (datetime.date(1962, 1, 1), datetime.date(1962, 12, 31))
    >>> event_period(dt.date(2024, 2, 1), "month")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> event_period(dt.date(2025, 4, 10), "day")
    (datetime.date(2025, 4, 10), datetime.date(2025, 4, 10))
    """
    if precision == "day":
        return date, date
    if precision == "month":
        last = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=1), date.replace(day=last)
    if precision == "year":
        return date.replace(month=1, day=1), date.replace(month=12, day=31)
    raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")


def load_reference_events(*, backend: str = "polars", path: str | Path | None = None):
    """Return the sourced reference events as an EVENTS table.

    Parameters
    ----------
    backend : {"polars", "pandas"}
        Library of the returned table.
    path : str or Path, optional
        A CSV file in the shipped format (see the module docstring) to load instead of
        the shipped ``toolkit/data/reference_events.csv``.

    Returns
    -------
    DataFrame
        EVENTS (``origin="reference"``, null ``article_id``/``sentence_id``) plus the
        columns ``source`` and ``note``, sorted by ``event_id``.

    Raises
    ------
    ReferenceDataError
        Naming the file and line of a malformed row: missing columns, a date that is not
        ISO or does not fit its precision (a ``month`` date must be the 1st, a ``year``
        date January 1st), an unknown kind or precision, ``a >= b`` for a relation
        kind, ``b != "org:un"`` for a UN admission, an empty ``source``, a CAMEO code
        that is not 2-4 digits, an ``event_id`` that does not match its row, or a
        repeated ``event_id``.

    Examples
    --------
    >>> events = load_reference_events()
    >>> events.columns[:6]
    ['event_id', 'kind', 'a', 'b', 'date', 'precision']
    >>> events.filter(pl.col("event_id") == "ref-KOR-org:un-un_admission-1991-09-17").height
    1
    >>> type(load_reference_events(backend="pandas")).__name__
    'DataFrame'
    """
    check_backend(backend)
    file = _resolve(path, "reference_events.csv")
    table = _cached(file, "events", _parse_events)
    return to_backend(table, backend)


def load_dyad_notes(*, backend: str = "polars", path: str | Path | None = None):
    """Return the shipped notes on pairs that are not ordinary diplomatic dyads.

    Parameters
    ----------
    backend : {"polars", "pandas"}
        Library of the returned table.
    path : str or Path, optional
        A CSV file with the columns ``focal, counterpart, status, reason, source`` to
        load instead of the shipped ``toolkit/data/dyad_notes.csv``.

    Returns
    -------
    DataFrame
        Columns ``focal``, ``counterpart``, ``status`` (a STATUS vocabulary value),
        ``reason``, ``source``; sorted by focal and counterpart.

    Raises
    ------
    ReferenceDataError
        Naming the file and line of a row with a missing value, an unknown status, a
        pair of a state with itself, or a repeated (focal, counterpart) pair.

    Examples
    --------
    >>> notes = load_dyad_notes()
    >>> notes.filter(pl.col("counterpart") == "PRK").select("focal", "status").row(0)
    ('KOR', 'not_applicable')
    """
    check_backend(backend)
    file = _resolve(path, "dyad_notes.csv")
    table = _cached(file, "notes", _parse_notes)
    return to_backend(table, backend)


def _resolve(path: str | Path | None, name: str):
    if path is None:
        return resources.files("toolkit") / "data" / name
    return Path(path)


def _cached(file, what: str, parse) -> pl.DataFrame:
    # Shipped data may sit inside a zip; Path() works for the normal installed layout.
    real = Path(str(file))
    try:
        stat = real.stat()
    except FileNotFoundError:
        raise FileNotFoundError(f"reference file not found: {real}") from None
    key = (what, str(real.resolve()), stat.st_mtime_ns, stat.st_size)
    table = _CACHE.get(key)
    if table is None:
        table = parse(real)
        _CACHE[key] = table
    return table


def _read_rows(file: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Read a UTF-8 CSV; return (line number, row) pairs; check the header."""
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ReferenceDataError(f"{file}: not valid UTF-8 ({error})") from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [column for column in required if column not in header]
    if missing:
        raise ReferenceDataError(f"{file}, line 1: missing columns {', '.join(missing)}")
    rows = []
    for row in reader:
        line = reader.line_num
        if None in row:
            raise ReferenceDataError(f"{file}, line {line}: more fields than the header has")
        if any(value is None for value in row.values()):
            raise ReferenceDataError(f"{file}, line {line}: fewer fields than the header has")
        rows.append((line, {key: value.strip() for key, value in row.items()}))
    return rows


def _parse_date(value: str, precision: str, where: str) -> dt.date:
    if not _ISO_DATE.match(value):
        raise ReferenceDataError(f"{where}: date {value!r} is not YYYY-MM-DD")
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise ReferenceDataError(f"{where}: date {value!r} is not a calendar date") from None
    if precision == "month" and date.day != 1:
        raise ReferenceDataError(
            f"{where}: date {value!r} has precision 'month' but is not the 1st of the month"
        )
    if precision == "year" and (date.month, date.day) != (1, 1):
        raise ReferenceDataError(
            f"{where}: date {value!r} has precision 'year' but is not January 1st"
        )
    return date


def _parse_events(file: Path) -> pl.DataFrame:
    rows = _read_rows(file, EVENT_FILE_COLUMNS)
    records = []
    seen: dict[str, int] = {}
    for line, row in rows:
        where = f"{file}, line {line}"
        kind, a, b, precision = row["kind"], row["a"], row["b"], row["precision"]
        if kind not in EVENT_KINDS:
            raise ReferenceDataError(f"{where}: unknown kind {kind!r}")
        if precision not in PRECISIONS:
            raise ReferenceDataError(f"{where}: precision must be one of {PRECISIONS}")
        if not a or not b:
            raise ReferenceDataError(f"{where}: both 'a' and 'b' are required")
        if kind in RELATION_KINDS and not a < b:
            raise ReferenceDataError(
                f"{where}: relation pair must be stored with a < b, got a={a!r}, b={b!r}"
            )
        if kind == "un_admission" and b != "org:un":
            raise ReferenceDataError(f"{where}: un_admission needs b='org:un', got {b!r}")
        date = _parse_date(row["date"], precision, where)
        if not row["source"]:
            raise ReferenceDataError(f"{where}: every row needs a source")
        cameo = row["cameo"] or None
        if cameo is not None and not _CAMEO.match(cameo):
            raise ReferenceDataError(f"{where}: CAMEO code {cameo!r} is not 2-4 digits")
        expected = f"ref-{a}-{b}-{kind}-{date.isoformat()}"
        if row["event_id"] != expected:
            raise ReferenceDataError(
                f"{where}: event_id {row['event_id']!r} does not match its row ({expected!r})"
            )
        if expected in seen:
            raise ReferenceDataError(
                f"{where}: event_id {expected!r} repeats line {seen[expected]}"
            )
        seen[expected] = line
        records.append(
            {
                "event_id": expected,
                "kind": kind,
                "a": a,
                "b": b,
                "date": date,
                "precision": precision,
                "origin": "reference",
                "article_id": None,
                "sentence_id": None,
                "evidence": row["evidence"] or None,
                "cameo": cameo,
                "source": row["source"],
                "note": row["note"] or None,
            }
        )
    schema = {
        column: (pl.Date if column == "date" else pl.String) for column in _EVENT_COLUMN_ORDER
    }
    table = pl.DataFrame(records, schema=schema)
    table = table.sort("event_id")
    return validate(table, "EVENTS")


def _parse_notes(file: Path) -> pl.DataFrame:
    rows = _read_rows(file, NOTE_FILE_COLUMNS)
    records = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        where = f"{file}, line {line}"
        empty = [column for column in NOTE_FILE_COLUMNS if not row[column]]
        if empty:
            raise ReferenceDataError(f"{where}: empty {', '.join(empty)}")
        if row["status"] not in STATUSES:
            raise ReferenceDataError(f"{where}: status {row['status']!r} is not one of {STATUSES}")
        pair = (row["focal"], row["counterpart"])
        if pair[0] == pair[1]:
            raise ReferenceDataError(f"{where}: focal and counterpart are the same state")
        if pair in seen:
            raise ReferenceDataError(f"{where}: pair {pair} repeats line {seen[pair]}")
        seen[pair] = line
        records.append({column: row[column] for column in NOTE_FILE_COLUMNS})
    schema = dict.fromkeys(NOTE_FILE_COLUMNS, pl.String)
    return pl.DataFrame(records, schema=schema).sort("focal", "counterpart")
