"""Tests for toolkit.sentences: the splitter's rules, SENTENCES shape, gold-set accuracy."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.contracts import empty, validate
from toolkit.sentences import section_text, sentence_spans, split_paragraph, split_sentences

ROOT = Path(__file__).resolve().parent.parent


def sentences_of(text: str) -> list[str]:
    return [text[a:b] for a, b in split_paragraph(text)]


def make_articles(rows: list[dict]) -> pl.DataFrame:
    """ARTICLES built by hand: contract columns, defaults for what a test leaves out."""
    defaults = {
        "source": "test.txt",
        "position": 0,
        "title": "",
        "published": None,
        "date_text": None,
        "dateline": None,
        "summary": [],
        "captions": [],
        "body": "",
        "url": None,
        "outlet": None,
        "n_words": 0,
    }
    full = [{**defaults, "position": i, **row} for i, row in enumerate(rows)]
    return pl.DataFrame(full, schema=empty("ARTICLES").schema)


# --- the splitter's rules, one hard case at a time -------------------------------------

HARD_CASES = {
    "country abbreviations": (
        "The U.S. and the U.K. backed the U.N. plan. Talks resume on Monday.",
        ["The U.S. and the U.K. backed the U.N. plan.", "Talks resume on Monday."],
    ),
    "titles": (
        "Gen. Park, Lt. Col. Ahmed, Sen. Reyes, Rep. Cho and Gov. Lim met Dr. Haddad. "
        "Mr. Kim, Mrs. Lee and Ms. Yoon also came.",
        [
            "Gen. Park, Lt. Col. Ahmed, Sen. Reyes, Rep. Cho and Gov. Lim met Dr. Haddad.",
            "Mr. Kim, Mrs. Lee and Ms. Yoon also came.",
        ],
    ),
    "month abbreviations and numbers": (
        "The vote is set for Jan. 5, after talks on Dec. 12 and Sept. 30. It was delayed.",
        ["The vote is set for Jan. 5, after talks on Dec. 12 and Sept. 30.", "It was delayed."],
    ),
    "No. and St.": (
        "He lives at No. 10 near St. Mark's church. Visitors came.",
        ["He lives at No. 10 near St. Mark's church.", "Visitors came."],
    ),
    "companies": (
        "Samsung Electronics Co. and Hyundai Motor Corp. signed with Apple Inc. on Friday. "
        "Shares rose.",
        [
            "Samsung Electronics Co. and Hyundai Motor Corp. signed with Apple Inc. on Friday.",
            "Shares rose.",
        ],
    ),
    "company abbreviation at the end": (
        "The deal went to Daewoo Ltd. The rival bid failed.",
        ["The deal went to Daewoo Ltd.", "The rival bid failed."],
    ),
    "latin abbreviations": (
        "Allies, e.g. Japan, and rivals, i.e. North Korea, vs. the rest, etc. were named. "
        "Few objected.",
        [
            "Allies, e.g. Japan, and rivals, i.e. North Korea, vs. the rest, etc. were named.",
            "Few objected.",
        ],
    ),
    "a.m. and p.m.": (
        "The strike began at 4 a.m. Friday and ended at 6 p.m. on Sunday. No one was hurt.",
        ["The strike began at 4 a.m. Friday and ended at 6 p.m. on Sunday.", "No one was hurt."],
    ),
    "a.m. at the end": (
        "The polls closed at 8 p.m. The count began at once.",
        ["The polls closed at 8 p.m.", "The count began at once."],
    ),
    "initials": (
        "John F. Kennedy admired J.R.R. Tolkien. Both are dead.",
        ["John F. Kennedy admired J.R.R. Tolkien.", "Both are dead."],
    ),
    "decimals and money": (
        "Sales rose 2.5% to $3.5 billion, or 1,000.50 won a share. Profit fell 0.4 points.",
        ["Sales rose 2.5% to $3.5 billion, or 1,000.50 won a share.", "Profit fell 0.4 points."],
    ),
    "number at the end": (
        "Growth was 2.5. Exports fell in 2024. 2025 looks better.",
        ["Growth was 2.5.", "Exports fell in 2024.", "2025 looks better."],
    ),
    "quote ending with said": (
        '"We will not give up," he said. Next came the vote.',
        ['"We will not give up," he said.', "Next came the vote."],
    ),
    "curly quotes": (
        "“It is over,” she said. “We go home.” Then she left.",
        ["“It is over,” she said.", "“We go home.”", "Then she left."],
    ),
    "sentence ending inside quotes": (
        'He called it "a disgrace." The ministry disagreed.',
        ['He called it "a disgrace."', "The ministry disagreed."],
    ),
    "question inside a quote, then said": (
        '"Why now?" she asked. "Because." He nodded.',
        ['"Why now?" she asked.', '"Because."', "He nodded."],
    ),
    "mid-sentence ellipsis": (
        "We waited ... and waited. Nothing came.",
        ["We waited ... and waited.", "Nothing came."],
    ),
    "final ellipsis": (
        "The talks collapsed... By dawn, all had left.",
        ["The talks collapsed...", "By dawn, all had left."],
    ),
    "ellipsis character": (
        "It was late… Then the lights went out… and silence.",
        ["It was late…", "Then the lights went out… and silence."],
    ),
    "spaced ellipsis": (
        "We waited . . . and waited. Then . . . Nothing.",
        ["We waited . . . and waited.", "Then . . .", "Nothing."],
    ),
    "abbreviation inside closing quotes": (
        'He called it "made in the U.S." Officials laughed.',
        ['He called it "made in the U.S."', "Officials laughed."],
    ),
    "period after a closing bracket": (
        "One abstained (the U.S.). Washington objected.",
        ["One abstained (the U.S.).", "Washington objected."],
    ),
    "question and exclamation": (
        "Who will pay? Nobody knows! The bill is due.",
        ["Who will pay?", "Nobody knows!", "The bill is due."],
    ),
    "parentheses": (
        "The vote passed (14 to 1). (The U.S. abstained.) Then the council adjourned.",
        ["The vote passed (14 to 1).", "(The U.S. abstained.)", "Then the council adjourned."],
    ),
    "abbreviation that ends a sentence": (
        "The envoy arrived in the U.S. The next day she met U.S. President Smith.",
        ["The envoy arrived in the U.S.", "The next day she met U.S. President Smith."],
    ),
    "abbreviations that rarely end a sentence": (
        "He saw Dr. Ahmed and Gen. Kim. They spoke.",
        ["He saw Dr. Ahmed and Gen. Kim.", "They spoke."],
    ),
    "inline numbered list": (
        "The plan has three parts: 1. A ceasefire. 2. Talks. 3. Elections.",
        ["The plan has three parts: 1. A ceasefire.", "2. Talks.", "3. Elections."],
    ),
    "numbered list on lines": (
        "The government will:\n1. Raise wages.\n2. Cut subsidies\n3. Expand aid",
        ["The government will:", "1. Raise wages.", "2. Cut subsidies", "3. Expand aid"],
    ),
    "em dashes": (
        "Many firms — banks, carmakers — left. Others stayed.",
        ["Many firms — banks, carmakers — left.", "Others stayed."],
    ),
    "non-ASCII letters": (
        "René Lévesque met Émile Zola. Ça va. Ümit Özdağ spoke. 한국 외교부는 발표했다. "
        "قال الوزير.",
        [
            "René Lévesque met Émile Zola.",
            "Ça va.",
            "Ümit Özdağ spoke.",
            "한국 외교부는 발표했다.",
            "قال الوزير.",
        ],
    ),
    "Korean and Arabic names": (
        "Cho Tae-yul met Asaad al-Shaibani. Al-Sharaa joined later.",
        ["Cho Tae-yul met Asaad al-Shaibani.", "Al-Sharaa joined later."],
    ),
    "dateline": (
        "SEOUL, Dec. 3 (Yonhap) — Talks resumed. They ended.",
        ["SEOUL, Dec. 3 (Yonhap) — Talks resumed.", "They ended."],
    ),
}


@pytest.mark.parametrize("name", list(HARD_CASES))
def test_hard_case(name):
    text, expected = HARD_CASES[name]
    assert sentences_of(text) == expected


# Known limits of the rules, kept as strict xfails so that a fix shows up.
KNOWN_LIMITS = {
    "a.m. before a capitalised noun": (
        "The meeting ended at 9 a.m. Reporters then left.",
        ["The meeting ended at 9 a.m.", "Reporters then left."],
    ),
    "U.S. before a proper noun": (
        "He was born in the U.S. Washington later denied it.",
        ["He was born in the U.S.", "Washington later denied it."],
    ),
    "single letter before a proper noun": (
        "They chose Plan B. Seoul rejected it.",
        ["They chose Plan B.", "Seoul rejected it."],
    ),
    "exclamation then attribution": (
        '"Stop!" Kim shouted at the crowd.',
        ['"Stop!" Kim shouted at the crowd.'],
    ),
    "hard-wrapped line": (
        "The minister met\nPresident Yoon on Monday.",
        ["The minister met\nPresident Yoon on Monday."],
    ),
}


@pytest.mark.xfail(strict=True, reason="known limit of the rule-based splitter")
@pytest.mark.parametrize("name", list(KNOWN_LIMITS))
def test_known_limit(name):
    text, expected = KNOWN_LIMITS[name]
    assert sentences_of(text) == expected


def test_whitespace_is_stripped_and_offsets_point_at_the_stripped_span():
    text = "  First one.   Second one.\t "
    spans = split_paragraph(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one."]
    assert spans[0] == (2, 12)


def test_blank_text_gives_no_sentences():
    assert split_paragraph("") == []
    assert sentence_spans(" \n\n \t") == []


def test_paragraphs_split_on_blank_lines_and_sentences_never_cross_them():
    text = "One without a stop\n\nTwo. Three.\n \nFour"
    assert [(p, text[a:b]) for p, a, b in sentence_spans(text)] == [
        (0, "One without a stop"),
        (1, "Two."),
        (1, "Three."),
        (2, "Four"),
    ]


def test_single_newlines_are_paragraphs_when_there_is_no_blank_line():
    text = "First line\nSecond line. Still second."
    assert [(p, text[a:b]) for p, a, b in sentence_spans(text)] == [
        (0, "First line"),
        (1, "Second line."),
        (1, "Still second."),
    ]


def test_line_break_inside_a_paragraph_before_lowercase_is_not_a_boundary():
    text = "The minister met\nthe envoy.\n\nNext."
    assert [text[a:b] for _, a, b in sentence_spans(text)] == [
        "The minister met\nthe envoy.",
        "Next.",
    ]


# --- SENTENCES ---------------------------------------------------------------------------

ARTICLE = {
    "article_id": "00000000000000aa",
    "title": "Syria, South Korea establish ties",
    "published": dt.date(2025, 4, 14),
    "summary": ["Syria was the last U.N. member without ties", "Embassies will open. Soon."],
    "captions": ["Ministers in Damascus. (SANA)", "The signing."],
    "body": "LONDON: Talks ended. Gen. Kim left.\n\nThe U.S. said nothing. Fine.\n\nEnd.",
}


@pytest.fixture
def articles() -> pl.DataFrame:
    second = {
        "article_id": "00000000000000bb",
        "title": "Second",
        "body": "Only one sentence here.",
    }
    return make_articles([ARTICLE, second])


def test_sections_positions_paragraphs_and_ids(articles):
    sentences = split_sentences(articles)
    validate(sentences, "SENTENCES")
    first = sentences.filter(pl.col("article_id") == "00000000000000aa")
    assert first.select("section", "paragraph", "text").rows() == [
        ("title", 0, "Syria, South Korea establish ties"),
        ("summary", 0, "Syria was the last U.N. member without ties"),
        ("summary", 1, "Embassies will open."),
        ("summary", 1, "Soon."),
        ("caption", 0, "Ministers in Damascus."),
        ("caption", 0, "(SANA)"),
        ("caption", 1, "The signing."),
        ("body", 0, "LONDON: Talks ended."),
        ("body", 0, "Gen. Kim left."),
        ("body", 1, "The U.S. said nothing."),
        ("body", 1, "Fine."),
        ("body", 2, "End."),
    ]
    assert first["position"].to_list() == list(range(12))
    assert first["sentence_id"][7] == "00000000000000aa-s00007"
    second = sentences.filter(pl.col("article_id") == "00000000000000bb")
    assert second.select("section", "position").rows() == [("title", 0), ("body", 1)]
    assert sentences.columns == [
        "sentence_id",
        "article_id",
        "section",
        "paragraph",
        "position",
        "text",
        "start",
        "end",
        "published",
    ]


def test_offsets_index_the_section_text(articles):
    sentences = split_sentences(articles)
    by_id = {row["article_id"]: row for row in articles.iter_rows(named=True)}
    for row in sentences.iter_rows(named=True):
        text = section_text(by_id[row["article_id"]], row["section"])
        assert text[row["start"] : row["end"]] == row["text"]
        assert row["text"] == row["text"].strip()


def test_summary_bullets_are_never_merged():
    articles = make_articles(
        [{"article_id": "00000000000000cc", "summary": ["No stop here", "nor here", "Last"]}]
    )
    sentences = split_sentences(articles)
    assert sentences.select("paragraph", "text").rows() == [
        (0, "No stop here"),
        (1, "nor here"),
        (2, "Last"),
    ]
    assert sentences["start"].to_list() == [0, 14, 24]


def test_published_is_carried(articles):
    sentences = split_sentences(articles)
    assert sentences.schema["published"] == pl.Date
    assert set(sentences["published"].to_list()) == {dt.date(2025, 4, 14), None}


def test_published_column_is_optional():
    articles = pl.DataFrame({"article_id": ["00000000000000dd"], "title": ["A title"]})
    sentences = split_sentences(articles, sections=["title"])
    validate(sentences, "SENTENCES")
    assert sentences["published"].to_list() == [None]


def test_sections_choice_keeps_ids_stable(articles):
    everything = split_sentences(articles)
    body = split_sentences(articles, sections=["body"])
    assert body["section"].unique().to_list() == ["body"]
    expected = everything.filter(pl.col("section") == "body")
    assert body.equals(expected)
    titles = split_sentences(articles, sections="title")
    assert titles["sentence_id"].to_list() == [
        "00000000000000aa-s00000",
        "00000000000000bb-s00000",
    ]


def test_blank_and_missing_sections_give_no_rows():
    articles = make_articles(
        [
            {
                "article_id": "00000000000000ee",
                "title": "   ",
                "summary": ["", "  "],
                "captions": None,
                "body": "\n\n  \n",
            }
        ]
    )
    sentences = split_sentences(articles)
    assert sentences.height == 0
    validate(sentences, "SENTENCES")


def test_no_articles_gives_an_empty_contract_table():
    sentences = split_sentences(empty("ARTICLES"))
    validate(sentences, "SENTENCES")
    assert sentences.height == 0
    assert sentences.schema["published"] == pl.Date


def test_pandas_in_pandas_out(articles):
    frame = articles.to_pandas()
    result = split_sentences(frame)
    assert isinstance(result, pd.DataFrame)
    validate(result, "SENTENCES")
    expected = split_sentences(articles)
    assert result["text"].tolist() == expected["text"].to_list()
    assert result["sentence_id"].tolist() == expected["sentence_id"].to_list()


def test_public_names():
    assert tk.split_sentences is split_sentences
    assert tk.section_text is section_text


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="missing columns: body"):
        split_sentences(pl.DataFrame({"article_id": ["x"], "title": ["t"]}), sections=["body"])


def test_unknown_section_is_named():
    with pytest.raises(ValueError, match="'headline'"):
        split_sentences(make_articles([ARTICLE]), sections=["headline"])
    with pytest.raises(ValueError, match="'headline'"):
        section_text(ARTICLE, "headline")


def test_repeated_article_ids_are_named():
    with pytest.raises(ValueError, match="00000000000000aa"):
        split_sentences(make_articles([ARTICLE, ARTICLE]))


# --- gold set ------------------------------------------------------------------------------


def load_benchmark():
    path = ROOT / "benchmarks" / "bench_sentences.py"
    spec = importlib.util.spec_from_file_location("bench_sentences", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gold_set_accuracy():
    bench = load_benchmark()
    paragraphs = bench.read_gold()
    figures = bench.score(split_paragraph, paragraphs)
    print(
        "gold set: {sentences} sentences, {boundaries} boundaries; precision {precision:.3f}, "
        "recall {recall:.3f}, F1 {f1:.3f}, sentences exactly right {exact:.3f}".format(**figures)
    )
    assert figures["sentences"] >= 200
    assert figures["f1"] >= 0.98, "\n".join(bench.errors(split_paragraph, paragraphs))


def test_gold_set_round_trips_through_split_sentences():
    bench = load_benchmark()
    paragraphs = bench.read_gold()
    body = "\n\n".join(text for text, _, _ in paragraphs)
    articles = make_articles([{"article_id": "00000000000000ff", "body": body}])
    sentences = split_sentences(articles, sections=["body"])
    assert sentences["paragraph"].max() == len(paragraphs) - 1
    assert sentences.height == sum(len(spans) for _, spans, _ in paragraphs)


def test_scoring_can_fail():
    bench = load_benchmark()
    paragraphs = bench.read_gold()
    figures = bench.score(bench.naive_split, paragraphs)
    assert figures["f1"] < 0.98


# --- properties ------------------------------------------------------------------------------

ALPHABET = [*"aAbZ zé한ا1.,;:!?…\"“”'()—-\n\n\t U.S. Mr. Dr. e.g. 2.5 F. ", "\u00a0", " . . "]
texts = st.one_of(
    st.lists(st.sampled_from(ALPHABET), max_size=120).map("".join),
    st.text(max_size=200),
)


def check_sentences(text: str, spans: list[tuple[int, int]]) -> None:
    covered = [0] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        sentence = text[start:end]
        assert sentence == sentence.strip()
        assert not re.search(r"\n[^\S\n]*\n", sentence)
        for i in range(start, end):
            covered[i] += 1
        previous_end = end
    for i, char in enumerate(text):
        assert covered[i] <= 1
        if not char.isspace():
            assert covered[i] == 1, f"character {i} ({char!r}) is in no sentence"


@settings(max_examples=300, deadline=None)
@given(texts)
def test_body_sentences_cover_every_character_once(text):
    articles = make_articles([{"article_id": "0000000000000001", "body": text}])
    sentences = split_sentences(articles, sections=["body"])
    validate(sentences, "SENTENCES")
    rows = sentences.rows(named=True)
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]
    check_sentences(text, [(row["start"], row["end"]) for row in rows])
    paragraphs = [row["paragraph"] for row in rows]
    assert paragraphs == sorted(paragraphs)
    assert [row["position"] for row in rows] == list(range(len(rows)))


@settings(max_examples=100, deadline=None)
@given(st.lists(texts, max_size=4))
def test_summary_items_are_their_own_paragraphs(items):
    articles = make_articles([{"article_id": "0000000000000002", "summary": items}])
    sentences = split_sentences(articles, sections=["summary"])
    joined = "\n\n".join(items)
    for row in sentences.iter_rows(named=True):
        assert joined[row["start"] : row["end"]] == row["text"]
        item = items[row["paragraph"]]
        offset = sum(len(x) + 2 for x in items[: row["paragraph"]])
        assert offset <= row["start"] and row["end"] <= offset + len(item)
    check_sentences(joined, list(zip(sentences["start"], sentences["end"], strict=True)))
