"""Unit tests for ``toolkit.mentions`` on small hand-made registries and sentences."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit import mentions as mentions_module
from toolkit.contracts import validate
from toolkit.mentions import (
    candidate_actors,
    extract_mentions,
    fold,
    matcher_keys,
    plain_matches,
    reference_matches,
    surface_forms,
)

CORPUS = Path(__file__).resolve().parent.parent / "data" / "raw" / "corpus"
GOLD_DIR = Path(__file__).parent / "data" / "gold_mentions"


def _actor(actor_id, name, kind, country, aliases=(), demonyms=(), capitals=(), surname=None):
    return {
        "actor_id": actor_id,
        "name": name,
        "kind": kind,
        "country": country,
        "aliases": list(aliases),
        "demonyms": list(demonyms),
        "capitals": list(capitals),
        "surname": surname,
    }


ACTORS = pl.DataFrame(
    [
        _actor("SYR", "Syria", "state", "SYR", ["Syrian Arab Republic"], ["Syrian", "Syrians"],
               ["Damascus"]),
        _actor("KOR", "South Korea", "state", "KOR", ["Republic of Korea", "ROK"],
               ["South Korean"], ["Seoul"]),
        _actor("PRK", "North Korea", "state", "PRK", ["DPRK"], ["North Korean"], ["Pyongyang"]),
        _actor("RUS", "Russia", "state", "RUS", [], ["Russian", "Russians"],
               ["Moscow", "Kremlin"]),
        _actor("USA", "United States", "state", "USA", ["US", "U.S."], ["American"],
               ["Washington", "White House"]),
        _actor("TUR", "Turkey", "state", "TUR", ["Türkiye", "Turkiye"], ["Turkish"], ["Ankara"]),
        _actor("NER", "Niger", "state", "NER", [], ["Nigerien"], ["Niamey"]),
        _actor("NGA", "Nigeria", "state", "NGA", [], ["Nigerian"], ["Abuja"]),
        _actor("GIN", "Guinea", "state", "GIN", [], ["Guinean"], ["Conakry"]),
        _actor("GNB", "Guinea-Bissau", "state", "GNB", [], ["Bissau-Guinean"], ["Bissau"]),
        _actor("NRU", "Nauru", "state", "NRU", [], ["Nauruan"], []),
        _actor("org:un", "United Nations", "organization", None, ["UN", "U.N."]),
        _actor("org:who", "World Health Organization", "organization", None, ["WHO"]),
        _actor("media:ap", "Associated Press", "media", None, ["AP"]),
        _actor("person:ahmad-al-sharaa", "Ahmad al-Sharaa", "person", "SYR",
               ["Ahmed al-Sharaa"], surname="al-Sharaa"),
        _actor("person:bashar-al-assad", "Bashar al-Assad", "person", "SYR", ["Bashar Assad"]),
        _actor("person:asaad-al-shaibani", "Asaad al-Shaibani", "person", "SYR"),
        _actor("person:cho-tae-yul", "Cho Tae-yul", "person", "KOR"),
        _actor("person:stephane-dujarric", "Stéphane Dujarric", "person", "FRA"),
        _actor("person:kim-jong-un", "Kim Jong Un", "person", "PRK"),
        _actor("person:kim-yo-jong", "Kim Yo Jong", "person", "PRK"),
        _actor("person:sergey-lavrov", "Sergey Lavrov", "person", "RUS"),
        _actor("person:hakan-fidan", "Hakan Fidan", "person", "TUR"),
    ]
)  # fmt: skip

ROLES = pl.DataFrame(
    {
        "actor_id": [
            "person:bashar-al-assad",
            "person:ahmad-al-sharaa",
            "person:asaad-al-shaibani",
            "person:cho-tae-yul",
            "person:sergey-lavrov",
            "person:hakan-fidan",
        ],
        "role": ["president", "president", "foreign_minister", "foreign_minister",
                 "foreign_minister", "foreign_minister"],
        "of": ["SYR", "SYR", "SYR", "KOR", "RUS", "TUR"],
        "start": [dt.date(2000, 7, 17), dt.date(2025, 1, 29), dt.date(2024, 12, 21),
                  dt.date(2024, 1, 10), dt.date(2004, 3, 9), dt.date(2023, 6, 4)],
        "end": [dt.date(2024, 12, 8), None, None, dt.date(2025, 7, 18), None, None],
    }
)  # fmt: skip


def sentences_of(*texts, published=dt.date(2026, 1, 28), article_id="a" * 16):
    """One article whose body has one sentence per text."""
    return pl.DataFrame(
        {
            "sentence_id": [f"{article_id}-s{i:05d}" for i in range(len(texts))],
            "article_id": [article_id] * len(texts),
            "section": ["body"] * len(texts),
            "paragraph": list(range(len(texts))),
            "position": list(range(len(texts))),
            "text": list(texts),
            "start": [0] * len(texts),
            "end": [len(t) for t in texts],
            "published": pl.Series([published] * len(texts), dtype=pl.Date),
        }
    )


def mentions_of(*texts, roles=ROLES, **kwargs):
    return extract_mentions(sentences_of(*texts, **kwargs), ACTORS, roles=roles)


def found(mentions) -> list[tuple[str, str, str]]:
    return mentions.select("surface", "actor_id", "how").rows()


def test_characters_beyond_16_bits_change_only_the_width_of_the_code_points():
    """A text with an emoji is decoded 32 bits a character, the others 16: the same
    mentions at the same offsets either way."""
    texts = [
        "Syria’s President met U.S. envoys in Damascus {} and Seoul said so.",
        "Nauru's Foreign Minister Lionel Aingimea {} spoke; Aingimea flew to Moscow.",
    ]
    wide = mentions_of(*(t.format("🇰🇷") for t in texts))  # the flag: two code points
    narrow = mentions_of(*(t.format("☆☆") for t in texts))  # two symbols of 16 bits
    assert wide.height > 6
    assert wide.equals(narrow)
    from toolkit._scan import join_codes

    assert join_codes(pl.Series([texts[0].format("🇰🇷")]))[0].dtype == np.uint32
    assert join_codes(pl.Series([texts[0].format("☆☆")]))[0].dtype == np.uint16


# --------------------------------------------------------------------------- contract


def test_contract_offsets_and_sort_order():
    m = mentions_of(
        "Syria’s President met U.S. envoys in Damascus.",
        "Seoul said the UN and the WHO would help Syrians.",
    )
    validate(m, "MENTIONS")
    texts = sentences_of("Syria’s President met U.S. envoys in Damascus.",
                         "Seoul said the UN and the WHO would help Syrians.")["text"]  # fmt: skip
    for sentence, start, end, surface in m.select("sentence", "start", "end", "surface").rows():
        assert texts[sentence][start:end] == surface
    keys = m.select("article_id", "sentence", "start", "actor_id").rows()
    assert keys == sorted(keys)
    assert found(m)[:3] == [("Syria", "SYR", "name"), ("President", "person:ahmad-al-sharaa",
                            "role"), ("U.S.", "USA", "alias")]  # fmt: skip


def test_pandas_in_pandas_out_and_deterministic():
    sentences = sentences_of("Moscow’s intervention helped Assad.", "Russia left.")
    polars_result = extract_mentions(sentences, ACTORS, roles=ROLES)
    pandas_result = extract_mentions(sentences.to_pandas(), ACTORS.to_pandas(),
                                     roles=ROLES.to_pandas())  # fmt: skip
    assert isinstance(pandas_result, pd.DataFrame)
    assert pl.from_pandas(pandas_result).select(polars_result.columns).equals(polars_result)
    assert extract_mentions(sentences, ACTORS, roles=ROLES).equals(polars_result)


def test_empty_inputs_give_valid_empty_tables():
    empty = sentences_of("x").clear()
    validate(extract_mentions(empty, ACTORS, roles=ROLES), "MENTIONS")
    validate(mentions_of("Nothing to see here."), "MENTIONS")


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="text"):
        extract_mentions(sentences_of("Syria").drop("text"), ACTORS, roles=ROLES)
    with pytest.raises(ValueError, match="aliases"):
        extract_mentions(sentences_of("Syria"), ACTORS.drop("aliases"), roles=ROLES)


def test_roles_none_loads_the_shipped_roles():
    m = extract_mentions(sentences_of("Syria’s President spoke."), ACTORS)
    assert ("President", "person:ahmad-al-sharaa", "role") in found(m)


# --------------------------------------------------------------------------- folding


def test_fold_keeps_length_and_folds_safe_variants():
    for text in ["Syria’s Al-Sharaa", "Stéphane", "İstanbul ǅ ß ﬁ", "Москва", "a\u0301b", ""]:
        assert len(fold(text)) == len(text)
    assert fold("Al-Sharaa") == fold("al Sharaa") == "al sharaa"
    assert fold("Stéphane") == fold("Stephane")
    assert fold("Syria’s") == fold("Syria's") == "syria s"


def test_fold_random_text_keeps_length():
    rng = random.Random(3)
    alphabet = "aZé’'-—.,İß\u0301 \n\t漢Д"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(30)))
        assert len(fold(text)) == len(text)


def test_variants_match_with_offsets_into_the_original():
    m = mentions_of(
        "Ahmad Al-Sharaa met Stephane Dujarric.",
        "Later Ahmad Al Sharaa and Ahmed al-Sharaa spoke; Syria’s envoy and Seoul's too.",
    )
    assert found(m) == [
        ("Ahmad Al-Sharaa", "person:ahmad-al-sharaa", "name"),
        ("Stephane Dujarric", "person:stephane-dujarric", "name"),
        ("Ahmad Al Sharaa", "person:ahmad-al-sharaa", "name"),
        ("Ahmed al-Sharaa", "person:ahmad-al-sharaa", "alias"),
        ("Syria", "SYR", "name"),
        ("Seoul", "KOR", "capital"),
    ]


def test_case_rules():
    m = mentions_of(
        "He told us the WHO and US officials met in the U.S. but who knows.",
        "They ate turkey; TURKEY and Turkey and Türkiye; syria stays lowercase.",
    )
    assert found(m) == [
        ("WHO", "org:who", "alias"),
        ("US", "USA", "alias"),
        ("U.S.", "USA", "alias"),
        ("TURKEY", "TUR", "name"),
        ("Turkey", "TUR", "name"),
        ("Türkiye", "TUR", "alias"),
    ]


# --------------------------------------------------------------------------- leftmost-longest


def test_leftmost_longest_with_boundaries():
    m = mentions_of(
        "South Korea and North Korea met; Nigeria and Niger too.",
        "Guinea-Bissauan and Guinea-Bissau and Guinea delegates; the Nigerien envoy.",
    )
    assert found(m) == [
        ("South Korea", "KOR", "name"),
        ("North Korea", "PRK", "name"),
        ("Nigeria", "NGA", "name"),
        ("Niger", "NER", "name"),
        ("Guinea", "GIN", "name"),  # the longer "Guinea-Bissau" fails its boundary here
        ("Guinea-Bissau", "GNB", "name"),
        ("Guinea", "GIN", "name"),
        ("Nigerien", "NER", "demonym"),
    ]


def test_plain_matches_equal_the_reference_regex_on_the_shipped_corpus_and_gold_texts():
    actors = tk.load_actors(include_user=False)
    articles = tk.load_articles(CORPUS)
    texts = tk.split_sentences(articles)["text"].to_list()
    for path in sorted(GOLD_DIR.glob("*.txt")):
        texts += [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    texts += ["Guinea-Bissauan envoys", "South-Korea", "U.S.-Syria", "Seoul’s", "a\x00Syria"]
    keys = matcher_keys(actors)
    expected = [(i, *m) for i, text in enumerate(texts) for m in reference_matches(text, keys)]
    assert plain_matches(texts, actors) == expected
    assert len(expected) > 300


def test_reference_equality_on_random_text():
    actors = ACTORS
    keys = matcher_keys(actors)
    rng = random.Random(7)
    words = ["Syria", "Syrian", "South", "Korea", "Korean", "Guinea", "-", "Bissau", "Niger",
             "ia", "’s", "al", "Sharaa", "Al-Sharaa", " ", ",", "x", "US", "us"]  # fmt: skip
    texts = ["".join(rng.choice(words) + rng.choice(["", " "]) for _ in range(12))
             for _ in range(300)]  # fmt: skip
    expected = [(i, *m) for i, text in enumerate(texts) for m in reference_matches(text, keys)]
    assert plain_matches(texts, actors) == expected


# --------------------------------------------------------------------------- resolution


def test_demonyms_and_capitals_resolve_to_the_state():
    m = mentions_of("Syrian Foreign Minister Asaad al-Shaibani flew to Moscow.")
    assert found(m) == [
        ("Syrian", "SYR", "demonym"),
        ("Asaad al-Shaibani", "person:asaad-al-shaibani", "name"),  # no extra role row
        ("Moscow", "RUS", "capital"),
    ]


@pytest.mark.parametrize(
    ("text", "surface", "as_place"),
    [
        ("A convoy from Damascus reached Qamishli.", "Damascus", True),
        ("Al-Sharaa is expected to visit Moscow on Wednesday.", "Moscow", True),
        ("The new rulers in Damascus took a pragmatic approach.", "Damascus", True),
        ("Seoul said it welcomed the move.", "Seoul", False),
        ("Moscow’s scorched-earth intervention turned the tide.", "Moscow", False),
        ("Moscow was a close ally of Assad.", "Moscow", False),
        ("It built relations with Seoul.", "Seoul", False),
        ("Close ties with Seoul matter.", "Seoul", False),
        ("Refugees in Turkey, Syria and Niger.", "Niger", True),
        ("Forces left northeast Syria.", "Syria", True),
        ("Syria said it would reply.", "Syria", False),
        ("Seoul and Washington condemned the test.", "Washington", False),
        ("Seoul and Washington condemned the test.", "Seoul", False),
        ("The White House said no.", "White House", False),
    ],
)
def test_as_place(text, surface, as_place):
    m = mentions_of(text)
    rows = m.filter(pl.col("surface") == surface)
    assert rows.height == 1
    assert rows["as_place"].item() is as_place


def test_non_state_mentions_are_never_places():
    m = mentions_of("In Syrian hands, in the UN, in Ahmad al-Sharaa's view.")
    assert not m.filter(pl.col("actor_id") != "SYR")["as_place"].any()
    assert not m.filter(pl.col("how") == "demonym")["as_place"].any()


def test_surnames_after_the_full_name_only():
    m = mentions_of(
        "Al-Sharaa spoke first.",  # not introduced yet: not guessed
        "Ahmad al-Sharaa arrived; Bashar Assad had fled.",
        "Al-Sharaa is expected to visit Moscow, Assad said nothing, Dujarric neither.",
    )
    assert found(m.filter(pl.col("sentence") == 2)) == [
        ("Al-Sharaa", "person:ahmad-al-sharaa", "surname"),
        ("Moscow", "RUS", "capital"),
        ("Assad", "person:bashar-al-assad", "surname"),
    ]
    assert m.filter(pl.col("sentence") == 0).height == 0


def test_surnames_do_not_cross_articles():
    one = sentences_of("Ahmad al-Sharaa arrived.", article_id="a" * 16)
    two = sentences_of("Al-Sharaa spoke.", article_id="b" * 16)
    m = extract_mentions(pl.concat([one, two]), ACTORS, roles=ROLES)
    assert m["article_id"].to_list() == ["a" * 16]


def test_shared_surname_is_ambiguous():
    m = mentions_of("Kim Jong Un and Kim Yo Jong watched.", "Kim said it was a success.")
    assert m.filter(pl.col("sentence") == 1).height == 0
    m = mentions_of("Kim Jong Un watched.", "Kim said it was a success.")
    assert found(m.filter(pl.col("sentence") == 1)) == [("Kim", "person:kim-jong-un", "surname")]


def test_headline_surname_resolves_to_a_person_named_in_the_body():
    sentences = sentences_of("Lavrov and Fidan talk", "Sergey Lavrov called Hakan Fidan.")
    sentences = sentences.with_columns(
        section=pl.Series(["title", "body"]), position=pl.Series([0, 1])
    )
    m = extract_mentions(sentences, ACTORS, roles=ROLES)
    assert found(m)[:2] == [
        ("Lavrov", "person:sergey-lavrov", "surname"),
        ("Fidan", "person:hakan-fidan", "surname"),
    ]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Syria’s President spoke.", dt.date(2026, 1, 28), "person:ahmad-al-sharaa"),
        ("Syria's president spoke.", dt.date(2020, 6, 1), "person:bashar-al-assad"),
        ("The Syrian president spoke.", dt.date(2025, 3, 1), "person:ahmad-al-sharaa"),
        ("The Syrian foreign minister spoke.", dt.date(2025, 5, 1), "person:asaad-al-shaibani"),
        ("South Korea's Foreign Minister spoke.", dt.date(2025, 4, 14), "person:cho-tae-yul"),
        ("Syria's President spoke.", dt.date(2024, 12, 20), None),  # nobody held it
        ("Syria's President spoke.", None, None),  # no date, no role resolution
    ],
)
def test_role_phrases_resolve_at_the_article_date(text, published, expected):
    m = mentions_of(text, published=published)
    people = m.filter(pl.col("how") == "role")
    if expected is None:
        assert people.height == 0
    else:
        assert people["actor_id"].to_list() == [expected]
        assert people["role_of"].item() in {"SYR", "KOR"}
    assert m.filter(pl.col("how").is_in(["name", "demonym"])).height == 1  # the state


def test_empty_roles_table_disables_role_resolution():
    m = mentions_of("Syria's President spoke.", roles=ROLES.clear())
    assert m["how"].to_list() == ["name"]


def test_counterpart_takes_the_role_of_the_last_role_phrase():
    m = mentions_of(
        "Russian Foreign Minister Sergey Lavrov called his Turkish counterpart on Thursday.",
        published=dt.date(2025, 2, 20),
    )
    assert ("counterpart", "person:hakan-fidan", "role") in found(m)
    m = mentions_of(
        "Syrian Foreign Minister Asaad al-Shaibani met his South Korean counterpart, "
        "Cho Tae-yul, in Damascus.",
        published=dt.date(2025, 4, 14),
    )
    people = m.filter(pl.col("actor_id").str.starts_with("person:"))
    assert people["how"].to_list() == ["name", "name"]  # named: no double count


def test_inferred_people_from_role_appositives():
    m = mentions_of(
        "Nauru's Foreign Minister Lionel Aingimea spoke, and UN spokesman Farhan Haq agreed.",
        "Aingimea said the seas were rising. Haq nodded.",
    )
    inferred = m.filter(pl.col("how") == "inferred")
    assert inferred.select(
        "surface", "actor_id", "inferred_kind", "inferred_country", "inferred_role"
    ).rows() == [
        ("Lionel Aingimea", "person:lionel-aingimea", "person", "NRU", "foreign_minister"),
        ("Farhan Haq", "person:farhan-haq", "person", None, "spokesperson"),
    ]
    assert found(m.filter(pl.col("sentence") == 1)) == [
        ("Aingimea", "person:lionel-aingimea", "surname"),
        ("Haq", "person:farhan-haq", "surname"),
    ]


def test_surface_forms_table():
    forms = surface_forms(ACTORS)
    assert {"form", "key", "actor_id", "how"} <= set(forms.columns)
    kor = forms.filter(pl.col("actor_id") == "KOR")
    assert set(kor["how"]) == {"name", "alias", "demonym", "capital"}
    cho = forms.filter(pl.col("actor_id") == "person:cho-tae-yul")
    assert sorted(cho.select("key", "how").rows()) == [("cho", "surname"), ("cho tae yul", "name")]


# --------------------------------------------------------------------------- candidates


def test_candidate_actors_lists_unregistered_names():
    sentences = sentences_of(
        "Ahmed Ali, an SDF fighter, spoke on Tuesday in January.",
        "Fighting broke out near Qamishli as Ahmed Ali watched.",
        "The Syrian envoy met Lionel Aingimea in Damascus.",
    )
    mentions = extract_mentions(sentences, ACTORS, roles=ROLES)
    candidates = candidate_actors(sentences, mentions)
    names = candidates["name"].to_list()
    assert names[0] == "Ahmed Ali"
    assert candidates.row(0, named=True)["n_mentions"] == 2
    assert candidates.row(0, named=True)["n_articles"] == 1
    assert {"Lionel Aingimea", "Qamishli", "SDF"} <= set(names)
    for word in ("Tuesday", "January", "Fighting", "Syrian", "Damascus", "The"):
        assert word not in names
    order = candidates.select("n_mentions", "name").rows()
    assert order == sorted(order, key=lambda row: (-row[0], row[1]))
    pandas_candidates = candidate_actors(sentences.to_pandas(), mentions)
    assert isinstance(pandas_candidates, pd.DataFrame)


def test_vectorised_as_place_agrees_with_the_plain_rules():
    """``as_place`` (vectorised) equals the one-at-a-time ``_cue_flags`` statement."""
    from toolkit.mentions import _cue_flags

    texts = [text for path in sorted(GOLD_DIR.glob("*.txt")) for text in gold_lines(path)]
    texts += [
        "Refugees in Lebanon, Jordan and Turkey. Seoul and Washington condemned it.",
        "Talks between Kyiv and Moscow stalled. The Kremlin said no. (Seoul) said.",
        "It flew to Israel. Tehran warned. He went to the U.S. Ankara agreed.",
    ]
    m = extract_mentions(sentences_of(*texts), tk.load_actors(include_user=False), roles=ROLES)
    states = m.filter(pl.col("actor_id").str.contains(r"^[A-Z]{3}$") & (pl.col("how") != "demonym"))
    assert states.height > 200
    for sentence, start, end, how, as_place in states.select(
        "sentence", "start", "end", "how", "as_place"
    ).rows():
        text = texts[sentence]
        locative, relation, acting = _cue_flags(
            text[max(0, start - 48) : start], text[end : end + 32]
        )
        expected = (locative or not acting) if how == "capital" else (locative and not relation)
        assert as_place is expected, (text, text[start:end])


def test_string_dates_are_parsed():
    sentences = sentences_of("Syria's President spoke.").with_columns(
        published=pl.lit("2026-01-28")
    )
    roles = ROLES.with_columns(pl.col("start").cast(pl.String), pl.col("end").cast(pl.String))
    m = extract_mentions(sentences, ACTORS, roles=roles)
    assert ("President", "person:ahmad-al-sharaa", "role") in found(m)
    assert m["published"].to_list() == [dt.date(2026, 1, 28)] * 2


def test_fold_of_long_texts_uses_the_same_table():
    import numpy as np

    from toolkit.mentions import _fold_codes

    rng = random.Random(5)
    alphabet = "aZé’'-—.,İß\u0301 \n漢Дx😀"
    for _ in range(20):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(300, 600)))
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        assert _fold_codes(codes, text) == _fold_codes(codes) == fold(text)
        assert "".join(fold(ch) for ch in text) == fold(text)


# --------------------------------------------------------------------------- speed machinery
def test_matcher_is_cached_and_rebuilt_when_the_registry_changes():
    from toolkit.mentions import _matcher

    assert _matcher(ACTORS, []) is _matcher(ACTORS.clone(), [])
    assert _matcher(ACTORS, []) is not _matcher(ACTORS, [("envoy", "envoy")])
    text = "Nauru and Ruritania signed."
    assert found(mentions_of(text)) == [("Nauru", "NRU", "name")]
    # a new alias, an edited alias, a new actor: each must be seen at once
    edited = ACTORS.with_columns(
        aliases=pl.when(pl.col("actor_id") == "NRU")
        .then(pl.lit(["Republic of Nauru"]))
        .otherwise(pl.col("aliases"))
    )
    assert _matcher(edited, []) is not _matcher(ACTORS, [])
    more = pl.concat([ACTORS, pl.DataFrame([_actor("RUR", "Ruritania", "state", "RUR")])])
    m = extract_mentions(sentences_of(text), more, roles=ROLES)
    assert found(m) == [("Nauru", "NRU", "name"), ("Ruritania", "RUR", "name")]
    renamed = ACTORS.with_columns(
        name=pl.when(pl.col("actor_id") == "NRU").then(pl.lit("Naoero")).otherwise("name")
    )
    assert found(extract_mentions(sentences_of(text), renamed, roles=ROLES)) == []


def gold_lines(path: Path) -> list[str]:
    """The text lines of one gold article, markup removed."""
    return [
        re.sub(r"\[([^\[\]|]+)\|[^\[\]]*\]", r"\1", line)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "article:", "published:", "outlet:"))
    ]


def gold_sentences() -> pl.DataFrame:
    """The gold articles' lines (markup removed) as SENTENCES, one article per file."""
    rows = []
    for path in sorted(GOLD_DIR.glob("*.txt")):
        article_id = hashlib.sha256(path.stem.encode()).hexdigest()[:16]
        for position, text in enumerate(gold_lines(path)):
            rows.append((f"{article_id}-s{position:05d}", article_id, "body", position, position,
                         text, dt.date(2026, 1, 28)))  # fmt: skip
    schema = ["sentence_id", "article_id", "section", "paragraph", "position", "text", "published"]
    return pl.DataFrame(rows, schema=schema, orient="row")


def test_several_threads_give_the_same_output():
    """Articles split between threads: the output is identical, in any row order."""
    sentences = gold_sentences()
    actors, roles = tk.load_actors(include_user=False), tk.load_roles(include_user=False)
    one = extract_mentions(sentences, actors, roles=roles, threads=1)
    assert one.height > 400
    assert one.equals(extract_mentions(sentences, actors, roles=roles, threads=2))
    # interleaved articles (rows shuffled) are put in reading order, then split
    shuffled = sentences.sample(fraction=1.0, shuffle=True, seed=3)
    assert extract_mentions(shuffled, actors, roles=roles, threads=1).equals(one)
    assert extract_mentions(shuffled, actors, roles=roles, threads=3).equals(one)
    assert extract_mentions(shuffled, actors, roles=roles, threads=50).equals(one)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="threads"):
            extract_mentions(sentences, actors, roles=roles, threads=bad)


def part_sizes(monkeypatch) -> list[int]:
    """The number of sentences of each part extract_mentions hands a thread, as it goes."""
    from toolkit import mentions

    sizes, extract = [], mentions._extract
    monkeypatch.setattr(
        mentions, "_extract", lambda part, *args: sizes.append(part.height) or extract(part, *args)
    )
    return sizes


def test_the_default_uses_threads_from_parallel_min_bytes(monkeypatch):
    from toolkit import mentions

    sentences = gold_sentences()
    size = int(sentences["text"].str.len_bytes().sum())
    monkeypatch.setattr(mentions, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(mentions.os, "sched_getaffinity", lambda _: {0, 1, 2})
    assert mentions._n_threads(size, None) == 3
    calls, split = [], mentions._split_articles
    monkeypatch.setattr(
        mentions, "_split_articles", lambda *args: calls.append(args[-1]) or split(*args)
    )
    parts = part_sizes(monkeypatch)
    actors, roles = tk.load_actors(include_user=False), tk.load_roles(include_user=False)
    threaded = extract_mentions(sentences, actors, roles=roles)
    assert calls == [3]
    assert len(parts) == 3 and sum(parts) == sentences.height
    assert threaded.equals(extract_mentions(sentences, actors, roles=roles, threads=1))
    monkeypatch.setattr(mentions, "PARALLEL_MIN_BYTES", 10**12)
    assert mentions._n_threads(size, None) == 1


def test_two_parts_a_thread_give_the_same_output(monkeypatch):
    """Large texts are cut into two parts a thread, taken as threads come free."""
    from toolkit import mentions

    sentences = gold_sentences()
    actors, roles = tk.load_actors(include_user=False), tk.load_roles(include_user=False)
    one = extract_mentions(sentences, actors, roles=roles, threads=1)
    monkeypatch.setattr(mentions, "PART_MIN_BYTES", 1)
    parts = part_sizes(monkeypatch)
    assert extract_mentions(sentences, actors, roles=roles, threads=2).equals(one)
    assert len(parts) == 4 and sum(parts) == sentences.height


def test_split_articles_gives_balanced_ranges_of_whole_articles():
    from toolkit.mentions import _split_articles

    # a: 30, b: 30, c: 20, d: 50, e: 30 bytes, in reading order
    article = np.repeat(np.arange(5), [3, 3, 2, 5, 3])
    sizes = np.full(article.size, 10)
    for n in (1, 2, 3, 4, 10):
        ranges = _split_articles(article, sizes, n)
        assert 1 <= len(ranges) <= n
        # consecutive, covering every row, never cutting an article
        assert ranges[0][0] == 0 and ranges[-1][1] == article.size
        assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
        assert all(article[stop - 1] != article[stop] for _, stop in ranges[:-1])
    # half of 160 is 80: the nearest article end is c's (80), after row 8
    assert _split_articles(article, sizes, 2) == [(0, 8), (8, 16)]
    assert _split_articles(np.zeros(5, dtype=np.int64), np.ones(5), 4) == [(0, 5)]
    assert _split_articles(np.zeros(0, dtype=np.int64), np.zeros(0), 2) == []


def test_reading_rows_in_any_input_order():
    """Rows in reading order (article, then position), whatever the input order;
    the fast path (each article one run in position order) agrees with a full sort."""
    from toolkit.mentions import _reading_rows

    rng = np.random.default_rng(5)
    for trial in range(30):
        n_articles = int(rng.integers(1, 8))
        ids = [f"{x:04d}" for x in rng.permutation(n_articles * 3)[:n_articles]]
        positions = {i: sorted(rng.choice(50, int(rng.integers(1, 5)), replace=False)) for i in ids}
        rows = [(i, int(p)) for i in ids for p in positions[i]]
        if trial % 3 == 1:  # interleaved articles: the full sort
            rows = [rows[k] for k in rng.permutation(len(rows))]
        elif trial % 3 == 2:  # articles as runs, in any order: the fast path
            by_article = {i: [r for r in rows if r[0] == i] for i in ids}
            rows = [r for i in rng.permutation(ids) for r in by_article[i]]
        frame = pl.DataFrame(rows, schema=["article_id", "position"], orient="row")
        order, article = _reading_rows(frame)
        expected = sorted(range(len(rows)), key=lambda k: rows[k])
        assert order.tolist() == expected
        ordered_ids = [rows[k][0] for k in expected]
        assert article.tolist() == [sorted(set(ids)).index(i) for i in ordered_ids]
    # a repeated position (ties) and null ids take the full, stable sort
    frame = pl.DataFrame({"article_id": ["b", "a", "a", None], "position": [0, 1, 1, 0]})
    order, article = _reading_rows(frame)
    assert order.tolist() == [3, 1, 2, 0] and article.tolist() == [0, 1, 1, 2]


def test_inferred_surnames_repeated_and_only_later_in_the_article():
    m = mentions_of(
        "Aingimea spoke first.",
        "Nauru's Foreign Minister Lionel Aingimea met envoys.",
        "Aingimea Aingimea, said AINGIMEA and aingimea.",
    )
    # the case rule of a surname asks for a capital first letter only (so "AINGIMEA")
    assert m.filter(pl.col("how") == "surname").select("sentence", "start").rows() == [
        (2, 0),
        (2, 9),
        (2, 24),
    ]


def test_output_does_not_depend_on_sentence_row_order():
    import toolkit as tk

    articles = tk.load_articles(CORPUS)
    sentences = tk.split_sentences(articles)
    actors = tk.load_actors(include_user=False)
    roles = tk.load_roles(include_user=False)
    expected = tk.extract_mentions(sentences, actors, roles=roles)
    for seed in (1, 2, 3):
        shuffled = sentences.sample(fraction=1.0, shuffle=True, seed=seed)
        assert tk.extract_mentions(shuffled, actors, roles=roles).equals(expected)


@pytest.mark.parametrize(
    ("context", "pattern", "left"),
    [
        (" dnarb wen A", "_SKIP_BEFORE_REVERSED", " dnarb wen A"),  # "A new brand Seoul"
        (" rof drawa ehT", "_SKIP_BEFORE_REVERSED", " rof drawa ehT"),  # "The award for Seoul"
        (" dna oykoT ni", "_SKIP_BEFORE_REVERSED", " ni"),  # "in Tokyo and Seoul"
        (" orange exports rose.", "_SKIP_AFTER", " orange exports rose."),
        (" and Tokyo condemned it.", "_SKIP_AFTER", " condemned it."),
    ],
)
def test_list_words_are_skipped_only_as_whole_words(context, pattern, left):
    regex = getattr(mentions_module, pattern)
    assert pl.Series([context]).str.replace(regex, "").item() == left


@pytest.mark.parametrize(
    "text",
    [
        "The delegation flew to Seoul on Monday.",
        "The award for Seoul was announced.",
        "A new brand Seoul said little about.",
        "Talks in Tokyo and Seoul ended.",
        "Seoul orange exports rose.",
        "Seoul and Washington condemned the launch.",
    ],
)
def test_capital_flags_agree_with_the_plain_rules(text):
    sentences = pl.DataFrame(
        {
            "sentence_id": ["a-s00000"],
            "article_id": ["a"],
            "section": ["body"],
            "paragraph": [0],
            "position": [0],
            "text": [text],
            "published": [dt.date(2025, 1, 6)],
        }
    )
    mentions = tk.extract_mentions(
        sentences, tk.load_actors(include_user=False), roles=tk.load_roles(include_user=False)
    )
    seoul = mentions.filter(pl.col("surface") == "Seoul")
    before, after = text.split("Seoul", 1)
    locative, _, acting = mentions_module._cue_flags(before, after)
    assert seoul.get_column("as_place").to_list() == [locative or not acting]


def test_candidates_skip_sentence_openers_and_lone_initials():
    texts = [
        "Officials said the talks would resume.",
        "Analysts expect little.",
        "Mirzo Tolib met K. reporters in Dushanbe.",
        "Tolib said nothing.",
        "The envoy praised Tolib.",
    ]
    sentences = pl.DataFrame(
        {
            "sentence_id": [f"a-s{i:05d}" for i in range(len(texts))],
            "article_id": ["a"] * len(texts),
            "section": ["body"] * len(texts),
            "paragraph": list(range(len(texts))),
            "position": list(range(len(texts))),
            "text": texts,
        }
    )
    no_mentions = pl.DataFrame(
        {"sentence_id": [], "start": [], "end": []},
        schema={"sentence_id": pl.String, "start": pl.Int64, "end": pl.Int64},
    )
    names = candidate_actors(sentences, no_mentions).get_column("name").to_list()
    assert "Officials" not in names and "Analysts" not in names and "K" not in names
    assert {"Mirzo Tolib", "Tolib", "Dushanbe"} <= set(names)


NAME_PIECES = [",", " ", "  ", "\t", "\x1c", "\u00a0", "Lionel", "Aingimea", "Chief", "Cabinet",
               "Secretary", "Dr.", "Mr", "al", "de", "al-Assad", "bin", "Émile", "Zhou", "O'Neil",
               "Jean-Yves", "A.", "lower", ".", "'", "’", ")", ";", "-", "x_1",
               "Minister"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), max_size=9).map("".join))
def test_inferred_names_in_polars_equal_the_python_regex(follow):
    from toolkit.mentions import _INFERRED_RE, _inferred_name, _inferred_names

    names, offsets = _inferred_names(pl.Series([follow, follow + " Kim Jong", "x"]))
    expected = [
        _inferred_name(_INFERRED_RE.match(text)) for text in (follow, follow + " Kim Jong", "x")
    ]
    assert list(zip(names.to_list(), offsets.to_list(), strict=True)) == expected


ROLE_VALUES = ["president", "counterpart", "foreign_minister", None]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ROLE_VALUES), st.booleans()), max_size=12))
def test_counterpart_roles_equal_the_window_expression(rows):
    """The last other role before each "counterpart" in its article, as the window
    expression (shift, forward fill, over the article) defines it."""
    from toolkit.mentions import _counterpart_roles

    role = pl.Series("role", [r for r, _ in rows], dtype=pl.String)
    article = np.cumsum([new for _, new in rows], dtype=np.int64)  # sorted article numbers
    expected = (
        pl.DataFrame({"role": role, "article": article})
        .select(
            pl.when(pl.col("role") == "counterpart")
            .then(
                pl.when(pl.col("role") != "counterpart")
                .then(pl.col("role"))
                .shift(1)
                .forward_fill()
                .over("article")
            )
            .otherwise(pl.col("role"))
        )
        .to_series()
    )
    assert _counterpart_roles(role, article).to_list() == expected.to_list()
