"""Tests for the shipped reference events and their loader (toolkit.reference)."""

from __future__ import annotations

import datetime as dt
import itertools
from importlib import resources
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import toolkit as tk
from toolkit.contracts import SCHEMAS, validate
from toolkit.reference import (
    CAMEO_CODES,
    EVENT_FILE_COLUMNS,
    RELATION_KINDS,
    ReferenceDataError,
    event_period,
    load_dyad_notes,
    load_reference_events,
)

HEADER = ",".join(EVENT_FILE_COLUMNS)
OTHER_ROW = (
    "ref-CUB-KOR-establish_relations-2024-02-14,establish_relations,CUB,KOR,"
    "2024-02-14,day,054,notes exchanged,https://example.org/cuba,"
)
GOOD_ROW = (
    "ref-KOR-SYR-establish_relations-2025-04-10,establish_relations,KOR,SYR,"
    "2025-04-10,day,054,signed in Damascus,https://example.org/syria,"
)


@pytest.fixture(scope="module")
def events() -> pl.DataFrame:
    return load_reference_events()


@pytest.fixture(scope="module")
def admissions(events) -> pl.DataFrame:
    return events.filter(pl.col("kind") == "un_admission")


@pytest.fixture(scope="module")
def korea(events) -> pl.DataFrame:
    relation = events.filter(pl.col("kind").is_in(RELATION_KINDS))
    return relation.with_columns(
        counterpart=pl.when(pl.col("a") == "KOR").then(pl.col("b")).otherwise(pl.col("a"))
    )


def _admitted(admissions, iso3: str) -> dt.date:
    return admissions.filter(pl.col("a") == iso3).get_column("date").item()


# --- contract and shape -------------------------------------------------------------------


def test_events_pass_the_contract(events):
    validate(events, "EVENTS")
    assert list(events.columns[: len(SCHEMAS["EVENTS"])]) != []
    assert set(SCHEMAS["EVENTS"]) | {"source", "note"} == set(events.columns)


def test_reference_rows_have_origin_and_no_corpus_ids(events):
    assert events.get_column("origin").unique().to_list() == ["reference"]
    assert events.get_column("article_id").null_count() == events.height
    assert events.get_column("sentence_id").null_count() == events.height


def test_sorted_by_unique_event_id(events):
    ids = events.get_column("event_id").to_list()
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))


def test_every_row_has_source_and_evidence(events):
    assert events.filter(pl.col("source").is_null() | (pl.col("source") == "")).height == 0
    assert events.get_column("evidence").null_count() == 0


def test_relation_pairs_are_ordered(korea):
    assert korea.filter(pl.col("a") >= pl.col("b")).height == 0


def test_event_ids_follow_the_convention(events):
    expected = pl.format(
        "ref-{}-{}-{}-{}", "a", "b", "kind", pl.col("date").dt.strftime("%Y-%m-%d")
    )
    assert events.filter(pl.col("event_id") != expected).height == 0


def test_partial_dates_are_stored_as_first_day_of_period(events):
    month = events.filter(pl.col("precision") == "month")
    year = events.filter(pl.col("precision") == "year")
    assert month.filter(pl.col("date").dt.day() != 1).height == 0
    assert (
        year.filter((pl.col("date").dt.day() != 1) | (pl.col("date").dt.month() != 1)).height == 0
    )


def test_cameo_codes_follow_the_documented_mapping(events):
    shipped = set(events.get_column("kind").to_list())
    assert {"establish_relations", "sever_relations", "restore_relations"} <= shipped
    for kind in shipped:
        codes = events.filter(pl.col("kind") == kind).get_column("cameo").unique().to_list()
        assert codes == [CAMEO_CODES[kind]], kind


def test_pandas_backend_returns_pandas():
    table = load_reference_events(backend="pandas")
    assert isinstance(table, pd.DataFrame)
    validate(table, "EVENTS")
    assert isinstance(load_dyad_notes(backend="pandas"), pd.DataFrame)


def test_bad_backend_is_rejected():
    with pytest.raises(ValueError, match="backend"):
        load_reference_events(backend="arrow")


def test_toolkit_exports_the_loader():
    assert tk.load_reference_events is load_reference_events


def test_loader_caches_the_parsed_file():
    assert load_reference_events() is load_reference_events()


# --- UN membership ------------------------------------------------------------------------


def test_193_un_members_with_unique_codes(admissions):
    assert admissions.height == 193
    assert admissions.get_column("a").n_unique() == 193
    assert admissions.get_column("b").unique().to_list() == ["org:un"]
    assert admissions.get_column("precision").unique().to_list() == ["day"]


@pytest.mark.parametrize(
    ("iso3", "date"),
    [
        ("KOR", "1991-09-17"),
        ("PRK", "1991-09-17"),
        ("SSD", "2011-07-14"),
        ("USA", "1945-10-24"),
        ("RUS", "1945-10-24"),
        ("SYR", "1945-10-24"),
        ("CZE", "1993-01-19"),
        ("SVK", "1993-01-19"),
        ("YEM", "1947-09-30"),
        ("TZA", "1961-12-14"),
        ("DEU", "1973-09-18"),
        ("SRB", "2000-11-01"),
        ("MNE", "2006-06-28"),
        ("CHE", "2002-09-10"),
        ("TLS", "2002-09-27"),
        ("JPN", "1956-12-18"),
    ],
)
def test_known_admission_dates(admissions, iso3, date):
    assert _admitted(admissions, iso3) == dt.date.fromisoformat(date)


def test_original_members(admissions):
    # 51 original members, less Czechoslovakia and Yugoslavia whose successors were admitted anew.
    originals = admissions.filter(pl.col("date") <= dt.date(1945, 12, 27))
    assert originals.height == 49


def test_cross_check_with_states_registry(admissions):
    states = pl.read_csv(resources.files("toolkit") / "data" / "states.csv")
    members = set(states.filter(pl.col("un_member")).get_column("actor_id").to_list())
    assert members == set(admissions.get_column("a").to_list())


# --- South Korea's relations -------------------------------------------------------------


def test_every_un_member_but_the_koreas_has_a_relation_event(admissions, korea):
    members = set(admissions.get_column("a").to_list()) - {"KOR", "PRK"}
    assert set(korea.get_column("counterpart").to_list()) == members
    assert korea.filter((pl.col("a") != "KOR") & (pl.col("b") != "KOR")).height == 0


def test_no_relation_events_with_north_korea(korea):
    assert korea.filter(pl.col("counterpart") == "PRK").height == 0


def test_north_korea_is_a_dyad_note():
    notes = load_dyad_notes()
    row = notes.filter((pl.col("focal") == "KOR") & (pl.col("counterpart") == "PRK"))
    assert row.get_column("status").to_list() == ["not_applicable"]
    assert "Basic Agreement" in row.get_column("reason").item()
    assert row.get_column("source").item().startswith("http")


def _on(korea: pl.DataFrame, iso3: str, kind: str) -> list[tuple[dt.date, str]]:
    rows = korea.filter((pl.col("counterpart") == iso3) & (pl.col("kind") == kind))
    return rows.select("date", "precision").rows()


def test_syria_established_2025_04_10(korea):
    assert _on(korea, "SYR", "establish_relations") == [(dt.date(2025, 4, 10), "day")]
    assert korea.filter(pl.col("counterpart") == "SYR").height == 1


def test_cuba_established_2024_02_14(korea):
    assert (dt.date(2024, 2, 14), "day") in _on(korea, "CUB", "establish_relations")


@pytest.mark.parametrize(
    ("iso3", "kind", "date"),
    [
        ("LAO", "establish_relations", "1974-06-22"),
        ("LAO", "sever_relations", "1975-07-24"),
        ("LAO", "restore_relations", "1995-10-25"),
        ("KHM", "restore_relations", "1997-10-30"),
        ("MDG", "restore_relations", "1993-05-19"),
        ("BEN", "sever_relations", "1975-10-06"),
        ("COG", "restore_relations", "1990-06-16"),
        ("CHN", "establish_relations", "1992-08-24"),
        ("RUS", "establish_relations", "1990-09-30"),
        ("MKD", "establish_relations", "2019-07-18"),
        ("TGO", "sever_relations", "1974-09-07"),
        ("TGO", "restore_relations", "1991-01-23"),
        ("NIC", "suspend_relations", "1979-08-01"),
        ("JPN", "establish_relations", "1965-12-18"),
        ("VNM", "establish_relations", "1992-12-22"),
    ],
)
def test_known_relation_dates(korea, iso3, kind, date):
    assert dt.date.fromisoformat(date) in [d for d, _ in _on(korea, iso3, kind)]


# Last day of the period an event may fall in (see toolkit.reference.event_period).
PERIOD_END = (
    pl.when(pl.col("precision") == "day")
    .then(pl.col("date"))
    .when(pl.col("precision") == "month")
    .then(pl.col("date").dt.month_end())
    .otherwise(pl.date(pl.col("date").dt.year(), 12, 31))
)


def _ties_on(korea: pl.DataFrame, day: dt.date) -> set[str]:
    """Counterparts whose last relation event finished (whole period) before ``day``."""
    ends = korea.with_columns(end=PERIOD_END).filter(pl.col("end") < day)
    last = ends.sort("end", maintain_order=True).group_by("counterpart").agg(pl.col("kind").last())
    opened = ("establish_relations", "restore_relations")
    return set(last.filter(pl.col("kind").is_in(opened)).get_column("counterpart").to_list())


def test_period_ends_match_event_period(korea):
    # The vectorised period end used above agrees with the documented helper.
    for row in korea.with_columns(end=PERIOD_END).iter_rows(named=True):
        assert event_period(row["date"], row["precision"]) == (row["date"], row["end"])


def test_only_syria_without_ties_on_2025_04_09(admissions, korea):
    members = set(admissions.get_column("a").to_list()) - {"KOR", "PRK"}
    assert members - _ties_on(korea, dt.date(2025, 4, 9)) == {"SYR"}
    assert members - _ties_on(korea, dt.date(2025, 4, 11)) == set()


def test_history_is_ordered_per_dyad(korea):
    # Within a dyad, opening and closing events alternate: no sever before an establish.
    opened = ("establish_relations", "restore_relations")
    # Same-day ties (Guinea 1978) keep file order: establish sorts before sever by event_id.
    for (iso3,), rows in korea.sort("date", maintain_order=True).group_by(
        ["counterpart"], maintain_order=True
    ):
        kinds = rows.get_column("kind").to_list()
        assert kinds[0] == "establish_relations", iso3
        states = [kind in opened for kind in kinds]
        assert all(a != b for a, b in itertools.pairwise(states)), iso3


# --- event_period -------------------------------------------------------------------------


def test_event_period_bounds():
    assert event_period(dt.date(2023, 11, 1), "month") == (
        dt.date(2023, 11, 1),
        dt.date(2023, 11, 30),
    )
    assert event_period(dt.date(1962, 1, 1), "year")[1] == dt.date(1962, 12, 31)
    with pytest.raises(ValueError, match="precision"):
        event_period(dt.date(1962, 1, 1), "decade")


# --- malformed files ----------------------------------------------------------------------


def _write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "events.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_custom_file_loads(tmp_path):
    table = load_reference_events(path=_write(tmp_path, GOOD_ROW))
    assert table.height == 1
    assert table.get_column("date").to_list() == [dt.date(2025, 4, 10)]
    validate(table, "EVENTS")


def test_empty_file_gives_empty_valid_table(tmp_path):
    table = load_reference_events(path=_write(tmp_path))
    assert table.height == 0
    validate(table, "EVENTS")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (GOOD_ROW.replace("2025-04-10,day", "2025-04-31,day"), "not a calendar date"),
        (GOOD_ROW.replace("2025-04-10,day", "10/04/2025,day"), "not YYYY-MM-DD"),
        (GOOD_ROW.replace("2025-04-10,day", "2025-04-10,month"), "not the 1st"),
        (GOOD_ROW.replace("2025-04-10,day", "2025-04-10,year"), "not January 1st"),
        (GOOD_ROW.replace("2025-04-10,day", "2025-04-10,decade"), "precision"),
        (GOOD_ROW.replace(",establish_relations,", ",make_friends,"), "unknown kind"),
        (GOOD_ROW.replace(",KOR,SYR,", ",SYR,KOR,"), "a < b"),
        (GOOD_ROW.replace("https://example.org/syria", ""), "source"),
        (GOOD_ROW.replace(",054,", ",05x,"), "CAMEO"),
        (GOOD_ROW.replace("ref-KOR-SYR", "ref-KOR-SYRIA"), "does not match"),
        (GOOD_ROW + ",extra", "more fields"),
        (GOOD_ROW.rsplit(",", 2)[0], "fewer fields"),
    ],
)
def test_malformed_row_names_file_and_line(tmp_path, row, message):
    path = _write(tmp_path, OTHER_ROW, row)
    with pytest.raises(ReferenceDataError, match=message) as error:
        load_reference_events(path=path)
    assert str(path) in str(error.value)
    assert "line 3" in str(error.value)


def test_un_admission_needs_org_un(tmp_path):
    row = "ref-KOR-UN-un_admission-1991-09-17,un_admission,KOR,UN,1991-09-17,day,,x,https://x,"
    with pytest.raises(ReferenceDataError, match="org:un"):
        load_reference_events(path=_write(tmp_path, row))


def test_repeated_event_id_names_both_lines(tmp_path):
    with pytest.raises(ReferenceDataError, match="repeats line 2") as error:
        load_reference_events(path=_write(tmp_path, GOOD_ROW, GOOD_ROW))
    assert "line 3" in str(error.value)


def test_missing_column_is_reported(tmp_path):
    path = _write(tmp_path, header=HEADER.replace(",source", ""))
    with pytest.raises(ReferenceDataError, match="line 1: missing columns source"):
        load_reference_events(path=path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nowhere\.csv"):
        load_reference_events(path=tmp_path / "nowhere.csv")


def test_edited_file_is_read_again(tmp_path):
    path = _write(tmp_path, GOOD_ROW)
    assert load_reference_events(path=path).height == 1
    path.write_text("\n".join([HEADER, GOOD_ROW, OTHER_ROW]) + "\n", encoding="utf-8")
    assert load_reference_events(path=path).height == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("KOR,PRK,friends,x,https://x", "status"),
        ("KOR,KOR,self,x,https://x", "same state"),
        ("KOR,PRK,not_applicable,x,", "empty source"),
    ],
)
def test_malformed_dyad_notes(tmp_path, row, message):
    path = tmp_path / "notes.csv"
    path.write_text(f"focal,counterpart,status,reason,source\n{row}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=message) as error:
        load_dyad_notes(path=path)
    assert f"{path}, line 2" in str(error.value)


def test_repeated_dyad_note(tmp_path):
    path = tmp_path / "notes.csv"
    row = "KOR,PRK,not_applicable,x,https://x"
    path.write_text(f"focal,counterpart,status,reason,source\n{row}\n{row}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="repeats line 2"):
        load_dyad_notes(path=path)
