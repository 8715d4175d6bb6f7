"""Property tests for the plain-text news-page parser in toolkit.corpus.

Two properties: the parser never crashes on any text, and every non-blank input
line is accounted for: it lands in a field of exactly one article (and its text
is really there), or it is recognised as page furniture or a repeated title.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import warnings
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.contracts import validate
from toolkit.corpus import (
    CorpusWarning,
    _classify,
    _clean_line,
    _line_accounting,
    _norm,
    _parse_text,
    _split_dateline,
    _split_lines,
    load_articles_with_report,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FIELDS = {"title", "date_text", "byline", "summary", "captions", "body"}
FURNITURE_KINDS = {"furniture", "counter", "date", "bad_date"}

# Lines that look like the parts of a news page, so that generated files have structure.
PAGE_LINES = [
    "Syria, South Korea establish diplomatic ties, open embassies",
    "Russian forces begin pulling out of bases in northeast Syria",
    "Short title",
    "1 / 2",
    "2 / 2",
    "Caption of a photo. (SANA)",
    "Short Url",
    "Follow",
    "Share",
    "Advertisement",
    "Read more",
    "Updated 14 April 2025",
    "Published April 14, 2025 2:05 PM",
    "Last updated 2025-04-14 14:05",
    "Updated 31 February 2025",
    "April 14, 2025",
    "By Jane Doe",
    "  • A summary bullet",
    "- a dash bullet",
    "* a star bullet",
    "•",
    "LONDON: The talks began on Thursday.",
    "QAMISHLI, Syria: Troops left the base.",
    "SEOUL (Reuters) - A missile was fired.",
    "WASHINGTON — The envoy arrived.",
    "A body paragraph that ends like a sentence.",
    "a hard-wrapped line that goes on without any final punctuation at all",
    "“A quotation,” he said.",
    "",
    "   ",
]

any_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),
    max_size=60,
)
page_line = st.one_of(st.sampled_from(PAGE_LINES), any_line)
page_text = st.builds(
    lambda lines, sep: sep.join(lines),
    st.lists(st.one_of(page_line, page_line, st.sampled_from(PAGE_LINES)), max_size=40),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
texts = st.one_of(page_text, st.text(max_size=400))


@SETTINGS
@given(texts)
def test_parser_never_crashes(text):
    parsed = _parse_text(text)
    assert len(parsed.fates) == len(_split_lines(text))
    for draft in parsed.drafts:
        assert all(p and p == p.strip() and "\n" not in p for p in draft.paragraphs)
        assert all(item for item in draft.summary + draft.captions)


def _in_body(line: str, draft) -> bool:
    body = "\n\n".join(draft.paragraphs)
    if line in body:
        return True
    dateline, rest = _split_dateline(line)
    return dateline is not None and dateline == draft.dateline and rest in body


@SETTINGS
@given(texts)
def test_every_line_is_accounted_for(text):
    parsed = _parse_text(text)
    accounting = _line_accounting(text)
    lines = [_clean_line(line) for line in _split_lines(text)]
    assert [number for number, _, _ in accounting] == list(range(1, len(lines) + 1))
    counts: dict[tuple[str, int], int] = {}
    for (_, dest, index), line in zip(accounting, lines, strict=True):
        if not line:
            assert dest == "blank"
            continue
        assert dest in FIELDS | {"furniture", "repeated_title"}, (line, dest)
        if dest == "furniture":
            assert index is None
            assert _classify(line) in FURNITURE_KINDS, line
            continue
        assert index is not None and 0 <= index < len(parsed.drafts)
        draft = parsed.drafts[index]
        counts[dest, index] = counts.get((dest, index), 0) + 1
        if dest == "repeated_title":
            assert _norm(line).casefold() == _norm(draft.title).casefold()
        elif dest == "title":
            assert line == draft.title
        elif dest == "date_text":
            assert line == draft.date_text
        elif dest == "byline":
            assert line in (draft.byline or "")
        elif dest == "summary":
            assert any(item in line for item in draft.summary), (line, draft.summary)
        elif dest == "captions":
            assert line in draft.captions
        else:
            assert _in_body(line, draft), (line, draft.paragraphs)
    # and the other way round: every field item came from input lines
    for index, draft in enumerate(parsed.drafts):
        assert counts.get(("title", index), 0) == (1 if draft.title else 0)
        assert counts.get(("summary", index), 0) == len(draft.summary)
        assert counts.get(("captions", index), 0) == len(draft.captions)
        assert counts.get(("date_text", index), 0) == (1 if draft.date_text else 0)
        assert counts.get(("repeated_title", index), 0) <= 1
        assert (counts.get(("body", index), 0) > 0) == bool(draft.paragraphs)


@settings(max_examples=40, deadline=None)
@given(page_text)
def test_loaded_files_always_meet_the_contract(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.txt"
        path.write_bytes(text.encode("utf-8"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CorpusWarning)
            articles, report = load_articles_with_report(path)
    validate(articles, "ARTICLES")
    n_drafts = len(_parse_text(text).drafts)
    assert report.n_articles == n_drafts
    assert articles.height == report.n_kept <= n_drafts


words = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=3, max_size=9), min_size=2, max_size=8
)
sentences = words.map(lambda w: " ".join(w).capitalize() + ".")
article_parts = st.tuples(
    words.map(lambda w: " ".join(w).title()),  # title
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31)),
    st.lists(sentences, max_size=3),  # captions
    st.lists(sentences, max_size=2),  # summary
    st.lists(sentences, min_size=1, max_size=6),  # body paragraphs
    st.sampled_from(["\n\n", "\n"]),  # paragraph separator
    st.sampled_from(["%d %B %Y", "%B %d, %Y", "%Y-%m-%d", "%A, %d %B %Y %H:%M"]),
)


def render(title, date, captions, summary, body, separator, date_format):
    lines = [title, ""]
    for number, caption in enumerate(captions, start=1):
        lines += [f"{number} / {len(captions)}", caption]
    lines += ["Short Url", f"Updated {date.strftime(date_format)}", "Follow", "", title, ""]
    for item in summary:
        lines += [f"  • {item}", ""]
    lines.append(separator.join(["LONDON: " + body[0], *body[1:]]))
    return "\n".join(lines)


@SETTINGS
@given(st.lists(article_parts, min_size=1, max_size=4, unique_by=lambda parts: parts[0]))
def test_generated_pages_parse_exactly(parts):
    text = "\n\n\n".join(render(*p) for p in parts)
    drafts = _parse_text(text).drafts
    assert [d.title for d in drafts] == [p[0] for p in parts]
    for draft, (_, date, captions, summary, body, _, _) in zip(drafts, parts, strict=True):
        assert draft.published == date
        assert draft.captions == captions
        assert draft.summary == summary
        assert draft.dateline == "LONDON"
        assert draft.paragraphs == body


SHIPPED = (
    Path(__file__).resolve().parents[1] / "data" / "raw" / "corpus" / "000_ed958a227aa303b2.txt"
)
SHIPPED_LINES = SHIPPED.read_text(encoding="utf-8").split("\n")
FURNITURE_SAMPLES = ["Share", "Print", "Advertisement", "Read more", "Follow", "Short Url", "Tweet"]


def _summarise(drafts):
    return [(d.title, d.published, d.dateline, d.summary, d.captions, d.paragraphs) for d in drafts]


@SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(0, len(SHIPPED_LINES)), st.sampled_from(FURNITURE_SAMPLES)),
        max_size=8,
    ),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["", " ", "\t"]),
)
def test_furniture_anywhere_leaves_the_shipped_articles_unchanged(insertions, newline, pad):
    expected = _summarise(_parse_text("\n".join(SHIPPED_LINES)).drafts)
    lines = list(SHIPPED_LINES)
    for position, furniture in sorted(insertions, reverse=True):
        if position > 0 and _classify(_clean_line(lines[position - 1])) == "counter":
            continue  # a counter's caption is the line right after it
        lines.insert(position, furniture)
    text = newline.join(line + pad for line in lines)
    assert _summarise(_parse_text(text).drafts) == expected
