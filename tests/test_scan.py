"""The compiled scanners of toolkit._scan against their plain definitions."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit._scan import Trie, find_keys, scan
from toolkit.mentions import _fold_table, fold, reference_matches

WORDS = ["guinea", "guinea bissau", "niger", "nigeria", "a", "ab", "b a", "é", "z z", "x-y"]
KEYS = sorted({" ".join(fold(w).split()) for w in WORDS})
ALPHABET = "aAbBzZéÉ -’'.,\n\tgGuinea😀Д"


def codes_of(text: str, dtype=np.uint32) -> np.ndarray:
    """The code points of ``text``, 32 or 16 bits each (as join_codes gives them)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(dtype)


def widths(text: str) -> list:
    """The code-point types join_codes may give ``text``: 16 bits only without astral ones."""
    return [np.uint32] + ([np.uint16] if all(ord(c) <= 0xFFFF for c in text) else [])


def scanned(text: str, keys: list[str]) -> list[tuple[int, int, str]]:
    """The scan's matches in ``text``, the same for either width of code points."""
    padded = " " + text + " "
    trie = Trie(keys, _fold_table())
    results = []
    for dtype in widths(padded):
        starts, ends, key_ids = scan(trie, codes_of(padded, dtype))
        results.append(
            [(s - 1, e - 1, keys[k]) for s, e, k in zip(starts, ends, key_ids, strict=True)]
        )
    assert all(result == results[0] for result in results)
    return results[0]


def test_scan_keeps_a_shorter_key_when_the_longer_fails_its_boundary():
    keys = ["guinea", "guinea bissau", "niger", "south korea", "korea"]
    text = "Guinea-Bissauan envoys, Nigeria's and Niger's; South Korea, Korea."
    assert scanned(text, keys) == [
        (0, 6, "guinea"),
        (38, 43, "niger"),
        (47, 58, "south korea"),
        (60, 65, "korea"),
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*WORDS, *ALPHABET]), max_size=40).map("".join),
    st.lists(st.sampled_from(KEYS), min_size=1, unique=True),
)
def test_scan_equals_the_reference_regex(text, keys):
    assert scanned(text, keys) == reference_matches(text, keys)


def test_scan_resumes_when_its_output_arrays_fill():
    # far more matches than the first output arrays hold (a match every two characters)
    text = " ".join(["a"] * 60_000)
    matches = scanned(text, ["a"])
    assert len(matches) == 60_000
    assert matches[-1] == (len(text) - 1, len(text), "a")


def reference_find(text: str, key: str, start: int, stop: int) -> list[int]:
    folded, pattern, hits = fold(text), f" {key} ", []
    at = folded.find(pattern, start, stop)
    while at >= 0:
        hits.append(at + 1)
        at = folded.find(pattern, at + 1, stop)
    return hits


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*WORDS, *ALPHABET, " "]), max_size=40).map("".join),
    st.lists(st.tuples(st.sampled_from(KEYS), st.integers(0, 60), st.integers(0, 70)), max_size=6),
)
def test_find_keys_equals_repeated_str_find(text, queries):
    text = " " + text + " "
    keys = [key for key, _, _ in queries]
    froms = [start for _, start, _ in queries]
    stops = [stop for _, _, stop in queries]
    from toolkit.mentions import _upper_table

    expected = [
        (q, hit)
        for q, (key, a, b) in enumerate(queries)
        for hit in reference_find(text, key, a, min(b, len(text)))
    ]
    capitalised = [(q, hit) for q, hit in expected if text[hit].isupper()]
    for dtype in widths(text):
        codes = codes_of(text, dtype)
        query, start = find_keys(codes, _fold_table(), keys, froms, stops)
        assert list(zip(query.tolist(), start.tolist(), strict=True)) == expected
        # only hits that start with a capital, when asked
        query, start = find_keys(
            codes, _fold_table(), keys, froms, stops, first_upper=_upper_table()
        )
        assert list(zip(query.tolist(), start.tolist(), strict=True)) == capitalised


TEXT_PIECES = [*WORDS, *ALPHABET, "漢", "\U0001f1f0"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(TEXT_PIECES), max_size=8).map("".join), max_size=6),
    st.integers(0, 3),
)
def test_join_codes_gives_16_bits_unless_a_character_needs_more(texts, separator):
    import polars as pl

    from toolkit._scan import join_codes

    codes, offsets, lengths = join_codes(pl.Series(texts, dtype=pl.String), separator=separator)
    joined = " " + (" " * separator).join(texts) + " "
    assert "".join(map(chr, codes.tolist())) == joined
    assert codes.dtype == (np.uint16 if np.uint16 in widths(joined) else np.uint32)
    assert [joined[o : o + n] for o, n in zip(offsets, lengths, strict=True)] == texts


def test_find_keys_grows_its_output_when_hits_are_many():
    text = " " + " ".join(["smith"] * 3000) + " "
    query, start = find_keys(codes_of(text), _fold_table(), ["smith"], [0], [len(text)])
    assert query.size == 3000
    assert start.tolist() == [1 + 6 * i for i in range(3000)]


GAP_PIECES = ["'", "’", "s", "S", " ", "  ", "\t", "\u00a0", "\u2009", ",", "new", "top", "chief",
              "interim", "acting", "current", "incoming", "news", "x", "\n", "\u200b"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(GAP_PIECES), max_size=6).map("".join))
def test_gap_kernels_equal_their_regexes(gap):
    import polars as pl

    from toolkit._scan import name_gaps, owner_gaps
    from toolkit.mentions import _NAME_GAP_RE, _OWNER_GAP_RE, _OWNER_WORDS

    text = "Syria" + gap + "President"
    starts, ends = np.array([5]), np.array([5 + len(gap)])
    gaps = pl.Series([gap])
    for dtype in widths(text):
        codes = codes_of(text, dtype)
        owner = owner_gaps(codes, starts, ends, _OWNER_WORDS)[0]
        assert owner == gaps.str.contains(_OWNER_GAP_RE).item()
        assert name_gaps(codes, starts, ends)[0] == gaps.str.contains(_NAME_GAP_RE).item()
        # a reversed range is no gap
        assert not owner_gaps(codes, ends, starts - 1, _OWNER_WORDS)[0]


FOLLOW_PIECES = [",", " ", "  ", "\u00a0", "\u2003", "\t", "Lionel", "Aingimea", "al", "de",
                 "Émile", "Ömer", "ärger", "lower", ".", "'", "’", "-", "A.", "Zhou",
                 "\n"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FOLLOW_PIECES), max_size=7).map("".join))
def test_capital_after_never_drops_a_name_the_regex_finds(follow):
    from toolkit._scan import capital_after
    from toolkit.mentions import _INFERRED_RE, _NAME_INITIALS, _space_table

    text = "President" + follow
    starts, stops = np.array([9]), np.array([len(text)])
    passes = capital_after(codes_of(text), starts, stops, _space_table(), _NAME_INITIALS)[0]
    narrow = codes_of(text, np.uint16)
    assert capital_after(narrow, starts, stops, _space_table(), _NAME_INITIALS)[0] == passes
    if _INFERRED_RE.match(follow):
        assert passes
    # and it is exactly the regex's prefix
    assert passes == bool(re.match(r",?\s+[A-ZÀ-ÖØ-Þ]", follow))


@pytest.mark.parametrize("walk", [False, True])
def test_a_word_whose_hash_is_in_the_table_is_still_checked(walk):
    from toolkit._scan import _word_hash

    trie = Trie(["niger", "south korea"], _fold_table())
    # as if "nigeri" collided with a first word: the check (or the walk) must decide
    value = _word_hash([int(trie.class_of[ord(c)]) for c in "nigeri"])
    slot = value & (trie.first_words.size - 1)
    while trie.first_words[slot] not in (0, value):
        slot = (slot + 1) & (trie.first_words.size - 1)
    trie.first_words[slot] = value
    trie.word_key[slot] = 0  # "niger", whose check against "nigeri" must fail
    trie.word_longer[slot] = walk
    codes = codes_of(" Nigeri and Niger, South Korea; South Africa ")
    starts, ends, key_ids = scan(trie, codes)
    assert list(zip(starts.tolist(), ends.tolist(), key_ids.tolist(), strict=True)) == [
        (12, 17, 0),
        (19, 30, 1),
    ]


def test_slice_strings_clips_ranges_to_the_text():
    from toolkit._scan import slice_strings

    starts, ends = np.array([-3, 2, 5, 9, 1]), np.array([3, 99, 2, 12, 6])
    for dtype in (np.uint32, np.uint16):
        codes = codes_of(" Séoul ", dtype)
        assert slice_strings(codes, starts, ends).to_list() == [" Sé", "éoul ", "", "", "Séoul"]
