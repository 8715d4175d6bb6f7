"""Property tests: relation_status against an independent interval model.

Random sequences of establish/sever/suspend/restore events for random pairs
with random dates and precisions; the expected status is read off [start, end)
intervals built by a separate, plain implementation of the documented rules.
"""

import calendar
import datetime as dt
import random

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.contracts import SCHEMAS, validate
from toolkit.relations import relation_status, ties_over_time

D = dt.date
FOCAL = "KOR"
OTHERS = ["CUB", "FRA", "JPN", "SYR", "USA"]
STATES = sorted([FOCAL, *OTHERS])
KINDS = ["establish_relations", "restore_relations", "suspend_relations", "sever_relations"]
# The documented same-day order: openings before breaks, reference before corpus.
KIND_ORDER = {
    "establish_relations": 0,
    "restore_relations": 1,
    "upgrade_relations": 2,
    "downgrade_relations": 3,
    "suspend_relations": 4,
    "sever_relations": 5,
}
AFTER = {
    "establish_relations": "ties",
    "restore_relations": "ties",
    "suspend_relations": "suspended",
    "sever_relations": "severed",
}
FIRST, LAST = D(1990, 1, 1), D(1995, 12, 31)
ACTORS = pl.DataFrame(
    {
        "actor_id": STATES,
        "name": [f"State {code}" for code in STATES],
        "kind": ["state"] * len(STATES),
        "country": STATES,
        "aliases": [[]] * len(STATES),
    }
)
SETTINGS = settings(deadline=None, max_examples=60)


def period(date, precision):
    """First and last day of an event's period, computed from the calendar."""
    if precision == "year":
        return D(date.year, 1, 1), D(date.year + 1, 1, 1) - dt.timedelta(days=1)
    if precision == "month":
        return date.replace(day=1), date.replace(day=calendar.monthrange(date.year, date.month)[1])
    return date, date


@st.composite
def an_event(draw, origins=("reference",), precisions=("day", "month", "year")):
    precision = draw(st.sampled_from(precisions))
    date = period(draw(st.dates(FIRST, LAST)), precision)[0]
    return {
        "kind": draw(st.sampled_from(KINDS)),
        "other": draw(st.sampled_from(OTHERS)),
        "date": date,
        "precision": precision,
        "origin": draw(st.sampled_from(origins)),
    }


def with_ids(events):
    return [{**event, "event_id": f"e{i:04d}"} for i, event in enumerate(events)]


def events_table(events, admissions=None):
    records = []
    for event in events:
        a, b = sorted([FOCAL, event["other"]])
        records.append(
            {
                "event_id": event["event_id"],
                "kind": event["kind"],
                "a": a,
                "b": b,
                "date": event["date"],
                "precision": event["precision"],
                "origin": event["origin"],
                "article_id": None,
                "sentence_id": None,
                "evidence": f"evidence {event['event_id']}",
                "cameo": None,
            }
        )
    if admissions is None:
        admissions = dict.fromkeys(STATES, D(1945, 10, 24))
    for state, date in admissions.items():
        records.append(
            {
                "event_id": f"adm-{state}",
                "kind": "un_admission",
                "a": state,
                "b": "org:un",
                "date": date,
                "precision": "day",
                "origin": "reference",
                "article_id": None,
                "sentence_id": None,
                "evidence": "admission",
                "cameo": None,
            }
        )
    return pl.DataFrame(records, schema=SCHEMAS["EVENTS"])


def status(reference, as_of, **options):
    options.setdefault("covers", True)
    table = relation_status(
        FOCAL, as_of=as_of, reference=reference, actors=ACTORS, notes=None, **options
    )
    validate(table, "STATUS")
    return table


def intervals(events):
    """[start, end) intervals of each status from events taken at their first day."""
    ordered = sorted(
        events,
        key=lambda e: (e["date"], KIND_ORDER[e["kind"]], e["origin"] != "reference", e["event_id"]),
    )
    spans = []  # [start, end or None, status]
    for event in ordered:
        state = AFTER[event["kind"]]
        if spans and spans[-1][2] == state:
            continue
        if spans:
            spans[-1][1] = event["date"]
        spans.append([event["date"], None, state])
    return spans


def expected_at(spans, as_of, covered=True):
    for start, end, state in spans:
        if start <= as_of and (end is None or as_of < end):
            return state, start
    return ("no_ties" if covered else "unknown"), None


def row(table, counterpart):
    rows = table.filter(pl.col("counterpart") == counterpart).to_dicts()
    assert len(rows) == 1
    return rows[0]


@SETTINGS
@given(
    events=st.lists(an_event(precisions=("day",)), max_size=12),
    days=st.lists(st.dates(D(1989, 6, 1), D(1996, 6, 1)), min_size=1, max_size=4),
)
def test_day_precision_status_is_interval_membership(events, days):
    events = with_ids(events)
    reference = events_table(events)
    # Intervals are built once from the whole sequence and then probed.
    spans = {other: intervals([e for e in events if e["other"] == other]) for other in OTHERS}
    for as_of in days:
        table = status(reference, as_of)
        for other in OTHERS:
            got = row(table, other)
            state, since = expected_at(spans[other], as_of)
            assert (got["status"], got["since"]) == (state, since), (other, as_of)
            assert got["uncertain"] is False


@SETTINGS
@given(
    events=st.lists(an_event(), max_size=12),
    as_of=st.dates(D(1989, 6, 1), D(1996, 6, 1)),
    covered=st.booleans(),
)
def test_partial_dates_count_once_their_period_is_over(events, as_of, covered):
    events = with_ids(events)
    table = status(events_table(events), as_of, covers=covered)
    for other in OTHERS:
        mine = [e for e in events if e["other"] == other]
        over = [e for e in mine if period(e["date"], e["precision"])[1] <= as_of]
        open_ = [e for e in mine if e["date"] <= as_of < period(e["date"], e["precision"])[1]]
        state, since = expected_at(intervals(over), as_of, covered)
        got = row(table, other)
        assert (got["status"], got["since"]) == (state, since), other
        assert got["uncertain"] is bool(open_)
        if open_:
            assert "uncertain" in got["evidence"]


@SETTINGS
@given(
    events=st.lists(an_event(origins=("reference", "corpus")), max_size=14),
    as_of=st.dates(D(1989, 6, 1), D(1996, 6, 1)),
    seed=st.integers(0, 2**16),
)
def test_row_order_does_not_matter(events, as_of, seed):
    events = with_ids(events)
    shuffled = list(events)
    random.Random(seed).shuffle(shuffled)
    reference = events_table([e for e in events if e["origin"] == "reference"])
    corpus = events_table([e for e in events if e["origin"] == "corpus"], admissions={})
    reference2 = events_table([e for e in shuffled if e["origin"] == "reference"])
    corpus2 = events_table([e for e in shuffled if e["origin"] == "corpus"], admissions={})
    first = status(reference, as_of, events=corpus)
    second = status(reference2.reverse(), as_of, events=corpus2)
    assert first.equals(second)


@SETTINGS
@given(
    events=st.lists(an_event(origins=("reference", "corpus")), max_size=10),
    admitted=st.lists(st.dates(D(1988, 1, 1), D(1997, 1, 1)), min_size=6, max_size=6),
    as_of=st.dates(D(1987, 6, 1), D(1997, 6, 1)),
)
def test_one_row_per_member_and_since_not_after_as_of(events, admitted, as_of):
    events = with_ids(events)
    admissions = dict(zip(STATES, admitted, strict=True))
    table = status(events_table(events, admissions), as_of)
    members = sorted(state for state, date in admissions.items() if date <= as_of)
    assert table["counterpart"].to_list() == members
    for got in table.iter_rows(named=True):
        assert got["since"] is None or got["since"] <= as_of
        assert (got["status"] == "self") is (got["counterpart"] == FOCAL)


@SETTINGS
@given(
    events=st.lists(an_event(), max_size=10),
    as_of=st.dates(D(1989, 6, 1), D(1996, 6, 1)),
)
def test_corpus_repeating_the_reference_agrees(events, as_of):
    events = with_ids(events)
    mirror = [{**e, "origin": "corpus", "event_id": "c" + e["event_id"]} for e in events]
    reference_only = status(events_table(events), as_of)
    both = status(events_table(events), as_of, events=events_table(mirror, admissions={}))
    assert not both["conflict"].any()
    assert both["status"].to_list() == reference_only["status"].to_list()
    assert both["since"].to_list() == reference_only["since"].to_list()
    for got in both.iter_rows(named=True):
        if got["status"] in ("ties", "severed", "suspended"):
            assert got["basis"] == "reference+corpus"


@settings(deadline=None, max_examples=25)
@given(
    events=st.lists(an_event(origins=("reference", "corpus")), max_size=10),
    admitted=st.lists(st.dates(D(1988, 1, 1), D(1997, 1, 1)), min_size=6, max_size=6),
    freq=st.sampled_from(["year", "month"]),
)
def test_ties_over_time_counts_relation_status(events, admitted, freq):
    events = with_ids(events)
    reference = events_table(events, dict(zip(STATES, admitted, strict=True)))
    start, end = (
        (D(1989, 3, 5), D(1996, 2, 10)) if freq == "year" else (D(1990, 1, 1), D(1990, 12, 1))
    )
    options = {"reference": reference, "actors": ACTORS, "notes": None, "covers": True}
    counts = ties_over_time(FOCAL, start=start, end=end, freq=freq, **options)
    for step in counts.iter_rows(named=True):
        table = relation_status(FOCAL, as_of=step["date"], **options)
        assert step["n_members"] == table.height
        for name in ("ties", "no_ties", "severed", "suspended", "self"):
            assert step[f"n_{name}"] == (table["status"] == name).sum()
        assert step["n_uncertain"] == table["uncertain"].sum()
