"""relation_status, relation_history and ties_over_time.

Unit cases use hand-made reference and corpus EVENTS tables and a small actor
registry; the acceptance tests at the end use the shipped reference, registry
and corpus.
"""

import datetime as dt

import pandas as pd
import polars as pl
import pytest

import toolkit as tk
from toolkit import relations
from toolkit.contracts import SCHEMAS, ContractError, validate
from toolkit.relations import relation_history, relation_status, ties_over_time

D = dt.date
SYRIA_SENTENCE = (
    "The Syrian Arab Republic and South Korea established diplomatic relations on Thursday, "
    "marking a significant milestone in foreign policy for both republics."
)
WITHOUT_TIES = ["ties", "self", "not_applicable"]

# --------------------------------------------------------------------------- fixtures


def make_events(rows, origin):
    """EVENTS from (kind, a, b, date, precision[, evidence]) tuples."""
    records = []
    for i, row in enumerate(rows):
        kind, a, b, date, precision, *rest = row
        records.append(
            {
                "event_id": f"{origin[:3]}-{i:03d}-{kind}-{a}-{b}",
                "kind": kind,
                "a": a,
                "b": b,
                "date": D.fromisoformat(date),
                "precision": precision,
                "origin": origin,
                "article_id": None,
                "sentence_id": None,
                "evidence": rest[0] if rest else f"{origin} {kind} {a}-{b} {date}",
                "cameo": None,
            }
        )
    return pl.DataFrame(records, schema=SCHEMAS["EVENTS"])


ADMISSIONS = [
    ("un_admission", "CUB", "org:un", "1945-10-24", "day"),
    ("un_admission", "FRA", "org:un", "1945-10-24", "day"),
    ("un_admission", "SYR", "org:un", "1945-10-24", "day"),
    ("un_admission", "JPN", "org:un", "1956-12-18", "day"),
    ("un_admission", "KOR", "org:un", "1991-09-17", "day"),
    ("un_admission", "PRK", "org:un", "1991-09-17", "day"),
]
KOR_RELATIONS = [
    ("establish_relations", "FRA", "KOR", "1949-01-01", "year"),
    ("establish_relations", "JPN", "KOR", "1965-12-18", "day"),
    ("establish_relations", "CUB", "KOR", "1949-01-01", "year"),
    ("sever_relations", "CUB", "KOR", "1959-01-01", "year"),
    ("establish_relations", "CUB", "KOR", "2024-02-14", "day"),
    ("establish_relations", "KOR", "SYR", "2025-04-10", "day"),
    ("visit", "FRA", "KOR", "1950-01-01", "day"),
]


@pytest.fixture
def actors():
    return pl.DataFrame(
        {
            "actor_id": ["CUB", "FRA", "JPN", "KOR", "PRK", "SYR", "TWN", "org:un"],
            "name": [
                "Cuba",
                "France",
                "Japan",
                "South Korea",
                "North Korea",
                "Syria",
                "Taiwan",
                "United Nations",
            ],
            "kind": ["state"] * 7 + ["organization"],
            "country": ["CUB", "FRA", "JPN", "KOR", "PRK", "SYR", "TWN", None],
            "aliases": [[]] * 8,
            "un_member": [True] * 6 + [False, False],
        }
    )


@pytest.fixture
def notes():
    return pl.DataFrame(
        {
            "focal": ["KOR"],
            "counterpart": ["PRK"],
            "status": ["not_applicable"],
            "reason": ["the two Koreas do not treat each other as foreign states"],
            "source": ["https://example.org/basic-agreement"],
        }
    )


@pytest.fixture
def reference():
    return make_events(ADMISSIONS + KOR_RELATIONS, "reference")


def status_of(table, counterpart):
    rows = table.filter(pl.col("counterpart") == counterpart).to_dicts()
    assert len(rows) == 1, f"{counterpart}: {len(rows)} rows"
    return rows[0]


@pytest.fixture
def status(reference, actors, notes):
    def run(as_of, **options):
        options.setdefault("reference", reference)
        options.setdefault("actors", actors)
        options.setdefault("notes", notes)
        result = relation_status("KOR", as_of=as_of, **options)
        validate(result, "STATUS")
        return result

    return run


# --------------------------------------------------------------------------- status


def test_status_table_follows_the_contract(status):
    table = status("2025-04-11")
    assert table.columns[:9] == list(SCHEMAS["STATUS"])
    assert table["counterpart"].to_list() == ["CUB", "FRA", "JPN", "KOR", "PRK", "SYR"]
    assert set(table["as_of"].to_list()) == {D(2025, 4, 11)}
    assert table.schema["uncertain"] == pl.Boolean


def test_statuses_on_a_date(status):
    table = status("2000-01-01")
    assert status_of(table, "KOR")["status"] == "self"
    fra = status_of(table, "FRA")
    assert (fra["status"], fra["since"], fra["precision"]) == ("ties", D(1949, 1, 1), "year")
    assert fra["basis"] == "reference"
    assert fra["name"] == "France"
    cub = status_of(table, "CUB")
    assert (cub["status"], cub["since"]) == ("severed", D(1959, 1, 1))
    syr = status_of(table, "SYR")
    assert (syr["status"], syr["since"], syr["basis"]) == ("no_ties", None, "reference")
    assert not table["conflict"].any()


def test_not_applicable_pair_carries_the_reason(status):
    prk = status_of(status("2025-04-11"), "PRK")
    assert prk["status"] == "not_applicable"
    assert "do not treat each other" in prk["evidence"]
    assert "https://example.org/basic-agreement" in prk["evidence"]
    assert prk["conflict"] is False


def test_note_seen_from_the_other_side(reference, actors, notes):
    table = relation_status(
        "PRK", as_of="2000-01-01", reference=reference, actors=actors, notes=notes
    )
    assert status_of(table, "KOR")["status"] == "not_applicable"


def test_corpus_events_for_a_not_applicable_pair_are_a_conflict(status):
    corpus = make_events([("establish_relations", "KOR", "PRK", "2020-01-01", "day")], "corpus")
    prk = status_of(status("2021-01-01", events=corpus), "PRK")
    assert (prk["status"], prk["conflict"], prk["corpus_status"]) == (
        "not_applicable",
        True,
        "ties",
    )


def test_other_event_kinds_are_ignored(status, reference):
    visit = make_events([("visit", "KOR", "SYR", "2000-01-01", "day")], "corpus")
    assert status_of(status("2001-01-01", events=visit), "SYR")["status"] == "no_ties"


# --------------------------------------------------------------------------- partial dates


@pytest.mark.parametrize(
    ("as_of", "expected", "uncertain"),
    [
        ("1948-12-31", "no_ties", False),
        ("1949-01-01", "no_ties", True),
        ("1949-12-30", "no_ties", True),
        ("1949-12-31", "ties", False),
        ("1950-06-01", "ties", False),
    ],
)
def test_year_precision_counts_once_the_year_is_over(status, as_of, expected, uncertain):
    fra = status_of(status(as_of), "FRA")
    assert (fra["status"], fra["uncertain"]) == (expected, uncertain)
    if uncertain:
        assert "uncertain" in fra["evidence"]
        assert "1949 (year precision)" in fra["evidence"]
        assert "1949-12-31" in fra["evidence"]
    else:
        assert "uncertain" not in (fra["evidence"] or "")


@pytest.mark.parametrize(
    ("as_of", "expected", "uncertain"),
    [
        ("1962-02-28", "no_ties", False),
        ("1962-03-01", "no_ties", True),
        ("1962-03-30", "no_ties", True),
        ("1962-03-31", "ties", False),
    ],
)
def test_month_precision_counts_once_the_month_is_over(
    reference, status, as_of, expected, uncertain
):
    month = make_events([("establish_relations", "KOR", "SYR", "1962-03-01", "month")], "corpus")
    syr = status_of(status(as_of, events=month), "SYR")
    assert (syr["status"], syr["uncertain"]) == (expected, uncertain)
    if expected == "ties":
        assert (syr["since"], syr["precision"]) == (D(1962, 3, 1), "month")


def test_day_event_counts_on_its_day(status):
    assert status_of(status("2025-04-09"), "SYR")["status"] == "no_ties"
    assert status_of(status("2025-04-10"), "SYR")["status"] == "ties"


def test_counting_day_event_inside_a_pending_period(status):
    # Severed on a known day inside a year whose (year-precision) opening has not
    # counted yet: the known sever counts, the row is uncertain.
    corpus = make_events(
        [
            ("establish_relations", "KOR", "SYR", "1970-01-01", "year"),
            ("sever_relations", "KOR", "SYR", "1970-06-05", "day"),
        ],
        "corpus",
    )
    mid = status_of(status("1970-07-01", events=corpus), "SYR")
    assert (mid["status"], mid["uncertain"], mid["since"]) == ("severed", True, D(1970, 6, 5))
    end = status_of(status("1971-01-01", events=corpus), "SYR")
    assert (end["status"], end["uncertain"]) == ("severed", False)


# --------------------------------------------------------------------------- sequences


@pytest.mark.parametrize(
    ("as_of", "expected", "since"),
    [
        ("1955-01-01", "ties", D(1949, 1, 1)),
        ("1959-06-01", "ties", D(1949, 1, 1)),
        ("1960-01-01", "severed", D(1959, 1, 1)),
        ("2024-02-13", "severed", D(1959, 1, 1)),
        ("2024-02-14", "ties", D(2024, 2, 14)),
    ],
)
def test_severed_then_restored(status, as_of, expected, since):
    cub = status_of(status(as_of), "CUB")
    assert (cub["status"], cub["since"]) == (expected, since)


def test_suspended_then_restored(status):
    corpus = make_events(
        [
            ("establish_relations", "JPN", "KOR", "1965-12-18", "day"),
            ("suspend_relations", "JPN", "KOR", "1980-05-01", "day"),
            ("restore_relations", "JPN", "KOR", "1981-05-01", "day"),
        ],
        "corpus",
    )
    suspended = status_of(status("1980-06-01", events=corpus), "JPN")
    assert (suspended["status"], suspended["since"]) == ("suspended", D(1980, 5, 1))
    assert suspended["basis"] == "corpus"
    assert suspended["conflict"] is True  # the reference knows no suspension
    restored = status_of(status("1982-01-01", events=corpus), "JPN")
    assert (restored["status"], restored["since"]) == ("ties", D(1981, 5, 1))


def test_upgrade_and_downgrade_keep_ties(status):
    corpus = make_events(
        [
            ("downgrade_relations", "JPN", "KOR", "1990-01-01", "day"),
            ("upgrade_relations", "KOR", "SYR", "2000-03-03", "day"),
        ],
        "corpus",
    )
    table = status("2001-01-01", events=corpus)
    jpn = status_of(table, "JPN")
    assert (jpn["status"], jpn["since"]) == ("ties", D(1965, 12, 18))
    syr = status_of(table, "SYR")
    assert (syr["status"], syr["since"], syr["basis"]) == ("ties", D(2000, 3, 3), "corpus")


def test_same_day_break_comes_after_opening(status):
    for rows in (
        [
            ("establish_relations", "KOR", "SYR", "2000-01-01", "day"),
            ("sever_relations", "KOR", "SYR", "2000-01-01", "day"),
        ],
        [
            ("sever_relations", "KOR", "SYR", "2000-01-01", "day"),
            ("establish_relations", "KOR", "SYR", "2000-01-01", "day"),
        ],
    ):
        syr = status_of(status("2000-01-02", events=make_events(rows, "corpus")), "SYR")
        assert syr["status"] == "severed"


def test_pair_order_does_not_matter(status):
    corpus = make_events([("sever_relations", "KOR", "FRA", "2000-01-01", "day")], "corpus")
    assert status_of(status("2000-01-02", events=corpus), "FRA")["status"] == "severed"


# --------------------------------------------------------------------------- basis, conflict


def test_corpus_dating_far_from_reference_is_a_conflict(status, reference):
    corpus = make_events([("establish_relations", "FRA", "KOR", "2025-04-10", "day")], "corpus")
    fra = status_of(status("2025-04-11", events=corpus), "FRA")
    assert (fra["status"], fra["basis"], fra["conflict"]) == ("ties", "reference+corpus", True)
    assert fra["since"] == D(1949, 1, 1)


def test_agreeing_sources_are_no_conflict(status):
    corpus = make_events(
        [("establish_relations", "KOR", "SYR", "2025-04-10", "day", SYRIA_SENTENCE)], "corpus"
    )
    syr = status_of(status("2025-04-11", events=corpus), "SYR")
    assert (syr["status"], syr["since"]) == ("ties", D(2025, 4, 10))
    assert (syr["basis"], syr["conflict"]) == ("reference+corpus", False)
    assert SYRIA_SENTENCE in syr["evidence"]
    assert "reference establish_relations KOR-SYR" in syr["evidence"]


def test_precise_corpus_date_inside_reference_year_refines_since(status):
    corpus = make_events([("establish_relations", "FRA", "KOR", "1949-05-03", "day")], "corpus")
    fra = status_of(status("1950-01-01", events=corpus), "FRA")
    assert (fra["since"], fra["precision"], fra["conflict"]) == (D(1949, 5, 3), "day", False)
    assert fra["basis"] == "reference+corpus"


def test_status_disagreement_is_a_conflict(status):
    corpus = make_events([("sever_relations", "JPN", "KOR", "2010-01-01", "day")], "corpus")
    jpn = status_of(status("2011-01-01", events=corpus), "JPN")
    assert (jpn["status"], jpn["basis"], jpn["conflict"]) == ("severed", "corpus", True)
    assert (jpn["reference_status"], jpn["corpus_status"]) == ("ties", "severed")


def test_corpus_filling_a_reference_gap_is_no_conflict(status, reference, actors, notes):
    without_syria = reference.filter(~((pl.col("b") == "SYR") & (pl.col("a") == "KOR")))
    corpus = make_events(
        [("establish_relations", "KOR", "SYR", "2025-04-10", "day", SYRIA_SENTENCE)], "corpus"
    )
    syr = status_of(status("2025-04-11", events=corpus, reference=without_syria), "SYR")
    assert (syr["status"], syr["since"], syr["basis"]) == ("ties", D(2025, 4, 10), "corpus")
    assert (syr["evidence"], syr["conflict"]) == (SYRIA_SENTENCE, False)


def test_rows_given_twice_count_once(status, reference):
    syria = reference.filter(pl.col("b") == "SYR")
    once = status("2025-04-11")
    twice = status("2025-04-11", events=syria)
    assert once.equals(twice)


def test_same_event_id_with_different_content_is_an_error(status, reference):
    changed = reference.head(1).with_columns(date=pl.lit(D(1900, 1, 1)))
    with pytest.raises(ValueError, match="event_id repeated"):
        status("2025-04-11", events=changed)


# --------------------------------------------------------------------------- coverage


def test_reference_none_gives_unknown(status, reference, monkeypatch):
    # The universe still comes from the (here: hand-made) shipped admission rows.
    monkeypatch.setattr(relations, "_shipped_reference", lambda: reference)
    corpus = make_events([("establish_relations", "FRA", "KOR", "1990-01-01", "day")], "corpus")
    table = status("2000-01-01", events=corpus, reference=None)
    assert table["counterpart"].to_list() == ["CUB", "FRA", "JPN", "KOR", "PRK", "SYR"]
    assert status_of(table, "FRA")["status"] == "ties"
    assert status_of(table, "FRA")["basis"] == "corpus"
    assert status_of(table, "JPN")["status"] == "unknown"
    assert status_of(table, "JPN")["basis"] is None
    assert status_of(table, "PRK")["status"] == "not_applicable"


def test_reference_does_not_cover_other_focal_states(reference, actors, notes):
    table = relation_status(
        "SYR", as_of="2025-04-11", reference=reference, actors=actors, notes=notes
    )
    assert status_of(table, "KOR")["status"] == "ties"
    assert status_of(table, "FRA")["status"] == "unknown"
    assert status_of(table, "SYR")["status"] == "self"
    covered = relation_status(
        "SYR", as_of="2025-04-11", reference=reference, actors=actors, notes=notes, covers=["SYR"]
    )
    assert status_of(covered, "FRA")["status"] == "no_ties"


# --------------------------------------------------------------------------- universe


def test_admission_dates_are_respected(status):
    assert "JPN" not in status("1956-12-17")["counterpart"].to_list()
    assert "JPN" in status("1956-12-18")["counterpart"].to_list()
    before = status("1991-09-16")["counterpart"].to_list()
    assert "KOR" not in before
    assert "PRK" not in before
    assert status_of(status("1991-09-17"), "KOR")["status"] == "self"


def test_year_precision_admission_counts_at_year_end(reference, actors, notes):
    late = reference.with_columns(
        date=pl.when(pl.col("event_id").str.contains("un_admission-JPN"))
        .then(pl.lit(D(1956, 1, 1)))
        .otherwise(pl.col("date")),
        precision=pl.when(pl.col("event_id").str.contains("un_admission-JPN"))
        .then(pl.lit("year"))
        .otherwise(pl.col("precision")),
    )
    members = relation_status("KOR", as_of="1956-12-30", reference=late, actors=actors, notes=notes)
    assert "JPN" not in members["counterpart"].to_list()
    members = relation_status("KOR", as_of="1956-12-31", reference=late, actors=actors, notes=notes)
    assert "JPN" in members["counterpart"].to_list()


def test_universe_all_and_list(status):
    everyone = status("2025-04-11", universe="all")
    assert everyone["counterpart"].to_list() == ["CUB", "FRA", "JPN", "KOR", "PRK", "SYR", "TWN"]
    assert status_of(everyone, "TWN")["status"] == "no_ties"
    chosen = status("1950-01-01", universe=["SYR", "FRA", "KOR"])
    assert chosen["counterpart"].to_list() == ["FRA", "KOR", "SYR"]
    assert status_of(chosen, "KOR")["status"] == "self"


def test_registry_member_without_admission_row_warns(reference, actors, notes):
    no_cuba = reference.filter(pl.col("event_id") != "ref-000-un_admission-CUB-org:un")
    with pytest.warns(UserWarning, match="CUB"):
        table = relation_status(
            "KOR", as_of="2000-01-01", reference=no_cuba, actors=actors, notes=notes
        )
    assert "CUB" not in table["counterpart"].to_list()


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize("as_of", ["2025-13-01", "yesterday", "2025-4-1", None, 20250401, ""])
def test_bad_as_of_is_named(status, as_of):
    with pytest.raises(ValueError, match="as_of") as error:
        status(as_of)
    assert repr(as_of) in str(error.value)


def test_as_of_accepts_dates_and_datetimes(status):
    as_text = status("2025-04-11")
    assert as_text.equals(status(D(2025, 4, 11)))
    assert as_text.equals(status(dt.datetime(2025, 4, 11, 12, 0, tzinfo=dt.UTC)))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"reference": "shipped"}, "reference must be"),
        ({"universe": "world"}, "universe must be"),
        ({"universe": ["FRA", "ZZZ"]}, "ZZZ"),
        ({"covers": "maybe"}, "covers must be"),
        ({"notes": "none"}, "notes must be"),
    ],
)
def test_bad_options_are_named(status, options, message):
    with pytest.raises(ValueError, match=message):
        status("2025-04-11", **options)


def test_unknown_focal_is_named(reference, actors):
    with pytest.raises(ValueError, match="'XXX'"):
        relation_status("XXX", as_of="2025-04-11", reference=reference, actors=actors)
    with pytest.raises(ValueError, match="focal"):
        relation_status(None, as_of="2025-04-11", reference=reference, actors=actors)


def test_events_must_be_events(status):
    with pytest.raises(ContractError, match="events: EVENTS is missing columns"):
        status("2025-04-11", events=pl.DataFrame({"kind": ["establish_relations"]}))
    with pytest.raises(TypeError):
        status("2025-04-11", events=[("establish_relations", "KOR", "SYR")])


def test_relation_event_needs_two_parties(status):
    corpus = make_events([("establish_relations", "KOR", "KOR", "2000-01-01", "day")], "corpus")
    with pytest.raises(ValueError, match="two different parties"):
        status("2025-04-11", events=corpus)


# --------------------------------------------------------------------------- pandas


def test_pandas_in_pandas_out(reference, actors, notes):
    corpus = make_events([("sever_relations", "JPN", "KOR", "2010-01-01", "day")], "corpus")
    expected = relation_status(
        "KOR", as_of="2011-01-01", events=corpus, reference=reference, actors=actors, notes=notes
    )
    result = relation_status(
        "KOR",
        as_of="2011-01-01",
        events=corpus.to_pandas(),
        reference=reference.to_pandas(),
        actors=actors.to_pandas(),
        notes=notes.to_pandas(),
    )
    assert isinstance(result, pd.DataFrame)
    validate(result, "STATUS")
    back = pl.from_pandas(result).with_columns(pl.col("since", "as_of").cast(pl.Date))
    assert back.equals(expected)
    validate(back, "STATUS")
    history = relation_history("KOR", "CUB", reference=reference.to_pandas())
    assert isinstance(history, pd.DataFrame)
    counts = ties_over_time(
        "KOR",
        start="2000-01-01",
        end="2001-01-01",
        reference=reference.to_pandas(),
        actors=actors,
        notes=notes,
    )
    assert isinstance(counts, pd.DataFrame)


# --------------------------------------------------------------------------- history


def test_history_lists_every_change_in_order(reference):
    corpus = make_events(
        [
            ("restore_relations", "CUB", "KOR", "2024-02-14", "day", "Cuba restored ties"),
            ("visit", "CUB", "KOR", "2024-03-01", "day"),
        ],
        "corpus",
    )
    history = relation_history("KOR", "CUB", events=corpus, reference=reference)
    assert list(history.columns) == [
        "focal",
        "counterpart",
        "date",
        "precision",
        "applies_from",
        "kind",
        "status_after",
        "changed",
        "origin",
        "evidence",
        "event_id",
    ]
    assert history.select("date", "kind", "status_after", "changed", "origin").rows() == [
        (D(1949, 1, 1), "establish_relations", "ties", True, "reference"),
        (D(1959, 1, 1), "sever_relations", "severed", True, "reference"),
        (D(2024, 2, 14), "establish_relations", "ties", True, "reference"),
        (D(2024, 2, 14), "restore_relations", "ties", False, "corpus"),
    ]
    assert history["applies_from"].to_list()[:2] == [D(1949, 12, 31), D(1959, 12, 31)]
    assert history["evidence"].to_list()[-1] == "Cuba restored ties"


def test_history_of_a_pair_without_events_is_empty(reference):
    history = relation_history("KOR", "TWN", reference=reference)
    assert history.height == 0
    assert history.schema["date"] == pl.Date


def test_history_arguments(reference):
    with pytest.raises(ValueError, match="must differ"):
        relation_history("KOR", "KOR", reference=reference)
    with pytest.raises(ValueError, match="counterpart"):
        relation_history("KOR", 3, reference=reference)


# --------------------------------------------------------------------------- over time


def test_ties_over_time_steps_are_period_ends(reference, actors, notes):
    counts = ties_over_time(
        "KOR", start="1948-06-01", end="1950-03-15", reference=reference, actors=actors, notes=notes
    )
    assert counts["date"].to_list() == [D(1948, 12, 31), D(1949, 12, 31), D(1950, 3, 15)]
    # FRA and CUB (year-precision 1949) count from 1949-12-31; KOR is no member yet.
    assert counts["n_ties"].to_list() == [0, 2, 2]
    assert counts["n_members"].to_list() == [3, 3, 3]
    monthly = ties_over_time(
        "KOR",
        start="1949-11-15",
        end="1950-01-10",
        freq="month",
        reference=reference,
        actors=actors,
        notes=notes,
    )
    assert monthly["date"].to_list() == [D(1949, 11, 30), D(1949, 12, 31), D(1950, 1, 10)]
    assert monthly["n_uncertain"].to_list() == [2, 0, 0]
    daily = ties_over_time(
        "KOR",
        start="2025-04-09",
        end="2025-04-11",
        freq="day",
        reference=reference,
        actors=actors,
        notes=notes,
    )
    assert daily["n_without"].to_list() == [1, 0, 0]


def test_ties_over_time_matches_relation_status(reference, actors, notes):
    corpus = make_events(
        [
            ("suspend_relations", "JPN", "KOR", "1995-05-01", "month"),
            ("restore_relations", "JPN", "KOR", "1997-01-01", "year"),
        ],
        "corpus",
    )
    options = {"events": corpus, "reference": reference, "actors": actors, "notes": notes}
    counts = ties_over_time("KOR", start="1940-01-01", end="2026-01-01", **options)
    for row in counts.iter_rows(named=True):
        table = relation_status("KOR", as_of=row["date"], **options)
        assert row["n_members"] == table.height
        for name in (
            "ties",
            "no_ties",
            "severed",
            "suspended",
            "unknown",
            "not_applicable",
            "self",
        ):
            assert row[f"n_{name}"] == (table["status"] == name).sum(), (row["date"], name)
        assert row["n_uncertain"] == table["uncertain"].sum()
        assert row["n_without"] == (~table["status"].is_in(WITHOUT_TIES)).sum()


def test_ties_over_time_arguments(reference, actors):
    with pytest.raises(ValueError, match="freq"):
        ties_over_time(
            "KOR",
            start="2000-01-01",
            end="2001-01-01",
            freq="week",
            reference=reference,
            actors=actors,
        )
    with pytest.raises(ValueError, match="start"):
        ties_over_time(
            "KOR", start="2002-01-01", end="2001-01-01", reference=reference, actors=actors
        )
    with pytest.raises(ValueError, match="end"):
        ties_over_time("KOR", start="2002-01-01", end="soon", reference=reference, actors=actors)


# --------------------------------------------------------------------------- shipped data


def without_ties(table):
    return set(table.filter(~pl.col("status").is_in(WITHOUT_TIES))["counterpart"].to_list())


def test_shipped_only_syria_lacked_ties_before_2025_04_10():
    before = tk.relation_status("KOR", as_of="2025-04-09")
    validate(before, "STATUS")
    assert without_ties(before) == {"SYR"}
    after = tk.relation_status("KOR", as_of="2025-04-11")
    assert without_ties(after) == set()
    assert after.height == 193
    assert status_of(after, "PRK")["status"] == "not_applicable"
    assert status_of(after, "KOR")["status"] == "self"


def test_shipped_corpus_row_alone_gives_syria_ties():
    reference = tk.load_reference_events()
    syria = (pl.col("kind") != "un_admission") & ((pl.col("a") == "SYR") | (pl.col("b") == "SYR"))
    assert reference.filter(syria).height > 0
    corpus = make_events(
        [("establish_relations", "KOR", "SYR", "2025-04-10", "day", SYRIA_SENTENCE)], "corpus"
    )
    table = tk.relation_status(
        "KOR", as_of="2025-04-11", events=corpus, reference=reference.filter(~syria)
    )
    syr = status_of(table, "SYR")
    assert (syr["status"], syr["since"], syr["basis"]) == ("ties", D(2025, 4, 10), "corpus")
    assert syr["evidence"] == SYRIA_SENTENCE
    assert syr["conflict"] is False
    assert (
        status_of(
            tk.relation_status(
                "KOR", as_of="2025-04-09", events=corpus, reference=reference.filter(~syria)
            ),
            "SYR",
        )["status"]
        == "no_ties"
    )


def test_shipped_corpus_pipeline_gives_syria_ties():
    articles = tk.load_articles("data/raw/corpus")
    sentences = tk.split_sentences(articles)
    mentions = tk.extract_mentions(sentences, tk.load_actors())
    events = tk.extract_events(sentences, mentions)
    reference = tk.load_reference_events()
    syria = (pl.col("kind") != "un_admission") & ((pl.col("a") == "SYR") | (pl.col("b") == "SYR"))
    table = tk.relation_status(
        "KOR", as_of="2025-04-11", events=events, reference=reference.filter(~syria)
    )
    validate(table, "STATUS")
    syr = status_of(table, "SYR")
    assert (syr["status"], syr["since"], syr["basis"]) == ("ties", D(2025, 4, 10), "corpus")
    assert (
        "The Syrian Arab Republic and South Korea established diplomatic relations"
        in (syr["evidence"])
    )
    first_article = articles["article_id"][0]
    history = relation_history("KOR", "SYR", events=events, reference=None)
    deciding = history.filter(pl.col("changed")).row(0, named=True)
    assert deciding["date"] == D(2025, 4, 10)
    assert deciding["event_id"] in events.filter(pl.col("article_id") == first_article)["event_id"]
    # With the full reference, corpus and reference agree.
    full = status_of(tk.relation_status("KOR", as_of="2025-04-11", events=events), "SYR")
    assert (full["status"], full["basis"], full["conflict"]) == ("ties", "reference+corpus", False)


def test_repeated_corpus_reports_decide_by_smallest_event_id(status):
    rows = [
        ("establish_relations", "KOR", "SYR", "2025-04-10", "day", f"report {i}") for i in range(5)
    ]
    corpus = make_events(rows, "corpus").reverse()
    syr = status_of(status("2025-04-11", events=corpus, reference=None, covers=True), "SYR")
    assert (syr["status"], syr["since"], syr["basis"]) == ("ties", D(2025, 4, 10), "corpus")
    assert syr["evidence"] == "report 0"


def test_ties_over_time_with_a_fixed_universe(reference, actors, notes):
    counts = ties_over_time(
        "KOR",
        start="1940-01-01",
        end="1950-01-01",
        universe="all",
        reference=reference,
        actors=actors,
        notes=notes,
    )
    assert set(counts["n_members"].to_list()) == {7}
    assert counts["n_self"].to_list() == [1] * 11
    assert counts["n_not_applicable"].to_list() == [1] * 11
    assert counts.filter(pl.col("date") == D(1949, 12, 31))["n_ties"].to_list() == [2]


def test_fold_order_covers_every_relation_kind_once():
    from toolkit import contracts, relations

    assert sorted(relations.FOLD_ORDER) == sorted(contracts.RELATION_KINDS)
