import datetime as dt

import polars as pl
import pytest

from toolkit.workshop import EXERCISES, check


def test_every_exercise_says_no_answer_yet_for_none():
    for exercise in EXERCISES:
        assert "no answer yet" in check(exercise, None)


def test_set_answers_accept_lists_and_reject_wrong_sets():
    edges = pl.DataFrame({"source": ["KOR", "RUS", "org:un"], "target": ["SYR", "SYR", "SYR"]})
    assert check("syria-neighbours", ["KOR", "RUS"], edges=edges).endswith("correct.")
    assert "not yet" in check("syria-neighbours", {"KOR"}, edges=edges)


def test_date_answers_accept_iso_strings_and_explain_bad_ones():
    events = pl.DataFrame(
        {"kind": ["establish_relations"], "origin": ["corpus"], "date": [dt.date(2025, 4, 10)]}
    )
    assert check("establish-date", "2025-04-10", events=events).endswith("correct.")
    assert "not yet" in check("establish-date", "2025-04-14", events=events)
    assert "YYYY-MM-DD" in check("establish-date", "10 April", events=events)


def test_top_actor_breaks_ties_by_id():
    mentions = pl.DataFrame({"actor_id": ["SYR", "KOR", "KOR", "SYR"]})
    assert check("top-actor", "KOR", mentions=mentions).endswith("correct.")


def test_unknown_exercise_is_named():
    with pytest.raises(ValueError, match="'ex9'"):
        check("ex9", 1)
