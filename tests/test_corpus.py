"""Tests for toolkit.corpus: the shipped corpus parsed exactly, every format and quirk."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import toolkit as tk
from toolkit.contracts import validate
from toolkit.corpus import (
    FURNITURE,
    CorpusError,
    CorpusWarning,
    LoadReport,
    load_articles,
    load_articles_with_report,
    parse_date,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "raw" / "corpus"
SHIPPED = CORPUS / "000_ed958a227aa303b2.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "corpus"

TITLE_1 = "Syria, South Korea establish diplomatic ties, open embassies"
TITLE_2 = "Russian forces begin pulling out of bases in northeast Syria"


def write(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def load(source, **options) -> pl.DataFrame:
    articles = load_articles(source, **options)
    validate(articles, "ARTICLES")
    return articles


def all_text(row: dict) -> list[str]:
    fields = [row["title"], row["date_text"] or "", row["dateline"] or "", row["body"]]
    return [*fields, *row["summary"], *row["captions"]]


# --------------------------------------------------------------------------- shipped corpus


@pytest.fixture(scope="module")
def shipped() -> pl.DataFrame:
    return load(CORPUS)


def test_shipped_corpus_has_two_articles_with_their_titles(shipped):
    assert shipped.height == 2
    assert shipped.get_column("title").to_list() == [TITLE_1, TITLE_2]
    assert shipped.get_column("source").to_list() == ["000_ed958a227aa303b2.txt"] * 2
    assert shipped.get_column("position").to_list() == [0, 1]


def test_shipped_corpus_dates_and_datelines(shipped):
    assert shipped.get_column("published").to_list() == [dt.date(2025, 4, 14), dt.date(2026, 1, 28)]
    assert shipped.schema["published"] == pl.Date
    assert shipped.get_column("date_text").to_list() == [
        "Updated 14 April 2025",
        "Updated 28 January 2026",
    ]
    assert shipped.get_column("dateline").to_list() == ["LONDON", "QAMISHLI, Syria"]


def test_shipped_corpus_captions_and_summary(shipped):
    first, second = shipped.iter_rows(named=True)
    assert first["captions"] == [
        "Syrian Foreign Minister Asaad Al-Shaibani and South Korean counterpart Cho Tae-yul "
        "in Damascus. (SANA)",
        "Syria’s President Ahmad Al-Sharaa and South Korea's Foreign Minister Cho Tae-yul "
        "in Damascus. (SANA)",
    ]
    assert first["summary"] == [
        "Syria was the only UN member without diplomatic ties to South Korea, "
        "which gained independence in 1948"
    ]
    assert second["captions"] == []
    assert len(second["summary"]) == 1
    assert second["summary"][0].startswith("Despite having been on opposite sides")


def test_shipped_corpus_body_paragraphs(shipped):
    first, second = shipped.iter_rows(named=True)
    first_paragraphs = first["body"].split("\n\n")
    second_paragraphs = second["body"].split("\n\n")
    # The first article separates its paragraphs by blank lines, the second by single newlines.
    assert len(first_paragraphs) == 7
    assert len(second_paragraphs) == 16
    assert first_paragraphs[0].startswith("The Syrian Arab Republic and South Korea established")
    assert first_paragraphs[-1].endswith("during the Cold War.")
    assert second_paragraphs[0].startswith("Russian forces have begun pulling out")
    assert second_paragraphs[-1].endswith("to detention centers in Iraq.")
    assert all(p.strip() == p and p for p in first_paragraphs + second_paragraphs)


def test_shipped_corpus_has_no_furniture_anywhere(shipped):
    for row in shipped.iter_rows(named=True):
        text = "\n".join(all_text(row))
        for furniture in ("Short Url", "Follow", "1 / 2", "2 / 2"):
            assert furniture not in text
        # the repeated title is kept once: it appears in no field but the title
        assert row["title"] not in "\n".join([row["body"], *row["summary"], *row["captions"]])
        assert "\u00a0" not in text
        assert "LONDON:" not in row["body"]
        assert "QAMISHLI" not in row["body"]


def test_shipped_corpus_ids_and_word_counts(shipped):
    ids = shipped.get_column("article_id").to_list()
    assert all(len(i) == 16 and int(i, 16) >= 0 and i == i.lower() for i in ids)
    assert len(set(ids)) == 2
    for row in shipped.iter_rows(named=True):
        text = " ".join([row["title"], *row["summary"], *row["captions"], row["body"]])
        # a word is a whitespace-separated token holding a letter or digit (not "—")
        assert row["n_words"] == sum(any(c.isalnum() for c in t) for t in text.split())
    assert shipped.get_column("url").null_count() == 2
    assert shipped.get_column("outlet").null_count() == 2


def test_shipped_corpus_report_accounts_for_the_file():
    articles, report = load_articles_with_report(CORPUS)
    assert articles.height == 2
    assert report.n_files == 1
    assert report.n_articles == report.n_kept == 2
    assert report.warnings == []
    assert report.files[0].file == "000_ed958a227aa303b2.txt"
    assert report.files[0].format == "text"


def test_public_names_exported():
    assert tk.load_articles is load_articles
    assert tk.LoadReport is LoadReport


# --------------------------------------------------------------------------- page variants


def test_wire_page_fixture():
    articles = load(FIXTURES / "wire_page.txt")
    first, second = articles.iter_rows(named=True)
    assert first["title"] == "North Korea fires missile into sea, Seoul says"
    assert first["published"] == dt.date(2025, 4, 14)
    assert first["date_text"] == "Published Monday, April 14, 2025 2:05 PM"
    assert first["byline"] == "By Jane Doe"
    assert first["summary"] == ["Launch comes days after joint drills", "Third test this year"]
    assert first["dateline"] == "SEOUL (Reuters)"
    paragraphs = first["body"].split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("North Korea fired a ballistic missile")
    assert "Advertisement" not in first["body"]
    assert "Read more" not in first["body"]
    assert second["title"] == "Envoys meet in Geneva as talks resume"
    assert second["published"] == dt.date(2025, 4, 15)
    assert second["dateline"] == "GENEVA"
    assert len(second["body"].split("\n\n")) == 2


def test_unstructured_text_is_one_article(tmp_path):
    path = write(
        tmp_path / "note.txt",
        "\n\nA plain note about talks\nApril 14, 2025\n\nFirst paragraph here.\n\nSecond one.\n",
    )
    articles = load(path)
    assert articles.height == 1
    row = articles.row(0, named=True)
    assert row["title"] == "A plain note about talks"
    assert row["published"] == dt.date(2025, 4, 14)
    assert row["date_text"] == "April 14, 2025"
    assert row["body"] == "First paragraph here.\n\nSecond one."
    assert row["source"] == "note.txt"


def test_unstructured_text_without_date_warns(tmp_path):
    path = write(tmp_path / "undated.txt", "Title only line\nSome body text.\n")
    report = LoadReport()
    with pytest.warns(CorpusWarning, match=r"undated.txt:1: no_date"):
        articles = load_articles(path, report=report)
    validate(articles, "ARTICLES")
    assert articles.get_column("published").to_list() == [None]
    assert [w.kind for w in report.warnings] == ["no_date"]
    assert report.warnings[0].line == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Updated 14 April 2025", dt.date(2025, 4, 14)),
        ("Published April 14, 2025", dt.date(2025, 4, 14)),
        ("Last updated 2025-04-14", dt.date(2025, 4, 14)),
        ("Updated 14 April 2025 14:05", dt.date(2025, 4, 14)),
        ("Updated April 14, 2025 2:05 PM", dt.date(2025, 4, 14)),
        ("Published: Monday, 14 April 2025, 2:05 p.m. GMT", dt.date(2025, 4, 14)),
        ("Updated Mon 14th Apr. 2025 14:05 +03:00", dt.date(2025, 4, 14)),
        ("Updated 14 April 2025, 14:05 GMT+3", dt.date(2025, 4, 14)),
        ("Sept. 3, 2024", dt.date(2024, 9, 3)),
        ("2025-04-14T14:05:00Z", dt.date(2025, 4, 14)),
        ("2025-04-14 14:05:00+00:00", dt.date(2025, 4, 14)),
        ("14/04/2025", dt.date(2025, 4, 14)),
        ("04/14/2025", dt.date(2025, 4, 14)),
        ("04/05/2025", None),
        ("31 February 2025", None),
        ("Updated recently", None),
        ("14 Smarch 2025", None),
        ("The talks began on 14 April 2025 in Damascus", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_bad_date_line_keeps_text_and_warns(tmp_path):
    path = write(
        tmp_path / "bad.txt",
        "Some headline\n\nUpdated 31 February 2025\nFollow\n\nSome headline\n\nBody text.\n",
    )
    report = LoadReport()
    with pytest.warns(CorpusWarning, match=r"bad.txt:3: bad_date"):
        articles = load_articles(path, report=report)
    row = articles.row(0, named=True)
    assert row["published"] is None
    assert row["date_text"] == "Updated 31 February 2025"
    assert row["body"] == "Body text."
    assert [w.kind for w in report.warnings] == ["bad_date"]


def test_datelines_in_several_styles(tmp_path):
    bodies = {
        "LONDON: The talks.": ("LONDON", "The talks."),
        "QAMISHLI, Syria: Troops left.": ("QAMISHLI, Syria", "Troops left."),
        "SEOUL (Reuters) - The launch.": ("SEOUL (Reuters)", "The launch."),
        "WASHINGTON — The envoy.": ("WASHINGTON", "The envoy."),
        "NEW YORK, N.Y. -- A vote.": ("NEW YORK, N.Y.", "A vote."),
        "BEIRUT, April 14 (AP) — Talks.": ("BEIRUT, April 14 (AP)", "Talks."),
        "The U.S. said: nothing.": (None, "The U.S. said: nothing."),
        "UN: not a dateline.": (None, "UN: not a dateline."),
        "Moscow: a title-case place is not a dateline.": (
            None,
            "Moscow: a title-case place is not a dateline.",
        ),
    }
    for number, (body, (dateline, rest)) in enumerate(bodies.items()):
        path = write(tmp_path / f"d{number}.txt", f"Headline\nUpdated 14 April 2025\n\n{body}\n")
        row = load(path).row(0, named=True)
        assert (row["dateline"], row["body"]) == (dateline, rest), body


def test_hard_wrapped_lines_are_joined(tmp_path):
    text = (
        "Headline\nUpdated 14 April 2025\n\n"
        "This paragraph was wrapped by a tool that breaks lines at\n"
        "a fixed width, so it goes on here.\n"
        "A short line\n"
        "Next paragraph.\n"
    )
    row = load(write(tmp_path / "w.txt", text)).row(0, named=True)
    assert row["body"].split("\n\n") == [
        "This paragraph was wrapped by a tool that breaks lines at a fixed width, "
        "so it goes on here.",
        "A short line",
        "Next paragraph.",
    ]


def test_furniture_tuple_is_documented_and_lowercase():
    assert "short url" in FURNITURE
    assert "follow" in FURNITURE
    assert all(item == item.casefold().strip() for item in FURNITURE)


def test_text_before_the_first_article_is_kept_and_reported(tmp_path):
    text = "Home | World\n\nHeadline one\nUpdated 14 April 2025\nFollow\n\nHeadline one\n\nBody.\n"
    report = LoadReport()
    with pytest.warns(CorpusWarning) as caught:
        articles = load_articles(write(tmp_path / "p.txt", text), report=report)
    messages = [str(w.message) for w in caught]
    assert "p.txt:1: unrecognised_line: lines 1-1 come before the first article" in messages[0]
    validate(articles, "ARTICLES")
    assert articles.get_column("title").to_list() == ["Home | World", "Headline one"]
    assert report.counts() == {"no_body": 1, "no_date": 1, "unrecognised_line": 1}


# --------------------------------------------------------------------------- encodings


def test_bom_and_crlf_give_the_same_articles(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8")
    plain = load(SHIPPED)
    bom = tmp_path / "bom" / "a.txt"
    bom.parent.mkdir()
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    converted = load(bom)
    assert converted.drop("source").equals(plain.drop("source"))
    cr_only = write(tmp_path / "cr.txt", text.replace("\n", "\r"))
    assert load(cr_only).drop("source").equals(plain.drop("source"))


def test_undecodable_bytes_name_file_line_and_offset(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(b"Headline\n\nCaf" + b"\xe9 au lait\n")
    with pytest.raises(CorpusError, match=r"latin.txt: line 3, byte offset 13") as error:
        load_articles(path)
    assert isinstance(error.value, ValueError)
    assert "\\xe9" in str(error.value)


def test_undecodable_bytes_in_jsonl_and_utf16(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"title": "ok"}\r\n{"title": "caf\xe9"}\n')
    with pytest.raises(CorpusError, match=r"bad.jsonl: line 2, byte offset 31"):
        load_articles(path)
    utf16 = tmp_path / "u.txt"
    utf16.write_bytes("Headline\n".encode("utf-16"))
    with pytest.raises(CorpusError, match="UTF-16"):
        load_articles(utf16)


# --------------------------------------------------------------------------- records


def test_jsonl_usual_field_names_case_insensitive():
    articles = load(FIXTURES / "records.jsonl")
    first, second = articles.iter_rows(named=True)
    assert first["title"] == "Talks resume in Geneva"
    assert first["published"] == dt.date(2025, 4, 15)
    assert first["date_text"] == "2025-04-15T09:30:00Z"
    assert first["url"] == "https://example.org/a"
    assert first["outlet"] == "Example News"
    assert first["dateline"] == "GENEVA"
    assert first["body"] == "Envoys met.\n\nThey agreed to meet again."
    assert second["outlet"] == "Wire"
    assert second["summary"] == ["Convoy arrives"]
    assert second["captions"] == ["A truck. (AP)"]
    assert second["published"] == dt.date(2025, 4, 14)


def test_csv_usual_field_names():
    articles = load(FIXTURES / "records.csv")
    assert articles.get_column("title").to_list() == ["Embassy opens in Damascus", "Ministers meet"]
    assert articles.get_column("published").to_list() == [
        dt.date(2025, 4, 14),
        dt.date(2025, 4, 16),
    ]
    assert articles.get_column("body").to_list()[0] == (
        "The embassy opened on Monday.\n\nOfficials attended."
    )
    assert articles.get_column("url").to_list() == ["https://example.org/b", None]
    assert articles.get_column("outlet").to_list() == ["Example", None]


def test_parquet_field_names_and_typed_dates(tmp_path):
    table = pl.DataFrame(
        {
            "HEADLINE": ["One", "Two"],
            "article": ["Body one.", "Body two."],
            "pubdate": [dt.date(2025, 4, 14), None],
            "publisher": ["Outlet", "Outlet"],
            "captions": [["Photo one."], []],
        }
    )
    path = tmp_path / "t.parquet"
    table.write_parquet(path)
    report = LoadReport()
    with pytest.warns(CorpusWarning, match=r"t.parquet record 2: no_date"):
        articles = load_articles(path, report=report)
    validate(articles, "ARTICLES")
    assert articles.get_column("title").to_list() == ["One", "Two"]
    assert articles.get_column("published").to_list() == [dt.date(2025, 4, 14), None]
    assert articles.get_column("date_text").to_list() == ["2025-04-14", None]
    assert articles.get_column("captions").to_list() == [["Photo one."], []]
    assert report.warnings[0].record == 2


def test_columns_maps_other_field_names(tmp_path):
    path = write(
        tmp_path / "odd.jsonl",
        json.dumps({"hed": "Odd names", "copy": "Some copy.", "when": "14 April 2025", "x": 1})
        + "\n",
    )
    articles = load(path, columns={"title": "hed", "body": "COPY", "published": "when"})
    row = articles.row(0, named=True)
    assert (row["title"], row["body"], row["published"]) == (
        "Odd names",
        "Some copy.",
        dt.date(2025, 4, 14),
    )
    with pytest.warns(CorpusWarning, match="no_date"):
        _, report = load_articles_with_report(path, columns={"title": "hed", "body": "copy"})
    assert report.files[0].ignored_fields == ["when", "x"]
    with pytest.raises(CorpusError, match="'nope'"):
        load_articles(path, columns={"title": "nope"})
    with pytest.raises(ValueError, match="'headline'"):
        load_articles(path, columns={"headline": "hed"})


def test_record_with_unknown_date_format_warns_with_line(tmp_path):
    lines = [
        {"title": "A", "text": "a.", "date": "14 April 2025"},
        {"title": "B", "text": "b.", "date": "the ides of March"},
    ]
    path = write(tmp_path / "r.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    report = LoadReport()
    with pytest.warns(CorpusWarning, match=r"r.jsonl:2: bad_date: unknown date format"):
        articles = load_articles(path, report=report)
    assert articles.get_column("published").to_list() == [dt.date(2025, 4, 14), None]
    assert articles.get_column("date_text").to_list() == ["14 April 2025", "the ides of March"]
    assert [(w.kind, w.line) for w in report.warnings] == [("bad_date", 2)]


def test_malformed_jsonl_names_file_and_line(tmp_path):
    path = write(tmp_path / "m.jsonl", '{"title": "ok", "text": "x"}\n\n{"title": oops}\n')
    with pytest.raises(CorpusError, match=r"m.jsonl: line 3: malformed JSON"):
        load_articles(path)
    path = write(tmp_path / "n.jsonl", "[1, 2]\n")
    with pytest.raises(CorpusError, match=r"n.jsonl: line 1: expected a JSON object"):
        load_articles(path)


def test_empty_record_is_reported(tmp_path):
    path = write(
        tmp_path / "e.jsonl", '{"title": ""}\n{"title": "T", "text": "b.", "date": "2025-01-01"}\n'
    )
    with pytest.warns(CorpusWarning, match=r"e.jsonl:1: empty_record"):
        articles = load(path)
    assert articles.get_column("title").to_list() == ["T"]


# --------------------------------------------------------------------------- sources


def test_directory_recursive_sorted_with_relative_posix_sources(tmp_path):
    write(tmp_path / "b" / "z.txt", "Zed title\nUpdated 1 May 2025\n\nZed body.\n")
    write(tmp_path / "a.txt", "Aye title\nUpdated 2 May 2025\n\nAye body.\n")
    write(tmp_path / "b" / "a.txt", "Bee title\nUpdated 3 May 2025\n\nBee body.\n")
    articles = load(tmp_path)
    assert articles.get_column("source").to_list() == ["a.txt", "b/a.txt", "b/z.txt"]
    assert articles.get_column("title").to_list() == ["Aye title", "Bee title", "Zed title"]


def test_glob_and_list_of_paths(tmp_path):
    write(tmp_path / "x" / "one.txt", "One\nUpdated 1 May 2025\n\nOne body.\n")
    write(tmp_path / "x" / "two.txt", "Two\nUpdated 2 May 2025\n\nTwo body.\n")
    write(tmp_path / "x" / "notes.csv", "title,text,date\nThree,Three body.,2025-05-03\n")
    by_glob = load(str(tmp_path / "x" / "*.txt"))
    assert by_glob.get_column("source").to_list() == ["one.txt", "two.txt"]
    by_list = load([tmp_path / "x" / "two.txt", tmp_path / "x" / "notes.csv", tmp_path / "x"])
    assert by_list.get_column("title").to_list() == ["Two", "Three", "One"]
    assert by_list.get_column("source").to_list() == ["two.txt", "notes.csv", "one.txt"]
    recursive = load(str(tmp_path / "**" / "*.txt"))
    assert recursive.get_column("source").to_list() == ["x/one.txt", "x/two.txt"]
    with pytest.raises(FileNotFoundError, match=r"\*\.jsonl"):
        load_articles(str(tmp_path / "*.jsonl"))
    with pytest.raises(FileNotFoundError, match=r"missing\.txt"):
        load_articles(tmp_path / "missing.txt")


def test_forced_format_and_unknown_extension(tmp_path):
    path = write(
        tmp_path / "feed.log", json.dumps({"title": "T", "text": "B", "date": "2025-01-02"})
    )
    with pytest.raises(CorpusError, match=r"feed.log: unknown file extension '.log'"):
        load_articles(path)
    articles = load(path, format="jsonl")
    assert articles.get_column("title").to_list() == ["T"]


def test_unknown_files_in_a_directory_are_reported(tmp_path):
    write(tmp_path / "a.txt", "Title\nUpdated 1 May 2025\n\nBody.\n")
    write(tmp_path / "README.md", "# notes\n")
    report = LoadReport()
    with pytest.warns(CorpusWarning, match="README.md: skipped_file"):
        articles = load_articles(tmp_path, report=report)
    assert articles.height == 1
    assert [(f.file, f.format) for f in report.files] == [("README.md", None), ("a.txt", "text")]


def test_empty_file_is_reported(tmp_path):
    write(tmp_path / "empty.txt", "\n  \nShare\n")
    report = LoadReport()
    with pytest.warns(CorpusWarning, match="empty.txt: empty_file"):
        articles = load_articles(tmp_path, report=report)
    validate(articles, "ARTICLES")
    assert articles.height == 0
    assert articles.columns[:13] == list(tk.contracts.SCHEMAS["ARTICLES"])
    assert report.counts() == {"empty_file": 1}


def test_duplicates_are_kept_once_and_reported(tmp_path):
    shutil.copy(SHIPPED, tmp_path / "first.txt")
    shutil.copy(SHIPPED, tmp_path / "second.txt")
    report = LoadReport()
    with pytest.warns(CorpusWarning, match="duplicate"):
        articles = load_articles(tmp_path, report=report)
    validate(articles, "ARTICLES")
    assert articles.height == 2
    assert articles.get_column("source").to_list() == ["first.txt", "first.txt"]
    assert report.n_articles == 4
    assert report.n_kept == 2
    dup = [w for w in report.warnings if w.kind == "duplicate"]
    assert [(w.file, w.line) for w in dup] == [("second.txt", 1), ("second.txt", 30)]
    assert report.to_dict()["n_duplicates"] == 2


def test_renamed_file_keeps_article_ids(tmp_path):
    shutil.copy(SHIPPED, tmp_path / "renamed-copy.txt")
    original = load(SHIPPED).get_column("article_id").to_list()
    renamed = load(tmp_path / "renamed-copy.txt")
    assert renamed.get_column("article_id").to_list() == original
    assert renamed.get_column("source").to_list() == ["renamed-copy.txt"] * 2
    # Known value: the id must not change between runs or machines.
    assert original == ["6e61937456e518a6", "ad3b649e2a14f52f"]


def test_article_id_ignores_whitespace_and_format(tmp_path):
    write(tmp_path / "a.txt", "Same  title\nUpdated 14 April 2025\n\nSame\u00a0body.\n")
    record = {"title": "Same title", "text": "Same body.", "date": "2025-04-14"}
    write(tmp_path / "b.jsonl", json.dumps(record) + "\n")
    ids = [load(tmp_path / name).item(0, "article_id") for name in ("a.txt", "b.jsonl")]
    assert ids[0] == ids[1]


# --------------------------------------------------------------------------- options and report


def test_pandas_backend():
    articles = load_articles(CORPUS, backend="pandas")
    assert isinstance(articles, pd.DataFrame)
    validate(articles, "ARTICLES")
    assert list(articles["title"]) == [TITLE_1, TITLE_2]


def test_bad_options_name_the_value():
    with pytest.raises(ValueError, match="'xml'"):
        load_articles(CORPUS, format="xml")
    with pytest.raises(ValueError, match="'arrow'"):
        load_articles(CORPUS, backend="arrow")


def test_report_to_dict_is_json_and_deterministic(tmp_path):
    write(tmp_path / "u.txt", "Untitled note\n\nNo date here.\n")
    reports = []
    for _ in range(2):
        with pytest.warns(CorpusWarning):
            _, report = load_articles_with_report(tmp_path)
        reports.append(report)
    assert reports[0].to_json() == reports[1].to_json()
    data = json.loads(reports[0].to_json())
    assert data["files"][0]["warnings"][0]["kind"] == "no_date"
    assert data["files"][0]["warnings"][0]["line"] == 1
    assert str(tmp_path) not in reports[0].to_json()
    text = reports[0].format()
    assert text.splitlines()[0] == "1 file, 1 article found, 1 kept, 1 warning"
    assert "u.txt:1" in text


def test_many_warnings_are_capped_in_warnings_but_not_in_report(tmp_path):
    records = [{"title": f"T{i}", "text": f"b{i}."} for i in range(30)]
    path = write(tmp_path / "many.jsonl", "\n".join(json.dumps(r) for r in records))
    report = LoadReport()
    with pytest.warns(CorpusWarning) as caught:
        load_articles(path, report=report)
    assert len(report.warnings) == 30
    assert len(caught) == 21
    assert "10 more" in str(caught[-1].message)


# --------------------------------------------------------------------------- more page layouts


def test_published_line_wins_over_updated_line(tmp_path):
    text = "Headline\nUpdated 15 April 2025\nPublished 14 April 2025\nFollow\n\nHeadline\n\nBody.\n"
    row = load(write(tmp_path / "p.txt", text)).row(0, named=True)
    assert (row["published"], row["date_text"]) == (dt.date(2025, 4, 14), "Published 14 April 2025")


def test_date_above_the_title_and_gallery_at_the_top(tmp_path):
    text = (
        "1 / 1\nA photo of the envoys. (AFP)\n"
        "Updated 14 April 2025\nFirst headline\nShare\n\nFirst headline\n\n"
        "* Star bullet\n\nBody one.\n\n"
        "Published 15 April 2025\nSecond headline\nFollow\n\nSecond headline\n\nBody two.\n"
    )
    articles = load(write(tmp_path / "g.txt", text))
    rows = list(articles.iter_rows(named=True))
    assert [r["title"] for r in rows] == ["First headline", "Second headline"]
    assert rows[0]["captions"] == ["A photo of the envoys. (AFP)"]
    assert rows[0]["summary"] == ["Star bullet"]
    assert [r["published"] for r in rows] == [dt.date(2025, 4, 14), dt.date(2025, 4, 15)]
    assert [r["body"] for r in rows] == ["Body one.", "Body two."]


def test_gallery_inside_the_body_goes_to_captions(tmp_path):
    text = "Headline\nUpdated 14 April 2025\n\nBody one.\n2 / 5\nA caption.\nBody two.\n"
    row = load(write(tmp_path / "b.txt", text)).row(0, named=True)
    assert row["captions"] == ["A caption."]
    assert row["body"] == "Body one.\n\nBody two."


def test_csv_with_more_values_than_columns_warns(tmp_path):
    path = write(tmp_path / "r.csv", "title,text,date\nT,Body.,2025-01-01,surplus\n")
    report = LoadReport()
    with pytest.warns(CorpusWarning, match=r"r.csv record 1: unrecognised_line"):
        articles = load_articles(path, report=report)
    assert articles.get_column("title").to_list() == ["T"]


def test_csv_with_header_only_is_an_empty_file(tmp_path):
    path = write(tmp_path / "h.csv", "title,text\r\n")
    with pytest.warns(CorpusWarning, match="empty_file"):
        articles = load_articles(path)
    assert articles.height == 0


def test_csv_warnings_name_the_record_number(tmp_path):
    path = write(tmp_path / "s.csv", "title,text,date\n,,\nT2,Body.,2025-01-01\nT3,Body three.,\n")
    report = LoadReport()
    with pytest.warns(CorpusWarning):
        articles = load_articles(path, report=report)
    assert articles.get_column("position").to_list() == [0, 1]
    assert [(w.kind, w.record) for w in report.warnings] == [("empty_record", 1), ("no_date", 3)]


def test_date_line_before_the_title_of_a_plain_file(tmp_path):
    path = write(tmp_path / "d.txt", "Tuesday 14 April 2025\nA headline\n\nThe body.\n")
    row = load(path).row(0, named=True)
    assert (row["title"], row["published"], row["body"]) == (
        "A headline",
        dt.date(2025, 4, 14),
        "The body.",
    )


def test_bom_and_crlf_in_csv_and_jsonl(tmp_path):
    csv_path = tmp_path / "b.csv"
    csv_path.write_bytes(b'\xef\xbb\xbfTitle,Text,Date\r\nT,"One.\r\n\r\nTwo.",2025-04-14\r\n')
    row = load(csv_path).row(0, named=True)
    assert (row["title"], row["body"], row["published"]) == (
        "T",
        "One.\n\nTwo.",
        dt.date(2025, 4, 14),
    )
    jsonl_path = tmp_path / "b.jsonl"
    jsonl_path.write_bytes(b'\xef\xbb\xbf{"title": "T", "text": "One.", "date": "2025-04-14"}\r\n')
    assert load(jsonl_path).item(0, "title") == "T"
