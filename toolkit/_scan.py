"""Compiled leftmost-longest scan of folded keys over a text's code points.

The mention matcher's definition (see :mod:`toolkit.mentions`) is a regular
expression: the alternation of all folded keys, longest first, between word
boundaries, applied to the folded text. Since folding turns every non-word
character into a space and keys hold single spaces only, a match starts right
after a space and ends right before one. So the scan below walks a trie from
every word start, remembers the longest key that ends before a space, takes it
and resumes after it; a word start with no such key is skipped. That is the
regex's leftmost-longest choice, with no key lost when a longer one fails its
boundary ("Guinea-Bissauan" still gives "guinea").

The trie is over the characters the keys use; ``class_of[code]`` maps a code
point of the original text (folded on the fly) to its class: 0 for the space
every non-word character folds to, -1 for a character no key holds, else 1 and
up. A node with one child stores that child's class and number; a node with
several has a row of a dense table. Before a walk, the word at hand is hashed:
only a word equal to some key's first word (or colliding with one; the walk
decides) is walked, which skips most words of a text.
"""

from __future__ import annotations

import numba
import numpy as np
import polars as pl
import pyarrow as pa

__all__ = [
    "Trie",
    "best_options",
    "capital_after",
    "case_options",
    "find_keys",
    "gather_options",
    "join_codes",
    "name_gaps",
    "owner_gaps",
    "scan",
    "slice_strings",
    "utf8_buffers",
]

_NO_CLASS = -1


class Trie:
    """The dense trie of ``keys`` (folded; key ``i`` ends at a node whose ``key_id`` is i).

    Parameters
    ----------
    keys : list of str
        Folded keys: no leading, trailing or double spaces.
    fold_table : numpy.ndarray
        ``fold_table[code]`` = the folded code point, for codes up to 0x10000
        (index 0x10000 stands for every code point above the Basic Multilingual Plane).

    Examples
    --------
    >>> import numpy as np
    >>> from toolkit.mentions import _fold_table
    >>> trie = Trie(["guinea", "guinea bissau", "niger"], _fold_table())
    >>> text = " Guinea-Bissauan envoys met Niger's and Nigeria's "
    >>> codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    >>> [(int(s), int(e), int(k)) for s, e, k in zip(*scan(trie, codes))]
    [(1, 7, 0), (28, 33, 2)]
    """

    def __init__(self, keys: list[str], fold_table: np.ndarray):
        chars = sorted({c for key in keys for c in key} - {" "})
        class_index = {" ": 0} | {c: i + 1 for i, c in enumerate(chars)}
        # the class of each folded code point, then of each original one through folding
        folded_class = np.full(0x10001, _NO_CLASS, dtype=np.int32)
        for char, index in class_index.items():
            if ord(char) <= 0x10000:
                folded_class[ord(char)] = index
        self.class_of = folded_class[fold_table.astype(np.int64)]
        children: list[dict[int, int]] = [{}]
        key_id = [-1]
        for index, key in enumerate(keys):
            node = 0
            for char in key:
                step = class_index[char]
                nxt = children[node].get(step)
                if nxt is None:
                    nxt = len(children)
                    children[node][step] = nxt
                    children.append({})
                    key_id.append(-1)
                node = nxt
            key_id[node] = index
        # nodes numbered breadth first: the shallow nodes, where nearly every walk ends,
        # share a few cache lines
        order = [0]
        for node in order:
            order.extend(children[node][step] for step in sorted(children[node]))
        number = np.empty(len(order), dtype=np.int32)
        number[order] = np.arange(len(order), dtype=np.int32)
        transitions = np.full((len(children), len(class_index)), -1, dtype=np.int32)
        for node, edges in enumerate(children):
            for step, nxt in edges.items():
                transitions[number[node], step] = number[nxt]
        self.key_id = np.full(len(children), -1, dtype=np.int32)
        self.key_id[number] = key_id
        # most nodes deep in the trie have one child: (class, child) pairs, 8 bytes a
        # node, stay in cache where rows of the dense table would not
        n_children = (transitions >= 0).sum(axis=1)
        only = np.flatnonzero(n_children == 1)
        self.only_class = np.full(len(children), -1, dtype=np.int32)
        self.only_child = np.full(len(children), -1, dtype=np.int32)
        only_step = np.argmax(transitions[only] >= 0, axis=1)
        self.only_class[only] = only_step
        self.only_child[only] = transitions[only, only_step]
        # the nodes with several children keep a row of the dense table
        branching = np.flatnonzero(n_children > 1)
        self.row_of = np.full(len(children), -1, dtype=np.int32)
        self.row_of[branching] = np.arange(branching.size, dtype=np.int32)
        self.rows = np.ascontiguousarray(transitions[branching])
        # the first word of every key, hashed: a match starts with a word equal to one.
        # Per slot: the word (to check a hit against), the key that is the word alone
        # (-1: none), and whether longer keys start with it (then the trie is walked)
        words: dict[tuple[int, ...], list] = {}
        for index, key in enumerate(keys):
            head, _, rest = key.partition(" ")
            entry = words.setdefault(tuple(class_index[c] for c in head), [-1, False])
            if rest:
                entry[1] = True
            else:
                entry[0] = index
        size = 1 << max(4, (4 * len(words)).bit_length())
        self.first_words = np.zeros(size, dtype=np.uint64)
        self.word_key = np.full(size, -1, dtype=np.int32)
        self.word_longer = np.zeros(size, dtype=np.bool_)
        self.word_start = np.zeros(size, dtype=np.int64)
        self.word_length = np.zeros(size, dtype=np.int64)
        flat: list[int] = []
        for word, (alone, longer) in words.items():
            value = _word_hash(word)
            slot = value & (size - 1)
            while self.first_words[slot] not in (0, value):
                slot = (slot + 1) & (size - 1)
            if self.first_words[slot] == value:  # two first words with one hash: walk both
                self.word_longer[slot] = True
                continue
            self.first_words[slot] = value
            self.word_key[slot] = alone
            self.word_longer[slot] = longer
            self.word_start[slot] = len(flat)
            self.word_length[slot] = len(word)
            flat.extend(word)
        self.word_classes = np.array(flat, dtype=np.int32)


_MASK = (1 << 64) - 1


def _word_hash(classes) -> int:
    """The hash :func:`_scan_kernel` computes over a word's classes (never 0)."""
    value = 0
    for c in classes:
        value = (value * 1_000_003 + c) & _MASK
    return value | 1


def scan(trie: Trie, codes: np.ndarray, start: int = 0, stop: int | None = None):
    """Leftmost-longest word-bounded key matches in ``codes[start:stop]``.

    Returns ``(starts, ends, key_ids)`` as int64 arrays, offsets into ``codes``.
    ``codes[start]`` and ``codes[stop - 1]`` must fold to spaces (every text the
    matcher scans is padded with one).
    """
    stop = codes.size if stop is None else stop
    parts = []
    capacity = max(1024, (stop - start) // 24)
    position = start
    while position < stop:
        starts, ends, keys = (_empty(capacity, np.int64) for _ in range(3))
        count, position = _scan_kernel(
            codes, trie.class_of, trie.only_class, trie.only_child, trie.row_of, trie.rows,
            trie.key_id, trie.first_words, trie.word_key, trie.word_longer, trie.word_start,
            trie.word_length, trie.word_classes, position, stop, starts, ends, keys,
        )  # fmt: skip
        parts.append((starts[:count], ends[:count], keys[:count]))
    if not parts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    if len(parts) == 1:
        return parts[0]
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


@numba.njit(cache=True, nogil=True)
def _scan_kernel(
    codes, class_of, only_class, only_child, row_of, rows, key_id, first_words, word_key,
    word_longer, word_start, word_length, word_classes, position, stop, starts, ends, keys,
):  # fmt: skip
    """Fill the output arrays from ``position``; return (count, where to resume)."""
    count = 0
    capacity = starts.size
    mask = first_words.size - 1
    i = position
    while i < stop:
        c = class_of[min(codes[i], 0x10000)]
        if c == 0:
            i += 1
            continue
        if count == capacity:
            return count, i
        # i starts a word: hash it to its end; only a word that is some key's first
        # word (or collides with one) is walked
        j = i
        value = np.uint64(0)
        known = True
        while j < stop:
            c = class_of[min(codes[j], 0x10000)]
            if c == 0:
                break
            if c < 0:
                known = False
            value = value * np.uint64(1_000_003) + np.uint64(c)
            j += 1
        slot = np.uint64(0)
        if known:
            value |= np.uint64(1)
            slot = value & np.uint64(mask)
            while first_words[slot] != 0 and first_words[slot] != value:
                slot = (slot + np.uint64(1)) & np.uint64(mask)
            known = first_words[slot] == value
        if not known:
            i = j
            continue
        if not word_longer[slot]:
            # no longer key starts with this word: it is a key alone, if it is the word
            # of this slot and not another with the same hash
            same = word_length[slot] == j - i
            for k in range(j - i):
                if not same:
                    break
                same = class_of[min(codes[i + k], 0x10000)] == word_classes[word_start[slot] + k]
            if same and word_key[slot] >= 0:
                starts[count] = i
                ends[count] = j
                keys[count] = word_key[slot]
                count += 1
            i = j
            continue
        # walk the trie, remembering the longest key that ends before a space
        node = 0
        j = i
        best_end = -1
        best_key = -1
        first_space = -1  # where the next word start is looked for when nothing matches
        while j < stop:
            c = class_of[min(codes[j], 0x10000)]
            if c == 0:
                if key_id[node] >= 0:
                    best_end = j
                    best_key = key_id[node]
                if first_space < 0:
                    first_space = j
            elif c < 0:
                break
            if only_class[node] >= 0:
                node = only_child[node] if only_class[node] == c else -1
            elif row_of[node] >= 0:
                node = rows[row_of[node], c]
            else:
                break
            if node < 0:
                break
            j += 1
        if best_end >= 0:
            starts[count] = i
            ends[count] = best_end
            keys[count] = best_key
            count += 1
            i = best_end
        elif first_space >= 0:
            i = first_space
        else:
            i = j
            while i < stop and class_of[min(codes[i], 0x10000)] != 0:
                i += 1
    return count, i


def find_keys(codes, fold_table, keys: list[str], froms, stops, *, first_upper=None):
    """Every word-bounded occurrence of folded key ``keys[q]`` in ``codes[froms[q]:stops[q]]``.

    What ``fold(text).find(f" {key} ", at, stop)`` finds when repeated from each hit
    plus one (overlapping hits too), for each query ``q``. Returns ``(query,
    start)`` int64 arrays sorted by query then start, ``start`` the offset of the
    key's first character. Queries that share a ``stop`` (the end of an article)
    are answered in one pass over their range. ``first_upper``: a table of the
    Basic Multilingual Plane (code points above it read as 0xFFFF); when given,
    only hits whose first character it marks are returned, and the pass looks at
    those characters first (they are rare, so the pass is fast).
    """
    if not keys:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    lengths = np.array([len(k) for k in keys], dtype=np.int64)
    flat = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    first = np.zeros(len(keys), dtype=np.int64)
    if len(keys) > 1:
        np.cumsum(lengths[:-1], out=first[1:])
    froms = np.asarray(froms, dtype=np.int64)
    stops = np.minimum(np.asarray(stops, dtype=np.int64), codes.size)
    order = np.argsort(stops, kind="stable")
    bounds = np.flatnonzero(np.diff(stops[order])) + 1
    group_first = np.concatenate([[0], bounds]).astype(np.int64)
    group_stop = np.append(bounds, order.size).astype(np.int64)
    if first_upper is None:
        first_upper = np.ones(0x10000, dtype=np.bool_)
    args = (codes, fold_table, flat, first, lengths, froms, stops, order, group_first, group_stop)
    args += (np.asarray(first_upper, dtype=np.bool_),)
    capacity = 4 * len(keys) + 1024  # hits are few; a second pass only when they are not
    query = np.empty(capacity, dtype=np.int64)
    start = np.empty(capacity, dtype=np.int64)
    total = _find_kernel(*args, query, start)
    if total > capacity:
        query = np.empty(total, dtype=np.int64)
        start = np.empty(total, dtype=np.int64)
        _find_kernel(*args, query, start)
    query, start = query[:total], start[:total]
    by_query = np.lexsort((start, query))
    return query[by_query], start[by_query]


@numba.njit(cache=True, nogil=True)
def _find_kernel(
    codes, fold_table, flat, first, lengths, froms, stops, order, group_first, group_stop,
    first_upper, query, start,
):  # fmt: skip
    """Write the hits while ``query`` has room; returns how many there are."""
    count = 0
    for g in range(group_first.size):
        first_member, stop_member = group_first[g], group_stop[g]
        stop = stops[order[first_member]]
        at = stop
        heads = np.uint64(0)  # which first characters (mod 64) the group's keys have
        for i in range(first_member, stop_member):
            q = order[i]
            at = min(at, froms[q])
            if lengths[q]:
                heads |= np.uint64(1) << np.uint64(flat[first[q]] & 63)
        while at < stop:
            # a hit is a space then an allowed first character: only those are compared
            if at + 1 >= stop or not first_upper[min(codes[at + 1], 0xFFFF)]:
                at += 1
                continue
            if fold_table[min(codes[at], 0x10000)] != 32:
                at += 1
                continue
            head = fold_table[min(codes[at + 1], 0x10000)]
            if not (heads >> np.uint64(head & 63)) & np.uint64(1):
                at += 1
                continue
            for i in range(first_member, stop_member):
                q = order[i]
                n = lengths[q]
                base = first[q]
                if n == 0 or head != flat[base] or at < froms[q] or at + n + 2 > stop:
                    continue
                if fold_table[min(codes[at + n + 1], 0x10000)] != 32:
                    continue
                same = True
                for k in range(1, n):
                    if fold_table[min(codes[at + 1 + k], 0x10000)] != flat[base + k]:
                        same = False
                        break
                if same:
                    if count < query.size:
                        query[count] = q
                        start[count] = at + 1
                    count += 1
            at += 1
    return count


def owner_gaps(codes, starts, ends, words) -> np.ndarray:
    r"""Whether ``text[a:b]`` matches ``['’]s?`` (optional), whitespace, one of ``words``
    and whitespace (optional), and nothing else.

    The gap between an owner and a title: "Syria's President", "UN new chief".
    Equals ``re.fullmatch(r"(?:['’]s?)?\s+(?:(?:word|...)\s+)?", gap)`` with
    ``\s`` as Unicode White_Space. ``a > b`` gives False.
    """
    lengths = np.array([len(w) for w in words], dtype=np.int64)
    words = np.array([ord(c) for w in words for c in w], dtype=np.int64)
    return _owner_kernel(codes, np.asarray(starts), np.asarray(ends), words, lengths)


def name_gaps(codes, starts, ends) -> np.ndarray:
    """Whether ``text[a:b]`` is an optional comma then whitespace only (``,?\\s+``)."""
    return _name_kernel(codes, np.asarray(starts), np.asarray(ends))


@numba.njit(cache=True, nogil=True)
def _is_space(code):
    """Unicode White_Space: what ``\\s`` matches in the regular expressions mirrored here."""
    return (
        (9 <= code <= 13)
        or code == 32
        or code == 0x85
        or code == 0xA0
        or code == 0x1680
        or (0x2000 <= code <= 0x200A)
        or code == 0x2028
        or code == 0x2029
        or code == 0x202F
        or code == 0x205F
        or code == 0x3000
    )


@numba.njit(cache=True, nogil=True)
def _spaces_from(codes, i, stop):
    """The end of the whitespace run starting at ``i`` (``i`` when there is none)."""
    while i < stop and _is_space(codes[i]):
        i += 1
    return i


@numba.njit(cache=True, nogil=True)
def _owner_kernel(codes, starts, ends, words, lengths):
    out = np.zeros(starts.size, dtype=np.bool_)
    for m in range(starts.size):
        i, stop = starts[m], ends[m]
        if i < stop and (codes[i] == 39 or codes[i] == 0x2019):
            i += 1
            if i < stop and codes[i] == 115:  # s
                i += 1
        j = _spaces_from(codes, i, stop)
        if j == i:
            continue
        if j == stop:
            out[m] = True
            continue
        base = 0
        for w in range(lengths.size):
            n = lengths[w]
            if j + n < stop:
                same = True
                for k in range(n):
                    if codes[j + k] != words[base + k]:
                        same = False
                        break
                if same:
                    after = _spaces_from(codes, j + n, stop)
                    if after > j + n and after == stop:
                        out[m] = True
                        break
            base += n
    return out


@numba.njit(cache=True, nogil=True)
def _name_kernel(codes, starts, ends):
    out = np.zeros(starts.size, dtype=np.bool_)
    for m in range(starts.size):
        i, stop = starts[m], ends[m]
        if i < stop and codes[i] == 44:  # ,
            i += 1
        out[m] = i < stop and _spaces_from(codes, i, stop) == stop
    return out


def utf8_buffers(texts: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a string column and each value's byte range (``offsets[i:i + 2]``).

    Null values read as "". Zero-copy views of the column's Arrow buffers where
    polars can hand them over as one chunk.
    """
    array = texts.cast(pl.String).fill_null("").to_arrow(compat_level=pl.CompatLevel.oldest())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    _, offsets_buffer, data_buffer = array.buffers()
    byte_offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
        array.offset : array.offset + len(array) + 1
    ]
    if data_buffer is None:
        return np.zeros(0, dtype=np.uint8), byte_offsets
    return np.frombuffer(data_buffer, dtype=np.uint8), byte_offsets


def join_codes(
    texts: pl.Series | tuple[np.ndarray, np.ndarray], *, rows=None, separator: int = 3
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The code points of ``" " + (" " * separator).join(texts[rows]) + " "``.

    ``texts``: a string column, or its :func:`utf8_buffers`; ``rows``: which values,
    in which order (default: all, in order). Returns ``(codes, offsets, lengths)``:
    the code points, and each text's start in them and length, in code points (what
    ``len`` and ``str.len_chars`` count). The code points are uint16 when every
    character is in the Basic Multilingual Plane (news text nearly always is: half
    the memory of uint32, and faster to write and read), else uint32. Decoded in
    compiled code from the UTF-8 buffer (polars strings are valid UTF-8), with no
    Python string built.

    Examples
    --------
    >>> import polars as pl
    >>> codes, offsets, lengths = join_codes(pl.Series(["Séoul", "", "ab"]), separator=1)
    >>> "".join(map(chr, codes)), codes.dtype.name, offsets.tolist(), lengths.tolist()
    (' Séoul  ab ', 'uint16', [1, 7, 8], [5, 0, 2])
    >>> codes, _, _ = join_codes(pl.Series(["a", "b", "c"]), rows=[2, 0], separator=1)
    >>> "".join(map(chr, codes))
    ' c a '
    >>> codes, offsets, _ = join_codes(pl.Series(["🇰🇷 Seoul"]))
    >>> codes.dtype.name, int(offsets[0]), "".join(map(chr, codes[4:9]))  # the flag: 2 characters
    ('uint32', 1, 'Seoul')
    """
    data, byte_offsets = utf8_buffers(texts) if isinstance(texts, pl.Series) else texts
    n_texts = byte_offsets.size - 1
    rows = np.arange(n_texts) if rows is None else np.asarray(rows, dtype=np.int64)
    if rows.size and (rows.min() < 0 or rows.max() >= n_texts):
        raise IndexError(f"rows must index the {n_texts} texts")
    # a text has at most as many characters as bytes: room for all, then the used part
    room = _text_bytes(byte_offsets, rows) + separator * max(rows.size - 1, 0) + 2
    codes = _empty(room, np.uint16)
    offsets = np.empty(rows.size, dtype=np.int64)
    lengths = np.empty(rows.size, dtype=np.int64)
    used = _decode(data, byte_offsets, rows, separator, codes, offsets, lengths)
    if used < 0:  # a character beyond the Basic Multilingual Plane: 32 bits each
        codes = _empty(room, np.uint32)
        used = _decode(data, byte_offsets, rows, separator, codes, offsets, lengths)
    return codes[:used], offsets, lengths


# Large arrays are allocated by numba, not numpy: numpy asks the kernel for huge
# pages for them, and on a machine whose memory is fragmented the kernel then
# compacts memory during the page faults, which made the 400 MB code-point array
# of 100 MB of text take from 0.1 to over 1 second. Plain pages cost the same
# every time.
@numba.njit(cache=True, nogil=True)
def _empty(size, dtype):
    return np.empty(size, dtype=dtype)


@numba.njit(cache=True, nogil=True)
def _text_bytes(byte_offsets, rows):
    total = 0
    for r in rows:
        total += byte_offsets[r + 1] - byte_offsets[r]
    return total


@numba.njit(cache=True, nogil=True)
def _decode(data, byte_offsets, rows, separator, codes, offsets, lengths):
    """Decode the texts one after the other, with spaces around and between them;
    fill ``offsets`` and ``lengths``; return how much of ``codes`` is used, or -1
    when ``codes`` holds 16 bits and a character needs more."""
    codes[0] = 32
    out = 1
    for t in range(rows.size):
        if t:
            for _ in range(separator):
                codes[out] = 32
                out += 1
        offsets[t] = out
        b = byte_offsets[rows[t]]
        stop = byte_offsets[rows[t] + 1]
        while b < stop:
            first = np.uint32(data[b])
            if first < 0x80:
                code = first
                b += 1
            elif first < 0xE0:
                code = ((first & 0x1F) << 6) | (data[b + 1] & 0x3F)
                b += 2
            elif first < 0xF0:
                code = ((first & 0x0F) << 12) | ((data[b + 1] & 0x3F) << 6) | (data[b + 2] & 0x3F)
                b += 3
            else:
                if codes.itemsize < 4:
                    return -1
                code = (
                    ((first & 0x07) << 18)
                    | ((data[b + 1] & 0x3F) << 12)
                    | ((data[b + 2] & 0x3F) << 6)
                    | (data[b + 3] & 0x3F)
                )
                b += 4
            codes[out] = code
            out += 1
        lengths[t] = out - offsets[t]
    codes[out] = 32
    return out + 1


def slice_strings(codes: np.ndarray, starts, ends) -> pl.Series:
    """``[text[a:b] for a, b in zip(starts, ends)]`` as a polars String Series, from code points.

    A range with ``b <= a`` gives ""; ranges are clipped to the text. Encoded to
    UTF-8 in compiled code, so no Python string is built per slice.

    Examples
    --------
    >>> import numpy as np
    >>> codes = np.frombuffer(" Séoul said ".encode("utf-32-le"), dtype=np.uint32)
    >>> slice_strings(codes, np.array([1, 6, 4]), np.array([6, 11, 2])).to_list()
    ['Séoul', ' said', '']
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    # one pass: room for 4 bytes a character, of which only the used part is touched
    data = _empty(4 * _total_length(codes, starts, ends), np.uint8)
    byte_offsets = np.empty(starts.size + 1, dtype=np.int64)
    used = _encode(codes, starts, ends, byte_offsets, data)
    array = pa.LargeStringArray.from_buffers(
        starts.size, pa.py_buffer(byte_offsets), pa.py_buffer(data[:used])
    )
    return pl.Series(array, dtype=pl.String)


@numba.njit(cache=True, nogil=True, inline="always")
def _clipped(codes, starts, ends, m):
    """Slice ``m``'s range, clipped to the text (an empty range where it is reversed)."""
    a = min(max(starts[m], 0), codes.size)
    return a, min(max(ends[m], a), codes.size)


@numba.njit(cache=True, nogil=True)
def _total_length(codes, starts, ends):
    total = 0
    for m in range(starts.size):
        a, b = _clipped(codes, starts, ends, m)
        total += b - a
    return total


@numba.njit(cache=True, nogil=True)
def _encode(codes, starts, ends, byte_offsets, data):
    """UTF-8 of each slice into ``data``, its start into ``byte_offsets``; the bytes used."""
    b = 0
    for m in range(starts.size):
        byte_offsets[m] = b
        lo, hi = _clipped(codes, starts, ends, m)
        for i in range(lo, hi):
            c = codes[i]
            if c < 0x80:
                data[b] = c
                b += 1
            elif c < 0x800:
                data[b] = 0xC0 | (c >> 6)
                data[b + 1] = 0x80 | (c & 0x3F)
                b += 2
            elif c < 0x10000:
                data[b] = 0xE0 | (c >> 12)
                data[b + 1] = 0x80 | ((c >> 6) & 0x3F)
                data[b + 2] = 0x80 | (c & 0x3F)
                b += 3
            else:
                data[b] = 0xF0 | (c >> 18)
                data[b + 1] = 0x80 | ((c >> 12) & 0x3F)
                data[b + 2] = 0x80 | ((c >> 6) & 0x3F)
                data[b + 3] = 0x80 | (c & 0x3F)
                b += 4
    byte_offsets[starts.size] = b
    return b


def case_options(
    codes, starts, key_ids, opt_first, opt_count, opt_by_key, req_ptr, req_n, req_flat, upper
):  # fmt: skip
    """The (match, option) pairs whose case rule holds, in match then option order.

    Key ``k`` has options ``opt_by_key[opt_first[k] : opt_first[k] + opt_count[k]]``;
    option ``o`` requires a capital (``upper[code]``, code points above 0xFFFF
    read as 0xFFFF) at each offset ``req_flat[req_ptr[o] : req_ptr[o] + req_n[o]]``
    from the match's start.
    """
    total = int(opt_count[key_ids].sum())
    match_idx, option_id = _empty(total, np.int64), _empty(total, np.int64)
    n = _case_kernel(
        codes, starts, key_ids, opt_first, opt_count, opt_by_key, req_ptr, req_n, req_flat,
        upper, match_idx, option_id,
    )  # fmt: skip
    return match_idx[:n], option_id[:n]


@numba.njit(cache=True, nogil=True)
def _case_kernel(
    codes, starts, key_ids, opt_first, opt_count, opt_by_key, req_ptr, req_n, req_flat,
    upper, match_idx, option_id,
):  # fmt: skip
    n = 0
    for m in range(starts.size):
        k = key_ids[m]
        for r in range(opt_first[k], opt_first[k] + opt_count[k]):
            o = opt_by_key[r]
            ok = True
            for q in range(req_ptr[o], req_ptr[o] + req_n[o]):
                if not upper[min(codes[starts[m] + req_flat[q]], 0xFFFF)]:
                    ok = False
                    break
            if ok:
                match_idx[n] = m
                option_id[n] = o
                n += 1
    return n


def capital_after(codes, starts, stops, is_space, initials) -> np.ndarray:
    """Whether ``text[a:b]`` is an optional comma, whitespace, then one of ``initials``.

    ``is_space[code]`` says what whitespace is (code points above 0xFFFF are not);
    ``initials``: the code points allowed after it. The prefix a name after a
    title must have, checked before any regular expression runs.

    Examples
    --------
    >>> import numpy as np
    >>> codes = np.frombuffer(" President, Lionel said ".encode("utf-32-le"), dtype=np.uint32)
    >>> space = np.array([chr(i).isspace() for i in range(0x10000)])
    >>> capital_after(codes, np.array([10, 18]), np.array([24, 24]), space, np.array([76, 83]))
    array([ True, False])
    """
    return _capital_kernel(
        codes, np.asarray(starts, dtype=np.int64), np.asarray(stops, dtype=np.int64),
        is_space, np.sort(np.asarray(initials, dtype=np.int64)),
    )  # fmt: skip


@numba.njit(cache=True, nogil=True)
def _capital_kernel(codes, starts, stops, is_space, initials):
    out = np.zeros(starts.size, dtype=np.bool_)
    for m in range(starts.size):
        i, stop = starts[m], min(stops[m], codes.size)
        if i < stop and codes[i] == 44:  # ,
            i += 1
        first = i
        while i < stop and codes[i] <= 0xFFFF and is_space[codes[i]]:
            i += 1
        if i == first or i >= stop:
            continue
        at = np.searchsorted(initials, codes[i])
        out[m] = at < initials.size and initials[at] == codes[i]
    return out


def best_options(match_idx, rank, actor) -> np.ndarray:
    """Per match (``match_idx`` sorted), the position of its first option of the lowest
    rank below 8, unless the options of that rank name different actors.

    Examples
    --------
    >>> import numpy as np
    >>> match = np.array([0, 0, 1, 1, 2, 2, 3])
    >>> rank = np.array([1, 0, 0, 0, 8, 2, 9])
    >>> actor = np.array([5, 6, 7, 8, 9, 9, 1])
    >>> best_options(match, rank, actor).tolist()  # match 1 is ambiguous, 3 has no option
    [1, 5]
    """
    return _best_kernel(
        np.asarray(match_idx, dtype=np.int64),
        np.asarray(rank, dtype=np.int64),
        np.asarray(actor, dtype=np.int64),
    )


@numba.njit(cache=True, nogil=True)
def _best_kernel(match_idx, rank, actor):
    chosen = np.empty(match_idx.size, dtype=np.int64)
    n = 0
    i = 0
    while i < match_idx.size:
        stop = i
        while stop < match_idx.size and match_idx[stop] == match_idx[i]:
            stop += 1
        best, first = 8, -1
        for k in range(i, stop):
            if rank[k] < best:
                best, first = rank[k], k
        if first >= 0:
            clash = False
            for k in range(first + 1, stop):
                if rank[k] == best and actor[k] != actor[first]:
                    clash = True
            if not clash:
                chosen[n] = first
                n += 1
        i = stop
    return chosen[:n]


def gather_options(chosen, match_idx, option_id, start, end, offsets, codes, trailing_dot):
    """For the chosen (match, option) rows: match, option, sentence row, start, end and
    the sentence's start, in one compiled pass.

    ``offsets``: each sentence's start (sorted); the end takes one more character
    when the option's form ends with a period (``trailing_dot``) and the text has one.
    """
    return _gather_kernel(
        np.asarray(chosen, dtype=np.int64), match_idx, option_id, start, end, offsets, codes,
        trailing_dot,
    )  # fmt: skip


@numba.njit(cache=True, nogil=True)
def _gather_kernel(chosen, match_idx, option_id, start, end, offsets, codes, trailing_dot):
    n = chosen.size
    matches, options = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    rows, gstart = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    gend, sent_start = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    row = 0
    for k in range(n):
        c = chosen[k]
        m = match_idx[c]
        o = option_id[c]
        # the sentence holding the start: chosen rows come in start order, so the row
        # only moves forward (a binary search when they do not)
        if row >= offsets.size or offsets[row] > start[m]:
            row = np.searchsorted(offsets, start[m], side="right") - 1
        while row + 1 < offsets.size and offsets[row + 1] <= start[m]:
            row += 1
        matches[k] = m
        options[k] = o
        rows[k] = row
        gstart[k] = start[m]
        gend[k] = end[m] + (1 if trailing_dot[o] and codes[end[m]] == 46 else 0)
        sent_start[k] = offsets[row]
    return matches, options, rows, gstart, gend, sent_start
