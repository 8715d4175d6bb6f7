"""Tests for ``toolkit._cues``: the compiled cue flags equal the regex path where decided."""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import random
import re
from pathlib import Path
from unittest import mock

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit import mentions as mentions_module
from toolkit._cues import cue_flags

GOLD_DIR = Path(__file__).parent / "data" / "gold_mentions"
# the alphabet cue_flags must decide: ASCII, ’ ‘ “ ” — – and the no-break space
ALLOWED = {chr(c) for c in range(128)} | set("’‘“”—–\u00a0")
CAPITALS = ("Seoul", "Moscow", "Syria", "Tokyo")


def reference(codes, gstart, gend, lo, hi):
    """``_regex_cues`` on the same inputs (it takes the code points or the joined text)."""
    regex_cues = mentions_module._regex_cues
    if next(iter(inspect.signature(regex_cues).parameters)) == "joined":
        return regex_cues(codes.tobytes().decode("utf-32-le"), gstart, gend, lo, hi)
    return regex_cues(codes, gstart, gend, lo, hi)


def windows(texts, spans):
    """(codes, gstart, gend, lo, hi) for mentions ``spans`` = [(text index, start, end)].

    The texts are joined as _as_place sees sentences: " " + texts joined by " " + " ",
    the context 48 characters before a mention and 32 after, within its text.
    """
    joined = " " + " ".join(texts) + " "
    offsets = np.cumsum([1] + [len(t) + 1 for t in texts[:-1]])
    lengths = np.array([len(t) for t in texts])
    rows = np.array([row for row, _, _ in spans], dtype=np.int64)
    gstart = offsets[rows] + np.array([start for _, start, _ in spans], dtype=np.int64)
    gend = offsets[rows] + np.array([end for _, _, end in spans], dtype=np.int64)
    lo = np.maximum(gstart - 48, offsets[rows])
    hi = np.minimum(gend + 32, (offsets + lengths)[rows])
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    return codes, gstart, gend, lo, hi


def check(codes, gstart, gend, lo, hi) -> int:
    """Assert the compiled flags equal the regexes' where decided; the number decided."""
    locative, relation, acting, decided = cue_flags(codes, gstart, gend, lo, hi)
    if codes.max(initial=0) <= 0xFFFF:  # the 16-bit code points join_codes gives mostly
        narrow = cue_flags(codes.astype(np.uint16), gstart, gend, lo, hi)
        wide = (locative, relation, acting, decided)
        assert all(np.array_equal(w, n) for w, n in zip(wide, narrow, strict=True))
    expected = reference(codes, gstart, gend, lo, hi)
    text = codes.tobytes().decode("utf-32-le")
    for i in range(gstart.size):
        before, after = text[lo[i] : gstart[i]], text[gend[i] : hi[i]]
        context = f"{before!r} [{text[gstart[i] : gend[i]]}] {after!r}"
        if set(before + after) <= ALLOWED:
            assert decided[i], context
        if decided[i]:
            got = (locative[i], relation[i], acting[i])
            assert got == tuple(flags[i] for flags in expected), context
        else:
            assert not (locative[i] or relation[i] or acting[i]), context
    return int(decided.sum())


def seoul_windows(texts: list[str]):
    """:func:`windows` for the first "Seoul" of each text."""
    return windows(
        texts, [(row, t.index("Seoul"), t.index("Seoul") + 5) for row, t in enumerate(texts)]
    )


def flags_of(text: str) -> tuple[bool, bool, bool, bool]:
    """(locative, relation, acting, decided) of the first "Seoul" in ``text``."""
    return tuple(bool(x[0]) for x in cue_flags(*seoul_windows([text])))


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (locative, relation, acting, decided)
        ("Officials discussed relations with Seoul on Monday.", (False, True, True, True)),
        ("Talks were held in Tokyo and Seoul last week.", (True, False, False, True)),
        ("Talks were held in Portland and Seoul last week.", (True, False, False, True)),
        ("Talks were held in Goethe Seoul last week.", (True, False, False, True)),
        ("Talks were held in Windsor, Seoul last week.", (True, False, False, True)),
        ("Talks were held in iPhone Seoul last week.", (False, False, False, True)),
        ("The delegation flew to Seoul on Monday.", (True, False, False, True)),
        ("Seoul said the talks would resume.", (False, False, True, True)),
        ("Seoul and Tokyo condemned the launch.", (False, False, True, True)),
        ("Seoul's envoy arrived.", (False, False, True, True)),
        ("Exports from Seoul’s port rose.", (False, False, True, True)),
        ("A new brand Seoul said little about.", (False, False, True, True)),
        ("A new brand Seoul sold well.", (False, False, False, True)),
        ("The award for Seoul was announced.", (False, False, True, True)),
        ("The award for Seoul came late.", (False, False, False, True)),
        ("Seoul orange exports rose.", (False, False, False, True)),
        ("Aid went to (Seoul) first.", (False, False, False, True)),
        ("Aid arrived (in Seoul) today.", (True, False, False, True)),
        ("Aid arrived “in Seoul” today.", (True, False, False, True)),
        ("Aid arrived in” Seoul today.", (False, False, False, True)),
        ("Held “talks with Seoul.", (False, True, True, True)),
        ("It ended in. Seoul stayed quiet.", (False, False, False, True)),
        ("Talks ended with “Seoul” unhappy.", (False, False, False, True)),
        ("Talks in Séoul and Seoul ended.", (False, False, False, False)),
        ("x\u0600 relations with Seoul", (False, False, False, False)),
    ],
)
def test_flags_of_examples(text, expected):
    assert flags_of(text) == expected
    # and where decided, the regexes agree
    check(*seoul_windows([text]))


def test_a_prepend_character_before_the_words_read_leaves_the_mention_undecided():
    # U+0600 joins the space after it in one grapheme, which the regexes' reversal keeps
    # whole: the word before "with" becomes "\u0600relations", not a cue
    text = "x\u0600 relations with Seoul"
    codes, gstart, gend, lo, hi = windows([text], [(0, 18, 23)])
    assert reference(codes, gstart, gend, lo, hi)[1].tolist() == [False]
    assert flags_of("x relations with Seoul")[1]


def test_windows_outside_the_text_are_undecided():
    codes = np.frombuffer(" in Seoul said ".encode("utf-32-le"), dtype=np.uint32)
    starts, ends = np.array([4, 4, 4]), np.array([9, 9, 9])
    lo, hi = np.array([1, 5, 1]), np.array([14, 14, 99])
    *_, decided = cue_flags(codes, starts, ends, lo, hi)
    assert decided.tolist() == [True, False, False]
    empty = cue_flags(codes, *(np.zeros(0, dtype=np.int64) for _ in range(4)))
    assert [x.size for x in empty] == [0, 0, 0, 0]


# --------------------------------------------------------------------------- gold texts


def gold_texts() -> list[str]:
    lines = [
        line
        for path in sorted(GOLD_DIR.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "article:", "published:", "outlet:"))
    ]
    texts = [re.sub(r"\[([^\[\]|]+)\|[^\[\]]*\]", r"\1", line) for line in lines]
    # the regexes' corners (as in tests/test_mentions.py), and a few more
    texts += [
        "Aid for Seoul and help for Syria. Thousands in Seoul orange skies over Moscow said.",
        "Relations with Seoul grew. Officials flew to Moscow. It ended. With Tehran, talks.",
        "the hand Syria; brand Moscow; breathe Seoul; the Damascus or's; Seoul and’s view.",
        "Talks with Seoul, ties to Moscow were: arrived in Damascus! based in Tehran? so.",
        "Seoul's aid, Moscow’s role, Damascus' walls, Tehran’ said, Seoul  said, Seoul\tsaid.",
        "An envoy in Seoul negotiationsabout Moscow extraordinarily Damascus relationship.",
        "in Syria  and’s view, to Syria  or's aid, in Syria\tand's role, in Syria and's end.",
        "ties with McSeoul, in iPhone Moscow, in US. Syria, in U.S.-backed Tokyo, in A Seoul.",
        "in Seoul and, Tokyo said; in (and Moscow; to the—Syria; “in” Tokyo; in Seoul\u00a0said.",
        "It was “over.” Seoul said; relations ‘with’ Moscow; pressure on Tokyo\r\nand Syria.",
        "talks with 2 Seoul, in Moscow and Tokyo and Syria agreed, in SEOUL and TOKYO’s aid.",
    ]
    rng = random.Random(7)
    words = "in to with from Seoul Moscow Syria and or the said , . 's relations ties arrived"
    texts += [" ".join(rng.choice(words.split()) for _ in range(12)) for _ in range(300)]
    return texts


def test_gold_state_mentions_agree_with_the_regexes():
    texts = gold_texts()
    sentences = pl.DataFrame(
        {
            "sentence_id": [f"{'a' * 16}-s{i:05d}" for i in range(len(texts))],
            "article_id": ["a" * 16] * len(texts),
            "section": ["body"] * len(texts),
            "paragraph": list(range(len(texts))),
            "position": list(range(len(texts))),
            "text": texts,
            "published": pl.Series([dt.date(2026, 1, 28)] * len(texts), dtype=pl.Date),
        }
    )
    mentions = tk.extract_mentions(
        sentences, tk.load_actors(include_user=False), roles=tk.load_roles(include_user=False)
    )
    states = mentions.filter(
        pl.col("actor_id").str.contains(r"^[A-Z]{3}$") & (pl.col("how") != "demonym")
    )
    spans = states.select("sentence", "start", "end").rows()
    assert len(spans) > 800
    assert check(*windows(texts, spans)) > 800


def test_every_capitalised_word_of_the_gold_texts_agrees_with_the_regexes():
    texts = gold_texts()
    spans = [
        (row, m.start(), m.end())
        for row, text in enumerate(texts)
        for m in re.finditer(r"\b[A-Z][A-Za-z]+\b", text)
    ]
    assert check(*windows(texts, spans)) > 1400


# --------------------------------------------------------------------------- property


def _cues() -> list[str]:
    return sorted(
        mentions_module._LOCATIVE_SET | mentions_module._RELATION_SET | mentions_module._VERB_SET
    )


_WORDS = [*CAPITALS, "and", "or", "the", "brand", "for", "orange", "andes", "42", "iPhone"]
_WORDS += ["Portland", "Windsor", "Goethe", "McDonald", "US", "U.S.", "that", "be", "A"]
_PUNCTUATION = [",", ".", "!", "?", "'s", "’s", "'", "’", "(", ")", "—", "“", "”", "-", ";"]
_RARE = ["é", "Zürich", "\u2003", "\u0600", "\u0301", "_"]  # outside the alphabet, and "_"
_SPACES = [" ", " ", " ", "  ", "\t", "\u00a0", "\r\n", "\n"]


def _attached(draw, word: str) -> str:
    """``word``, sometimes with punctuation attached: "(Seoul," "Seoul’s" "“in"."""
    if draw(st.integers(0, 2)):
        return word
    before = draw(st.sampled_from(["", "", "(", "“", "'", "-", "—"]))
    after = draw(st.sampled_from(["", ",", ".", "’s", "'s", "'", ")", "”", ".”", "?'", ":", "!"]))
    return before + word + after


@st.composite
def tokens(draw):
    kind = draw(st.sampled_from(["cue", "cue", "cue", "word", "word", "punct", "rare"]))
    if kind == "cue":
        cue = draw(st.sampled_from(_cues()))
        case = draw(st.sampled_from(["lower", "lower", "lower", "title", "upper", "mixed"]))
        if case == "mixed":
            caps = draw(st.lists(st.booleans(), min_size=len(cue), max_size=len(cue)))
            cue = "".join(c.upper() if up else c for c, up in zip(cue, caps, strict=True))
        else:
            cue = {"lower": cue, "title": cue.title(), "upper": cue.upper()}[case]
        return _attached(draw, cue) if draw(st.integers(0, 3)) == 0 else cue
    if kind == "punct":
        return draw(st.sampled_from(_PUNCTUATION))
    return _attached(draw, draw(st.sampled_from(_RARE if kind == "rare" else _WORDS)))


@st.composite
def sentences(draw):
    words = draw(st.lists(tokens(), min_size=1, max_size=14))
    at = draw(st.integers(0, len(words)))
    words.insert(at, _attached(draw, draw(st.sampled_from(CAPITALS))))  # a mention, at least
    spaces = draw(st.lists(st.sampled_from(_SPACES), min_size=len(words), max_size=len(words)))
    # sometimes no separator between two tokens: "Seoul," "and’s" "inSeoul"
    glued = draw(st.lists(st.integers(0, 9), min_size=len(words), max_size=len(words)))
    text = "".join(
        word + (space if keep else "")
        for word, space, keep in zip(words, spaces, glued, strict=True)
    )
    return text.strip(" ")


def check_sentences(texts):
    spans = [
        (row, m.start(), m.end())
        for row, text in enumerate(texts)
        for m in re.finditer("|".join(CAPITALS), text)
    ]
    check(*windows(texts, spans))


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(sentences(), min_size=1, max_size=8))
def test_random_sentences_agree_with_the_regexes(texts):
    check_sentences(texts)


# Cues the shipped sets lack, which make the rest of the rules matter: a final
# [.!?] (the "stop" rule), a sentence end before a two-word cue, a two-word verb
# ("n1 n2" stripped as a whole), a cue after "and"/"or" glued to a word
PATCHED = {
    "_LOCATIVE_SET": {"in.", "ended. by", "over! in", "to’"},
    "_RELATION_SET": {"with, seoul", "(ties with"},
    "_VERB_SET": {"said, that", "per, se", "will be", "orange", "andes", "the’s", "or,"},
}


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(sentences(), min_size=1, max_size=8))
def test_random_sentences_agree_with_the_regexes_for_other_cue_sets(texts):
    with contextlib.ExitStack() as stack:
        for name, extra in PATCHED.items():
            patched = frozenset(getattr(mentions_module, name) | extra)
            stack.enter_context(mock.patch.object(mentions_module, name, patched))
        check_sentences(texts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They ended in. Seoul stayed.", (False, False, False, True)),
        ("It ended. by Seoul.", (False, False, False, True)),
        ("It ended by Seoul.", (False, False, False, True)),
        ("It “ended.” by Seoul.", (False, False, False, True)),
        ("They ended “in.” Seoul stayed.", (False, False, False, True)),
        ("They ended “in” Seoul stayed.", (False, False, False, True)),
        ("Seoul (said, that) it would.", (False, False, True, True)),
        ("Seoul (per, se) it would.", (False, False, True, True)),
        ("Seoul (per se) it would.", (False, False, False, True)),
        ("Seoul will be there.", (False, False, True, True)),
        ("Seoul orange and more.", (False, False, True, True)),
        ("Seoul or, Tokyo.", (False, False, False, True)),
        ("We (ties with Seoul) agree.", (False, True, True, True)),
    ],
)
def test_examples_for_other_cue_sets(text, expected, monkeypatch):
    for name, extra in PATCHED.items():
        monkeypatch.setattr(mentions_module, name, getattr(mentions_module, name) | extra)
    assert flags_of(text) == expected
    check(*seoul_windows([text]))


def test_the_empty_string_as_a_cue(monkeypatch):
    # c1 is "" with no word before; c2 is " " + c1; n1 is "" with no word after
    monkeypatch.setattr(mentions_module, "_RELATION_SET", frozenset({"", " in"}))
    monkeypatch.setattr(mentions_module, "_VERB_SET", frozenset({""}))
    texts = ["Seoul", "in Seoul", "It ended. in Seoul.", "x in Seoul", "Seoul said"]
    locative, relation, acting, decided = cue_flags(*seoul_windows(texts))
    assert decided.all()
    assert locative.tolist() == [False, False, False, True, False]  # "x in": c1 "in"
    assert relation.tolist() == [True, True, True, False, True]
    assert acting.all()
    check(*seoul_windows(texts))
