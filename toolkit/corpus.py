"""Load news corpora into the ARTICLES table, accounting for every file and article.

:func:`load_articles` reads a directory (recursively, in sorted order), a file, a
list of paths or a glob. Formats are chosen by extension under ``format="auto"``:
``.txt``/``.text`` (plain-text copies of news pages), ``.jsonl``/``.ndjson``,
``.csv`` and ``.parquet``. Every file read, every article found and every problem
met is recorded in a :class:`LoadReport`; problems are also issued as
:class:`CorpusWarning` warnings. Bytes that are not UTF-8 raise :class:`CorpusError`
naming the file, line and byte offset: nothing is silently mangled.

Plain-text news pages
---------------------
Copies of news pages hold one or more articles laid out like this::

    Title                         <- kept once, in ``title``
    1 / 2                         <- gallery counter (page furniture)
    Caption of photo 1. (SANA)    <- line after a counter: ``captions``
    Short Url                     <- page furniture (see FURNITURE)
    Updated 14 April 2025         <- ``date_text``; parsed into ``published``
    Follow
    Title                         <- the page repeats the title: dropped
      • A summary bullet          <- bullets before the body: ``summary``
    LONDON: First paragraph...    <- "LONDON" goes to ``dateline``
    Second paragraph...

The heuristics, in the order they are applied:

1. Text is decoded (UTF-8, a leading BOM dropped), line ends (CRLF, CR, LF)
   unified, each line NFC-normalised and its runs of whitespace (including
   no-break spaces) collapsed to one space.
2. Each line is classified without context: blank; page furniture (its
   case-folded text, trailing ``:`` or ``|`` removed, is in :data:`FURNITURE`,
   or it matches :data:`FURNITURE_PATTERNS`); a gallery counter (``1 / 2``); a
   date line (``Updated``/``Published``/``Last updated``/``Posted`` followed by a
   date, or a line that is only a date; see :func:`parse_date`); a bullet
   (``•``, ``▪``, ``◦``, ``‣``, ``·``, ``-`` or ``*`` then a space); a byline
   (``By Name``: "By" and at most six words, no final full stop); or plain text.
3. Article boundaries. A text line *T* starts an article when it looks like a
   title (at most 40 words, not ending in a full stop, not right after a
   gallery counter) and the lines after it form a page header: only blank
   lines, furniture, gallery counters with their caption line, date lines and
   bylines (at most 40 lines), with at least one furniture, counter or date
   line among them, and the header either ends at a line repeating *T* or
   contains a date line. The article starts at *T*, or earlier at the first of
   the blank, furniture, date and gallery lines directly above *T* (a date
   printed above the title is the article's date), and runs until the next
   article's start. Lines before the first start that hold text form an
   article of their own (reported as ``unrecognised_line``); a file with no
   start is one article.
4. Inside an article: the first text line is the title; the line after a
   gallery counter is a caption; a date line is the date (the first one; a
   ``Published`` line wins over an ``Updated`` one; further date lines are
   furniture); the first text line equal to the title is the repeated title and
   is dropped; bullets before the first body line are summary items; the rest
   is body. Inside the body, furniture and counters are removed and act as
   paragraph breaks; a keyword date line is taken as the date if none was found.
5. Paragraphs are separated by blank lines, and also by single newlines unless
   the line before is at least 40 characters long and does not end like a
   sentence (``. ! ? : ; …`` or a closing quote or bracket): such a line was
   hard-wrapped and is joined to the next one with a space.
6. The dateline is moved from the start of the first body paragraph into
   ``dateline`` when that paragraph starts with an upper-case place (at least
   three letters, at most five words, optionally followed by ``, Region``) and
   then ``:`` (``LONDON:``), ``(Agency) -`` (``SEOUL (Reuters) -``, kept as
   ``SEOUL (Reuters)``) or a dash (``WASHINGTON —``).

JSONL, CSV and Parquet
----------------------
Fields are matched case-insensitively by their usual names (see
:data:`FIELD_NAMES`); ``columns={"title": "Headline_Text"}`` maps any other.
Bodies go through the same paragraph and dateline rules as text files; dates
through :func:`parse_date` (ISO date-times included). A record whose date cannot
be read keeps ``date_text``, gets a null ``published`` and a ``bad_date``
warning naming file and line (JSONL) or record (CSV, Parquet).

Identity
--------
``article_id`` is 16 hex characters of BLAKE2b over the NFC-normalised,
whitespace-collapsed title, the ISO ``published`` date (empty when unknown) and
the body. It depends on content only, so it is the same on every machine and
after renaming a file. An article seen a second time is kept once (the first
occurrence) and the repeat is reported as ``duplicate``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import glob as globlib
import hashlib
import io
import json
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from toolkit._backend import check_backend, to_backend
from toolkit._dates import MONTHS
from toolkit.contracts import SCHEMAS

__all__ = [
    "FIELD_NAMES",
    "FORMATS",
    "FURNITURE",
    "FURNITURE_PATTERNS",
    "CorpusError",
    "CorpusWarning",
    "FileReport",
    "LoadReport",
    "LoadWarning",
    "load_articles",
    "load_articles_with_report",
    "parse_date",
]

#: Accepted values of ``format=``; "auto" picks by extension (see EXTENSIONS).
FORMATS = ("auto", "text", "jsonl", "csv", "parquet")

#: File extensions (lower case) read under ``format="auto"``.
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
}

#: Whole lines (compared case-insensitively, whitespace collapsed, a trailing
#: ":" or "|" ignored) that are page furniture, not article text: share and
#: follow widgets, print links, advertising slots, "read more" teasers.
FURNITURE: tuple[str, ...] = (
    "short url",
    "short link",
    "follow",
    "follow us",
    "following",
    "share",
    "shares",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "share on x",
    "share on whatsapp",
    "share on linkedin",
    "share on telegram",
    "share via email",
    "share by email",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "linkedin",
    "telegram",
    "reddit",
    "email",
    "e-mail",
    "copy link",
    "copy url",
    "link copied",
    "tweet",
    "print",
    "print this article",
    "advertisement",
    "advertising",
    "sponsored",
    "ad",
    "read more",
    "read also",
    "also read",
    "see also",
    "related",
    "related articles",
    "related stories",
    "related topics",
    "most popular",
    "most read",
    "comments",
    "comment",
    "listen",
    "listen to this article",
    "save",
    "save article",
    "bookmark",
    "font size",
    "text size",
    "a a",
    "a+ a-",
    "skip to content",
    "skip to main content",
    "scroll to continue",
    "scroll to continue with ad",
    "back to top",
    "subscribe",
    "sign up",
    "newsletter",
    "log in",
    "next",
    "previous",
    "close",
    "enlarge image",
    "open image in gallery",
    "view gallery",
)

#: Regular expressions (matched against the whole stripped line, ignoring case)
#: for furniture whose wording varies.
FURNITURE_PATTERNS: tuple[str, ...] = (
    r"\d{1,3} min(?:ute)?s? read",
    r"reading time:? \d{1,3} min(?:ute)?s?\.?",
    r"follow (?:us|@\S+)(?: on \S+(?: \S+)?)?",
    r"share (?:on|via) \S+(?: \S+)?",
    r"click here to \S.{0,60}",
)

#: ARTICLES fields and the names (compared case-insensitively) that JSONL, CSV
#: and Parquet exports commonly give them; the first present non-empty one wins.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "body": ("text", "body", "content", "article"),
    "published": ("date", "published", "published_at", "pubdate"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "publisher"),
    "summary": ("summary", "description"),
    "captions": ("captions",),
    "dateline": ("dateline",),
    "byline": ("byline", "author", "authors"),
}

#: Columns of the returned table: the ARTICLES contract plus ``byline``.
COLUMNS: dict[str, pl.DataType] = {**SCHEMAS["ARTICLES"], "byline": pl.String}

#: At most this many warnings of one kind per file go through ``warnings.warn``;
#: the report keeps them all.
MAX_WARNINGS_PER_KIND = 20

WARNING_KINDS = (
    "empty_file",
    "no_title",
    "no_body",
    "no_date",
    "bad_date",
    "duplicate",
    "unrecognised_line",
    "empty_record",
    "skipped_file",
)


class CorpusError(ValueError):
    """Input that cannot be read: bad bytes, malformed JSON, unknown format, missing field."""


class CorpusWarning(UserWarning):
    """A problem in the input that the loader worked around (see :class:`LoadReport`)."""


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class LoadWarning:
    """One problem found while loading, located by file and line or record."""

    kind: str
    file: str
    message: str
    line: int | None = None
    record: int | None = None

    def where(self) -> str:
        """Return ``file:line`` or ``file record N`` or just the file."""
        if self.line is not None:
            return f"{self.file}:{self.line}"
        if self.record is not None:
            return f"{self.file} record {self.record}"
        return self.file

    def to_dict(self) -> dict[str, Any]:
        """Return the warning as a JSON-serialisable dict."""
        return {
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "record": self.record,
            "message": self.message,
        }


@dataclass
class FileReport:
    """What one input file gave: its format, articles found and kept, warnings."""

    file: str
    format: str | None
    n_articles: int = 0
    n_kept: int = 0
    ignored_fields: list[str] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the file's report as a JSON-serialisable dict."""
        return {
            "file": self.file,
            "format": self.format,
            "n_articles": self.n_articles,
            "n_kept": self.n_kept,
            "ignored_fields": list(self.ignored_fields),
            "warnings": [w.to_dict() for w in self.warnings],
        }


@dataclass
class LoadReport:
    """Account of a load: every file seen, the articles it gave, every warning.

    Pass an empty one as ``load_articles(..., report=LoadReport())`` to have it
    filled, or call :func:`load_articles_with_report`.

    Examples
    --------
    >>> report = LoadReport()
    >>> report.n_files, report.n_articles
    (0, 0)
    >>> report.to_dict()["files"]
    []
    """

    files: list[FileReport] = field(default_factory=list)

    @property
    def n_files(self) -> int:
        """Number of files seen (read or skipped)."""
        return len(self.files)

    @property
    def n_articles(self) -> int:
        """Number of articles found, duplicates included."""
        return sum(f.n_articles for f in self.files)

    @property
    def n_kept(self) -> int:
        """Number of articles in the returned table."""
        return sum(f.n_kept for f in self.files)

    @property
    def warnings(self) -> list[LoadWarning]:
        """All warnings, file by file, in the order they were found."""
        return [w for f in self.files for w in f.warnings]

    def counts(self) -> dict[str, int]:
        """Return the number of warnings of each kind (kinds sorted)."""
        counts: dict[str, int] = {}
        for w in self.warnings:
            counts[w.kind] = counts.get(w.kind, 0) + 1
        return dict(sorted(counts.items()))

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-serialisable dict (deterministic, no timestamps)."""
        return {
            "n_files": self.n_files,
            "n_articles": self.n_articles,
            "n_kept": self.n_kept,
            "n_duplicates": sum(1 for w in self.warnings if w.kind == "duplicate"),
            "warning_counts": self.counts(),
            "files": [f.to_dict() for f in self.files],
        }

    def to_json(self) -> str:
        """Return :meth:`to_dict` as indented JSON with sorted keys and a final newline."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def format(self) -> str:
        """Return the report as human-readable text, one block per file.

        Examples
        --------
        >>> print(LoadReport().format())
        0 files, 0 articles found, 0 kept, 0 warnings
        """
        n_warn = len(self.warnings)
        head = (
            f"{_count(self.n_files, 'file')}, {_count(self.n_articles, 'article')} found, "
            f"{self.n_kept} kept, {_count(n_warn, 'warning')}"
        )
        lines = [head]
        if n_warn:
            lines.append("warnings: " + ", ".join(f"{k} {n}" for k, n in self.counts().items()))
        for f in self.files:
            fmt = f.format or "skipped"
            lines.append(f"{f.file} [{fmt}]: {_count(f.n_articles, 'article')}, {f.n_kept} kept")
            lines.extend(f"  {w.kind}: {w.where()}: {w.message}" for w in f.warnings)
        return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class _Reporter:
    """Collects warnings for one file and forwards the first few to ``warnings.warn``."""

    def __init__(self, file_report: FileReport) -> None:
        self.file_report = file_report
        self.issued: dict[str, int] = {}

    def warn(
        self, kind: str, message: str, *, line: int | None = None, record: int | None = None
    ) -> None:
        item = LoadWarning(kind, self.file_report.file, message, line, record)
        self.file_report.warnings.append(item)
        n = self.issued.get(kind, 0) + 1
        self.issued[kind] = n
        if n <= MAX_WARNINGS_PER_KIND:
            warnings.warn(f"{item.where()}: {kind}: {message}", CorpusWarning, stacklevel=4)

    def finish(self) -> None:
        for kind, n in sorted(self.issued.items()):
            if n > MAX_WARNINGS_PER_KIND:
                warnings.warn(
                    f"{self.file_report.file}: {kind}: {n - MAX_WARNINGS_PER_KIND} more "
                    "warnings of this kind (all are in the load report)",
                    CorpusWarning,
                    stacklevel=4,
                )


# --------------------------------------------------------------------------- dates

_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    ("ymd", re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")),
    (
        "dmy",
        re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>[a-z]{{3,9}})\.?,?\s+(?P<y>\d{{4}})(?!\d)",
            re.I,
        ),
    ),
    (
        "mdy",
        re.compile(
            rf"\b(?P<m>[a-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})(?!\d)", re.I
        ),
    ),
    ("num", re.compile(r"(?<!\d)(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})(?!\d)")),
)
_WEEKDAYS = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\.?"
_TIMEZONES = (
    r"(?:utc|gmt|z|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet|cest|eet|eest|kst|jst|ast|ist|msk|et|pt)"
)
_IGNORABLE = re.compile(
    r"(?:[\s,|@()\-–—/]"
    r"|t?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"|\d{1,2}\s*[ap]\.?m\.?"
    r"|[ap]\.?m\.?"
    rf"|\b{_WEEKDAYS}"
    rf"|(?<![a-z]){_TIMEZONES}\b"
    r"|[+-]\d{1,2}(?::?\d{2})?"
    r"|\b(?:at|on)\b)*",
    re.I,
)
_DATE_KEYWORD = re.compile(
    r"(?P<kw>last\s+updated|last\s+modified|updated|first\s+published|published|posted|date)"
    r"(?:\s+(?:on|at))?\s*[:\-–—]?\s*(?P<rest>.*)",
    re.I,
)


def parse_date(text: str) -> dt.date | None:
    """Return the calendar date written in ``text``, or None when there is none.

    Accepts day-month-year (``14 April 2025``, ``14th Apr. 2025``), month-day-year
    (``April 14, 2025``), ISO (``2025-04-14``, ``2025-04-14T14:05:00Z``) and
    numeric ``14/04/2025`` when unambiguous; with or without a weekday, a time
    (``14:05``, ``2:05 PM``) and a time zone, and after a keyword such as
    ``Updated`` or ``Published``. Anything else in the text makes it not a date.

    Examples
    --------
    >>> parse_date("Updated 14 April 2025")
    datetime.date(2025, 4, 14)
    >>> parse_date("Monday, April 14, 2025 2:05 PM")
    datetime.date(2025, 4, 14)
    >>> parse_date("2025-04-14T14:05:00Z")
    datetime.date(2025, 4, 14)
    >>> parse_date("04/05/2025") is None  # day and month could be swapped
    True
    """
    keyword = _DATE_KEYWORD.fullmatch(text.strip())
    if keyword:
        text = keyword.group("rest")
    return _parse_bare_date(text)


def _parse_bare_date(text: str) -> dt.date | None:
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            rest = text[: match.start()] + " " + text[match.end() :]
            if not _IGNORABLE.fullmatch(rest):
                continue
            year = int(match.group("y"))
            if kind in ("ymd", "dmy", "mdy"):
                month_text = match.group("m")
                month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
                day = int(match.group("d"))
            else:
                a, b = int(match.group("a")), int(match.group("b"))
                if a > 12 >= b:
                    day, month = a, b
                elif b > 12 >= a:
                    day, month = b, a
                elif a == b:
                    day = month = a
                else:
                    return None
            if month is None or not 1000 <= year <= 2999:
                continue
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


# --------------------------------------------------------------------------- text lines

_COUNTER = re.compile(r"\d{1,3} ?/ ?\d{1,3}")
_BULLET_STRICT = re.compile(r"(?:[•▪◦‣·●] ?|[-*–] )(?P<text>\S.*)")
_BYLINE = re.compile(r"by\s+\S.*", re.I)
_FURNITURE_SET = frozenset(FURNITURE)
_FURNITURE_RE = re.compile("|".join(f"(?:{p})" for p in FURNITURE_PATTERNS), re.I)
_SENTENCE_END = tuple(".!?:;…\"'”’»)]")
_DATELINE = re.compile(
    r"(?P<place>[^\W\d_][^:()\n—–]{1,60}?)\s*"
    r"(?P<sep>:|(?P<agency>\([^()\n]{1,40}\))\s*[-—–]{1,2}|\s[-—–]{1,2})\s+(?P<rest>\S.*)",
    re.S,
)

BLANK, FURNITURE_LINE, COUNTER, DATE, BAD_DATE, BULLET, BYLINE, TEXT = (
    "blank",
    "furniture",
    "counter",
    "date",
    "bad_date",
    "bullet",
    "byline",
    "text",
)


def _clean_line(line: str) -> str:
    # str.split() splits on exactly the characters re's \s matches (str.isspace).
    return " ".join(unicodedata.normalize("NFC", line).split())


def _norm(text: str) -> str:
    """NFC, whitespace collapsed: the form used for identity and title comparison."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _is_furniture(line: str) -> bool:
    key = line.casefold().rstrip(":| ").strip()
    return key in _FURNITURE_SET or bool(_FURNITURE_RE.fullmatch(line))


def _classify(line: str) -> str:
    if not line:
        return BLANK
    if _is_furniture(line):
        return FURNITURE_LINE
    if _COUNTER.fullmatch(line):
        return COUNTER
    if len(line) > 100 or not any(c.isdigit() for c in line):
        keyword = None  # fast path: no date line is this long or lacks digits
    else:
        keyword = _DATE_KEYWORD.fullmatch(line)
    # "Date" only counts as a keyword when followed by a colon ("Date: 14 April 2025").
    if keyword and (keyword.group("kw").lower() != "date" or ":" in line):
        rest = keyword.group("rest")
        if _parse_bare_date(rest) is not None:
            return DATE
        if rest and any(c.isdigit() for c in rest) and len(rest.split()) <= 10:
            return BAD_DATE
    elif (
        len(line) <= 60
        and any(c.isdigit() for c in line)
        and any(c.isalpha() or c == "-" for c in line)
        and _parse_bare_date(line) is not None
    ):
        return DATE
    if _BULLET_STRICT.fullmatch(line):
        return BULLET
    if _BYLINE.fullmatch(line) and len(line.split()) <= 7 and not line.endswith("."):
        return BYLINE
    return TEXT


def _is_keyword_date(line: str) -> bool:
    return _DATE_KEYWORD.fullmatch(line) is not None


def _looks_like_title(line: str) -> bool:
    return len(line.split()) <= 40 and (not line.endswith(".") or line.endswith("..."))


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@dataclass
class _Draft:
    """An article under construction, with the input line numbers behind each part."""

    first_line: int
    title: str = ""
    date_text: str | None = None
    published: dt.date | None = None
    date_is_published: bool = False
    dateline: str | None = None
    byline: str | None = None
    summary: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    url: str | None = None
    outlet: str | None = None


@dataclass
class _TextParse:
    """Result of parsing one text file: drafts, per-line fates and problems."""

    drafts: list[_Draft]
    # per input line (0-based index): (destination, article index or None)
    fates: list[tuple[str, int | None]]
    problems: list[tuple[str, int, str]]  # (kind, 1-based line, message)


def _header_end(lines: list[str], kinds: list[str], i: int) -> tuple[int, bool] | None:
    """If line ``i`` starts an article, return (index after its header, title repeated)."""
    n = len(lines)
    title = _norm(lines[i]).casefold()
    j = i + 1
    markers = 0
    has_date = False
    limit = min(n, i + 41)
    while j < limit:
        kind = kinds[j]
        if kind in (BLANK, BYLINE):
            j += 1
        elif kind in (FURNITURE_LINE, COUNTER, DATE, BAD_DATE):
            markers += 1
            has_date = has_date or kind in (DATE, BAD_DATE)
            if kind == COUNTER and j + 1 < n and kinds[j + 1] in (TEXT, BULLET, BYLINE):
                j += 1  # skip the caption that follows a gallery counter
            j += 1
        elif kind == TEXT and _norm(lines[j]).casefold() == title:
            return (j + 1, True) if markers else None
        else:
            break
    if markers and has_date:
        return j, False
    return None


_ABOVE_TITLE = (BLANK, FURNITURE_LINE, COUNTER, DATE, BAD_DATE)


def _article_starts(lines: list[str], kinds: list[str]) -> list[int]:
    starts: list[int] = []
    i = 0
    n = len(lines)
    previous_end = 0
    while i < n:
        follows_counter = i > 0 and kinds[i - 1] == COUNTER  # then it is a caption
        if kinds[i] == TEXT and not follows_counter and _looks_like_title(lines[i]):
            found = _header_end(lines, kinds, i)
            if found is not None:
                # Date lines and furniture right above the title belong to its page header.
                start = i
                while start > previous_end:
                    if kinds[start - 1] in _ABOVE_TITLE:
                        start -= 1
                    elif start - 2 >= previous_end and kinds[start - 2] == COUNTER:
                        start -= 2  # a gallery counter and its caption
                    else:
                        break
                starts.append(start)
                i = previous_end = found[0]
                continue
        i += 1
    return starts


def _parse_text(text: str) -> _TextParse:
    """Parse one decoded text file into article drafts, accounting for every line.

    ``fates[k]`` says where input line ``k`` went: ("blank", None),
    ("furniture", None), ("repeated_title", a), or a field name ("title",
    "date_text", "byline", "summary", "captions", "body") with the article index.
    """
    raw_lines = _split_lines(text)
    lines = [_clean_line(line) for line in raw_lines]
    kinds = [_classify(line) for line in lines]
    fates: list[tuple[str, int | None]] = [
        (BLANK, None) if kind == BLANK else (FURNITURE_LINE, None) for kind in kinds
    ]
    problems: list[tuple[str, int, str]] = []
    starts = _article_starts(lines, kinds)
    chunks: list[tuple[int, int]] = []
    if not starts:
        chunks.append((0, len(lines)))
    else:
        preamble = [k for k in range(starts[0]) if kinds[k] not in (BLANK, FURNITURE_LINE)]
        if preamble:
            chunks.append((0, starts[0]))
            first, last = preamble[0] + 1, preamble[-1] + 1
            problems.append(
                (
                    "unrecognised_line",
                    first,
                    f"lines {first}-{last} come before the first article; kept as an article",
                )
            )
        chunks.extend(zip(starts, [*starts[1:], len(lines)], strict=True))
    drafts: list[_Draft] = []
    for begin, end in chunks:
        draft = _parse_chunk(lines, kinds, begin, end, len(drafts), fates, problems)
        if draft is not None:
            drafts.append(draft)
    return _TextParse(drafts, fates, problems)


def _parse_chunk(
    lines: list[str],
    kinds: list[str],
    begin: int,
    end: int,
    index: int,
    fates: list[tuple[str, int | None]],
    problems: list[tuple[str, int, str]],
) -> _Draft | None:
    if all(kinds[k] in (BLANK, FURNITURE_LINE, COUNTER) for k in range(begin, end)):
        return None
    first = next(k for k in range(begin, end) if kinds[k] != BLANK)
    draft = _Draft(first_line=first + 1)
    state = "pre"  # pre -> header (title seen) -> body (first body line seen)
    title_key = ""
    repeated = False
    caption_next = False
    blocks: list[list[int]] = []  # body blocks: runs of line indices
    block: list[int] = []
    date_line: int | None = None

    def close_block() -> None:
        nonlocal block
        if block:
            blocks.append(block)
            block = []

    def set_date(k: int, *, bad: bool) -> bool:
        nonlocal date_line
        is_published = lines[k].casefold().startswith(("published", "first published", "posted"))
        if draft.date_text is not None and not (is_published and not draft.date_is_published):
            return False
        draft.date_text = lines[k]
        draft.published = None if bad else parse_date(lines[k])
        draft.date_is_published = is_published
        date_line = k
        return True

    for k in range(begin, end):
        kind, line = kinds[k], lines[k]
        if kind == BLANK:
            caption_next = False
            close_block()
            continue
        if caption_next and kind in (TEXT, BULLET, BYLINE):
            caption_next = False
            draft.captions.append(line)
            fates[k] = ("captions", index)
            continue
        caption_next = False
        if kind in (FURNITURE_LINE, COUNTER):
            fates[k] = (FURNITURE_LINE, None)
            caption_next = kind == COUNTER
            close_block()
            continue
        if kind in (DATE, BAD_DATE) and (
            state != "body" or (kind == DATE and _is_keyword_date(line))
        ):
            previous = date_line
            if set_date(k, bad=kind == BAD_DATE):
                fates[k] = ("date_text", index)
                if previous is not None:
                    fates[previous] = (FURNITURE_LINE, None)
            else:
                fates[k] = (FURNITURE_LINE, None)
            close_block()
            continue
        if state == "pre":
            draft.title = line
            title_key = _norm(line).casefold()
            fates[k] = ("title", index)
            state = "header"
            continue
        if state == "header":
            if kind == TEXT and not repeated and _norm(line).casefold() == title_key:
                repeated = True
                fates[k] = ("repeated_title", index)
                continue
            if kind == BYLINE:
                draft.byline = line if draft.byline is None else f"{draft.byline}; {line}"
                fates[k] = ("byline", index)
                continue
            if kind == BULLET:
                match = _BULLET_STRICT.fullmatch(line)
                assert match is not None
                draft.summary.append(match.group("text").strip())
                fates[k] = ("summary", index)
                continue
            state = "body"
        block.append(k)
        fates[k] = ("body", index)
    close_block()
    for run in blocks:
        draft.paragraphs.extend(_paragraphs([lines[k] for k in run]))
    if draft.paragraphs:
        draft.dateline, draft.paragraphs[0] = _split_dateline(draft.paragraphs[0])
    if date_line is not None and draft.published is None:
        problems.append(
            ("bad_date", date_line + 1, f"cannot read the date in {lines[date_line]!r}")
        )
    return draft


def _paragraphs(lines: list[str]) -> list[str]:
    """Join a run of non-blank lines into paragraphs (see heuristic 5)."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        current.append(line)
        if len(line) < 40 or line.endswith(_SENTENCE_END):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Return (dateline, rest of paragraph) or (None, paragraph)."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None, paragraph
    place = match.group("place").strip()
    head, _, region = place.partition(",")
    letters = [c for c in head if c.isalpha()]
    if len(letters) < 3 or not head.isupper() or len(head.split()) > 5:
        return None, paragraph
    if region:
        words = region.split()
        if not words or len(words) > 4 or not all(w[0].isupper() or w.isdigit() for w in words):
            return None, paragraph
    dateline = place
    if match.group("agency"):
        dateline = f"{place} {match.group('agency')}"
    return dateline, match.group("rest")


def _line_accounting(text: str) -> list[tuple[int, str, int | None]]:
    """Return, for every input line, (1-based line, destination, article index).

    Destinations: "blank", "furniture", "repeated_title", or the field the line
    went to ("title", "date_text", "byline", "summary", "captions", "body").
    Used by the property tests to show that no line is lost.
    """
    parsed = _parse_text(text)
    return [(k + 1, dest, art) for k, (dest, art) in enumerate(parsed.fates)]


# --------------------------------------------------------------------------- files


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
        codecs.BOM_UTF8
    ):
        raise CorpusError(f"{name}: line 1, byte offset 0: the file is UTF-16; re-save it as UTF-8")
    offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[offset:].decode("utf-8")
    except UnicodeDecodeError as error:
        start = error.start + offset
        line = data.count(b"\n", 0, start) + 1
        bad = data[start : error.end + offset]
        raise CorpusError(
            f"{name}: line {line}, byte offset {start}: bytes {bad!r} are not valid UTF-8 "
            "(re-encode the file as UTF-8, e.g. with iconv)"
        ) from None


def _resolve(source, format: str) -> list[tuple[Path, str, bool]]:
    """Return [(path, source name, skipped)]: list items in the order given, each
    directory's files in sorted order of relative path, glob matches sorted."""
    items: Sequence = source if isinstance(source, (list, tuple)) else [source]
    files: list[tuple[Path, str, bool]] = []
    seen: set[Path] = set()

    def add(path: Path, name: str) -> None:
        key = path.resolve()
        if key in seen:  # the same file reached twice (e.g. a directory and a file in it)
            return
        seen.add(key)
        files.append((path, name, format == "auto" and path.suffix.lower() not in EXTENSIONS))

    for item in items:
        if not isinstance(item, (str, Path)):
            raise TypeError(f"source must be a path, a glob or a list of them, got {item!r}")
        path = Path(item)
        if path.is_dir():
            in_dir = sorted(
                (p for p in path.rglob("*") if p.is_file()),
                key=lambda p: p.relative_to(path).as_posix(),
            )
            for p in in_dir:
                add(p, p.relative_to(path).as_posix())
        elif path.is_file():
            if format == "auto" and path.suffix.lower() not in EXTENSIONS:
                known = ", ".join(EXTENSIONS)
                raise CorpusError(
                    f"{path}: unknown file extension {path.suffix!r} (known: {known}); "
                    "pass format= to read it anyway"
                )
            add(path, path.name)
        elif isinstance(item, str) and globlib.has_magic(item):
            matches = sorted(Path(p) for p in globlib.glob(item, recursive=True))
            matches = [p for p in matches if p.is_file()]
            if not matches:
                raise FileNotFoundError(f"no files match the glob {item!r}")
            root = _glob_root(item)
            for p in sorted(matches, key=lambda p: _relative(p, root)):
                add(p, _relative(p, root))
        else:
            raise FileNotFoundError(f"no such file or directory: {str(item)!r}")
    return files


def _glob_root(pattern: str) -> Path:
    parts = Path(pattern).parts
    first_magic = next(i for i, part in enumerate(parts) if globlib.has_magic(part))
    fixed = parts[:first_magic]
    return Path(*fixed) if fixed else Path()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _file_format(path: Path, format: str) -> str:
    return EXTENSIONS[path.suffix.lower()] if format == "auto" else format


def _read_text_file(path: Path, name: str, rep: _Reporter) -> list[tuple[_Draft, dict[str, int]]]:
    text = _decode(path.read_bytes(), name)
    parsed = _parse_text(text)
    for kind, line, message in parsed.problems:
        rep.warn(kind, message, line=line)
    return [(d, {"line": d.first_line}) for d in parsed.drafts]


def _read_jsonl_file(
    path: Path, name: str, columns: Mapping[str, str], rep: _Reporter
) -> list[tuple[_Draft, dict[str, int]]]:
    text = _decode(path.read_bytes(), name)
    records: list[tuple[int, dict]] = []
    for number, line in enumerate(_split_lines(text), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise CorpusError(
                f"{name}: line {number}: malformed JSON ({error.msg} at column {error.colno})"
            ) from None
        if not isinstance(record, dict):
            raise CorpusError(
                f"{name}: line {number}: expected a JSON object, got {type(record).__name__}"
            )
        records.append((number, record))
    keys = sorted({key for _, record in records for key in record})
    mapping = _field_mapping(keys, columns, name, rep)
    drafts = []
    for number, record in records:
        draft = _record_draft(record, mapping, rep, line=number)
        if draft is not None:
            drafts.append((draft, {"line": number}))
    return drafts


def _read_table_file(
    path: Path, name: str, kind: str, columns: Mapping[str, str], rep: _Reporter
) -> list[tuple[_Draft, dict[str, int]]]:
    if kind == "csv":
        text = _decode(path.read_bytes(), name)
        if not text.strip():
            return []
        limit = csv.field_size_limit()
        csv.field_size_limit(max(limit, len(text)))  # long article bodies are fine
        try:
            reader = csv.DictReader(io.StringIO(text, newline=""))
            rows = list(reader)
            keys = list(reader.fieldnames or [])
        except csv.Error as error:
            raise CorpusError(f"{name}: line {reader.line_num}: malformed CSV: {error}") from None
        finally:
            csv.field_size_limit(limit)
        records = []
        for number, row in enumerate(rows, start=1):
            extra = row.pop(None, None)  # type: ignore[call-overload]
            if extra:
                rep.warn(
                    "unrecognised_line",
                    f"record has {len(extra)} more values than the header has columns; "
                    f"ignored: {extra!r}"[:200],
                    record=number,
                )
            records.append(row)
    else:
        try:
            table = pl.read_parquet(path)
        except Exception as error:  # polars raises several exception types
            raise CorpusError(f"{name}: cannot read Parquet: {error}") from None
        keys = table.columns
        records = table.to_dicts()
    mapping = _field_mapping(keys, columns, name, rep)
    drafts = []
    for number, record in enumerate(records, start=1):
        draft = _record_draft(record, mapping, rep, record=number)
        if draft is not None:
            drafts.append((draft, {"record": number}))
    return drafts


def _field_mapping(
    keys: Iterable[str], columns: Mapping[str, str], name: str, rep: _Reporter
) -> dict[str, list[str]]:
    """Map each of our fields to the file's keys that may hold it, best first.

    A record takes the first of them that it has with a non-empty value, so a
    JSONL file whose records mix ``title`` and ``headline`` loads every title.
    """
    keys = list(keys)
    by_lower: dict[str, list[str]] = {}
    for key in keys:
        by_lower.setdefault(str(key).casefold(), []).append(key)
    mapping: dict[str, list[str]] = {}
    for ours, theirs in columns.items():
        found = [theirs] if theirs in keys else by_lower.get(theirs.casefold())
        if not found:
            raise CorpusError(
                f"{name}: columns= maps {ours!r} to {theirs!r}, which is not a field of the file "
                f"(fields: {', '.join(map(str, keys))})"
            )
        mapping[ours] = found
    used = {key for found in mapping.values() for key in found}
    for ours, names in FIELD_NAMES.items():
        if ours in mapping:
            continue
        found = [key for n in names for key in by_lower.get(n, []) if key not in used]
        if found:
            mapping[ours] = found
            used.update(found)
    rep.file_report.ignored_fields = sorted(str(k) for k in keys if k not in used)
    return mapping


def _first_value(fields: Mapping[str, Any], keys: list[str]) -> Any:
    for key in keys:
        value = fields.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        parts = [_as_text(v) for v in value]
        joined = "\n\n".join(p for p in parts if p)
        return joined or None
    text = str(value)
    return text if text.strip() else None


def _as_items(value: Any) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, (list, tuple)) else _split_lines(str(value))
    items = []
    for v in values:
        if v is None:
            continue
        line = _clean_line(str(v))
        bullet = _BULLET_STRICT.fullmatch(line)
        if bullet:
            line = bullet.group("text").strip()
        if line:
            items.append(line)
    return items


def _record_draft(
    fields: Mapping[str, Any],
    mapping: Mapping[str, list[str]],
    rep: _Reporter,
    *,
    line: int | None = None,
    record: int | None = None,
) -> _Draft | None:
    get = {ours: _first_value(fields, keys) for ours, keys in mapping.items()}
    title = _clean_line(_as_text(get.get("title")) or "")
    body_text = _as_text(get.get("body")) or ""
    if not title and not body_text.strip():
        rep.warn(
            "empty_record", "record has neither title nor body; skipped", line=line, record=record
        )
        return None
    draft = _Draft(first_line=line or 0, title=title)
    blocks: list[list[str]] = [[]]
    for raw in _split_lines(body_text):
        cleaned = _clean_line(raw)
        if cleaned:
            blocks[-1].append(cleaned)
        elif blocks[-1]:
            blocks.append([])
    for run in blocks:
        draft.paragraphs.extend(_paragraphs(run))
    dateline = _as_text(get.get("dateline"))
    if dateline:
        draft.dateline = _clean_line(dateline)
    elif draft.paragraphs:
        draft.dateline, draft.paragraphs[0] = _split_dateline(draft.paragraphs[0])
    draft.summary = _as_items(get.get("summary"))
    draft.captions = _as_items(get.get("captions"))
    byline = get.get("byline")
    if isinstance(byline, (list, tuple)):
        byline = ", ".join(str(b) for b in byline if b is not None)
    draft.byline = _clean_line(str(byline)) if byline else None
    draft.url = _clean_line(str(get["url"])) if get.get("url") else None
    draft.outlet = _clean_line(str(get["outlet"])) if get.get("outlet") else None
    value = get.get("published")
    if isinstance(value, dt.datetime):
        draft.published, draft.date_text = value.date(), value.isoformat()
    elif isinstance(value, dt.date):
        draft.published, draft.date_text = value, value.isoformat()
    elif value is not None and str(value).strip():
        draft.date_text = _clean_line(str(value))
        draft.published = parse_date(draft.date_text)
        if draft.published is None:
            rep.warn(
                "bad_date",
                f"unknown date format {draft.date_text!r}; published left null",
                line=line,
                record=record,
            )
    return draft


# --------------------------------------------------------------------------- assembly


def _article_id(title: str, published: dt.date | None, body: str) -> str:
    key = "\x1f".join([_norm(title), published.isoformat() if published else "", _norm(body)])
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


# A word is a whitespace-separated token with at least one letter, digit or "_".
_NOT_A_WORD = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")


def _n_words(*texts: str) -> int:
    return sum(len(t.split()) - len(_NOT_A_WORD.findall(t)) for t in texts)


_ARROW_TYPES = {pl.String: pa.string(), pl.Int64: pa.int64(), pl.Date: pa.date32()}


def _to_table(rows: Mapping[str, list]) -> pl.DataFrame:
    """Build the ARTICLES table; via Arrow, which builds list columns far faster."""
    fields = [
        pa.field(
            name, pa.list_(pa.string()) if dtype == pl.List(pl.String) else _ARROW_TYPES[dtype]
        )
        for name, dtype in COLUMNS.items()
    ]
    table = pa.Table.from_pydict(dict(rows), schema=pa.schema(fields))
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame.cast(COLUMNS)  # type: ignore[arg-type]


def _check_options(format: str, backend: str, columns: Mapping[str, str] | None) -> None:
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {format!r}")
    check_backend(backend)
    if columns is not None:
        if not isinstance(columns, Mapping):
            raise TypeError(f"columns must be a mapping {{our_name: their_field}}, got {columns!r}")
        for ours, theirs in columns.items():
            if ours not in FIELD_NAMES:
                raise ValueError(
                    f"columns= key {ours!r} is not a field we fill; use one of "
                    f"{', '.join(FIELD_NAMES)}"
                )
            if not isinstance(theirs, str):
                raise TypeError(f"columns={{{ours!r}: ...}} must name a field, got {theirs!r}")


def load_articles_with_report(
    source,
    *,
    format: str = "auto",
    columns: Mapping[str, str] | None = None,
    backend: str = "polars",
) -> tuple[Any, LoadReport]:
    """Load articles like :func:`load_articles` and return ``(articles, report)``.

    This is the entry point for ``toolkit build``: write ``report.to_json()``
    beside the tables and print ``report.format()``.

    Examples
    --------
    >>> articles, report = load_articles_with_report("data/raw/corpus")
    >>> articles.height, report.n_files, report.n_kept
    (2, 1, 2)
    """
    report = LoadReport()
    articles = load_articles(source, format=format, columns=columns, backend=backend, report=report)
    return articles, report


def load_articles(
    source,
    *,
    format: str = "auto",
    columns: Mapping[str, str] | None = None,
    backend: str = "polars",
    report: LoadReport | None = None,
):
    """Read news articles from files into an ARTICLES table.

    Parameters
    ----------
    source : str, Path, or list of them
        A directory (read recursively, in sorted order of relative path), a
        file, a glob (``"corpus/**/*.jsonl"``, matches sorted) or a list of any
        of these (read in the order given; a file reached twice is read once).
    format : {"auto", "text", "jsonl", "csv", "parquet"}
        "auto" picks by extension and skips (and reports) other files in a
        directory; any other value reads every file in that format.
    columns : mapping, optional
        ``{our_field: their_field}`` for JSONL/CSV/Parquet fields with unusual
        names; our fields are the keys of :data:`FIELD_NAMES`.
    backend : {"polars", "pandas"}
        The library of the returned table.
    report : LoadReport, optional
        Filled with one :class:`FileReport` per file seen.

    Returns
    -------
    DataFrame
        ARTICLES (see ``toolkit.contracts``) plus a ``byline`` column, in input
        order; ``source`` is the path relative to the directory or glob root
        given (the file name for a single file), ``position`` the article's index
        in that file.

    Raises
    ------
    CorpusError
        Undecodable bytes (with file, line and byte offset), malformed JSONL
        (file and line), unreadable CSV/Parquet, a ``columns=`` field missing.
    FileNotFoundError
        A path that does not exist or a glob that matches nothing.
    ValueError
        An unknown ``format``, ``backend`` or ``columns`` key.

    Warns
    -----
    CorpusWarning
        Empty files, skipped files, articles without date, title or body, dates
        that cannot be read, duplicates, unrecognised lines (all in the report).

    Examples
    --------
    >>> import toolkit as tk
    >>> articles = tk.load_articles("data/raw/corpus")
    >>> articles.select("dateline", "published").rows()
    [('LONDON', datetime.date(2025, 4, 14)), ('QAMISHLI, Syria', datetime.date(2026, 1, 28))]
    >>> articles.get_column("captions").list.len().to_list()
    [2, 0]
    """
    _check_options(format, backend, columns)
    if report is None:
        report = LoadReport()
    files = _resolve(source, format)
    rows: dict[str, list] = {column: [] for column in COLUMNS}
    first_seen: dict[str, str] = {}
    for path, name, is_skipped in files:
        file_report = FileReport(
            file=name, format=None if is_skipped else _file_format(path, format)
        )
        report.files.append(file_report)
        rep = _Reporter(file_report)
        if is_skipped:
            rep.warn("skipped_file", f"extension {path.suffix!r} is not a known format; not read")
            rep.finish()
            continue
        kind = file_report.format
        if kind == "text":
            drafts = _read_text_file(path, name, rep)
        elif kind == "jsonl":
            drafts = _read_jsonl_file(path, name, columns or {}, rep)
        else:
            drafts = _read_table_file(path, name, kind, columns or {}, rep)
        if not drafts:
            rep.warn("empty_file", "no articles found")
        file_report.n_articles = len(drafts)
        for position, (draft, where) in enumerate(drafts):
            body = "\n\n".join(draft.paragraphs)
            article_id = _article_id(draft.title, draft.published, body)
            if article_id in first_seen:
                rep.warn(
                    "duplicate",
                    f"article {article_id} ({draft.title[:60]!r}) repeats {first_seen[article_id]}"
                    "; kept once",
                    **where,
                )
                continue
            first_seen[article_id] = f"{name} article {position}"
            if not draft.title:
                rep.warn("no_title", "article has no title", **where)
            if not body:
                rep.warn("no_body", f"article {draft.title[:60]!r} has no body", **where)
            if draft.date_text is None:
                rep.warn("no_date", f"article {draft.title[:60]!r} has no date", **where)
            file_report.n_kept += 1
            values = {
                "article_id": article_id,
                "source": name,
                "position": position,
                "title": draft.title,
                "published": draft.published,
                "date_text": draft.date_text,
                "dateline": draft.dateline,
                "summary": draft.summary,
                "captions": draft.captions,
                "body": body,
                "url": draft.url,
                "outlet": draft.outlet,
                "n_words": _n_words(draft.title, *draft.summary, *draft.captions, body),
                "byline": draft.byline,
            }
            for column, value in values.items():
                rows[column].append(value)
        rep.finish()
    articles = _to_table(rows)
    return to_backend(articles, backend)
