"""Compiled cue words around state mentions: what ``toolkit.mentions._regex_cues`` computes.

``_regex_cues`` finds the words before and after each state mention with regular
expressions on context strings (skipping the names and conjunctions of a list the
mention belongs to: ``_SKIP_BEFORE_REVERSED``, ``_SKIP_AFTER``) and looks the cleaned
words up in the cue sets. :func:`cue_flags` computes the same in one compiled loop over
the mentions, reading the code points of the joined text, with no string built.

The loop simulates the patterns' leftmost-first (backtracking order) semantics for
contexts written in ASCII and the common typographic characters ’ ‘ “ ” — – and the
no-break space. For these, every character is its own grapheme (but "\\r\\n", whose
order inside whitespace does not matter), ``\\s`` is ``[\\t\\n\\v\\f\\r ]`` and the
no-break space, ``\\w`` is ``[0-9A-Za-z_]``, ``\\p{L}`` is ``[A-Za-z]``, ``\\p{Lu}`` is
``[A-Z]``, ``\\p{N}`` is ``[0-9]`` and lowercasing maps A-Z only. A mention is decided
when every character the loop reads is of that alphabet; the others are left to the
regexes.
"""

from __future__ import annotations

from functools import lru_cache

import numba
import numpy as np

# character classes, as bits of a table indexed by code point
_WS = 1  # \s
_UPPER = 2  # \p{Lu}
_LETTER = 4  # \p{L}
_DIGIT = 8  # \p{N}
_WORD = 16  # \w, for \b
_SENT = 32  # [.!?]
_OK = 64  # of the alphabet decided here
_QUOTE = 128  # ['’"”], which may follow the [.!?] ending a sentence
_PUNCT = 256  # a character that cleaning strips (toolkit.mentions._PUNCT)

# codes above _TOP read as _TOP, a character outside the alphabet (class 0)
_TOP = 0x2020
_NON_ASCII = {
    0x00A0: _WS | _OK,  # no-break space
    0x2013: _OK,  # –
    0x2014: _OK,  # —
    0x2018: _OK,  # ‘
    0x2019: _OK | _QUOTE,  # ’
    0x201C: _OK,  # “
    0x201D: _OK | _QUOTE,  # ”
}
_RIGHT_SINGLE = 0x2019  # ’, an apostrophe for the possessive

_LOCATIVE, _RELATION, _VERB = 1, 2, 4  # the cue sets, as bits
_SPACE = 32
_FNV_OFFSET, _FNV_PRIME = 14695981039346656037, 1099511628211


def _base_classes() -> np.ndarray:
    classes = np.zeros(_TOP + 1, dtype=np.uint16)
    classes[:128] = _OK
    classes[[9, 10, 11, 12, 13, 32]] |= _WS
    classes[ord("A") : ord("Z") + 1] |= _UPPER | _LETTER | _WORD
    classes[ord("a") : ord("z") + 1] |= _LETTER | _WORD
    classes[ord("0") : ord("9") + 1] |= _DIGIT | _WORD
    classes[ord("_")] |= _WORD
    classes[[ord(c) for c in ".!?"]] |= _SENT
    classes[[ord(c) for c in "'\""]] |= _QUOTE
    for code, bits in _NON_ASCII.items():
        classes[code] = bits
    return classes


_BASE_CLASSES = _base_classes()


def _fnv(codes) -> int:
    """FNV-1a (64 bits) of a sequence of code points: what the kernel computes."""
    h = _FNV_OFFSET
    for c in codes:
        h = ((h ^ int(c)) * _FNV_PRIME) & 0xFFFF_FFFF_FFFF_FFFF
    return h


def _key(length: int, first: int, last: int) -> int:
    """The sieve's key of a string: its length (to 31), first and last code, ``& 31``.

    ``& 31`` maps a letter and its capital alike, so a string and its lowercase form
    share a key. The kernel computes the same inline.
    """
    return (min(length, 31) << 10) | ((first & 31) << 5) | (last & 31)


@lru_cache(maxsize=8)
def _tables(locative_set, relation_set, verb_set, punct):
    """The cue sets and strip characters in the form the kernel reads.

    Returns ``(classes, sieve, slots, hashes, bits, starts, flat, longest)``:
    ``classes`` the class bits of each code point (``_PUNCT`` set for ``punct``);
    the k-th cue string is ``flat[starts[k]:starts[k + 1]]``, its FNV hash
    ``hashes[k]``, its sets ``bits[k]``; ``slots`` an open-addressing hash table of
    the entries (-1: empty); ``sieve`` the :func:`_key` of every cue, a cheap first
    test; ``longest`` the longest cue's length.
    """
    if any(ch.isspace() for ch in punct):
        # the kernel cleans "n1 n2" as n1 stripped at its start and n2 at its end
        raise ValueError(f"cue punctuation must hold no whitespace: {punct!r}")
    classes = _BASE_CLASSES.copy()
    for ch in punct:
        if ord(ch) < _TOP:
            classes[ord(ch)] |= _PUNCT
    bits: dict[str, int] = {}
    for words, bit in ((locative_set, _LOCATIVE), (relation_set, _RELATION), (verb_set, _VERB)):
        for word in words:
            bits[word] = bits.get(word, 0) | bit
    words = sorted(bits)
    encoded = [[ord(ch) for ch in word] for word in words]
    hashes = np.array([_fnv(e) for e in encoded], dtype=np.uint64)
    starts = np.zeros(len(words) + 1, dtype=np.int64)
    starts[1:] = np.cumsum([len(e) for e in encoded])
    flat = np.array([c for e in encoded for c in e], dtype=np.uint32)
    sieve = np.zeros(1 << 15, dtype=np.bool_)
    for e in encoded:
        sieve[_key(len(e), e[0], e[-1]) if e else 0] = True
    slots = np.full(1 << max(4, (4 * len(words)).bit_length()), -1, dtype=np.int64)
    for k, h in enumerate(hashes.tolist()):
        at = h & (slots.size - 1)
        while slots[at] >= 0:
            at = (at + 1) & (slots.size - 1)
        slots[at] = k
    longest = max([len(e) for e in encoded], default=0)
    set_bits = np.array([bits[w] for w in words], dtype=np.int64)
    return classes, sieve, slots, hashes, set_bits, starts, flat, longest


@numba.njit(cache=True, nogil=True)
def _kernel(
    codes, gstart, gend, lo, hi, classes, sieve, slots, hashes, bits, starts, flat, longest
):
    # Everything is written out in this one function: a call with an array costs more
    # (reference counting) than most of the loops here, and inlining costs compile time.
    n = gstart.size
    locative = np.zeros(n, dtype=np.bool_)
    relation = np.zeros(n, dtype=np.bool_)
    acting = np.zeros(n, dtype=np.bool_)
    decided = np.zeros(n, dtype=np.bool_)
    buf = np.empty(max(longest, 1), dtype=np.uint32)
    mask = np.uint64(slots.size - 1)
    # the four strings looked up (c1, c2, n1, n2), five numbers each:
    # lower(codes[s1:e1] + (" " if joined else "") + codes[s2:e2])
    strings = np.zeros(20, dtype=np.int64)
    size = codes.size
    for i in range(n):
        g0, g1, a, b = gstart[i], gend[i], lo[i], hi[i]
        if not (0 <= a <= g0 <= g1 <= b <= size):
            continue

        # --- before: _SKIP_BEFORE_REVERSED, then ^\s+(?<w1>\S+)(?:\s+(?<w2>\S+))?, on
        # the reversed context codes[g0 - 1], codes[g0 - 2], ..., codes[a]. Positions
        # here are forward indices, read downwards; p < a is the end of the context.
        # ^(?:\s+(?:A1|A2|A3|A4))*: the star's exit always succeeds, so an iteration
        # takes the first alternative that matches and is never revisited.
        low = g0 - 1  # the lowest position read
        p = g0 - 1
        while p >= a and classes[min(codes[p], _TOP)] & _WS:
            q = p  # \s+ is greedy; a shorter run fails (no alternative starts with \s)
            while q >= a and classes[min(codes[q], _TOP)] & _WS:
                q -= 1
            low = min(low, q)
            if q < a:
                break
            s = q  # the token codes[s:q + 1]
            while s - 1 >= a and not classes[min(codes[s - 1], _TOP)] & _WS:
                s -= 1
            low = min(low, s - 1)
            c = codes[q]
            # A1: (?:dna|ro|eht)\b, "and", "or", "the" reversed
            word_end = -1
            if c == 100 and q - 2 >= s and codes[q - 1] == 110 and codes[q - 2] == 97:
                word_end = q - 3
            elif c == 114 and q - 1 >= s and codes[q - 1] == 111:
                word_end = q - 2
            elif c == 101 and q - 2 >= s and codes[q - 1] == 104 and codes[q - 2] == 116:
                word_end = q - 3
            if word_end >= 0 and (word_end < a or not classes[min(codes[word_end], _TOP)] & _WORD):
                p = word_end
                continue
            kind = classes[min(c, _TOP)]
            # A2: [^\s.!?][^\s]*\p{Lu}[^\s\p{L}\p{N}]*: the greedy [^\s]* backs off
            # from the (reversed) token's end, so the first capital in forward order
            if not kind & _SENT:
                j = s
                while j < q and not classes[min(codes[j], _TOP)] & _UPPER:
                    j += 1
                if j < q:
                    r = j - 1
                    while r >= s and not classes[min(codes[r], _TOP)] & (_LETTER | _DIGIT):
                        r -= 1
                    p = r  # not a whitespace when inside the token: the loop ends
                    continue
            # A3: \p{Lu}[^\s\p{L}\p{N}]*
            if kind & _UPPER:
                r = q - 1
                while r >= s and not classes[min(codes[r], _TOP)] & (_LETTER | _DIGIT):
                    r -= 1
                p = r
                continue
            # A4: [^\s\p{L}\p{N}.!?]+
            if not kind & (_LETTER | _DIGIT | _SENT):
                r = q - 1
                while r >= s and not classes[min(codes[r], _TOP)] & (_LETTER | _DIGIT | _SENT):
                    r -= 1
                p = r
                continue
            break  # no alternative: the star stops before this iteration's \s+
        # ^\s+(?<w1>\S+)(?:\s+(?<w2>\S+))? on what is left, from p down
        w1s = w1e = w2s = w2e = -1  # forward ranges [start, stop)
        if p >= a and classes[min(codes[p], _TOP)] & _WS:
            q = p
            while q >= a and classes[min(codes[q], _TOP)] & _WS:
                q -= 1
            low = min(low, q)
            if q >= a:
                s = q
                while s - 1 >= a and not classes[min(codes[s - 1], _TOP)] & _WS:
                    s -= 1
                w1s, w1e = s, q + 1
                q = s - 1
                low = min(low, q)
                if q >= a:  # a whitespace: then the token before it, if any, is w2
                    while q >= a and classes[min(codes[q], _TOP)] & _WS:
                        q -= 1
                    low = min(low, q)
                    if q >= a:
                        s = q
                        while s - 1 >= a and not classes[min(codes[s - 1], _TOP)] & _WS:
                            s -= 1
                        w2s, w2e = s, q + 1
                        low = min(low, s - 1)

        # --- after: _SKIP_AFTER, ^\s+(?:and|or)\b(?:\s+\p{Lu}\S*)*
        p = g1
        q = p
        while q < b and classes[min(codes[q], _TOP)] & _WS:
            q += 1
        high = q  # the highest position read (or more)
        if q > p:
            word_end = -1
            if q + 2 < b and codes[q] == 97 and codes[q + 1] == 110 and codes[q + 2] == 100:
                word_end = q + 3
            elif q + 1 < b and codes[q] == 111 and codes[q + 1] == 114:
                word_end = q + 2
            high = q + 3
            if word_end >= 0 and (word_end >= b or not classes[min(codes[word_end], _TOP)] & _WORD):
                p = word_end
                while True:  # (?:\s+\p{Lu}\S*)*
                    q = p
                    while q < b and classes[min(codes[q], _TOP)] & _WS:
                        q += 1
                    high = max(high, q)
                    if q == p or q >= b or not classes[min(codes[q], _TOP)] & _UPPER:
                        break
                    q += 1
                    while q < b and not classes[min(codes[q], _TOP)] & _WS:
                        q += 1
                    high = max(high, q)
                    p = q
        # ^(?:(?<pos>['’](?:s|\s|$))|\s+(?<n1>\S+)(?:\s+(?<n2>\S+))?) on what is left
        possessive = False
        n1s = n1e = n2s = n2e = -1
        if p < b:
            c = codes[p]
            high = max(high, p + 1)
            if (c == 39 or c == _RIGHT_SINGLE) and (
                p + 1 == b or codes[p + 1] == 115 or classes[min(codes[p + 1], _TOP)] & _WS
            ):
                possessive = True
            elif classes[min(c, _TOP)] & _WS:
                q = p
                while q < b and classes[min(codes[q], _TOP)] & _WS:
                    q += 1
                if q < b:
                    e = q
                    while e < b and not classes[min(codes[e], _TOP)] & _WS:
                        e += 1
                    n1s, n1e = q, e
                    q = e
                    while q < b and classes[min(codes[q], _TOP)] & _WS:
                        q += 1
                    if q > e and q < b:
                        e = q
                        while e < b and not classes[min(codes[e], _TOP)] & _WS:
                            e += 1
                        n2s, n2e = q, e
                        q = e
                high = max(high, q)

        # --- decided when every character read is of the alphabet; and the one before
        # those: a "prepend" character would join the whitespace after it in a grapheme
        union = np.uint32(0)  # an OR of the codes: below 128 when all are ASCII
        # (unsigned indices: no wraparound test, so the loops are vectorised)
        for k in range(np.uint64(max(a, low - 1)), np.uint64(g0)):
            union |= codes[k]
        for k in range(np.uint64(g1), np.uint64(min(b, high + 1))):
            union |= codes[k]
        if union >= 128:
            allowed = True
            for k in range(max(a, low - 1), g0):
                allowed &= (classes[min(codes[k], _TOP)] & _OK) != 0
            for k in range(g1, min(b, high + 1)):
                allowed &= (classes[min(codes[k], _TOP)] & _OK) != 0
            if not allowed:
                continue

        # stop: w1 matches [.!?]['’"”]?$
        stop = False
        if w1s >= 0:
            last = classes[min(codes[w1e - 1], _TOP)]
            stop = (last & _SENT) != 0 or (
                w1e - w1s >= 2
                and (last & _QUOTE) != 0
                and (classes[min(codes[w1e - 2], _TOP)] & _SENT) != 0
            )
        # c1 = clean(w1): str.strip_chars(_PUNCT), then lowercase (when looked up)
        c1s = c1e = 0
        if w1s >= 0:
            c1s, c1e = w1s, w1e
            while c1s < c1e and classes[min(codes[c1s], _TOP)] & _PUNCT:
                c1s += 1
            while c1e > c1s and classes[min(codes[c1e - 1], _TOP)] & _PUNCT:
                c1e -= 1
        # c2 = ("" if w2 matches [.!?]['’"”]?$ else clean(w2)) + " " + c1
        c2s = c2e = 0
        if w2s >= 0:
            last = classes[min(codes[w2e - 1], _TOP)]
            if not (
                (last & _SENT) != 0
                or (
                    w2e - w2s >= 2
                    and (last & _QUOTE) != 0
                    and (classes[min(codes[w2e - 2], _TOP)] & _SENT) != 0
                )
            ):
                c2s, c2e = w2s, w2e
                while c2s < c2e and classes[min(codes[c2s], _TOP)] & _PUNCT:
                    c2s += 1
                while c2e > c2s and classes[min(codes[c2e - 1], _TOP)] & _PUNCT:
                    c2e -= 1
        # n1 = clean(n1); n2 = clean(n1 + " " + n2): the strip characters hold no
        # whitespace, so that is n1 stripped at its start, " ", n2 stripped at its end
        n1l = n1r = n2r = 0
        if n1s >= 0:
            n1l, n1r = n1s, n1e
            while n1l < n1r and classes[min(codes[n1l], _TOP)] & _PUNCT:
                n1l += 1  # all of n1 stripped: n1l = n1e
            while n1r > n1l and classes[min(codes[n1r - 1], _TOP)] & _PUNCT:
                n1r -= 1
        if n2s >= 0:
            n2r = n2e
            while n2r > n2s and classes[min(codes[n2r - 1], _TOP)] & _PUNCT:
                n2r -= 1
        strings[0], strings[1], strings[2], strings[3], strings[4] = c1s, c1e, 0, 0, 0
        strings[5], strings[6], strings[7], strings[8], strings[9] = c2s, c2e, 1, c1s, c1e
        strings[10], strings[11], strings[12], strings[13], strings[14] = n1l, n1r, 0, 0, 0
        if n2s >= 0:
            strings[15], strings[16], strings[17], strings[18], strings[19] = n1l, n1e, 1, n2s, n2r
        else:  # n2 is null, cleaned to ""
            strings[15], strings[16], strings[17], strings[18], strings[19] = 0, 0, 0, 0, 0

        # --- the look-ups: the sieve, then the hash table, then the string itself
        before_bits = after_bits = 0
        for slot in range(4):
            at = 5 * slot
            s1, e1, joined, s2, e2 = (
                strings[at],
                strings[at + 1],
                strings[at + 2],
                strings[at + 3],
                strings[at + 4],
            )
            length = (e1 - s1) + joined + (e2 - s2)
            if length > longest:
                continue
            first = last = 0
            if length:
                first = codes[s1] if e1 > s1 else _SPACE if joined else codes[s2]
                last = codes[e2 - 1] if e2 > s2 else _SPACE if joined else codes[e1 - 1]
            if not sieve[(min(length, 31) << 10) | ((first & 31) << 5) | (last & 31)]:
                continue
            h = np.uint64(_FNV_OFFSET)
            m = 0
            for k in range(s1, e1):
                c = codes[k]
                c = c + 32 if 65 <= c <= 90 else c
                buf[m] = c
                m += 1
                h = (h ^ np.uint64(c)) * np.uint64(_FNV_PRIME)
            if joined:
                buf[m] = _SPACE
                m += 1
                h = (h ^ np.uint64(_SPACE)) * np.uint64(_FNV_PRIME)
            for k in range(s2, e2):
                c = codes[k]
                c = c + 32 if 65 <= c <= 90 else c
                buf[m] = c
                m += 1
                h = (h ^ np.uint64(c)) * np.uint64(_FNV_PRIME)
            at = np.int64(h & mask)
            while slots[at] >= 0:
                entry = slots[at]
                start = starts[entry]
                if hashes[entry] == h and starts[entry + 1] - start == m:
                    k = 0
                    while k < m and flat[start + k] == buf[k]:
                        k += 1
                    if k == m:
                        if slot < 2:
                            before_bits |= bits[entry]
                        else:
                            after_bits |= bits[entry]
                        break
                at = (at + 1) & (slots.size - 1)

        rel = not stop and (before_bits & _RELATION) != 0
        locative[i] = not stop and not rel and not possessive and (before_bits & _LOCATIVE) != 0
        relation[i] = rel
        acting[i] = possessive or rel or (after_bits & _VERB) != 0
        decided[i] = True
    return locative, relation, acting, decided


def cue_flags(codes, gstart, gend, lo, hi) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(locative, relation, acting, decided) for each mention; equals _regex_cues where decided.

    Parameters
    ----------
    codes : numpy.ndarray
        The code points (``np.uint16`` or ``np.uint32``) of the joined text.
    gstart, gend : numpy.ndarray
        The mentions' spans in ``codes`` (``int64``).
    lo, hi : numpy.ndarray
        Each mention's context window ``[lo, hi)``, as ``_as_place`` computes it.

    Returns
    -------
    tuple of numpy.ndarray
        Four boolean arrays. ``decided``: whether every character of the context that
        the patterns read (and the one before those) is ASCII, ’ ‘ “ ” — – or the
        no-break space, and ``0 <= lo <= gstart <= gend <= hi <= codes.size``. Where
        decided, ``locative``, ``relation`` and ``acting`` are the flags that
        ``toolkit.mentions._regex_cues`` returns; elsewhere they are False.

    Examples
    --------
    >>> import numpy as np
    >>> text = " Talks with Seoul and Tokyo said. "
    >>> codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    >>> start = np.array([text.index("Seoul")])
    >>> lo, hi = np.array([1]), np.array([len(text) - 1])
    >>> [bool(flags[0]) for flags in cue_flags(codes, start, start + 5, lo, hi)]
    [False, True, True, True]
    """
    from toolkit import mentions  # here: toolkit.mentions imports this module

    sets = (mentions._LOCATIVE_SET, mentions._RELATION_SET, mentions._VERB_SET)
    tables = _tables(*(frozenset(cues) for cues in sets), mentions._PUNCT)
    # 16- or 32-bit code points, as toolkit._scan.join_codes gives them (no copy)
    arrays = [_read_only(codes, codes.dtype if codes.dtype.itemsize in (2, 4) else np.uint32)]
    arrays += [_read_only(x, np.int64) for x in (gstart, gend, lo, hi)]
    return _kernel(*arrays, *tables)


def _read_only(array, dtype) -> np.ndarray:
    """A read-only contiguous view: one signature of the kernel, compiled (and cached) once.

    numba types writable and read-only arrays apart, and callers pass both (polars
    gives read-only arrays, numpy writable ones).
    """
    view = np.ascontiguousarray(array, dtype=dtype).view()
    view.flags.writeable = False
    return view
