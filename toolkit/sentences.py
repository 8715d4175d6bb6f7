"""Sentence splitting for news prose: ARTICLES -> SENTENCES.

The splitter is rule based: one compiled regular expression finds candidate
boundaries (terminal punctuation, optional closing quotes or brackets, then
whitespace) and a few table lookups decide each candidate from the word before it
and the word after it. It was chosen over spaCy's rule-based ``sentencizer`` and a
naive regex because it is both more accurate on news prose and faster; the
figures are in ``benchmarks/README.sentences.md`` (``benchmarks/bench_sentences.py``).

The rules, in the order they are applied to a candidate ``... <word><punct><close> <next>``:

1. ``next`` starting with a lowercase letter never starts a sentence
   (``"Why?" he asked``, ``e.g. the``, ``mid-sentence ... ellipsis``).
2. ``?`` and ``!`` end a sentence otherwise; so does an ellipsis.
3. A period after a title or a "never final" abbreviation (``Mr.``, ``Gen.``,
   ``e.g.``, ``vs.``) does not end a sentence.
4. A period after an abbreviation that is usually followed by a number
   (``Dec. 5``, ``No. 10``) does not end a sentence before a digit.
5. A period after an abbreviation that can end a sentence (``U.S.``, ``Inc.``,
   ``Jr.``, ``a.m.``, any dotted acronym such as ``J.R.R.``, a single initial
   such as ``F.``) ends one only when the next word is a typical sentence opener
   (``The``, ``He``, ``But``, ...) or a closing quote or bracket follows the
   period: ``in the U.S. The next`` splits while ``U.S. President`` and
   ``John F. Kennedy`` do not.
6. A lone list marker (``1.``, ``(a)``, ``iv.``) is never a sentence by itself.
7. Any other period followed by whitespace ends a sentence.

Paragraphs are separated by blank lines (a section without blank lines but with
single newlines treats each line as a paragraph). Inside a paragraph a single
newline also ends a sentence when the next line starts a list item or when the
line before ends without punctuation and the next one does not start lowercase.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from toolkit._backend import like_input, to_polars

__all__ = ["SECTIONS", "section_text", "sentence_spans", "split_paragraph", "split_sentences"]

#: Sections in reading order, which is the order of ``position``.
SECTIONS = ("title", "summary", "caption", "body")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and abbreviations that (almost) never end a sentence.
_NEVER_FINAL = _words(
    """
    mr mrs ms mx messrs mmes dr prof gen lt col maj capt cmdr cdr adm brig sgt cpl pvt
    gov sen rep pres amb supt insp det rev hon fr rt
    vs v e.g i.e cf viz approx ca esp incl
    """
)
# Abbreviations that precede numbers: no split before a digit, split before a capital.
_BEFORE_NUMBER = _words(
    """
    jan feb mar apr jun jul aug sep sept oct nov dec
    no nos art arts fig figs vol vols ch chap sec secs para paras p pp ref refs
    """
)
# Abbreviations that can end a sentence: split only before a typical sentence opener.
_MAYBE_FINAL = _words(
    """
    inc corp co ltd plc bros llc jr sr st mt ft ave blvd rd
    a.m p.m u.s u.k u.n e.u u.a.e d.c n.y l.a
    """
)
# Words that open sentences but seldom follow "U.S." or an initial inside one.
_OPENERS = _words(
    """
    The A An It Its He She They We I You His Her Their Our My Your This That These Those
    There Here In On At By For From With Without After Before During Since Until Till
    When While Where Why How What Who Whom Whose Which If Unless Although Though Because
    But And Or Nor So Yet Still Also However Meanwhile Moreover Furthermore Instead
    Despite Nevertheless Nonetheless Otherwise Thus Hence Therefore Indeed Earlier Later
    Last Next Now Then Today Yesterday Tomorrow Tonight Some Many Most Several Both All
    Each Every Few Not Such Other Others Another One Two Three Asked According Under Over
    Among Between Officials Analysts Critics Experts Mr Mrs Ms Dr Only Even Just Once
    As To Is Was Are Were Do Does Did Has Have Had Will Would Can Could Should May Might
    Must Neither Either No Yes Around About Across Against Along Amid Amidst
    """
)
_ALL_ABBREVIATIONS = _NEVER_FINAL | _BEFORE_NUMBER | _MAYBE_FINAL
_ROMAN = _words("i ii iii iv v vi vii viii ix x xi xii")
_CLOSERS = "\"'”’»)]}"
_OPENING = "\"'“‘«([{"
# A candidate boundary: terminal punctuation, closing quotes or brackets (group 0 up
# to group 1), then whitespace and any opening quotes or brackets (group 1) before
# the next non-space character. A character class first keeps the scan fast.
# Possessive and bounded quantifiers keep the scan linear on long runs of dots.
_CANDIDATE = re.compile(r"[.!?…]{1,64}+[\"'”’»)\]}]*+(\s++[\"'“‘«(\[{]*)(?=\S)")
_WORD_AFTER = re.compile(r"\w*")
# The word just before a period (searched for in the 9 characters before it).
_WORD = re.compile(r"[^\s\"'“‘«(\[{]*\Z")
# A line break followed by a non-blank line.
_NEWLINE = re.compile(r"\n[^\S\n]*(?=\S)")
_LIST_ITEM = re.compile(r"(?:[•▪◦●\-*–—]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)])\s")
_NO_BREAK_AFTER = frozenset(".!?…,;:(-–—/&" + _CLOSERS)
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*(?:\n\s*)+")
_LINE_BREAK = re.compile(r"\n\s*")


def _cuts(text: str) -> list[tuple[int, int]]:
    """``(end, next start)`` pairs: where a sentence ends and where the next one begins."""
    cuts: list[tuple[int, int]] = []
    last = 0
    for match in _CANDIDATE.finditer(text):
        following = match.end()
        first = text[following]
        if first.islower() or first == ".":
            # A lowercase word goes on the sentence; a dot continues an ellipsis.
            continue
        dot = match.start()
        end = match.start(1)
        # A lone period (maybe followed by closing quotes or brackets) depends on the
        # word before it; "?", "!", an ellipsis or "(...)." is a boundary.
        if text[dot] == "." and (end - dot == 1 or text[dot:end].rstrip(_CLOSERS) == "."):
            space = text.rfind(" ", dot - 9 if dot > 9 else 0, dot)
            word = text[space + 1 : dot] if space >= 0 else ""
            if space < 0 or not word.isalnum():
                # Another separator (a bracket, a line break) or a long word: look closer.
                word = _WORD.search(text, dot - 9 if dot > 9 else 0, dot).group()
            # Words of 9+ characters are never abbreviations or list markers.
            if len(word) < 9:
                key = word.lower()
                if key in _ALL_ABBREVIATIONS or "." in word or len(word) < 2:
                    if not _period_ends(text, dot, word, following, last, end - dot > 1):
                        continue
                elif ((word.isdigit() and len(word) <= 3) or key in _ROMAN) and _is_list_marker(
                    text, dot, word, last
                ):
                    continue
        last = end
        cuts.append((end, end + len(match.group(1).rstrip(_OPENING))))
    if "\n" in text:
        extra = _newline_cuts(text)
        if extra:
            cuts = sorted(dict([*cuts, *extra]).items())
    return cuts


def _period_ends(text: str, dot: int, word: str, following: int, last: int, closed: bool) -> bool:
    """Decide a period after an abbreviation, a dotted token or a single letter.

    ``closed`` says a closing quote or bracket follows the period ("the U.S.").
    """
    if not word:
        return True
    if len(word) == 1 and _is_list_marker(text, dot, word, last):
        return False
    key = word.lower()
    if key in _NEVER_FINAL:
        return False
    is_digit = text[following].isdigit()
    if key in _BEFORE_NUMBER:
        return not is_digit
    if (
        key in _MAYBE_FINAL
        or (len(word) == 1 and word.isupper())
        or word.replace(".", "").isalpha()
    ):
        # "U.S.", "Inc.", "J.R.R.", "F.": a boundary only before a typical opener
        # or after a closing quote or bracket.
        return not is_digit and (closed or _WORD_AFTER.match(text, following).group() in _OPENERS)
    return True


def _is_list_marker(text: str, dot: int, word: str, last: int) -> bool:
    """True when ``word.`` opens a line or sentence, or follows ":" or ";" (an inline list)."""
    start = dot - len(word)
    before = text[max(last, text.rfind("\n", last, start) + 1) : start].rstrip().rstrip("(")
    return not before or before[-1] in ":;"


def _newline_cuts(text: str) -> list[tuple[int, int]]:
    """Single line breaks inside a paragraph that end a sentence (list items, headings)."""
    cuts = []
    for match in _NEWLINE.finditer(text):
        line_end = match.start()
        while line_end > 0 and text[line_end - 1] in " \t\r\f\v":
            line_end -= 1
        if line_end == 0 or text[line_end - 1].isspace():
            continue  # a blank line before: a paragraph break, not a line break
        after = match.end()
        if _LIST_ITEM.match(text, after) or (
            text[line_end - 1] not in _NO_BREAK_AFTER and not text[after].islower()
        ):
            cuts.append((line_end, after))
    return cuts


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph of ``text`` (blank ones included)."""
    if "\n" not in text:
        return [(0, len(text))]
    breaks = _PARAGRAPH_BREAK if _BLANK_LINE.search(text) else _LINE_BREAK
    spans = []
    start = 0
    for match in breaks.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def split_paragraph(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences of ``text``, ignoring paragraphs.

    Spans are stripped of surrounding whitespace and shifted by ``offset``. Blank
    text gives no spans.

    Examples
    --------
    >>> text = "Gen. Kim met U.S. envoys at 9 a.m. on Dec. 3. They left."
    >>> [text[a:b] for a, b in split_paragraph(text)]
    ['Gen. Kim met U.S. envoys at 9 a.m. on Dec. 3.', 'They left.']
    """
    return [(a + offset, b + offset) for _, a, b in _spans(text, [(0, len(text))])]


def sentence_spans(text: str) -> list[tuple[int, int, int]]:
    """Return ``(paragraph, start, end)`` for each sentence of a free text.

    Paragraphs are separated by blank lines (or, when the text has no blank line,
    by single newlines); ``paragraph`` counts the non-blank ones from 0.

    Examples
    --------
    >>> text = "He said: “It is over.” Then he left.\\n\\nJ.R.R. Tolkien wrote it."
    >>> [(p, text[a:b]) for p, a, b in sentence_spans(text)]
    [(0, 'He said: “It is over.”'), (0, 'Then he left.'), (1, 'J.R.R. Tolkien wrote it.')]
    """
    if not text or text.isspace():
        return []
    return _spans(text, _paragraph_spans(text))


def _spans(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Sentences as ``(paragraph, start, end)``, cutting ``paragraphs`` at ``_cuts``."""
    cuts = _cuts(text)
    n_cuts = len(cuts)
    out = []
    paragraph = 0
    i = 0
    for pa, pb in paragraphs:
        start = pa
        while start < pb and text[start].isspace():
            start += 1
        while pb > start and text[pb - 1].isspace():
            pb -= 1
        if start == pb:
            continue
        while i < n_cuts and cuts[i][0] < pb:
            end, following = cuts[i]
            i += 1
            if end > start:
                out.append((paragraph, start, end))
                start = following
        if start < pb:
            out.append((paragraph, start, pb))
        paragraph += 1
    return out


def section_text(article, section: str) -> str:
    """Return the text that SENTENCES offsets of ``section`` index into.

    ``article`` is one ARTICLES row as a mapping (``row`` from
    ``articles.iter_rows(named=True)`` or a pandas ``Series``). Title -> ``title``;
    summary -> the bullets joined by a blank line; caption -> the captions joined by
    a blank line; body -> ``body``. Missing values give ``""``.

    Examples
    --------
    >>> article = {"title": "T", "summary": ["One.", "Two."], "captions": None, "body": "B."}
    >>> section_text(article, "summary")
    'One.\\n\\nTwo.'
    >>> section_text(article, "caption")
    ''
    """
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}; expected one of {SECTIONS}")
    column = {"title": "title", "summary": "summary", "caption": "captions", "body": "body"}
    value = article[column[section]]
    if section in ("summary", "caption"):
        return "\n\n".join(_items(value))
    return _text(value)


def _text(value) -> str:
    # pandas gives NaN/None for missing strings.
    return value if isinstance(value, str) else ""


def _items(value) -> list[str]:
    if value is None or isinstance(value, float | str):
        return []
    return [item if isinstance(item, str) else "" for item in value]


def _item_spans(items: Sequence[str]) -> list[tuple[int, int, int]]:
    """Sentences of list items joined by "\\n\\n": each item is its own paragraph."""
    out = []
    offset = 0
    for index, item in enumerate(items):
        for _, s, e in sentence_spans(item):
            out.append((index, s + offset, e + offset))
        offset += len(item) + 2
    return out


_COLUMNS = {"title": "title", "summary": "summary", "caption": "captions", "body": "body"}


def split_sentences(articles, *, sections: Sequence[str] | None = None):
    """Split ARTICLES into SENTENCES: one row per sentence of each requested section.

    Parameters
    ----------
    articles : polars or pandas DataFrame
        ARTICLES (at least ``article_id`` and the columns of the requested sections;
        ``published`` is carried over when present).
    sections : sequence of str, optional
        Any of ``"title"``, ``"summary"``, ``"caption"``, ``"body"``; default all.
        ``position`` and ``sentence_id`` do not depend on this choice: a body
        sentence keeps its id whether or not titles are requested.

    Returns
    -------
    DataFrame
        SENTENCES (same library as ``articles``) with columns ``sentence_id``,
        ``article_id``, ``section``, ``paragraph``, ``position``, ``text``,
        ``start``, ``end`` and ``published``, where
        ``section_text(article, section)[start:end] == text``. Each summary bullet
        and each caption is its own paragraph; blank sections give no rows.

    Examples
    --------
    >>> import polars as pl
    >>> articles = pl.DataFrame({
    ...     "article_id": ["0123456789abcdef"], "title": ["Talks resume"],
    ...     "summary": [["Envoys meet in Geneva."]], "captions": [[]],
    ...     "body": ["Lt. Gen. Park arrived at 9 a.m. He spoke first.\\n\\nTalks ended."],
    ... })
    >>> sentences = split_sentences(articles)
    >>> sentences.select("section", "paragraph", "position", "text").rows()
    [('title', 0, 0, 'Talks resume'), ('summary', 0, 1, 'Envoys meet in Geneva.'),
     ('body', 0, 2, 'Lt. Gen. Park arrived at 9 a.m.'), ('body', 0, 3, 'He spoke first.'),
     ('body', 1, 4, 'Talks ended.')]
    >>> sentences["sentence_id"][2]
    '0123456789abcdef-s00002'
    """
    frame = to_polars(articles)
    wanted = _check_sections(sections)
    last = max(SECTIONS.index(s) for s in wanted) if wanted else -1
    needed = SECTIONS[: last + 1]
    # Sections before the last requested one are read only to count their sentences
    # (so that ids do not depend on ``sections``); a missing one counts as empty.
    missing = [c for c in ["article_id", *(_COLUMNS[s] for s in wanted)] if c not in frame.columns]
    if missing:
        raise ValueError(f"split_sentences: ARTICLES is missing columns: {', '.join(missing)}")
    ids = frame.get_column("article_id")
    if ids.null_count():
        raise ValueError(f"split_sentences: {ids.null_count()} articles have a null article_id")
    if ids.n_unique() != frame.height:
        repeated = ids.filter(ids.is_duplicated()).unique().sort().to_list()
        raise ValueError(f"split_sentences: article_id values repeat: {repeated[:5]}")
    published = (
        frame.get_column("published").cast(pl.Date)
        if "published" in frame.columns
        else pl.repeat(None, frame.height, dtype=pl.Date, eager=True)
    )

    columns = {
        s: frame.get_column(_COLUMNS[s]).to_list()
        if _COLUMNS[s] in frame.columns
        else [None] * frame.height
        for s in needed
    }
    # Columns are gathered in plain lists (extended per section, not appended per
    # sentence) and turned into Series once: this loop is most of the cost.
    out_row, out_section, out_paragraph, out_position = [], [], [], []
    out_start, out_end, out_text = [], [], []
    for row in range(frame.height):
        position = 0
        for section in needed:
            value = columns[section][row]
            if section in ("summary", "caption"):
                items = _items(value)
                text = "\n\n".join(items)
                spans = _item_spans(items)
            else:
                text = _text(value)
                spans = sentence_spans(text) if section == "body" else _title_spans(text)
            n = len(spans)
            if n and section in wanted:
                paragraphs, starts, ends = zip(*spans, strict=True)
                out_row.extend([row] * n)
                out_section.extend([section] * n)
                out_paragraph.extend(paragraphs)
                out_position.extend(range(position, position + n))
                out_start.extend(starts)
                out_end.extend(ends)
                out_text.extend([text[a:b] for _, a, b in spans])
            position += n

    rows = pl.Series(out_row, dtype=pl.UInt32)
    result = pl.DataFrame(
        {
            "article_id": ids.gather(rows),
            "section": pl.Series(out_section, dtype=pl.String),
            "paragraph": pl.Series(out_paragraph, dtype=pl.Int64),
            "position": pl.Series(out_position, dtype=pl.Int64),
            "text": pl.Series(out_text, dtype=pl.String),
            "start": pl.Series(out_start, dtype=pl.Int64),
            "end": pl.Series(out_end, dtype=pl.Int64),
            "published": published.gather(rows),
        }
    )
    result = result.select(
        pl.format("{}-s{}", "article_id", pl.col("position").cast(pl.String).str.zfill(5)).alias(
            "sentence_id"
        ),
        pl.exclude("published"),
        "published",
    )
    return like_input(result, articles)


def _title_spans(text: str) -> list[tuple[int, int, int]]:
    # A title is one paragraph (0) even if it contains line breaks.
    return [(0, s, e) for _, s, e in sentence_spans(text)]


def _check_sections(sections) -> tuple[str, ...]:
    if sections is None:
        return SECTIONS
    if isinstance(sections, str):
        sections = [sections]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown sections {unknown}; expected any of {SECTIONS}")
    return tuple(s for s in SECTIONS if s in sections)
