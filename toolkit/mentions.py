"""Actor mentions: SENTENCES + ACTORS (+ ROLES) -> MENTIONS.

How a mention is found, in the order the steps run:

1. **Surface forms.** Every name, alias, demonym and capital in ACTORS, every
   person's short form (the registry's ``surname`` column, else the family name
   derived from the full name; family name first for Korean and Chinese names)
   and every role title (``tk.actors.load_role_titles()``, else
   :data:`ROLE_TITLES`) is *folded* (:func:`fold`) into a key.
2. **Folding** is length preserving, so an offset in the folded text is the same
   offset in the original: letters are lowercased, Latin diacritics dropped
   (``Stéphane`` = ``Stephane``), and every character that is not a word
   character (hyphens, apostrophes straight or curly, punctuation, whitespace)
   becomes a space. So ``Al-Sharaa`` = ``al Sharaa``, and ``Seoul's`` folds to
   ``seoul s``: the key ``seoul`` matches and the surface stops before the
   possessive. A form ending in a period (``U.S.``) keeps it when the text has
   it. Not folded: a name split by two spaces, letters outside the Basic
   Multilingual Plane (folded to spaces).
3. **One scan.** All sentences are joined (separated by three spaces) into one
   array of code points, folded on the fly and scanned once by a compiled
   trie walk (:mod:`toolkit._scan`, numba): since every non-word character folds
   to a space and keys hold single spaces, a match starts after a space and
   ends before one, so from each word start the walk keeps the longest key that
   ends before a space, takes it and resumes after it (leftmost-longest,
   non-overlapping). Because boundaries are checked *before* choosing, a longer
   key that fails its boundary never hides a valid shorter one:
   ``Guinea-Bissauan`` still yields ``Guinea``, while ``Nigeria`` never yields
   ``Niger`` and ``South Korea`` is not also ``Korea``.
   :func:`reference_matches` is the plain regular-expression definition the
   tests and the benchmark compare against.
4. **Case.** Case is folded only where it is safe: an all-caps form (``US``,
   ``UN``, ``AP``, ``WHO``) matches only an all-caps span; any other form needs
   a capital wherever the form has a capital word initial, except in name
   particles (:data:`PARTICLES`: ``al``, ``bin``, ``de``, ``the`` ...). So
   ``al-Sharaa`` matches ``Al-Sharaa`` but ``turkey`` and ``us`` match nothing.
5. **Resolution.** A key claimed by several actors resolves by ``how``
   (name, then alias, then capital, then demonym); a tie between actors is
   ambiguous and not guessed. Demonyms and capitals resolve to their state.
6. **Place or actor** (``as_place``). A capital or seat of power is a place when
   a locative cue precedes it (:data:`LOCATIVE_CUES`, :data:`COMPASS_CUES`:
   "in Damascus", "to Moscow", "visit Moscow"); it is the state acting
   (``as_place=False``) when it is possessive ("Moscow's intervention"), the
   object of a relation phrase (:data:`RELATION_CUES`: "relations with Seoul")
   or followed by a verb (:data:`ACTOR_VERB_CUES`: "Seoul said", "Moscow was");
   otherwise it is a place. A relation phrase outranks a locative word ("ties
   to Seoul" acts), a possessive outranks both, names and "and"/"or" of a list
   are skipped when looking for the cue ("in Lebanon, Jordan and Turkey",
   "Seoul and Washington condemned"), and a cue never crosses a sentence end.
   A state's own name is a place only after a locative or compass cue ("in
   Syria", "northeast Syria"); otherwise the state acts. Every other mention
   (demonyms, people, organisations) has ``as_place=False``.
7. **Roles.** A title preceded by a state or organisation ("Syria's President",
   "the Syrian foreign minister", "UN Secretary-General") resolves through ROLES
   to whoever held that role on the article's ``published`` date
   (``how="role"``, span = the title). When a registered person's name follows
   the title ("Syrian Foreign Minister Asaad Al-Shaibani") only the name is a
   person mention. "counterpart" takes the role of the last role phrase before
   it in the article. An unregistered capitalised name after a title ("Nauru's
   Foreign Minister Lionel Aingimea") becomes an inferred actor
   (``how="inferred"``, ``actor_id="person:<slug>"``, with ``inferred_kind``,
   ``inferred_country`` and ``inferred_role``). No date, no role resolution.
8. **Surnames.** A person's short form ("Al-Sharaa", "Assad", "Cho") resolves
   to a person introduced earlier in the same article (by name, alias, role or
   inference); a short form shared by two people introduced before is left
   unresolved. In a title or summary, a surname may come before the body
   names the person ("Lavrov, Fidan discuss Syria"). Inferred people's
   surnames resolve the same way.

**Speed.** The matcher (trie, option tables) is cached for a registry,
keyed by a digest of the ACTORS columns it reads, so editing the registry
rebuilds it. The texts are decoded once into one array of code points (16 bits
each unless a character needs more). The scan, the case rule, the cues and the
slicing of strings are compiled (numba) and release the GIL, as polars does.
The steps work on numbers (rows, offsets, option ids, an integer per article);
string columns are gathered once, for the output. Every rule looks within one
article, so from :data:`PARALLEL_MIN_BYTES` of text the articles are split
between threads, with the same output (``threads=1``: one thread).

Examples
--------
>>> import polars as pl
>>> actors = pl.DataFrame({
...     "actor_id": ["SYR"], "name": ["Syria"], "kind": ["state"], "country": ["SYR"],
...     "aliases": [["Syrian Arab Republic"]], "demonyms": [["Syrian"]],
...     "capitals": [["Damascus"]]})
>>> sentences = pl.DataFrame({
...     "sentence_id": ["a-s00000"], "article_id": ["a"], "section": ["body"],
...     "paragraph": [0], "position": [0], "start": [0], "end": [35],
...     "text": ["Syrian envoys met in Damascus today"]})
>>> m = extract_mentions(sentences, actors, roles=pl.DataFrame())
>>> m.select("surface", "actor_id", "how", "as_place").rows()
[('Syrian', 'SYR', 'demonym', False), ('Damascus', 'SYR', 'capital', True)]
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np
import polars as pl

from toolkit._backend import like_input, to_polars
from toolkit._scan import (
    Trie,
    best_options,
    capital_after,
    case_options,
    find_keys,
    gather_options,
    join_codes,
    name_gaps,
    owner_gaps,
    scan,
    slice_strings,
    utf8_buffers,
)

__all__ = [
    "ACTOR_VERB_CUES",
    "COMPASS_CUES",
    "LOCATIVE_CUES",
    "MAX_THREADS",
    "PARALLEL_MIN_BYTES",
    "PARTICLES",
    "PART_MIN_BYTES",
    "RELATION_CUES",
    "ROLE_TITLES",
    "TITLE_WORDS",
    "candidate_actors",
    "extract_mentions",
    "fold",
    "matcher_keys",
    "plain_matches",
    "reference_matches",
    "surface_forms",
]


def _words(text: str) -> list[str]:
    return text.split()


#: Words before a capital or state name that make it a place ("in Damascus").
LOCATIVE_CUES: tuple[str, ...] = (
    "in", "to", "from", "at", "into", "inside", "near", "outside", "across", "throughout",
    "around", "within", "via", "through", "toward", "towards", "visit", "visits", "visited",
    "visiting", "arrived in", "based in", "flew to", "travelled to", "traveled to",
)  # fmt: skip
#: Compass words before a state name that make it a place ("northeast Syria").
COMPASS_CUES: tuple[str, ...] = (
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
    "southeastern", "southwestern", "rural", "coastal",
)  # fmt: skip
#: Phrases before a capital that make it the state acting ("relations with Seoul").
RELATION_CUES: tuple[str, ...] = (
    "relations with", "ties with", "ties to", "relations to", "links with", "links to",
    "talks with", "deal with", "agreement with",
    "dialogue with", "cooperation with", "contacts with", "negotiations with",
    "relationship with", "alliance with", "rift with", "dispute with", "pressure on",
    "pressure from", "ally of", "between", "urged", "accused", "criticised", "criticized",
    "called on", "pressed", "courts", "courted", "approached", "condemned", "warned",
    "sanctioned", "recognised", "recognized", "backed", "supported", "thanked", "blamed",
    "asked", "told", "invited", "mediate between", "on behalf of", "demands from",
)  # fmt: skip
#: Words right after a capital that make it the state acting ("Seoul said").
ACTOR_VERB_CUES: tuple[str, ...] = (
    "said", "says", "say", "announced", "announces", "warned", "warns", "accused", "accuses",
    "condemned", "condemns", "denied", "denies", "rejected", "rejects", "urged", "urges",
    "called", "calls", "claimed", "claims", "insisted", "insists", "responded", "agreed",
    "agrees", "signed", "signs", "sent", "sends", "launched", "has", "have", "had", "is",
    "was", "were", "will", "would", "could", "should", "may", "might", "must", "wants",
    "wanted", "hopes", "hoped", "sees", "saw", "plans", "planned", "seeks", "sought",
    "expects", "expected", "demanded", "demands", "welcomed", "welcomes", "stated",
    "confirmed", "confirms", "reported", "believes", "believed", "backed", "backs",
    "supported", "supports", "opposed", "opposes", "decided", "decides", "imposed",
    "threatened", "threatens", "did", "does", "also", "protested", "protests", "pressed",
    "vowed", "pledged", "hosted", "expelled", "recalled", "summoned", "approved",
    "responded", "retaliated", "described", "offered", "refused", "declined", "lifted",
)  # fmt: skip
#: Name particles whose case is folded ("al-Sharaa" = "Al-Sharaa").
PARTICLES: frozenset[str] = frozenset(
    _words(
        "al el ad ag an ar as ash at az ad-din bin ibn bint abd abu de del della der di da das "
        "do dos du la le les van von den ter the of and y e"
    )
)
#: Fallback role titles (phrase, role) used when ``toolkit/data/role_titles.csv`` is absent.
ROLE_TITLES: tuple[tuple[str, str], ...] = (
    ("president", "president"),
    ("interim president", "president"),
    ("prime minister", "prime_minister"),
    ("premier", "prime_minister"),
    ("foreign minister", "foreign_minister"),
    ("minister of foreign affairs", "foreign_minister"),
    ("top diplomat", "foreign_minister"),
    ("foreign secretary", "foreign_minister"),
    ("secretary of state", "foreign_minister"),
    ("defense minister", "defense_minister"),
    ("defence minister", "defense_minister"),
    ("supreme leader", "supreme_leader"),
    ("leader", "leader"),
    ("king", "king"),
    ("emir", "emir"),
    ("crown prince", "crown_prince"),
    ("chancellor", "chancellor"),
    ("secretary-general", "secretary_general"),
    ("secretary general", "secretary_general"),
    ("chief", "secretary_general"),
    ("spokesman", "spokesperson"),
    ("spokeswoman", "spokesperson"),
    ("spokesperson", "spokesperson"),
    ("counterpart", "counterpart"),
)
# Countries whose news usage puts the family name first ("Cho Tae-yul" -> "Cho").
_FAMILY_NAME_FIRST = frozenset({"KOR", "PRK", "CHN", "TWN"})
_HOW_RANK = {"name": 0, "alias": 1, "capital": 2, "demonym": 3}
# between sentences: keys hold single spaces only, so no key spans three spaces
_SEP = "   "

_EXTRA_COLUMNS = {
    "role": pl.String,
    "role_of": pl.String,
    "inferred_kind": pl.String,
    "inferred_country": pl.String,
    "inferred_role": pl.String,
}


# --------------------------------------------------------------------------- folding
@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if not (char.isalnum() or char == "_"):
        return " "
    low = char.lower()
    if len(low) != 1:
        low = char
    base = unicodedata.normalize("NFKD", low)[0]
    return base.lower() if base.isalnum() and base.isascii() else low


def fold(text: str) -> str:
    """Return ``text`` folded for matching, with exactly the same length.

    Lowercase, Latin diacritics removed, every non-word character a space
    (characters outside the Basic Multilingual Plane, mostly emoji, too).

    Examples
    --------
    >>> fold("Syria’s Al-Sharaa met Stéphane")
    'syria s al sharaa met stephane'
    >>> len(fold("İstanbul")) == len("İstanbul")
    True
    """
    if len(text) < 256 and text.isascii():  # names: one C-level table lookup per character
        return text.translate(_fold_str_table())
    return _fold_codes(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), text)


def _fold_codes(codes: np.ndarray, text: str | None = None) -> str:
    """:func:`fold` on an array of code points (``text`` is the same string, if at hand)."""
    if text is not None:
        # one byte per character: ASCII through a byte table, then the few others patched
        # (a bytearray, patched in place: each copy of a 100 MB text counts)
        folded_bytes = bytearray(text.encode("ascii", "replace")).translate(_fold_bytes_table())
        if text.isascii():
            return folded_bytes.decode("ascii")
        where = np.flatnonzero(codes >= 128)
        values = _fold_table_ascii()[np.minimum(codes[where], 0x10000).view(np.int32)]
        if not (values == 0xFF).any():
            np.frombuffer(folded_bytes, dtype=np.uint8)[where] = values
            return folded_bytes.decode("ascii")
    index = np.minimum(codes, 0x10000).view(np.int32)  # signed 32-bit: numpy's fast gather
    ascii_folded = _fold_table_ascii()[index]
    if not (ascii_folded == 0xFF).any():  # the usual case: everything folds to ASCII
        return ascii_folded.tobytes().decode("ascii")
    folded = _fold_table()[index]
    return folded.astype("<u4").tobytes().decode("utf-32-le")


@lru_cache(maxsize=1)
def _fold_bytes_table() -> bytes:
    """``bytes.translate`` table folding ASCII bytes (non-ASCII bytes never occur)."""
    return bytes(_fold_table_ascii()[:128].tolist()) + bytes([32]) * 128


@lru_cache(maxsize=1)
def _fold_table_ascii() -> np.ndarray:
    """:func:`_fold_table` as bytes, 0xFF where the folded character is not ASCII."""
    table = _fold_table()
    return np.where(table < 128, table, 0xFF).astype(np.uint8)


@lru_cache(maxsize=1)
def _fold_str_table() -> str:
    """:func:`_fold_table` as a string, usable by ``str.translate``."""
    return "".join(map(chr, _fold_table()[:0x10000].tolist()))


@lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    """``table[code]`` = the folded code point (index 0x10000 stands for every astral one)."""
    table = np.fromiter(
        (ord(_fold_char(chr(i))) if not 0xD800 <= i < 0xE000 else 32 for i in range(0x10000)),
        dtype=np.uint32,
        count=0x10000,
    )
    return np.append(table, np.uint32(32))


_NON_WORD = re.compile(r"[^\w]+")


def _key(form: str) -> str:
    return " ".join(fold(form).split())


def _required_upper(form: str) -> tuple[int, ...]:
    """Offsets (into the folded key) that must be capitals in the text."""
    key_len = len(_key(form))
    letters = [ch for ch in form if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        # all-caps form: every letter must be a capital (US, UN, AP, WHO)
        offsets = []
        pos = 0
        for token in _NON_WORD.split(form):
            if not token:
                continue
            for i, ch in enumerate(token):
                if ch.isalpha():
                    offsets.append(pos + i)
            pos += len(token) + 1
        return tuple(o for o in offsets if o < key_len)
    offsets = []
    pos = 0
    for token in _NON_WORD.split(form):
        if not token:
            continue
        if token[0].isupper() and token.lower() not in PARTICLES:
            offsets.append(pos)
        pos += len(token) + 1
    return tuple(o for o in offsets if o < key_len)


# --------------------------------------------------------------------------- forms
def _list_column(frame: pl.DataFrame, column: str) -> pl.Expr:
    if column not in frame.columns:
        return pl.lit([], dtype=pl.List(pl.String)).alias(column)
    dtype = frame.schema[column]
    if dtype == pl.String:
        return pl.col(column).str.split("|").alias(column)
    return pl.col(column).cast(pl.List(pl.String)).alias(column)


def _short_forms(name: str, country: str | None) -> list[str]:
    tokens = name.split()
    if len(tokens) < 2:
        return []
    if country in _FAMILY_NAME_FIRST:
        return [tokens[0]]
    last = tokens[-1]
    if last.upper() in {"JR", "JR.", "SR", "SR.", "II", "III", "IV"} and len(tokens) > 2:
        last = tokens[-2]
    forms = [last]
    if len(tokens) > 2 and tokens[-2].lower() in PARTICLES:
        forms.append(f"{tokens[-2]} {last}")
    head, _, rest = last.partition("-")
    if rest and head.lower() in PARTICLES:
        forms.append(rest)
    return forms


def _role_titles() -> list[tuple[str, str]]:
    """Role title phrases from the registry (``load_role_titles``), else :data:`ROLE_TITLES`."""
    try:
        from toolkit.actors import load_role_titles
    except ImportError:
        return list(ROLE_TITLES)
    table = load_role_titles()
    titles = list(zip(table["phrase"].to_list(), table["role"].to_list(), strict=True))
    known = {_key(p) for p, _ in titles}
    # "counterpart" is resolved here (the role of the person just mentioned)
    titles += [(p, r) for p, r in ROLE_TITLES if r == "counterpart" and _key(p) not in known]
    return titles


def surface_forms(actors) -> pl.DataFrame:
    """Return every surface form of ``actors`` with its folded key and ``how``.

    Columns: ``form``, ``key``, ``actor_id``, ``kind``, ``country``, ``how``
    (``name``/``alias``/``demonym``/``capital``/``surname``).

    Examples
    --------
    >>> import polars as pl
    >>> actors = pl.DataFrame({"actor_id": ["person:bashar-al-assad"], "name": ["Bashar al-Assad"],
    ...     "kind": ["person"], "country": ["SYR"], "aliases": [["Bashar Assad"]]})
    >>> sorted(surface_forms(actors).select("key", "how").rows())
    [('al assad', 'surname'), ('assad', 'surname'), ('bashar al assad', 'name'),
     ('bashar assad', 'alias')]
    """
    table = to_polars(actors)
    missing = [c for c in ("actor_id", "name", "kind", "country", "aliases") if c not in table]
    if missing:
        raise ValueError(f"actors is missing columns: {', '.join(missing)}")
    table = table.with_columns(
        _list_column(table, "aliases"),
        _list_column(table, "demonyms"),
        _list_column(table, "capitals"),
        pl.col("country").cast(pl.String),
    )
    rows: list[tuple[str, str, str, str | None, str]] = []
    has_surname = "surname" in table.columns
    for record in table.iter_rows(named=True):
        actor_id, kind, country = record["actor_id"], record["kind"], record["country"]
        rows.append((record["name"], actor_id, kind, country, "name"))
        for column, how in (("aliases", "alias"), ("capitals", "capital"), ("demonyms", "demonym")):
            for form in record[column] or []:
                if form and form.strip():
                    rows.append((form.strip(), actor_id, kind, country, how))
        if kind == "person":
            shorts: list[str] = []
            surname = record.get("surname") if has_surname else None
            if surname:
                shorts += [s.strip() for s in str(surname).split("|") if s.strip()]
                for s in list(shorts):
                    head, _, rest = s.replace(" ", "-", 1).partition("-")
                    if rest and head.lower() in PARTICLES:
                        shorts.append(rest)
            else:
                shorts = _short_forms(record["name"], country)
            for form in shorts:
                rows.append((form, actor_id, kind, country, "surname"))
    forms = pl.DataFrame(rows, schema=["form", "actor_id", "kind", "country", "how"], orient="row")
    key_of = {form: _key(form) for form in forms["form"].unique().to_list()}
    forms = forms.with_columns(key=pl.col("form").replace_strict(key_of, return_dtype=pl.String))
    forms = forms.filter(pl.col("key") != "")
    # the same key twice for one actor: keep the best how (name < alias < ... < surname)
    rank = pl.col("how").replace_strict({**_HOW_RANK, "surname": 9}, return_dtype=pl.Int64)
    forms = (
        forms.with_columns(_rank=rank)
        .sort("actor_id", "key", "_rank", "form", maintain_order=True)
        .unique(["actor_id", "key"], keep="first", maintain_order=True)
        .drop("_rank")
    )
    return forms.select("form", "key", "actor_id", "kind", "country", "how")


class _Matcher:
    """The trie and the option tables for one ACTORS table."""

    def __init__(self, actors, titles: list[tuple[str, str]]):
        forms = surface_forms(actors)
        title_rows = []
        form_owner = dict(
            forms.filter(pl.col("actor_id").n_unique().over("key") == 1)
            .select("key", "actor_id")
            .iter_rows()
        )
        for phrase, role in titles:
            # "UN chief": the title "chief" means secretary_general only for org:un
            owner, words = None, phrase.split()
            for cut in range(len(words) - 1, 0, -1):
                head = _key(" ".join(words[:cut]))
                if head in form_owner:
                    owner, phrase = form_owner[head], " ".join(words[cut:])
                    break
            title_rows.append((phrase, owner, "title", None, role))
        title_frame = pl.DataFrame(
            title_rows,
            schema={
                "form": pl.String,
                "actor_id": pl.String,
                "kind": pl.String,
                "country": pl.String,
                "role": pl.String,
            },
            orient="row",
        ).with_columns(
            key=pl.col("form").map_elements(_key, return_dtype=pl.String),
            how=pl.lit("title"),
        )
        # a title that is also an actor's form: the actor wins
        title_frame = title_frame.filter(~pl.col("key").is_in(forms["key"].implode()))
        title_frame = title_frame.unique("key", keep="first", maintain_order=True)
        options = pl.concat(
            [
                forms.with_columns(role=pl.lit(None, pl.String)),
                title_frame.select(*forms.columns, "role"),
            ],
            how="vertical",
        )
        keys = sorted(set(options["key"].to_list()))
        key_index = {k: i for i, k in enumerate(keys)}
        self.keys = keys
        options = options.with_columns(
            key_id=pl.col("key").replace_strict(key_index, return_dtype=pl.Int64),
            rank=pl.col("how").replace_strict(
                {**_HOW_RANK, "surname": 8, "title": 9}, return_dtype=pl.Int64
            ),
        )
        required = [
            () if how == "title" else _required_upper(form)
            for form, how in zip(options["form"], options["how"], strict=True)
        ]
        trailing_dot = [form.endswith(".") for form in options["form"]]
        self.options = options.with_row_index("option_id").with_columns(
            option_id=pl.col("option_id").cast(pl.Int64),
            trailing_dot=pl.Series(trailing_dot, dtype=pl.Boolean),
        )
        counts = np.array([len(r) for r in required], dtype=np.int64)
        self.req_ptr = np.concatenate([[0], np.cumsum(counts)])[:-1]
        self.req_n = counts
        self.req_flat = np.array([o for r in required for o in r], dtype=np.int64)
        self.trie = Trie(keys, _fold_table())
        # the options of each key, contiguous: key k owns option rows opt_first[k] ...
        by_key = self.options.sort("key_id", "option_id")
        self.opt_count = np.bincount(by_key["key_id"].to_numpy(), minlength=len(keys))
        self.opt_first = np.concatenate([[0], np.cumsum(self.opt_count)])[:-1]
        self.opt_by_key = by_key["option_id"].to_numpy()
        # per option, for choosing among a match's options without a table
        self.opt_rank = self.options["rank"].to_numpy()
        actor_code = self.options["actor_id"].rank("dense").fill_null(0).cast(pl.Int64)
        self.opt_actor = actor_code.to_numpy()
        self.opt_trailing_dot = self.options["trailing_dot"].to_numpy()
        # one chunk: gathers from a column of many chunks cost several times as much
        self.opt_columns = self.options.select(
            "actor_id", "kind", "country", "how", "role"
        ).rechunk()
        # per option: whether it names a person; whether as_place is decided by cues
        kind, how = self.opt_columns["kind"], self.opt_columns["how"]
        self.opt_is_person = (kind == "person").fill_null(False).to_numpy()
        self.opt_place_cued = (
            ((kind == "state") & how.is_in(["name", "alias", "capital"]))
            .fill_null(False)
            .to_numpy()
        )
        self.opt_is_capital = (how == "capital").fill_null(False).to_numpy()
        # an option's columns in the output (the extra ones are null)
        self.opt_labels = self.options.select(
            "actor_id",
            "how",
            *(pl.lit(None, dtype).alias(c) for c, dtype in _EXTRA_COLUMNS.items()),
        ).rechunk()

    def matches(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Leftmost-longest word-bounded matches: (start, end, key_id) in ``codes``."""
        return scan(self.trie, codes)


# surface_forms reads these columns of ACTORS (and only these)
_ACTOR_COLUMNS = (
    "actor_id", "name", "kind", "country", "aliases", "demonyms", "capitals", "surname",
)  # fmt: skip
_MATCHERS: dict[tuple[str, tuple], _Matcher] = {}  # insertion order: the oldest goes first


def _matcher(actors, titles: list[tuple[str, str]]) -> _Matcher:
    """The :class:`_Matcher` for ``actors`` and ``titles``, cached on their content.

    Building it (folding ~10,000 forms, the trie) costs a fair share of a
    small call. The key is a digest of the columns :func:`surface_forms` reads, so
    any edit of the registry builds a new matcher.
    """
    table = to_polars(actors)
    buffer = io.BytesIO()
    table.select(c for c in _ACTOR_COLUMNS if c in table.columns).write_ipc(buffer)
    key = (hashlib.sha256(buffer.getvalue()).hexdigest(), tuple(map(tuple, titles)))
    if key not in _MATCHERS:
        if len(_MATCHERS) >= 4:
            del _MATCHERS[next(iter(_MATCHERS))]
        _MATCHERS[key] = _Matcher(table, list(titles))
    return _MATCHERS[key]


def reference_matches(text: str, keys) -> list[tuple[int, int, str]]:
    """Leftmost-longest word-bounded matches of ``keys`` in ``fold(text)``, by regex.

    The plain definition the scan must agree with: an alternation of the
    escaped keys, longest first, between ``(?<!\\w)`` and ``(?!\\w)``.

    Examples
    --------
    >>> reference_matches("Guinea-Bissauan and Nigeria", ["guinea", "guinea bissau", "niger"])
    [(0, 6, 'guinea')]
    """
    pattern = _reference_pattern(tuple(sorted(set(keys))))
    if pattern is None:
        return []
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(fold(text))]


@lru_cache(maxsize=8)
def _reference_pattern(keys: tuple[str, ...]) -> re.Pattern | None:
    ordered = sorted(keys, key=lambda k: (-len(k), k))
    if not ordered:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


def plain_matches(texts, actors) -> list[tuple[int, int, int, str]]:
    """Leftmost-longest scan matches of every key, before case and context rules.

    Returns ``(text index, start, end, key)`` per match, the same definition as
    :func:`reference_matches` applied to each text with :attr:`keys` of the matcher;
    the tests and the benchmark compare the two.

    Examples
    --------
    >>> import polars as pl
    >>> actors = pl.DataFrame({"actor_id": ["GIN", "GNB"], "name": ["Guinea", "Guinea-Bissau"],
    ...     "kind": ["state", "state"], "country": ["GIN", "GNB"], "aliases": [[], []]})
    >>> plain_matches(["Guinea-Bissauan envoys", "Guinea-Bissau"], actors)
    [(0, 0, 6, 'guinea'), (1, 0, 13, 'guinea bissau')]
    """
    matcher = _matcher(actors, [])
    texts = list(texts)
    if not texts:
        return []
    codes, offsets, _ = join_codes(pl.Series(texts, dtype=pl.String), separator=len(_SEP))
    start, end, key_id = matcher.matches(codes)
    row = np.searchsorted(offsets, start, side="right") - 1
    return [
        (r, s - int(offsets[r]), e - int(offsets[r]), matcher.keys[k])
        for r, s, e, k in zip(
            row.tolist(), start.tolist(), end.tolist(), key_id.tolist(), strict=True
        )
    ]


def matcher_keys(actors) -> list[str]:
    """Every folded key the matcher for ``actors`` searches (names, aliases, short forms)."""
    return list(_matcher(actors, []).keys)


# --------------------------------------------------------------------------- context
# words that may stand between an owner and its title ("the UN's new chief")
_OWNER_WORDS = ("new", "interim", "acting", "current", "incoming", "top", "chief")
# what toolkit._scan.owner_gaps and name_gaps compute, as regular expressions (the tests
# compare the two)
_OWNER_GAP_RE = rf"^(?:['’]s?)?\s+(?:(?:{'|'.join(_OWNER_WORDS)})\s+)?$"
_NAME_GAP_RE = r"^,?\s+$"
# the capitals a name may start with (ranges of a character class)
_NAME_INITIAL_RANGES = (("A", "Z"), ("À", "Ö"), ("Ø", "Þ"))
_NAME_INITIAL = "[" + "".join(f"{a}-{b}" for a, b in _NAME_INITIAL_RANGES) + "]"
_NAME_TOKEN = rf"(?:{_NAME_INITIAL}[\w'’\-]*[\w]|[A-Z]\.)"
_PARTICLE_TOKEN = r"(?:al|el|bin|ibn|de|del|da|di|van|von|der|le|la|al-\w+|el-\w+)"
_INFERRED_RE = re.compile(
    rf"^,?\s+({_NAME_TOKEN}(?:\s+(?:{_PARTICLE_TOKEN}\s+)*{_NAME_TOKEN})+)(?=$|[\s,.;:!?)'’])"
)


#: Capitalised words of titles, dropped from the front of an inferred name
#: ("Chief Cabinet Secretary Yoshimasa Hayashi" -> "Yoshimasa Hayashi").
TITLE_WORDS: frozenset[str] = frozenset(
    _words(
        "chief cabinet secretary minister deputy vice acting interim special envoy general "
        "president prime foreign defense defence interior finance state spokesman spokeswoman "
        "spokesperson ambassador commander army navy senior top leader speaker chairman chair "
        "director head justice trade economy senator governor mayor king queen prince emir "
        "sheikh crown supreme sir dr mr mrs ms gen col lt capt adm"
    )
)


# the first letters _NAME_TOKEN allows, as code points, and, below, what ``\s`` matches
_NAME_INITIALS = np.array(
    [c for a, b in _NAME_INITIAL_RANGES for c in range(ord(a), ord(b) + 1)], dtype=np.int64
)


@lru_cache(maxsize=1)
def _space_table() -> np.ndarray:
    r"""``table[code]``: ``chr(code).isspace()`` (what ``re``'s ``\s`` matches) in the BMP."""
    return np.fromiter((chr(i).isspace() for i in range(0x10000)), dtype=bool, count=0x10000)


# _INFERRED_RE for polars (Rust regex): the lookahead consumed instead, the prefix captured
_INFERRED_RUST = (
    rf"^(,?\s+)({_NAME_TOKEN}(?:\s+(?:{_PARTICLE_TOKEN}\s+)*{_NAME_TOKEN})+)"
    r"(?:$|[\s,.;:!?)'’])"
)


def _inferred_names(follow: pl.Series) -> tuple[pl.Series, pl.Series]:
    r"""(name, offset) a title introduces in each text after it, null where none.

    :func:`_inferred_name` of ``_INFERRED_RE.match``. Texts of ASCII (without the
    separators U+001C..U+001F, which only Python counts as whitespace) are matched by
    polars, where ``\w`` and ``\s`` mean the same as in Python, and the title words
    stripped with expressions; the others by Python's ``re``, one at a time.
    """
    ascii_only = follow.str.contains(r"^[\x00-\x1b\x20-\x7f]*$").fill_null(False)
    table = pl.DataFrame({"follow": follow, "ascii": ascii_only}).with_row_index("i")
    fast = table.filter("ascii").select(
        "i", groups=pl.col("follow").str.extract_groups(_INFERRED_RUST)
    )
    fast = fast.select(
        "i",
        name=pl.col("groups").struct.field("2"),
        offset=pl.col("groups").struct.field("1").str.len_chars().cast(pl.Int64),
    )
    # drop leading title words ("Chief Cabinet Secretary Yoshimasa Hayashi")
    titles = pl.Series(sorted(TITLE_WORDS), dtype=pl.String)
    while True:
        parts = pl.col("name").str.splitn(" ", 2)
        head, rest = parts.struct.field("field_0"), parts.struct.field("field_1")
        strip = (
            rest.is_not_null()
            & (rest != "")
            & head.str.to_lowercase().str.strip_chars(".").is_in(titles.implode())
        )
        if not fast.select(strip.any()).item():
            break
        kept = rest.str.strip_chars_start()
        fast = fast.with_columns(
            name=pl.when(strip).then(kept).otherwise("name"),
            offset=pl.when(strip)
            .then(pl.col("offset") + pl.col("name").str.len_chars() - kept.str.len_chars())
            .otherwise("offset"),
        )
    fast = fast.with_columns(
        pl.when(pl.col("name").str.contains(" ", literal=True)).then(pl.col(c)).alias(c)
        for c in ("name", "offset")
    )
    slow = table.filter(~pl.col("ascii"))
    slow_names = [_inferred_name(_INFERRED_RE.match(text)) for text in slow["follow"]]
    slow = pl.DataFrame(
        {
            "i": slow["i"],
            "name": pl.Series([n for n, _ in slow_names], dtype=pl.String),
            "offset": pl.Series([o for _, o in slow_names], dtype=pl.Int64),
        }
    )
    found = pl.concat([fast, slow], how="vertical_relaxed").sort("i")
    return found["name"], found["offset"]


def _inferred_name(match: re.Match | None) -> tuple[str | None, int | None]:
    """The name a title introduces, without leading title words; None when under 2 words."""
    if match is None:
        return None, None
    name, offset = match.group(1), match.start(1)
    while True:
        head, _, rest = name.partition(" ")
        if not rest or head.lower().strip(".") not in TITLE_WORDS:
            break
        name, offset = rest.lstrip(), offset + len(name) - len(rest.lstrip())
    if " " not in name:
        return None, None
    return name, offset


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name).strip()).strip("-")


def _slug_expr(names: pl.Expr) -> pl.Expr:
    """Vectorised :func:`_slug` for names (diacritics dropped, lowercase, dashes)."""
    return (
        names.str.normalize("NFKD")
        .str.replace_all(r"\p{Mn}", "")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]+", "-")
        .str.strip_chars("-")
    )


@lru_cache(maxsize=1)
def _upper_table() -> np.ndarray:
    """``table[code]`` is True when ``chr(code).isupper()`` (Basic Multilingual Plane)."""
    return np.fromiter((chr(i).isupper() for i in range(0x10000)), dtype=bool, count=0x10000)


# --------------------------------------------------------------------------- main
def _check_sentences(frame: pl.DataFrame) -> None:
    need = ["sentence_id", "article_id", "section", "paragraph", "position", "text"]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise ValueError(f"sentences is missing columns: {', '.join(missing)}")
    n_null = frame.get_column("text").null_count()
    if n_null:
        raise ValueError(f"sentences has {n_null} null text values")


def _empty_mentions() -> pl.DataFrame:
    from toolkit.contracts import SCHEMAS

    return pl.DataFrame(schema={**SCHEMAS["MENTIONS"], **_EXTRA_COLUMNS})


def extract_mentions(sentences, actors, *, roles=None, threads=None):
    """Find every mention of an actor in ``sentences``: SENTENCES + ACTORS -> MENTIONS.

    Parameters
    ----------
    sentences : polars or pandas DataFrame
        SENTENCES; an extra ``published`` (date) column enables role resolution.
    actors : polars or pandas DataFrame
        ACTORS, optionally with list (or ``|``-separated) columns ``demonyms``,
        ``capitals`` and a ``surname`` column for people.
    roles : polars or pandas DataFrame, optional
        ROLES; ``None`` means ``tk.load_roles()``; an empty table disables roles.
    threads : int, optional
        Threads. Every rule looks within one article only, so the articles are
        split into parts of about equal size (one a thread, or two when each part
        holds at least :data:`PART_MIN_BYTES`), extracted at the same time (the
        compiled steps and polars release the GIL), and the output is the same.
        ``None`` uses one thread per available CPU (at most :data:`MAX_THREADS`)
        when the text is at least :data:`PARALLEL_MIN_BYTES`, else one.

    Returns
    -------
    MENTIONS, in the library of ``sentences``, sorted by article, sentence,
    start and actor, with extra columns ``role``, ``role_of`` (for role and
    inferred mentions), ``inferred_kind``, ``inferred_country``,
    ``inferred_role``. The steps and rules are described in the module docstring.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> actors = pl.DataFrame({
    ...     "actor_id": ["SYR", "person:ahmad-al-sharaa"], "name": ["Syria", "Ahmad al-Sharaa"],
    ...     "kind": ["state", "person"], "country": ["SYR", "SYR"],
    ...     "aliases": [[], []], "demonyms": [["Syrian"], []], "capitals": [["Damascus"], []]})
    >>> roles = pl.DataFrame({"actor_id": ["person:ahmad-al-sharaa"], "role": ["president"],
    ...     "of": ["SYR"], "start": [dt.date(2025, 1, 29)], "end": [None]})
    >>> text = "Syria’s President met envoys in Damascus. Al-Sharaa said Damascus's role grew."
    >>> sentences = pl.DataFrame({"sentence_id": ["a-s00000"], "article_id": ["a"],
    ...     "section": ["body"], "paragraph": [0], "position": [0], "text": [text],
    ...     "published": [dt.date(2026, 1, 28)]})
    >>> m = extract_mentions(sentences, actors, roles=roles)
    >>> m.select("surface", "actor_id", "how").rows()
    [('Syria', 'SYR', 'name'), ('President', 'person:ahmad-al-sharaa', 'role'),
     ('Damascus', 'SYR', 'capital'), ('Al-Sharaa', 'person:ahmad-al-sharaa', 'surname'),
     ('Damascus', 'SYR', 'capital')]
    >>> m["as_place"].to_list()
    [False, False, True, False, False]
    """
    frame = to_polars(sentences)
    _check_sentences(frame)
    if roles is None:
        from toolkit.actors import load_roles

        roles = load_roles()
    roles_frame = to_polars(roles)
    matcher = _matcher(actors, _role_titles())
    frame = frame.select(c for c in _SENTENCE_COLUMNS if c in frame.columns)
    text = frame.get_column("text")
    sizes = text.str.len_bytes().cast(pl.Int64).to_numpy()
    n_bytes = int(sizes.sum())
    n_threads = _n_threads(n_bytes, threads)
    # Reading order decides which full name introduces a later surname, so the rows
    # are taken in reading order: the result must not depend on input row order.
    # The steps work on numbers (the sentence's row, its article's number in that
    # order ...); the string columns are gathered for the output only. Each thread
    # takes a run of whole articles (every rule looks within one article).
    with ThreadPoolExecutor(max_workers=n_threads) as pool:
        # the text bytes in one buffer and the output's string columns in one chunk
        # (copies, when the columns have several) while the rows are ordered
        texts_future = pool.submit(utf8_buffers, text)
        strings_future = pool.submit(
            lambda: frame.select(
                "article_id", "sentence_id", "section", paragraph=pl.col("paragraph").cast(pl.Int64)
            ).rechunk()  # gathers from a column of many chunks cost three times as much
        )
        rows, article = _reading_rows(frame)
        numbers = frame.select(
            _row=pl.int_range(pl.len(), dtype=pl.Int64),
            sentence=pl.col("position").cast(pl.Int64),
            published=(
                _as_date(frame, "published") if "published" in frame.columns
                else pl.lit(None, pl.Date)
            ),
            early=pl.col("section").is_in(["title", "summary"]),
        ).rechunk()  # fmt: skip
        ranges = _split_articles(article, sizes[rows], _n_parts(n_bytes, n_threads))
        texts, strings = texts_future.result(), strings_future.result()

        def extract(bounds: tuple[int, int]) -> pl.DataFrame:
            """The mentions in rows ``start:stop`` of the reading order."""
            start, stop = bounds
            part = numbers[pl.Series(rows[start:stop])].with_columns(
                article=pl.Series(article[start:stop])
            )
            return _extract(part, strings, texts, matcher, roles_frame)

        # the compiled steps and polars release the GIL
        results = list(pool.map(extract, ranges))
    # the parts are runs of whole articles, in order
    result = pl.concat(results, how="vertical_relaxed") if results else _empty_mentions()
    return like_input(result, sentences)


#: Text size (UTF-8 bytes) from which ``extract_mentions`` uses several threads by
#: default. On the 2-core machine two threads broke even at 1-2 MB and won from 4 MB
#: (second best of 7, 2026-11-30: 1 MB 0.054 s -> 0.056 s; 2 MB 0.079 -> 0.072;
#: 4 MB 0.131 -> 0.103; 8 MB 0.222 -> 0.162).
PARALLEL_MIN_BYTES = 4_000_000
#: The smallest part (UTF-8 bytes) worth a second part per thread (see :func:`_n_parts`).
PART_MIN_BYTES = 16_000_000
#: The most threads ``threads=None`` uses.
MAX_THREADS = 4
# the columns _extract reads
_SENTENCE_COLUMNS = (
    "sentence_id", "article_id", "section", "paragraph", "position", "text", "published",
)  # fmt: skip


# MENTIONS as extract_mentions returns it
_OUTPUT_COLUMNS = (
    "article_id", "sentence_id", "section", "paragraph", "sentence", "published", "actor_id",
    "surface", "start", "end", "how", "as_place", *_EXTRA_COLUMNS,
)  # fmt: skip


def _n_parts(n_bytes: int, n_threads: int) -> int:
    """How many parts ``n_bytes`` of text are split into for ``n_threads`` threads.

    Two a thread when each holds at least :data:`PART_MIN_BYTES`: a thread that
    finishes its first part early takes another, so the threads end together
    (on the 2-core machine, 100 MB: 1.48-1.52 s with 4 parts against 1.55-1.77 s
    with 2, where one thread idled up to 0.3 s at the end).

    Examples
    --------
    >>> _n_parts(100_000_000, 2), _n_parts(20_000_000, 2), _n_parts(10**9, 1)
    (4, 2, 1)
    """
    if n_threads <= 1:
        return 1
    return max(n_threads, min(2 * n_threads, n_bytes // PART_MIN_BYTES))


def _n_threads(n_bytes: int, threads: int | None) -> int:
    """The threads for ``n_bytes`` of text: ``threads``, checked, or the default."""
    if threads is not None:
        if isinstance(threads, bool) or int(threads) != threads or threads < 1:
            raise ValueError(f"threads must be a whole number of at least 1, not {threads!r}")
        return int(threads)
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    if cpus < 2 or n_bytes < max(PARALLEL_MIN_BYTES, 1):
        return 1
    return min(cpus, MAX_THREADS)


def _reading_rows(frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The row numbers of ``frame`` in reading order (by article, then position), and
    for each of them its article's number in that order (0, 1, ...).

    A sentence table usually holds each article as one run of rows in position
    order, the articles in any order (by date, say): then only the runs are sorted
    by article, which costs far less than sorting every row by a string. Otherwise
    all rows are sorted (stably: rows that tie keep their order).

    Examples
    --------
    >>> import polars as pl
    >>> frame = pl.DataFrame({"article_id": ["b", "b", "a", "c", "a"],
    ...                       "position": [0, 1, 0, 0, 1]})
    >>> rows, article = _reading_rows(frame)
    >>> rows.tolist(), article.tolist()
    ([2, 4, 0, 1, 3], [0, 0, 1, 1, 2])
    """
    n = frame.height
    articles = frame.get_column("article_id")
    position = frame.get_column("position")
    if n and not articles.null_count() and not position.null_count():
        new_run = (articles != articles.shift(1)).fill_null(True).to_numpy()
        heads = np.flatnonzero(new_run)
        head_ids = articles.gather(heads)
        rising = np.diff(position.to_numpy()) > 0
        if head_ids.n_unique() == heads.size and bool(np.all(rising | new_run[1:])):
            run_order = head_ids.arg_sort().to_numpy()
            lengths = np.diff(np.append(heads, n))[run_order]
            # row k of the output is row k + (its run's first row - the run's new start)
            shift = heads[run_order] - (np.cumsum(lengths) - lengths)
            rows = np.repeat(shift, lengths) + np.arange(n)
            return rows, np.repeat(np.arange(heads.size, dtype=np.int64), lengths)
    rows = (
        frame.select("article_id", "position")
        .with_row_index("_row")
        .sort("article_id", "position", maintain_order=True)
        .get_column("_row")
        .to_numpy()
        .astype(np.int64)
    )
    ordered = articles.gather(rows)
    new_article = (ordered != ordered.shift(1)).fill_null(True).to_numpy()
    return rows, np.cumsum(new_article, dtype=np.int64) - 1


def _split_articles(article: np.ndarray, sizes: np.ndarray, n: int) -> list[tuple[int, int]]:
    """At most ``n`` ranges ``(start, stop)`` of whole articles holding about equal text.

    ``article``: each row's article number, in reading order (non-decreasing);
    ``sizes``: each row's text in bytes. Each range ends at the article end nearest
    to a multiple of an ``n``-th of the text; the ranges, one after the other, are
    all the rows.

    Examples
    --------
    >>> import numpy as np
    >>> _split_articles(np.array([0, 0, 1, 2, 2, 2]), np.array([10, 10, 5, 10, 10, 10]), 2)
    [(0, 3), (3, 6)]
    """
    if article.size == 0:
        return []
    ends = np.append(np.flatnonzero(article[1:] != article[:-1]) + 1, article.size)
    after = np.cumsum(sizes)[ends - 1]  # text up to each article's end
    targets = after[-1] * np.arange(1, n) / n
    # the article end nearest to each target
    at = np.minimum(np.searchsorted(after, targets), after.size - 1)
    below = np.maximum(at - 1, 0)
    last = np.where(targets - after[below] < after[at] - targets, below, at)
    stops = ends[np.unique(np.append(last, after.size - 1))]
    starts = np.concatenate([[0], stops[:-1]])
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def _extract(
    part: pl.DataFrame, strings: pl.DataFrame, texts, matcher: _Matcher, roles: pl.DataFrame
) -> pl.DataFrame:
    """MENTIONS of the sentences in ``part``, sorted as extract_mentions returns them.

    ``part``: sentences in reading order, as numbers: ``_row`` (the sentence's row
    in ``strings`` and ``texts``), ``article`` (a number per article, increasing),
    ``sentence`` (position), ``published`` (date) and ``early`` (in the title or
    summary). ``strings``: the output's columns of SENTENCES (``article_id``,
    ``sentence_id``, ``section``, ``paragraph``); ``texts``: the text column's
    :func:`toolkit._scan.utf8_buffers`.
    """
    if part.height == 0:
        return _empty_mentions()
    # the texts joined (with _SEP between them and a space around), as code points
    codes, offsets, lengths = join_codes(
        texts, rows=part.get_column("_row").to_numpy(), separator=len(_SEP)
    )
    start, end, key_id = matcher.matches(codes)
    if start.size == 0:
        return _empty_mentions()
    # one row per (match, option) whose case rule holds: capitals where it requires them
    match_idx, option_id = case_options(
        codes,
        start,
        key_id,
        matcher.opt_first,
        matcher.opt_count,
        matcher.opt_by_key,
        matcher.req_ptr,
        matcher.req_n,
        matcher.req_flat,
        _upper_table(),
    )
    if match_idx.size == 0:
        return _empty_mentions()
    meta = part.select("_row", "article", "sentence", "published", "early")

    def option_rows(chosen: np.ndarray, *, unused: tuple[str, ...] = ()) -> pl.DataFrame:
        """The chosen (match, option) rows with their option's and sentence's columns
        (``unused`` option columns are left null: gathering strings costs)."""
        # ("U.S." keeps its final period when the text has it)
        matches, options, rows, gstart, gend, sent_start = gather_options(
            chosen, match_idx, option_id, start, end, offsets, codes, matcher.opt_trailing_dot
        )
        rows_series, options_series = pl.Series(rows), pl.Series(options)
        used = [c for c in matcher.opt_columns.columns if c not in unused]
        return pl.DataFrame(
            {
                "match": matches,
                "option": options,
                "row": rows,
                "gstart": gstart,
                "gend": gend,
                "sent_start": sent_start,
            }
        ).with_columns(
            *(matcher.opt_columns.select(used)[options_series].iter_columns() if used else ()),
            *(pl.lit(None, matcher.opt_columns.schema[c]).alias(c) for c in unused),
            *meta.select("article", "sentence", "published")[rows_series].iter_columns(),
        )

    rank = matcher.opt_rank[option_id]
    # a plain mention's string columns are looked up through its option where needed
    plain = option_rows(
        best_options(match_idx, rank, matcher.opt_actor[option_id]),
        unused=tuple(matcher.opt_columns.columns),
    )
    titles = option_rows(_first_per_match(match_idx, rank == 9))
    surnames = option_rows(np.flatnonzero(rank == 8))
    mentions = _resolve(meta, codes, plain, titles, surnames, roles, offsets, lengths, matcher)
    row = mentions.get_column("_row")
    # the sentences' string columns (and paragraph), gathered once for the output
    gathered = {name: column.gather(row) for name, column in strings.to_dict().items()}
    return mentions.with_columns(**gathered).select(_OUTPUT_COLUMNS)


def _first_per_match(match_idx: np.ndarray, selected: np.ndarray) -> np.ndarray:
    """Positions of the first selected row of each match (``match_idx`` is sorted)."""
    positions = np.flatnonzero(selected)
    if positions.size == 0:
        return positions
    first = np.ones(positions.size, dtype=bool)
    first[1:] = match_idx[positions[1:]] != match_idx[positions[:-1]]
    return positions[first]


def _resolve(meta, codes, plain, titles, surnames, roles, offsets, lengths, matcher):
    """MENTIONS (with ``_row``, the sentence's row, for its string columns) of the
    ``plain`` (whose string columns are null: see their ``option``), ``titles`` and
    ``surnames`` rows of :func:`_extract`."""
    meta = meta.with_columns(row=pl.int_range(pl.len(), dtype=pl.Int64))
    base_cols = ["match", "row", "article", "sentence", "published", "gstart", "gend"]
    base_cols += ["sent_start", "actor_id", "kind", "country", "how"]
    mentions = plain.select(*base_cols, "option")
    options = matcher.opt_columns
    # --- roles and inferred people from titles
    role_rows, inferred = _roles(
        mentions, options, surnames, titles, roles, codes, offsets, lengths
    )
    # --- surnames: resolve to a person introduced earlier in the article
    option = mentions["option"].to_numpy()  # a plain mention's kind, how ... are its option's
    named = mentions.filter(pl.Series(matcher.opt_is_person[option]))
    people = pl.concat(
        [
            named.select(
                "article", options["actor_id"].gather(named["option"]).alias("actor_id"), "gstart"
            ),
            role_rows.select("article", "actor_id", "gstart"),
            inferred.select("article", "actor_id", "gstart"),
        ]
    )
    intro = people.group_by("article", "actor_id").agg(intro=pl.col("gstart").min())
    # a headline or summary may use a surname before the body gives the full name
    surnames = surnames.join(meta.select("row", "early"), on="row")
    resolved_surnames = (
        surnames.join(intro, on=["article", "actor_id"], how="inner")
        .filter((pl.col("intro") < pl.col("gstart")) | pl.col("early"))
        .filter(pl.col("actor_id").n_unique().over("match") == 1)
        .unique("match", keep="first")
    )
    ambiguous = (
        surnames.join(intro, on=["article", "actor_id"], how="inner")
        .filter((pl.col("intro") < pl.col("gstart")) | pl.col("early"))
        .filter(pl.col("actor_id").n_unique().over("match") > 1)
        .select("match")
        .unique()
    )
    taken = pl.concat([resolved_surnames.select("match"), ambiguous])
    # the plain rows that stay (a surname resolved or ambiguous above is taken); the
    # plain rows are one a match, in match order (best_options), and few are taken
    plain_match = mentions.get_column("match").to_numpy()
    taken_match = taken.get_column("match").to_numpy()
    keep = np.ones(plain_match.size, dtype=bool)
    if plain_match.size and taken_match.size:
        at = np.minimum(np.searchsorted(plain_match, taken_match), plain_match.size - 1)
        keep[at[plain_match[at] == taken_match]] = False
    resolved_surnames = resolved_surnames.select(*base_cols, "option")
    inferred_surnames = _inferred_surnames(
        inferred, mentions, keep, resolved_surnames, role_rows, meta, codes, offsets, lengths
    )
    # --- as_place
    place = _as_place(
        mentions, matcher.opt_place_cued[option], matcher.opt_is_capital[option],
        codes, offsets, lengths,
    )  # fmt: skip
    # The output is built from arrays: the rows of each part, their order, and for
    # each row its label, a row of `labels` (actor_id, how and the extra columns):
    # a plain or surname mention's option row, or a row of the small tables of
    # role and inferred mentions after the options.
    others = [p for p in (role_rows, inferred, inferred_surnames) if p.height]
    labels = pl.concat(
        [matcher.opt_labels] + [p.select("actor_id", "how", *_EXTRA_COLUMNS) for p in others],
        how="vertical_relaxed",
    ).rechunk()  # gathers from one chunk cost less
    kept = np.flatnonzero(keep)
    first = np.cumsum([matcher.opt_labels.height] + [p.height for p in others])
    parts = [
        (mentions[pl.Series(kept)] if kept.size < mentions.height else mentions, place[kept]),
        (resolved_surnames, np.zeros(resolved_surnames.height, dtype=bool)),
    ] + [(p, np.zeros(p.height, dtype=bool)) for p in others]
    label = np.concatenate(
        [parts[0][0].get_column("option").to_numpy(), resolved_surnames["option"].to_numpy()]
        + [np.arange(a, a + p.height) for a, p in zip(first[:-1], others, strict=True)]
    )

    def column(name: str) -> np.ndarray:
        return np.concatenate([part.get_column(name).to_numpy() for part, _ in parts])

    gstart, gend = column("gstart"), column("gend")
    # the rows are in reading order (article, position), so this sorts by article,
    # sentence, start, actor, end and how; rows that tie are equal in every column
    order = _output_order(gstart, gend, label, labels)
    gstart, gend, label = gstart[order], gend[order], label[order]
    sent_start = column("sent_start")[order]
    row = pl.Series(column("row")[order])
    return pl.DataFrame(
        {
            "_row": meta.get_column("_row").gather(row),
            "sentence": meta.get_column("sentence").gather(row),
            "published": meta.get_column("published").gather(row),
            "surface": slice_strings(codes, gstart, gend),
            "start": gstart - sent_start,
            "end": gend - sent_start,
            "as_place": np.concatenate([flags for _, flags in parts])[order],
        }
    ).with_columns(labels[pl.Series(label)].iter_columns())


def _output_order(gstart: np.ndarray, gend: np.ndarray, label: np.ndarray, labels) -> np.ndarray:
    """Row order by (gstart, actor_id, gend, how), actor_id and how being ``labels``'s
    at ``label``.

    ``gstart`` (an offset into the joined texts) orders rows by sentence and start
    and rarely ties: an integer sort, then polars sorts only the rows that tie.
    """
    order = np.argsort(gstart, kind="stable")
    ordered = gstart[order]
    same = ordered[1:] == ordered[:-1]
    tied = np.zeros(order.size, dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    if tied.any():
        # the tied rows form blocks in `order`; sorting them by the full key keeps
        # each block in its place
        rows = order[tied]
        block = labels.select("actor_id", "how")[pl.Series(label[rows])].with_columns(
            gstart=gstart[rows], gend=gend[rows]
        )
        block_order = block.with_row_index("_i").sort("gstart", "actor_id", "gend", "how")
        order[tied] = rows[block_order["_i"].to_numpy()]
    return order


def _as_date(frame: pl.DataFrame, column: str) -> pl.Expr:
    """``column`` as a Date: ISO strings are parsed, datetimes truncated."""
    if frame.schema[column] == pl.String:
        return pl.col(column).str.to_date("%Y-%m-%d")
    return pl.col(column).cast(pl.Date)


def _roles(mentions, options, surnames, titles, roles, codes, offsets, lengths):
    schema = {
        "match": pl.Int64, "row": pl.Int64, "article": pl.Int64, "sentence": pl.Int64,
        "published": pl.Date, "gstart": pl.Int64, "gend": pl.Int64, "sent_start": pl.Int64,
        "actor_id": pl.String, "kind": pl.String, "country": pl.String, "how": pl.String,
        **_EXTRA_COLUMNS,
    }  # fmt: skip
    empty = pl.DataFrame(schema=schema)
    if titles.height == 0:
        return empty, empty
    # neighbours: chosen matches are sorted by start, so they are match - 1 and match + 1;
    # each match is at most one row of mentions (and of named_by_surname): gathers
    named_by_surname = surnames.unique("match")
    size = 2 + max(int(frame["match"].max()) for frame in (mentions, surnames, titles)
                   if frame.height)  # fmt: skip

    def rows_of(frame: pl.DataFrame):
        """A function giving the row of ``frame`` holding each of some matches (null
        where none does)."""
        where = np.full(size + 1, -1, dtype=np.int64)  # where[-1] (match -1) stays -1
        where[frame["match"].to_numpy()] = np.arange(frame.height)

        def locate(matches: np.ndarray) -> pl.Series:
            found = pl.Series(where[matches])
            return pl.select(pl.when(found >= 0).then(found)).to_series()

        return locate

    title_match = titles["match"].to_numpy()
    mention_rows = rows_of(mentions)
    prev = mention_rows(title_match - 1)
    after = mention_rows(title_match + 1)
    after_surname = rows_of(named_by_surname)(title_match + 1)
    # a plain mention's string columns are its option's
    prev_option, after_option = mentions["option"].gather(prev), mentions["option"].gather(after)
    seq = titles.select(
        "match", "row", "gstart", "gend", "article", "sentence", "published", "sent_start",
        "role", title_owner=pl.col("actor_id"),
    ).with_columns(
        prev_id=options["actor_id"].gather(prev_option),
        prev_kind=options["kind"].gather(prev_option),
        prev_how=options["how"].gather(prev_option),
        prev_end=mentions["gend"].gather(prev),
        prev_row=mentions["row"].gather(prev),
        _kind=options["kind"].gather(after_option),
        _start=mentions["gstart"].gather(after),
        _row=mentions["row"].gather(after),
        _sn_start=named_by_surname["gstart"].gather(after_surname),
        _sn_row=named_by_surname["row"].gather(after_surname),
    )  # fmt: skip
    seq = seq.with_columns(
        next_kind=pl.when(pl.col("_sn_start").is_not_null())
        .then(pl.lit("person"))
        .otherwise(pl.col("_kind")),
        next_start=pl.coalesce("_start", "_sn_start"),
        next_row=pl.coalesce("_row", "_sn_row"),
    ).drop("_kind", "_start", "_row", "_sn_start", "_sn_row")
    seq = seq.with_columns(sent_end=pl.Series((offsets + lengths)[seq["row"].to_numpy()]))
    # a missing neighbour gives an empty gap (never a slice back to the start of the text)
    prev_end = seq["prev_end"].fill_null(seq["gstart"]).to_numpy()
    next_start = seq["next_start"].fill_null(seq["gend"]).to_numpy()
    gstart, gend = seq["gstart"].to_numpy(), seq["gend"].to_numpy()
    seq = seq.with_columns(
        owner_gap=pl.Series(owner_gaps(codes, prev_end, gstart, _OWNER_WORDS), dtype=pl.Boolean),
        name_gap=pl.Series(name_gaps(codes, gend, next_start), dtype=pl.Boolean),
    )
    owner_ok = (
        (pl.col("prev_row") == pl.col("row"))
        & pl.col("prev_kind").is_in(["state", "organization", "armed_group", "media"])
        & pl.col("prev_how").is_in(["name", "alias", "demonym", "capital"])
        & pl.col("owner_gap")
    )
    seq = seq.with_columns(
        owner=pl.when(owner_ok).then(pl.col("prev_id")),
        named=(pl.col("next_row") == pl.col("row"))
        & (pl.col("next_kind") == "person")
        & pl.col("name_gap"),
    )
    # in reading order (by article, sentence and start); titles come in match order
    if not seq.get_column("gstart").is_sorted():
        seq = seq.sort("gstart")
    # an owner-specific title ("UN chief") means nothing for another owner
    seq = seq.with_columns(
        role=pl.when(
            pl.col("title_owner").is_null() | (pl.col("title_owner") == pl.col("owner"))
        ).then(pl.col("role"))
    )
    # counterpart: the role of the last role phrase before it in the article
    seq = seq.with_columns(role=_counterpart_roles(seq["role"], seq["article"].to_numpy()))
    # inferred people: an unregistered capitalised name right after the title
    unnamed = seq.filter(~pl.col("named"))
    follow_start = unnamed["gend"].to_numpy()
    follow_stop = np.minimum(follow_start + 60, unnamed["sent_end"].to_numpy())
    # _INFERRED_RE needs an optional comma, whitespace, then a capital: only the
    # titles followed by that are sliced and matched
    candidate = np.flatnonzero(
        capital_after(codes, follow_start, follow_stop, _space_table(), _NAME_INITIALS)
    )
    follow = slice_strings(codes, follow_start[candidate], follow_stop[candidate])
    name, offset = _inferred_names(follow)
    named_after = unnamed[pl.Series(candidate)].with_columns(
        inferred_name=name, inferred_off=offset
    )
    # the inferred name must not run into a registered mention
    inferred_ok = pl.col("inferred_name").is_not_null() & (
        pl.col("next_start").is_null()
        | (pl.col("next_row") != pl.col("row"))
        | (
            pl.col("next_start")
            >= pl.col("gend") + pl.col("inferred_off") + pl.col("inferred_name").str.len_chars()
        )
    )
    ok = named_after.select(inferred_ok.fill_null(False)).to_series().to_numpy()
    inferred = named_after.filter(pl.Series(ok)).with_columns(
        gstart=pl.col("gend") + pl.col("inferred_off"),
    )
    # a name is slugged once however often it comes
    names = inferred.get_column("inferred_name").unique()
    slugs = pl.select(pl.lit("person:") + _slug_expr(pl.lit(names))).to_series()
    country = pl.when(pl.col("owner").str.contains(r"^[A-Z]{3}$")).then(pl.col("owner"))
    inferred = inferred.with_columns(
        gend=pl.col("gstart") + pl.col("inferred_name").str.len_chars(),
        actor_id=pl.col("inferred_name").replace_strict(names, slugs, return_dtype=pl.String),
        kind=pl.lit("person"),
        how=pl.lit("inferred"),
        role_of=pl.col("owner"),
        inferred_kind=pl.lit("person"),
        inferred_country=country,
        inferred_role=pl.col("role"),
        country=country,
    )
    inferred = inferred.select([pl.col(c).cast(t) for c, t in schema.items()])
    # role resolution through ROLES at the article's date (the titles no name follows)
    is_inferred = np.zeros(unnamed.height, dtype=bool)
    is_inferred[candidate[ok]] = True
    to_resolve = unnamed.filter(
        pl.Series(~is_inferred) & pl.col("owner").is_not_null() & pl.col("published").is_not_null()
    ).filter(pl.col("role").is_not_null())
    if to_resolve.height == 0 or roles.height == 0:
        return empty, inferred
    need = [c for c in ("actor_id", "role", "of", "start", "end") if c not in roles.columns]
    if need:
        raise ValueError(f"roles is missing columns: {', '.join(need)}")
    holders = roles.select(
        holder=pl.col("actor_id"),
        role=pl.col("role"),
        owner=pl.col("of"),
        r_start=_as_date(roles, "start"),
        r_end=_as_date(roles, "end"),
    )
    joined_roles = (
        to_resolve.join(holders, on=["role", "owner"], how="inner")
        .filter(
            (pl.col("r_start").is_null() | (pl.col("r_start") <= pl.col("published")))
            & (pl.col("r_end").is_null() | (pl.col("published") <= pl.col("r_end")))
        )
        .filter(pl.col("holder").n_unique().over("match") == 1)
        .unique("match", keep="first")
    )
    role_rows = joined_roles.with_columns(
        actor_id=pl.col("holder"),
        kind=pl.lit("person"),
        country=pl.lit(None, pl.String),
        how=pl.lit("role"),
        role_of=pl.col("owner"),
        inferred_kind=pl.lit(None, pl.String),
        inferred_country=pl.lit(None, pl.String),
        inferred_role=pl.lit(None, pl.String),
    ).select([pl.col(c).cast(t) for c, t in schema.items()])
    return role_rows, inferred


def _counterpart_roles(role: pl.Series, article: np.ndarray) -> pl.Series:
    """``role`` with each "counterpart" replaced by the last other role before it in
    its article (null where there is none); ``article`` is sorted.

    Examples
    --------
    >>> import numpy as np
    >>> role = pl.Series(["president", "counterpart", None, "counterpart", "counterpart"])
    >>> _counterpart_roles(role, np.array([0, 0, 0, 1, 1])).to_list()
    ['president', 'president', None, None, None]
    """
    counterpart = (role == "counterpart").fill_null(False).to_numpy()
    if not counterpart.any():
        return role
    known = (role.is_not_null().to_numpy()) & ~counterpart
    index = np.arange(role.len())
    # the last known role at or before each row; the one before a row is at i - 1
    last = np.maximum.accumulate(np.where(known, index, -1))
    before = np.concatenate([[-1], last[:-1]])
    found = (before >= 0) & (article[np.maximum(before, 0)] == article)
    replaced = role.gather(pl.Series(np.where(found, before, 0)))
    replaced = pl.select(pl.when(pl.Series(found)).then(replaced)).to_series()
    return (
        pl.select(pl.when(pl.Series(counterpart)).then(replaced).otherwise(role))
        .to_series()
        .alias(role.name)
    )


def _inside(span_start, span_end, start, end) -> np.ndarray:
    """Whether each range ``start[i]:end[i]`` overlaps one of the spans.

    Examples
    --------
    >>> import numpy as np
    >>> _inside(np.array([10, 0]), np.array([12, 5]), np.array([4, 5, 11]), np.array([6, 9, 20]))
    array([ True, False,  True])
    """
    if span_start.size == 0:
        return np.zeros(start.size, dtype=bool)
    if span_start.size > 1 and bool(np.any(span_start[1:] < span_start[:-1])):
        by_start = np.argsort(span_start, kind="stable")
        span_start, span_end = span_start[by_start], span_end[by_start]
    # the furthest end among the spans that start before each range's end
    furthest = np.maximum.accumulate(span_end)
    last = np.searchsorted(span_start, end, side="left") - 1
    return (last >= 0) & (furthest[np.maximum(last, 0)] > start)


def _inferred_surnames(
    inferred, mentions, keep, resolved, role_rows, meta, codes, offsets, lengths
):
    """Later bare surnames of inferred people, in the same article.

    A surname inside an existing mention is not one: the ``keep`` rows of
    ``mentions``, ``resolved`` (surnames), ``role_rows`` and ``inferred``.

    Each surname's key is searched word-bounded (:func:`toolkit._scan.find_keys`,
    overlapping hits too) from the end of the person's introduction to the end
    of the article, in one pass per article for all its people.
    """
    if inferred.height == 0:
        return inferred
    people = inferred.sort("gstart").unique(["article", "actor_id"], keep="first")
    names = slice_strings(codes, people["gstart"].to_numpy(), people["gend"].to_numpy()).to_list()
    people = people.with_columns(surname=pl.Series([n.split()[-1] for n in names], dtype=pl.String))
    key_of = {n: _key(n) for n in people["surname"].unique().to_list()}
    people = people.with_columns(key=pl.col("surname").replace_strict(key_of))
    # a surname shared by two people introduced in one article is not guessed;
    # an empty key (a surname of punctuation only) never passes the capital check
    people = people.filter(
        (pl.col("actor_id").n_unique().over("article", "key") == 1) & (pl.col("key") != "")
    )
    # the end of each person's article: rows are in reading order, articles are runs
    article = meta.get_column("article")
    run_start = (article != article.shift(1)).fill_null(True).to_numpy()
    run_last = np.append(np.flatnonzero(run_start)[1:] - 1, article.len() - 1)
    last_row = run_last[np.cumsum(run_start) - 1]
    people = people.with_columns(
        stop=pl.Series((offsets + lengths)[last_row[people["row"].to_numpy()]], dtype=pl.Int64)
    )
    # overlapping hits too ("Smith Smith"), as a scan for all keys would find them
    person, gstart = find_keys(
        codes,
        _fold_table(),
        people["key"].to_list(),
        people["gend"].to_numpy(),
        people["stop"].to_numpy() + 1,
        first_upper=_upper_table(),  # a bare surname must start with a capital (below)
    )
    if person.size == 0:
        return inferred.clear()
    gend = gstart + people["key"].str.len_chars().cast(pl.Int64).to_numpy()[person]
    upper = _upper_table()[np.minimum(codes[gstart], 0xFFFF).astype(np.intp)]
    # not inside an existing mention (the plain ones are sorted by start already)
    plain_start, plain_end = mentions["gstart"].to_numpy(), mentions["gend"].to_numpy()
    inside = _inside(plain_start[keep], plain_end[keep], gstart, gend)
    for part in (resolved, role_rows, inferred):
        inside |= _inside(part["gstart"].to_numpy(), part["gend"].to_numpy(), gstart, gend)
    ok = upper & ~inside
    row = np.searchsorted(offsets, gstart, side="right") - 1
    hits_frame = pl.DataFrame(
        {
            "person": person[ok],
            "row": row[ok],
            "gstart": gstart[ok],
            "gend": gend[ok],
            "sent_start": offsets[row[ok]],
        }
    ).join(
        meta.select("row", hit_article=pl.col("article"), hit_sentence=pl.col("sentence")),
        on="row",
    )
    person_cols = ["article", "published", "actor_id", "kind", "country"]
    person_cols += ["role", "role_of", "inferred_kind", "inferred_country", "inferred_role"]
    found = (
        people.select(*person_cols)
        .with_row_index("person")
        .with_columns(pl.col("person").cast(pl.Int64))
        .join(hits_frame, on="person")
        # an article whose sentences are not contiguous: the range held others
        .filter(pl.col("hit_article") == pl.col("article"))
        .with_columns(
            match=pl.lit(-1, pl.Int64),
            sentence=pl.col("hit_sentence"),
            how=pl.lit("surname"),
        )
    )
    return found.select([pl.col(c).cast(t) for c, t in inferred.schema.items()])


_PUNCT = "\"'“”‘’()[],;:—–-"
_LOCATIVE_SET = frozenset(LOCATIVE_CUES + COMPASS_CUES)
_RELATION_SET = frozenset(RELATION_CUES)
_VERB_SET = frozenset(ACTOR_VERB_CUES)


# Reversed text: skip names (a token whose first letter is a capital), "and", "or",
# "the" (whole words: "for" and "brand" are not "or" and "and") and bare punctuation
# right before a mention; a token ending a sentence stops it.
_SKIP_BEFORE_REVERSED = (
    r"^(?:\s+(?:(?:dna|ro|eht)\b|[^\s.!?][^\s]*\p{Lu}[^\s\p{L}\p{N}]*|\p{Lu}[^\s\p{L}\p{N}]*"
    r"|[^\s\p{L}\p{N}.!?]+))*"
)
# After a mention: "and Washington condemned" -> the verb after the coordinated names.
_SKIP_AFTER = r"^\s+(?:and|or)\b(?:\s+\p{Lu}\S*)*"


def _cue_words(before: str) -> list[str]:
    """The lowercase words before a mention, skipping coordinated names ("in A, B and")."""
    if before and not before[-1].isspace():  # "(Seoul" or "-Seoul": no cue word right before
        return []
    words = before.split()
    kept: list[str] = []
    skipping = True
    for word in reversed(words):
        if word.endswith((".", "!", "?", ".”", '."')):
            break  # the previous sentence
        bare = word.strip(_PUNCT)
        if skipping and (bare in ("and", "or", "the", "") or bare[:1].isupper()):
            continue  # a name or conjunction of a list the mention belongs to
        skipping = False
        kept.append(bare.lower())
        if len(kept) == 2:
            break
    return kept[::-1]


def _cue_flags(before: str, after: str) -> tuple[bool, bool, bool]:
    """(locative, relation, acting) cues around a state mention, one mention at a time.

    The plain-Python statement of the rules that :func:`_as_place` applies vectorised;
    the tests check that the two agree.
    """
    words = _cue_words(before)
    last1 = words[-1] if words else ""
    last2 = " ".join(words[-2:])
    relation = last2 in _RELATION_SET or last1 in _RELATION_SET
    locative = not relation and (last1 in _LOCATIVE_SET or last2 in _LOCATIVE_SET)
    possessive = after[:1] in ("'", "’") and after[1:2] in ("s", " ", "")
    verb = False
    if after[:1].isspace():
        nxt = after.split()
        if nxt and nxt[0] in ("and", "or"):  # "Seoul and Washington condemned"
            nxt = nxt[1:]
            while nxt and nxt[0][:1].isupper():
                nxt = nxt[1:]
        verb = bool(nxt) and (
            nxt[0].lower().strip(_PUNCT) in _VERB_SET or " ".join(nxt[:2]).lower() in _VERB_SET
        )
    return locative and not possessive, relation, possessive or relation or verb


# characters that are always a grapheme of their own: ASCII but "\r", Latin-1 and
# Latin Extended-A/B letters (all precomposed), general punctuation but the joiners
_SINGLE_GRAPHEME = r"\x00-\x0c\x0e-\x7f\u00a0-\u024f\u2010-\u2027\u2030-\u205e"


def _as_place(mentions, cued, is_capital, codes, offsets, lengths) -> np.ndarray:
    """``as_place`` of each of ``mentions``: false but where ``cued`` (a state's name,
    alias or capital); there from compiled cues (:mod:`toolkit._cues`), else regexes.
    ``is_capital``: whether the mention is a capital.

    :func:`toolkit._cues.cue_flags` decides every mention whose context holds
    only ASCII and common punctuation (the same flags as :func:`_regex_cues`,
    tested); the rest go through :func:`_regex_cues`.
    """
    from toolkit._cues import cue_flags

    state = np.flatnonzero(cued)
    place = np.zeros(mentions.height, dtype=bool)
    if state.size:
        rows = mentions["row"].to_numpy()[state]
        gstart, gend = mentions["gstart"].to_numpy()[state], mentions["gend"].to_numpy()[state]
        # the context a cue is looked for in: 48 characters before, 32 after, in the sentence
        lo = np.maximum(gstart - 48, offsets[rows])
        hi = np.minimum(gend + 32, (offsets + lengths)[rows])
        is_capital = is_capital[state]
        locative, relation, acting, decided = cue_flags(codes, gstart, gend, lo, hi)
        rest = np.flatnonzero(~decided)
        if rest.size:
            cues = _regex_cues(codes, gstart[rest], gend[rest], lo[rest], hi[rest])
            locative[rest], relation[rest], acting[rest] = cues
        place[state] = np.where(is_capital, locative | ~acting, locative & ~relation)
    return place


def _regex_cues(codes, gstart, gend, lo, hi):
    """(locative, relation, acting) by regexes on context strings; handles lists of names."""
    after_text = slice_strings(codes, gend, hi)
    before_text = slice_strings(codes, lo, gstart).to_list()
    # the words before, reversed so that the patterns are anchored at the start; the
    # names and conjunctions of a list the mention belongs to are skipped first.
    # Python's reversal (by code point) is what polars' grapheme-wise
    # str.reverse gives when every character is its own grapheme:
    # _SINGLE_GRAPHEME holds no "\r", combining mark or joiner. The other rows,
    # few, go through polars.
    reversed_before = pl.Series([text[::-1] for text in before_text], dtype=pl.String)
    complex_rows = np.flatnonzero(
        reversed_before.str.contains(rf"[^{_SINGLE_GRAPHEME}]").to_numpy()
    )
    if complex_rows.size:
        forward = pl.Series([before_text[i] for i in complex_rows.tolist()], dtype=pl.String)
        reversed_before = reversed_before.scatter(complex_rows, forward.str.reverse())
    ctx = pl.DataFrame({"before": reversed_before, "after": after_text})
    before = ctx.select(
        pl.col("before")
        .str.replace(_SKIP_BEFORE_REVERSED, "")
        .str.extract_groups(r"^\s+(?<w1>\S+)(?:\s+(?<w2>\S+))?")
        .alias("b")
    ).unnest("b")
    after = ctx.select(
        pl.col("after")
        .str.replace(_SKIP_AFTER, "")
        .str.extract_groups(r"^(?:(?<pos>['’](?:s|\s|$))|\s+(?<n1>\S+)(?:\s+(?<n2>\S+))?)")
        .alias("a")
    ).unnest("a")
    words = pl.DataFrame(
        {
            "w1": before["w1"].str.reverse(),
            "w2": before["w2"].str.reverse(),
            "n1": after["n1"],
            "n2": after["n1"] + " " + after["n2"],
            "possessive": after["pos"].is_not_null(),
        }
    )

    def clean(column: str) -> pl.Expr:
        return pl.col(column).str.strip_chars(_PUNCT).str.to_lowercase().fill_null("")

    cues = words.select(
        c1=clean("w1"),
        c2=pl.when(pl.col("w2").str.contains(r"[.!?]['’\"”]?$"))
        .then(pl.lit(""))
        .otherwise(clean("w2")),
        n1=clean("n1"),
        n2=clean("n2"),
        stop=pl.col("w1").str.contains(r"[.!?]['’\"”]?$").fill_null(False),
        possessive=pl.col("possessive"),
    ).with_columns(c2=pl.concat_str("c2", "c1", separator=" "))
    relation = ~pl.col("stop") & (
        pl.col("c1").is_in(list(_RELATION_SET)) | pl.col("c2").is_in(list(_RELATION_SET))
    )
    locative = (
        ~pl.col("stop")
        & ~relation
        & ~pl.col("possessive")
        & (pl.col("c1").is_in(list(_LOCATIVE_SET)) | pl.col("c2").is_in(list(_LOCATIVE_SET)))
    )
    verb = pl.col("n1").is_in(list(_VERB_SET)) | pl.col("n2").is_in(list(_VERB_SET))
    flags = cues.select(
        locative=locative,
        relation=relation,
        acting=pl.col("possessive") | relation | verb,
    )
    return tuple(flags[name].to_numpy() for name in ("locative", "relation", "acting"))


# --------------------------------------------------------------------------- candidates
_MONTHS = _words(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
_WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_COMMON = _words(
    "The A An In On At For From To Of And But Or If As By It Its He She They We I You His Her "
    "Their Our This That These Those There Here What When Where Who Why How After Before "
    "During While Since Despite Although Though Inside Outside Over Under With Without Some "
    "Many Most More Other Another One Two Three Four Five Six Seven Eight Nine Ten All Both "
    "Each No Not Yet So Then Now Also Even Still Only Just Meanwhile However Earlier Later "
    "Last Next First Second Third New Former President Prime Minister Foreign Secretary "
    "General Spokesman Spokeswoman Spokesperson Ministry Mr Mrs Ms Dr Updated Follow Short Url"
)
_SKIP_WORDS = frozenset(_MONTHS + _WEEKDAYS + _COMMON)
_PARTICLE_WORDS = frozenset({"al", "el", "bin", "ibn", "de", "van", "von", "of", "the"})
_CAP_RUN = re.compile(
    r"(?<![\w'’])[A-ZÀ-ÖØ-Þ][\w'’\-]*(?:(?:\s+|\s+(?:al|el|bin|ibn|de|van|von|of|the)\s+)"
    r"[A-ZÀ-ÖØ-Þ][\w'’\-]*)*"
)


def candidate_actors(sentences, mentions):
    """List capitalised names that no mention covers, for the analyst to review.

    A candidate is a run of capitalised words (name particles allowed inside)
    that overlaps no mention; sentence-initial common words, months, weekdays
    and title words are trimmed, and a trailing possessive is dropped.

    Returns
    -------
    A table with ``name``, ``n_mentions``, ``n_articles``, ``example`` (a
    sentence text) and ``example_sentence_id``, sorted by ``n_mentions``
    descending then ``name``; in the library of ``sentences``.

    Examples
    --------
    >>> import polars as pl
    >>> sentences = pl.DataFrame({"sentence_id": ["a-s00000"], "article_id": ["a"],
    ...     "section": ["body"], "paragraph": [0], "position": [0],
    ...     "text": ["The Hmeimim air base faces Qamishli, said Syria."]})
    >>> mentions = pl.DataFrame({"sentence_id": ["a-s00000"], "start": [42], "end": [47]})
    >>> candidate_actors(sentences, mentions)["name"].to_list()
    ['Hmeimim', 'Qamishli']
    """
    frame = to_polars(sentences)
    _check_sentences(frame)
    spans: dict[str, list[tuple[int, int]]] = {}
    for sid, s, e in to_polars(mentions).select("sentence_id", "start", "end").iter_rows():
        spans.setdefault(sid, []).append((s, e))
    counts: Counter = Counter()
    initial_only: set[str] = set()
    mid_sentence: set[str] = set()
    articles: dict[str, set[str]] = {}
    example: dict[str, tuple[str, str]] = {}
    texts = frame.select("sentence_id", "article_id", "text").rows()
    # a word also seen in lower case is a common word when it opens a sentence
    lower_words = {w for _, _, t in texts for w in re.findall(r"(?<![\w'’])[a-z]+", t)}
    for sid, aid, text in texts:
        covered = spans.get(sid, [])
        lead = len(text) - len(text.lstrip(" \"“‘'(["))
        for m in _CAP_RUN.finditer(text):
            tokens = m.group().split()
            starts = [m.start() + i for i in _token_starts(m.group())]
            # drop leading and trailing skip words, then the possessive
            while tokens and (
                tokens[0] in _SKIP_WORDS
                or (
                    starts[0] == lead
                    and (
                        tokens[0].lower() in lower_words
                        or (len(tokens) == 1 and tokens[0].endswith(("ing", "ed", "ly")))
                    )
                )
            ):
                tokens, starts = tokens[1:], starts[1:]
            while tokens and tokens[-1] in _SKIP_WORDS | _PARTICLE_WORDS:
                tokens, starts = tokens[:-1], starts[:-1]
            if not tokens:
                continue
            a, b = starts[0], starts[-1] + len(tokens[-1])
            name = re.sub(r"['’]s?$", "", text[a:b])
            b = a + len(name)
            if not name or name in _SKIP_WORDS or len(name.rstrip(".")) == 1:
                continue  # a lone initial is part of a name the run did not catch
            if any(x < b and a < y for x, y in covered):
                continue
            if a == lead and len(tokens) == 1:
                # "Officials said …": one capitalised word opening a sentence is a name
                # only if the corpus also capitalises it inside a sentence
                initial_only.add(name)
            else:
                mid_sentence.add(name)
            counts[name] += 1
            articles.setdefault(name, set()).add(aid)
            example.setdefault(name, (text, sid))
    for name in initial_only - mid_sentence:
        del counts[name]
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    result = pl.DataFrame(
        {
            "name": [n for n, _ in rows],
            "n_mentions": [c for _, c in rows],
            "n_articles": [len(articles[n]) for n, _ in rows],
            "example": [example[n][0] for n, _ in rows],
            "example_sentence_id": [example[n][1] for n, _ in rows],
        },
        schema={
            "name": pl.String,
            "n_mentions": pl.Int64,
            "n_articles": pl.Int64,
            "example": pl.String,
            "example_sentence_id": pl.String,
        },
    )
    return like_input(result, sentences)


def _token_starts(run: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\S+", run)]
