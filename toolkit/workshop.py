"""Answer checks for the workshop notebook (``notebooks/00-workshop.ipynb``).

Each exercise's expected answer is computed from the tables the learner has
built, not typed in here, so the checks stay right when the corpus grows or a
teacher swaps in another one. :func:`check` returns a short verdict string; a
wrong answer gets a hint, never the answer.

Examples
--------
>>> import polars as pl
>>> articles = pl.DataFrame({"article_id": ["a", "b"]})
>>> check("count-articles", 2, articles=articles)
'count-articles: correct.'
>>> check("count-articles", 3, articles=articles)
'count-articles: not yet. Hint: one row of ARTICLES is one article: articles.height.'
>>> check("count-articles", None, articles=articles)
'count-articles: no answer yet. Replace None with your answer and run the cell again.'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from toolkit._backend import to_polars


def _count_articles(*, articles, **_) -> int:
    return to_polars(articles).height


def _count_sentences(*, sentences, **_) -> int:
    return to_polars(sentences).height


def _top_actor(*, mentions, **_) -> str:
    counts = to_polars(mentions).group_by("actor_id").len()
    return counts.sort(["len", "actor_id"], descending=[True, False]).get_column("actor_id")[0]


def _syria_neighbours(*, edges, **_) -> set[str]:
    edges = to_polars(edges)
    touching = edges.filter((pl.col("source") == "SYR") | (pl.col("target") == "SYR"))
    others = set(touching.get_column("source")) | set(touching.get_column("target"))
    return {actor for actor in others - {"SYR"} if len(actor) == 3 and actor.isupper()}


def _without_ties(*, status, **_) -> set[str]:
    status = to_polars(status)
    without = status.filter(~pl.col("status").is_in(["ties", "self", "not_applicable"]))
    return set(without.get_column("counterpart"))


def _establish_date(*, events, **_) -> dt.date:
    events = to_polars(events).filter(
        (pl.col("kind") == "establish_relations") & (pl.col("origin") == "corpus")
    )
    return events.sort("date").get_column("date")[0]


#: exercise -> (how the expected answer is computed, the hint for a wrong answer)
EXERCISES: dict[str, tuple[Callable[..., object], str]] = {
    "count-articles": (_count_articles, "one row of ARTICLES is one article: articles.height."),
    "count-sentences": (_count_sentences, "count the rows of SENTENCES, all sections included."),
    "top-actor": (
        _top_actor,
        "group MENTIONS by actor_id and count; answer with the actor_id, e.g. 'KOR'.",
    ),
    "syria-neighbours": (
        _syria_neighbours,
        "keep EDGES rows where source or target is 'SYR'; answer with a set of state ISO3 codes.",
    ),
    "without-ties": (
        _without_ties,
        "statuses other than ties, self and not_applicable count as without ties; a set of ISO3.",
    ),
    "establish-date": (
        _establish_date,
        "the article is dated Monday 2025-04-14; which date is the Thursday before it?",
    ),
}


def check(exercise: str, answer, **tables) -> str:
    """Compare a learner's ``answer`` to the one computed from ``tables``; return a verdict.

    Parameters
    ----------
    exercise
        One of :data:`EXERCISES`.
    answer
        The learner's answer; ``None`` means not answered yet.
    **tables
        The tables the exercise needs (``articles=``, ``mentions=``, ...).
    """
    if exercise not in EXERCISES:
        raise ValueError(f"unknown exercise {exercise!r}; exercises: {', '.join(EXERCISES)}")
    compute, hint = EXERCISES[exercise]
    if answer is None:
        return f"{exercise}: no answer yet. Replace None with your answer and run the cell again."
    expected = compute(**tables)
    if isinstance(expected, dt.date) and isinstance(answer, str):
        try:
            answer = dt.date.fromisoformat(answer)
        except ValueError:
            return f"{exercise}: {answer!r} is not a date; write it as 'YYYY-MM-DD'."
    if isinstance(expected, set) and isinstance(answer, list | tuple):
        answer = set(answer)
    if answer == expected:
        return f"{exercise}: correct."
    return f"{exercise}: not yet. Hint: {hint}"
