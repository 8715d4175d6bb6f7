"""The table contracts themselves: every name in DESIGN.md, and validate() catching each breach."""

import datetime as dt

import pandas as pd
import polars as pl
import pytest

from toolkit.contracts import SCHEMAS, ContractError, empty, validate

DESIGN_COLUMNS = {
    "ARTICLES": "article_id source position title published date_text dateline summary captions "
    "body url outlet n_words",
    "SENTENCES": "sentence_id article_id section paragraph position text start end",
    "ACTORS": "actor_id name kind country aliases",
    "ROLES": "actor_id role of start end",
    "MENTIONS": "article_id sentence_id section paragraph sentence published actor_id surface "
    "start end how as_place",
    "EDGES": "source target window n_windows n_articles first last pmi npmi jaccard dice",
    "NODES": "actor_id name kind country n_mentions n_articles",
    "EVENTS": "event_id kind a b date precision origin article_id sentence_id evidence cameo",
    "STATUS": "focal counterpart name status since basis evidence conflict as_of",
}


@pytest.mark.parametrize("name", sorted(DESIGN_COLUMNS))
def test_contract_names_the_design_columns(name):
    assert list(SCHEMAS[name]) == DESIGN_COLUMNS[name].split()
    assert empty(name).columns == DESIGN_COLUMNS[name].split()


def _one_status_row(**overrides):
    row = {
        "focal": "KOR",
        "counterpart": "SYR",
        "name": "Syria",
        "status": "ties",
        "since": dt.date(2025, 4, 10),
        "basis": "corpus",
        "evidence": "…",
        "conflict": False,
        "as_of": dt.date(2025, 4, 11),
    }
    row.update(overrides)
    return pl.DataFrame([row], schema=SCHEMAS["STATUS"])


def test_valid_table_passes_in_both_libraries():
    table = _one_status_row()
    assert validate(table, "STATUS") is table
    as_pandas = table.to_pandas()
    assert validate(as_pandas, "STATUS") is as_pandas


def test_missing_column_is_named():
    with pytest.raises(ContractError, match="missing columns: conflict"):
        validate(_one_status_row().drop("conflict"), "STATUS")


def test_wrong_dtype_is_named():
    table = _one_status_row().with_columns(pl.col("since").cast(pl.String))
    with pytest.raises(ContractError, match="'since' has dtype String"):
        validate(table, "STATUS")


def test_value_outside_vocabulary_is_named():
    with pytest.raises(ContractError, match="allied"):
        validate(_one_status_row(status="allied"), "STATUS")


def test_null_in_required_column_is_reported():
    with pytest.raises(ContractError, match="'status' has 1 null"):
        validate(_one_status_row(status=None), "STATUS")


def test_duplicate_key_is_reported():
    table = pl.concat([_one_status_row(), _one_status_row()])
    with pytest.raises(ContractError, match="repeat the key"):
        validate(table, "STATUS")


def test_unknown_table_and_non_frames_are_rejected():
    with pytest.raises(ContractError, match="unknown table 'EDGE'"):
        validate(pl.DataFrame(), "EDGE")
    with pytest.raises(TypeError, match="polars or pandas"):
        validate({"focal": ["KOR"]}, "STATUS")


def test_pandas_empty_frame_reports_missing_columns():
    with pytest.raises(ContractError, match="missing columns"):
        validate(pd.DataFrame(), "NODES")
