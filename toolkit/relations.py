"""Relation status: which states had diplomatic ties with a focal state on a date.

Three functions turn relation EVENTS (the shipped reference table and/or the
events a corpus reports) into tables an analyst can read:

* :func:`relation_status` -- STATUS: one row per state of a universe (by default
  every UN member on ``as_of``) with its status towards the focal state.
* :func:`relation_history` -- every relation event of one pair, in the order it
  is folded, with the status after it.
* :func:`ties_over_time` -- how many UN members had each status at each step of a
  date range (the table behind the "ties over time" chart).

Rules
-----
Relation kinds
    Only ``establish_relations``, ``restore_relations``, ``sever_relations``,
    ``suspend_relations``, ``upgrade_relations`` and ``downgrade_relations``
    count; other kinds (``visit``, ``meet``, ...) are ignored. A pair is
    unordered (``a``/``b`` may come in either order). Establish and restore set
    ``ties``; sever sets ``severed``; suspend sets ``suspended``. Upgrade and
    downgrade say that ties exist: they keep ``ties`` as it is and set ``ties``
    otherwise. An event that does not change the status (a second "establish"
    while ties hold) does not move ``since``.
Partial dates
    A ``month`` or ``year`` event is stored on the first day of its period and
    means "some day in that period". An event counts once its whole period lies
    on or before ``as_of`` (``as_of`` is read as the end of that day): a relation
    established "in 1962" counts from 1962-12-31, one established "in March
    1962" from 1962-03-31, one established on 1962-03-05 from that day. While
    ``as_of`` lies inside the period (from 1962-01-01 to 1962-12-30 here) the
    event is left out, the row gets ``uncertain=True`` and its ``evidence``
    names the pending event. Events that count are folded even when an event
    earlier in fold order is still pending (a sever dated 1970-06-05 counts on
    1970-07-01 although an establishment dated only "1970" does not yet); such
    rows are uncertain too. The same rule decides UN membership from
    ``un_admission`` events.
Order and tie-breaking
    Events that count are folded in the order (``date``, kind, origin,
    ``event_id``), where ``date`` is the first day of the period, the kind order
    is establish, restore, upgrade, downgrade, suspend, sever (on the same day a
    break comes after a (re)opening, so "established and severed on the same
    day" ends severed), and the reference comes before the corpus (on the same
    day and kind the reference event is the deciding one, and the corpus event
    only adds support). ``event_id`` makes the order total.
No event
    A pair with no counting event is ``no_ties`` when a reference table *covers*
    the focal state and ``unknown`` otherwise. By default (``covers="auto"``)
    the reference covers a state when that state has relation events with more
    than half of the other states named in the reference's relation events:
    the shipped table lists South Korea's relations with every UN member, so it
    covers ``KOR`` but not ``SYR`` (for Syria it knows only the Korean pair).
    Pass ``covers=[...]`` (ISO3 codes) or a bool to decide yourself.
Pairs that are not diplomatic dyads
    Pairs listed in the dyad notes (shipped: the two Koreas) get the note's
    status (``not_applicable``) with its reason and source as evidence,
    whatever the events say; corpus relation events for such a pair set
    ``conflict=True`` so that they get looked at.
Basis, since, evidence and conflict
    The status is the fold of all counting events. The reference events and the
    corpus events are also folded on their own (columns ``reference_status``
    and ``corpus_status``). ``basis`` names the origins whose own fold gives the
    same status. ``since`` is the date of the event that set the status; when
    both origins support it with overlapping date periods, the more precise of
    their two dates is used (``precision`` says which precision ``since`` has).
    ``evidence`` joins the evidence of the deciding event of each supporting
    origin (reference rows: evidence text and source). ``conflict`` is True when
    both origins have counting events for the pair and they disagree: on the
    status, or on when it began by more than their date precision (the periods
    of the two deciding events do not overlap). A corpus event for a pair the
    reference does not mention fills a gap and is no conflict.
Repeated reports
    Rows of ``events`` and ``reference`` with the same ``event_id`` and content
    count once (a different content under one ``event_id`` is an error). Many
    corpus reports of the same event (same pair, date, precision, kind and
    origin) are folded as one, the one with the smallest ``event_id``, whose
    evidence is shown.
Universe
    ``universe="un"``: every state admitted to the UN on or before ``as_of``
    (admission dates from the ``un_admission`` events of ``reference``; when
    ``reference`` is None or has no such rows, the shipped admission rows are
    used, so the universe does not shrink with the reference). Withdrawals are
    not modelled, and states that no longer exist are not in the registry.
    ``universe="all"``: every state in the actor registry. A list of ISO3 codes:
    exactly those states. The focal state appears with status ``self`` when it
    is in the universe. Events of pairs outside the universe are not used. A
    registry state marked ``un_member`` without an admission event is left out
    with a warning that names it.

Examples
--------
>>> import polars as pl
>>> import toolkit as tk
>>> status = tk.relation_status("KOR", as_of="2025-04-09")
>>> status.filter(~pl.col("status").is_in(["ties", "self", "not_applicable"]))["counterpart"]
shape: (1,)
Series: 'counterpart' [str]
[
        "SYR"
]
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from toolkit._backend import like_input, to_polars
from toolkit.contracts import RELATION_KINDS, SCHEMAS, STATUSES, ContractError, validate

__all__ = ["RELATION_KINDS", "relation_history", "relation_status", "ties_over_time"]

#: Relation kinds in the order they are folded on the same day (a sever after an
#: establish on one day leaves the pair severed).
FOLD_ORDER = (
    "establish_relations",
    "restore_relations",
    "upgrade_relations",
    "downgrade_relations",
    "suspend_relations",
    "sever_relations",
)
_KIND_RANK = {kind: rank for rank, kind in enumerate(FOLD_ORDER)}
_ORIGIN_RANK = {"reference": 0, "corpus": 1}
_STATUS_AFTER = {
    "establish_relations": "ties",
    "restore_relations": "ties",
    "upgrade_relations": "ties",
    "downgrade_relations": "ties",
    "suspend_relations": "suspended",
    "sever_relations": "severed",
}
_FREQS = ("year", "month", "day")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BEFORE_EVERYTHING = dt.date(1, 1, 1)
_ROW_SCHEMA: dict[str, Any] = {
    **SCHEMAS["STATUS"],
    "precision": pl.String,
    "uncertain": pl.Boolean,
    "reference_status": pl.String,
    "corpus_status": pl.String,
}
_HISTORY_SCHEMA: dict[str, Any] = {
    "focal": pl.String,
    "counterpart": pl.String,
    "date": pl.Date,
    "precision": pl.String,
    "applies_from": pl.Date,
    "kind": pl.String,
    "status_after": pl.String,
    "changed": pl.Boolean,
    "origin": pl.String,
    "evidence": pl.String,
    "event_id": pl.String,
}
_COUNT_STATUSES = ("ties", "no_ties", "severed", "suspended", "unknown", "not_applicable", "self")


# --------------------------------------------------------------------------- public


def relation_status(
    focal: str,
    *,
    as_of: str | dt.date,
    events=None,
    reference="default",
    universe: str | Iterable[str] = "un",
    actors=None,
    notes="default",
    covers: str | bool | Iterable[str] = "auto",
):
    """Return the status of every state of a universe towards ``focal`` on ``as_of``.

    Parameters
    ----------
    focal : str
        ISO3 code of the focal state (a state of the actor registry).
    as_of : str or datetime.date
        The date, ``"YYYY-MM-DD"`` or a date; required, never defaults to today.
    events : DataFrame, optional
        Corpus EVENTS (``tk.extract_events``). A row's ``origin`` column decides
        whether it counts as reference or corpus evidence; rows repeated in
        ``reference`` (same ``event_id`` and content) count once.
    reference : "default", DataFrame or None
        ``"default"``: the shipped table (``tk.load_reference_events()``); an
        EVENTS table of your own; None for the corpus events alone.
    universe : "un", "all" or list of str
        Which counterparts get a row: UN members on ``as_of`` (admission dates
        respected), every state in the registry, or these ISO3 codes.
    actors : DataFrame, optional
        ACTORS registry for names and the list of states; default
        ``tk.load_actors()``.
    notes : "default", DataFrame or None
        Pairs that are not diplomatic dyads (columns ``focal``, ``counterpart``,
        ``status``, ``reason``, ``source``); default the shipped notes (the two
        Koreas); None for none.
    covers : "auto", bool or list of str
        Whether the reference lists the focal state's relations completely, so
        that a pair without events is ``no_ties`` rather than ``unknown`` (see the
        module notes for ``"auto"``).

    Returns
    -------
    DataFrame
        STATUS, one row per state of the universe, sorted by ``counterpart``,
        with the extra columns ``precision`` (of ``since``), ``uncertain``,
        ``reference_status`` and ``corpus_status``. Same library as the first
        table given (``events``, ``reference``, ``actors``); polars otherwise.

    Raises
    ------
    ValueError
        Naming a bad ``as_of``, ``focal``, ``reference``, ``universe`` or
        ``covers`` value, or a relation event without a second party.
    toolkit.contracts.ContractError
        When ``events`` or ``reference`` is not an EVENTS table.

    Examples
    --------
    >>> import polars as pl
    >>> status = relation_status("KOR", as_of="2025-04-11")
    >>> status.filter(pl.col("counterpart").is_in(["CUB", "PRK", "SYR"])).select(
    ...     "counterpart", "status", "since", "basis"
    ... ).rows()  # doctest: +NORMALIZE_WHITESPACE
    [('CUB', 'ties', datetime.date(2024, 2, 14), 'reference'),
     ('PRK', 'not_applicable', None, 'reference'),
     ('SYR', 'ties', datetime.date(2025, 4, 10), 'reference')]
    """
    day = _parse_date(as_of, "as_of")
    context = _prepare(
        focal,
        events=events,
        reference=reference,
        universe=universe,
        actors=actors,
        notes=notes,
        covers=covers,
        until=day,
    )
    rows = [
        context.assess(counterpart, day)
        for counterpart in context.members
        if context.in_universe(counterpart, day)
    ]
    result = pl.DataFrame(rows, schema=_ROW_SCHEMA, orient="row")
    result = result.sort("counterpart")
    validate(result, "STATUS")
    return like_input(result, *_tables(events, reference, actors, notes))


def relation_history(focal: str, counterpart: str, *, events=None, reference="default"):
    """Return every relation event of the pair ``focal``--``counterpart`` in fold order.

    Parameters
    ----------
    focal, counterpart : str
        The two states (the pair is unordered; ``focal`` only names the columns).
    events : DataFrame, optional
        Corpus EVENTS.
    reference : "default", DataFrame or None
        As in :func:`relation_status`.

    Returns
    -------
    DataFrame
        Columns ``focal``, ``counterpart``, ``date``, ``precision``,
        ``applies_from`` (the last day of the event's period: from that date
        the event counts in :func:`relation_status`), ``kind``, ``status_after``
        (the status once this and every earlier event count), ``changed``
        (whether this event changed the status), ``origin``, ``evidence``,
        ``event_id``. Dyad notes are not events and are not listed.

    Examples
    --------
    >>> history = relation_history("KOR", "CUB")
    >>> history.select("date", "precision", "kind", "status_after").rows()
    ... # doctest: +NORMALIZE_WHITESPACE
    [(datetime.date(1949, 1, 1), 'year', 'establish_relations', 'ties'),
     (datetime.date(1959, 1, 1), 'year', 'sever_relations', 'severed'),
     (datetime.date(2024, 2, 14), 'day', 'establish_relations', 'ties')]
    """
    focal = _check_code(focal, "focal")
    counterpart = _check_code(counterpart, "counterpart")
    if focal == counterpart:
        raise ValueError(f"focal and counterpart must differ, got {focal!r} twice")
    combined = _combined_events(events, reference)
    dyads = _dyad_events(_relation_rows(combined), focal, counterparts=[counterpart])
    rows = []
    status = None
    for event in dyads.get(counterpart, []):
        after = _STATUS_AFTER[event.kind]
        rows.append(
            (
                focal,
                counterpart,
                event.date,
                event.precision,
                event.last,
                event.kind,
                after,
                after != status,
                event.origin,
                event.evidence,
                event.event_id,
            )
        )
        status = after
    result = pl.DataFrame(rows, schema=_HISTORY_SCHEMA, orient="row")
    return like_input(result, *_tables(events, reference))


def ties_over_time(
    focal: str,
    *,
    start: str | dt.date,
    end: str | dt.date,
    freq: str = "year",
    events=None,
    reference="default",
    universe: str | Iterable[str] = "un",
    actors=None,
    notes="default",
    covers: str | bool | Iterable[str] = "auto",
):
    """Count the states of each status towards ``focal`` at each step from ``start`` to ``end``.

    Each step is the **last day** of a period (31 December for ``freq="year"``,
    the month's last day for ``"month"``, every day for ``"day"``), for every
    period that meets ``[start, end]``; the last step is cut to ``end`` when
    ``end`` falls inside a period. Year ends make a relation dated only to a
    year count in that year (see the partial-date rule in the module notes).
    Each count equals what :func:`relation_status` gives on that date, computed
    once per change of each pair rather than once per step.

    Parameters
    ----------
    focal : str
        ISO3 code of the focal state.
    start, end : str or datetime.date
        The range, ``start <= end``.
    freq : {"year", "month", "day"}
        Step length.
    events, reference, universe, actors, notes, covers
        As in :func:`relation_status`.

    Returns
    -------
    DataFrame
        One row per step: ``focal``, ``date``, ``n_members`` (states in the
        universe on that date, the focal state included when it is a member),
        ``n_ties``, ``n_no_ties``, ``n_severed``, ``n_suspended``,
        ``n_unknown``, ``n_not_applicable``, ``n_self``, ``n_other`` (severed +
        suspended + unknown + not_applicable), ``n_without`` (members whose
        status is not ties, self or not_applicable) and ``n_uncertain``.

    Examples
    --------
    >>> counts = ties_over_time("KOR", start="2023-01-01", end="2025-04-11")
    >>> counts.select("date", "n_members", "n_ties", "n_without").rows()
    ... # doctest: +NORMALIZE_WHITESPACE
    [(datetime.date(2023, 12, 31), 193, 189, 2),
     (datetime.date(2024, 12, 31), 193, 190, 1),
     (datetime.date(2025, 4, 11), 193, 191, 0)]
    """
    first = _parse_date(start, "start")
    last = _parse_date(end, "end")
    if first > last:
        raise ValueError(f"start ({first}) must not be after end ({last})")
    if freq not in _FREQS:
        raise ValueError(f"freq must be one of {_FREQS}, got {freq!r}")
    steps = _steps(first, last, freq)
    context = _prepare(
        focal,
        events=events,
        reference=reference,
        universe=universe,
        actors=actors,
        notes=notes,
        covers=covers,
        until=last,
    )
    # Each pair's state only changes on an event's first or last day or on an
    # admission date: evaluate it there and add up the changes.
    counts: Counter = Counter()
    changes: dict[dt.date, Counter] = {}
    for counterpart in context.members:
        timeline = context.categories(counterpart, until=last)
        state = timeline[0][1]
        counts[state] += 1
        for point, new in timeline[1:]:
            if new != state:
                delta = changes.setdefault(point, Counter())
                delta[state] -= 1
                delta[new] += 1
                state = new
    rows = []
    pending = sorted(changes)
    index = 0
    for step in steps:
        while index < len(pending) and pending[index] <= step:
            counts.update(changes[pending[index]])
            index += 1
        rows.append(_count_row(context.focal, step, counts))
    return like_input(pl.DataFrame(rows), *_tables(events, reference, actors, notes))


# --------------------------------------------------------------------------- internals


@dataclass(frozen=True, slots=True)
class _Event:
    date: dt.date
    last: dt.date
    precision: str
    kind: str
    origin: str
    evidence: str | None
    event_id: str

    def key(self) -> tuple:
        return (self.date, _KIND_RANK[self.kind], _ORIGIN_RANK[self.origin], self.event_id)


@dataclass
class _Context:
    focal: str
    members: list[str]
    names: dict[str, str]
    dyads: dict[str, list[_Event]]
    notes: dict[str, dict[str, str]]
    covered: bool
    # First day counted as a UN member, per state; None: the universe is fixed.
    admissions: dict[str, dt.date] | None

    def in_universe(self, state: str, day: dt.date) -> bool:
        if self.admissions is None:
            return True
        admitted = self.admissions.get(state)
        return admitted is not None and admitted <= day

    def change_points(self, state: str, *, until: dt.date) -> list[dt.date]:
        points = set()
        if self.admissions is not None and state in self.admissions:
            points.add(self.admissions[state])
        for event in self.dyads.get(state, ()):
            points.update((event.date, event.last))
        return sorted(point for point in points if point <= until)

    def categories(self, state: str, *, until: dt.date) -> list[tuple[dt.date, tuple]]:
        """(date, (status, uncertain)) at the start of time and at each change point.

        Status None means "not in the universe". Gives what :meth:`assess` gives,
        without folding again at every point: the status after a fold is the
        status set by its last event in fold order, so a running maximum of the
        counting events suffices.
        """
        points = [_BEFORE_EVERYTHING, *self.change_points(state, until=until)]
        events = self.dyads.get(state, [])
        by_last = sorted(events, key=lambda event: (event.last, event.key()))
        firsts = sorted(event.date for event in events)
        lasts = [event.last for event in by_last]
        fixed = None
        if state == self.focal:
            fixed = ("self", False)
        elif state in self.notes:
            fixed = (self.notes[state]["status"], False)
        empty = "no_ties" if self.covered else "unknown"
        result = []
        latest = None
        index = 0
        for point in points:
            while index < len(by_last) and by_last[index].last <= point:
                if latest is None or by_last[index].key() > latest.key():
                    latest = by_last[index]
                index += 1
            if not self.in_universe(state, point):
                category = (None, False)
            elif fixed is not None:
                category = fixed
            else:
                pending = bisect.bisect_right(firsts, point) - bisect.bisect_right(lasts, point)
                status = _STATUS_AFTER[latest.kind] if latest is not None else empty
                category = (status, pending > 0)
            result.append((point, category))
        return result

    def assess(self, counterpart: str, day: dt.date) -> tuple:
        """Return one STATUS row as a tuple in ``_ROW_SCHEMA`` order."""
        name = self.names.get(counterpart)
        if counterpart == self.focal:
            return (
                self.focal,
                counterpart,
                name,
                "self",
                None,
                None,
                None,
                False,
                day,
                None,
                False,
                None,
                None,
            )
        events = self.dyads.get(counterpart, [])
        counting = [event for event in events if event.last <= day]
        pending = [event for event in events if event.date <= day < event.last]
        status, deciding = _fold(counting)
        ref_status, ref_event = _fold([e for e in counting if e.origin == "reference"])
        cor_status, cor_event = _fold([e for e in counting if e.origin == "corpus"])
        reference_status = ref_status or ("no_ties" if self.covered else None)
        note = self.notes.get(counterpart)
        if note is not None:
            evidence = f"{note['reason']} ({note['source']})" if note["source"] else note["reason"]
            return (
                self.focal,
                counterpart,
                name,
                note["status"],
                None,
                "reference",
                evidence,
                cor_status is not None,
                day,
                None,
                False,
                note["status"],
                cor_status,
            )
        uncertain = bool(pending)
        if status is None:
            if self.covered:
                status, basis = "no_ties", "reference"
                evidence = (
                    f"no {self.focal}-{counterpart} relation event in the reference "
                    f"counts on {day.isoformat()}"
                )
            else:
                status, basis, evidence = "unknown", None, None
            since = precision = None
            conflict = False
        else:
            supporters = [
                (origin, event)
                for origin, own, event in (
                    ("reference", ref_status, ref_event),
                    ("corpus", cor_status, cor_event),
                )
                if own == status
            ]
            if not supporters:
                supporters = [(deciding.origin, deciding)]
            basis = "+".join(origin for origin, _ in supporters)
            chosen = deciding
            if len(supporters) == 2 and _overlap(ref_event, cor_event):
                chosen = min(
                    (ref_event, cor_event), key=lambda e: (e.last - e.date, _ORIGIN_RANK[e.origin])
                )
            since, precision = chosen.date, chosen.precision
            texts = []
            for _, event in supporters:
                if event.evidence and event.evidence not in texts:
                    texts.append(event.evidence)
            evidence = " | ".join(texts) or None
            conflict = (
                ref_status is not None
                and cor_status is not None
                and (ref_status != cor_status or not _overlap(ref_event, cor_event))
            )
        if uncertain:
            note_text = "uncertain on {}: {}".format(
                day.isoformat(), "; ".join(_pending_text(event) for event in pending)
            )
            evidence = f"{evidence} | {note_text}" if evidence else note_text
        return (
            self.focal,
            counterpart,
            name,
            status,
            since,
            basis,
            evidence,
            conflict,
            day,
            precision,
            uncertain,
            reference_status,
            cor_status,
        )


def _fold(events: list[_Event]) -> tuple[str | None, _Event | None]:
    """Fold sorted events: the final status and the event that set it."""
    status: str | None = None
    deciding: _Event | None = None
    for event in events:
        after = _STATUS_AFTER[event.kind]
        if after != status:
            status, deciding = after, event
    return status, deciding


def _overlap(left: _Event | None, right: _Event | None) -> bool:
    if left is None or right is None:
        return False
    return left.date <= right.last and right.date <= left.last


def _pending_text(event: _Event) -> str:
    if event.precision == "year":
        period = f"{event.date.year}"
    elif event.precision == "month":
        period = f"{event.date.year}-{event.date.month:02d}"
    else:  # a day event is never pending; kept for completeness
        period = event.date.isoformat()
    return (
        f"{event.kind} ({event.origin}) dated {period} ({event.precision} precision) "
        f"counts from {event.last.isoformat()}"
    )


def _period_last(date: dt.date, precision: str) -> dt.date:
    if precision == "year":
        return date.replace(month=12, day=31)
    if precision == "month":
        return date.replace(day=calendar.monthrange(date.year, date.month)[1])
    return date


def _parse_date(value, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{name} must be a date or a 'YYYY-MM-DD' string, got {value!r}")


def _check_code(value, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be an actor id such as 'KOR', got {value!r}")
    return value


def _tables(*values) -> list:
    """The DataFrames among the arguments (strings and None are options, not tables)."""
    return [value for value in values if value is not None and not isinstance(value, str)]


def _events_input(table, name: str) -> pl.DataFrame:
    """Return ``table`` as a polars EVENTS table, repairing what pandas round trips lose."""
    frame = to_polars(table)
    schema = SCHEMAS["EVENTS"]
    repairs = []
    for column, dtype in schema.items():
        if column not in frame.columns:
            continue
        actual = frame.schema[column]
        if actual == pl.Null or (dtype == pl.Date and isinstance(actual, pl.Datetime)):
            repairs.append(pl.col(column).cast(dtype))
    if repairs:
        frame = frame.with_columns(repairs)
    try:
        validate(frame, "EVENTS")
    except ContractError as error:
        raise ContractError(f"{name}: {error}") from None
    return frame


_CORE = ("event_id", "kind", "a", "b", "date", "precision", "origin", "evidence")


def _combined_events(events, reference) -> pl.DataFrame:
    """Reference and corpus EVENTS in one polars table (core columns + ``source``)."""
    tables = []
    if isinstance(reference, str):
        if reference != "default":
            raise ValueError(
                f"reference must be 'default', an EVENTS table or None, got {reference!r}"
            )
        tables.append(_events_input(_shipped_reference(), "reference"))
    elif reference is not None:
        tables.append(_events_input(reference, "reference"))
    if events is not None:
        tables.append(_events_input(events, "events"))
    if not tables:
        return pl.DataFrame(
            schema={**{c: SCHEMAS["EVENTS"][c] for c in _CORE}, "source": pl.String}
        )
    core = [
        table.select(
            *_CORE,
            (pl.col("source").cast(pl.String) if "source" in table.columns else pl.lit(None))
            .cast(pl.String)
            .alias("source"),
        )
        for table in tables
    ]
    combined = pl.concat(core, how="vertical")
    unique = combined.unique(maintain_order=True)
    repeated = unique.filter(pl.col("event_id").is_duplicated())
    if repeated.height:
        ids = sorted(set(repeated["event_id"].to_list()))
        raise ValueError(
            f"event_id repeated with different content in events/reference: {ids[:10]}"
        )
    return unique


def _relation_rows(combined: pl.DataFrame) -> pl.DataFrame:
    rows = combined.filter(pl.col("kind").is_in(RELATION_KINDS))
    bad = rows.filter(pl.col("b").is_null() | (pl.col("a") == pl.col("b")))
    if bad.height:
        raise ValueError(
            "relation events need two different parties a and b; bad event_id: "
            f"{bad['event_id'].to_list()[:10]}"
        )
    return rows


def _dyad_events(
    relations: pl.DataFrame,
    focal: str,
    *,
    until: dt.date | None = None,
    dedupe: bool = False,
    counterparts: Iterable[str] | None = None,
) -> dict[str, list[_Event]]:
    """The focal state's relation events per counterpart, each list in fold order.

    ``until`` drops events that start after it (they count on no date up to it).
    ``dedupe`` keeps one event per (counterpart, date, precision, kind, origin),
    the one with the smallest ``event_id``: the others can never decide a status,
    a ``since`` or an evidence, and a large corpus repeats the same event often.
    """
    mine = relations.filter((pl.col("a") == focal) | (pl.col("b") == focal))
    if until is not None:
        mine = mine.filter(pl.col("date") <= until)
    mine = mine.with_columns(
        other=pl.when(pl.col("a") == focal).then(pl.col("b")).otherwise(pl.col("a")),
        evidence=pl.when(
            pl.col("evidence").is_not_null()
            & pl.col("source").is_not_null()
            & ~pl.col("evidence").str.contains(pl.col("source"), literal=True)
        )
        .then(pl.format("{} ({})", pl.col("evidence"), pl.col("source")))
        .otherwise(pl.coalesce("evidence", "source")),
    )
    if counterparts is not None:
        mine = mine.filter(pl.col("other").is_in(list(counterparts)))
    if dedupe:
        mine = mine.sort("event_id").unique(
            subset=["other", "date", "precision", "kind", "origin"], keep="first"
        )
    # Fold order (see the module notes), made total by event_id.
    mine = mine.with_columns(
        last=pl.when(pl.col("precision") == "year")
        .then(pl.date(pl.col("date").dt.year(), 12, 31))
        .when(pl.col("precision") == "month")
        .then(pl.col("date").dt.month_end())
        .otherwise(pl.col("date")),
        kind_rank=pl.col("kind").replace_strict(_KIND_RANK, return_dtype=pl.Int64),
        origin_rank=pl.col("origin").replace_strict(_ORIGIN_RANK, return_dtype=pl.Int64),
    ).sort("other", "date", "kind_rank", "origin_rank", "event_id")
    columns = ("other", "date", "last", "precision", "kind", "origin", "evidence", "event_id")
    dyads: dict[str, list[_Event]] = {}
    for other, *fields in mine.select(columns).iter_rows():
        events = dyads.get(other)
        if events is None:
            events = dyads[other] = []
        events.append(_Event(*fields))
    return dyads


def _covered(relations: pl.DataFrame, focal: str, covers) -> bool:
    if isinstance(covers, bool):
        return covers
    if isinstance(covers, str):
        if covers != "auto":
            raise ValueError(f"covers must be 'auto', a bool or a list of ISO3, got {covers!r}")
        pairs = relations.filter(pl.col("origin") == "reference").select("a", "b").unique()
        if pairs.height == 0:
            return False
        n_states = pl.concat([pairs["a"], pairs["b"]]).n_unique()
        n_partners = pairs.filter((pl.col("a") == focal) | (pl.col("b") == focal)).height
        return 2 * n_partners > n_states - 1
    return focal in set(covers)


def _prepare(
    focal, *, events, reference, universe, actors, notes, covers, until: dt.date
) -> _Context:
    focal = _check_code(focal, "focal")
    combined = _combined_events(events, reference)
    relations = _relation_rows(combined)
    registry = to_polars(actors if actors is not None else _registry())
    missing = [c for c in ("actor_id", "name", "kind") if c not in registry.columns]
    if missing:
        raise ContractError(f"actors is missing columns: {', '.join(missing)}")
    states = registry.filter(pl.col("kind") == "state")
    state_ids = set(states["actor_id"].to_list())
    names = dict(zip(registry["actor_id"].to_list(), registry["name"].to_list(), strict=True))
    if focal not in state_ids:
        raise ValueError(
            f"unknown focal state {focal!r}: not a state in the actor registry "
            "(pass actors= to use another registry)"
        )
    admissions: dict[str, dt.date] | None = None
    if isinstance(universe, str):
        if universe == "un":
            admissions = _admissions(combined, states)
            members = sorted(admissions)
        elif universe == "all":
            members = sorted(state_ids)
        else:
            raise ValueError(
                f"universe must be 'un', 'all' or a list of ISO3 codes, got {universe!r}"
            )
    else:
        members = sorted(set(universe))
        unknown = [code for code in members if code not in state_ids]
        if unknown:
            raise ValueError(f"universe names states not in the actor registry: {unknown[:10]}")
    return _Context(
        focal=focal,
        members=members,
        names=names,
        dyads=_dyad_events(relations, focal, until=until, dedupe=True, counterparts=members),
        notes=_notes(notes, focal),
        covered=_covered(relations, focal, covers),
        admissions=admissions,
    )


def _admissions(combined: pl.DataFrame, states: pl.DataFrame) -> dict[str, dt.date]:
    rows = combined.filter((pl.col("kind") == "un_admission") & (pl.col("origin") == "reference"))
    if rows.height == 0:
        shipped = _events_input(_shipped_reference(), "shipped reference")
        rows = shipped.filter(pl.col("kind") == "un_admission")
    admissions: dict[str, dt.date] = {}
    for state, date, precision in rows.select("a", "date", "precision").iter_rows():
        first_day = _period_last(date, precision)
        if state not in admissions or first_day < admissions[state]:
            admissions[state] = first_day
    if "un_member" in states.columns:
        flagged = states.filter(pl.col("un_member").fill_null(False))["actor_id"].to_list()
        left_out = sorted(state for state in flagged if state not in admissions)
        if left_out:
            warnings.warn(
                "registry states marked un_member have no un_admission event and are left "
                f"out of the UN universe: {left_out[:10]}"
                + (f" and {len(left_out) - 10} more" if len(left_out) > 10 else ""),
                stacklevel=4,
            )
    return admissions


def _notes(notes, focal: str) -> dict[str, dict[str, str]]:
    if notes is None:
        return {}
    if isinstance(notes, str):
        if notes != "default":
            raise ValueError(f"notes must be 'default', a table or None, got {notes!r}")
        notes = _shipped_notes()
    table = to_polars(notes)
    missing = [c for c in ("focal", "counterpart", "status", "reason") if c not in table.columns]
    if missing:
        raise ContractError(f"notes is missing columns: {', '.join(missing)}")
    found: dict[str, dict[str, str]] = {}
    # A note for (X, focal) also applies when focal is X's counterpart, unless
    # the focal state has its own note for the pair.
    for row in sorted(table.iter_rows(named=True), key=lambda row: row["focal"] == focal):
        if focal not in (row["focal"], row["counterpart"]):
            continue
        if row["status"] not in STATUSES:
            raise ValueError(f"notes: status {row['status']!r} is not one of {STATUSES}")
        other = row["counterpart"] if row["focal"] == focal else row["focal"]
        found[other] = {
            "status": row["status"],
            "reason": row["reason"],
            "source": row.get("source") or "",
        }
    return found


def _steps(first: dt.date, last: dt.date, freq: str) -> list[dt.date]:
    steps = []
    day = first
    while True:
        if freq == "year":
            period_end = day.replace(month=12, day=31)
        elif freq == "month":
            period_end = _period_last(day, "month")
        else:
            period_end = day
        if period_end >= last:
            steps.append(last)
            return steps
        steps.append(period_end)
        day = period_end + dt.timedelta(days=1)


def _count_row(focal: str, step: dt.date, counts: Counter) -> dict[str, Any]:
    by_status: Counter = Counter()
    n_uncertain = 0
    for (status, uncertain), n in counts.items():
        if status is None:
            continue
        by_status[status] += n
        if uncertain:
            n_uncertain += n
    row: dict[str, Any] = {
        "focal": focal,
        "date": step,
        "n_members": sum(by_status.values()),
    }
    for status in _COUNT_STATUSES:
        row[f"n_{status}"] = by_status[status]
    row["n_other"] = sum(
        by_status[s] for s in ("severed", "suspended", "unknown", "not_applicable")
    )
    row["n_without"] = sum(by_status[s] for s in ("no_ties", "severed", "suspended", "unknown"))
    row["n_uncertain"] = n_uncertain
    return row


def _shipped_reference() -> pl.DataFrame:
    from toolkit.reference import load_reference_events

    return load_reference_events()


def _shipped_notes() -> pl.DataFrame:
    from toolkit.reference import load_dyad_notes

    return load_dyad_notes()


def _registry() -> pl.DataFrame:
    from toolkit.actors import load_actors

    return load_actors()
