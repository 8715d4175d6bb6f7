"""Relation and diplomacy events reported by the corpus: SENTENCES + MENTIONS -> EVENTS.

What counts as an event lives in a reviewable data file,
``toolkit/data/event_rules.toml``: each rule names an event kind, its trigger
phrases, its CAMEO code and how the sentence's mentions fill the roles ``a`` and
``b``. The cue lists that stop a statement from being coded (negation,
hypotheticals, future tense, infinitives, past-perfect background) are in the same
file. This module only interprets the file; it has no branch per event kind.

Decisions, in the order they are taken for every trigger match:

1. **Modality.** A negation, hypothetical or future cue between the start of the
   trigger's clause and the trigger ("refused to restore", "is expected to visit
   ... and meet", "called for a ceasefire") means the statement is not an event;
   a relative clause that does not hold the trigger (", which had no embassy,")
   is not part of that scope.
   A trigger right after "to" is an infinitive: a purpose or an intent
   ("signed an agreement ... to establish diplomatic relations" is coded as an
   agreement only). A past-perfect trigger ("relations had been severed") with no
   date of its own in the sentence is background and is not coded.
2. **Participants** come from the sentence's mentions. Adjacent mentions that
   form one phrase ("Syrian Foreign Minister Asaad Al-Shaibani", "his South Korean
   counterpart, Cho Tae-yul") are one participant; it stands for the state named
   in the phrase, else for the organisation it names ("UN spokesman ..."), else,
   for a person, for the state or organisation of a role held on the article's
   date (ROLES: "Guterres" is ``org:un``, not Portugal), else, for persons and
   places, for the ``country`` of its actor (from a ``country`` column on the
   mentions, else ACTORS). The phrase's most specific actor is kept in
   ``a_actor``/``b_actor``. News outlets never fill a role. Mentions in a trailing
   attribution (", UN spokesman Stéphane Dujarric said.") are ignored. Nobody is
   guessed: a missing party means no event, except that a rule may accept a
   missing ``b`` and a rule with ``anaphora`` may read "the two sides" as the
   parties of the nearest earlier sentence of the article that names any.
3. **Date.** Every date expression in the sentence is resolved against the
   article's date (``published``); the one nearest to the trigger is used, after
   setting aside dates inside a relative clause that does not hold the trigger
   (in "Syria, whose government collapsed in December 2024, restored ties ... on
   Monday" the trigger takes "on Monday"). Weekdays ("on Thursday", bare "Tuesday")
   are the most recent such day strictly before the article's date; "yesterday"
   and "today" are day precision; "last month"/"this month" month precision;
   "last year"/"this year" year precision; "last week" is month precision when
   the week lies in one month and year precision otherwise (there is no week
   precision). A date without a year takes the article's year, or the year before
   when that would put it after the article. A resolved date after the article's
   date is a future statement and is not coded. With no date in the sentence the
   article's date is used (``date_basis="article"``, precision ``day``); with no
   article date either the event is skipped with an :class:`EventWarning` naming
   the sentence.
4. **Restatements.** An article often reports one event several times (headline,
   summary, body). Within an article, events of the same kind and pair whose date
   came only from the article are merged into the best-dated report (a
   sentence-dated one, else the first body sentence); the merged sentence ids are
   kept in ``also_in``. Pass ``restatements="keep"`` to keep every report.

Every decision for every trigger match, coded or not, is listed by
:func:`event_candidates`, so analysts can audit what was left out and why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from toolkit._backend import like_input, to_polars
from toolkit._dates import MONTHS
from toolkit.contracts import EVENT_KINDS, RELATION_KINDS, SCHEMAS

__all__ = [
    "CANDIDATE_SCHEMA",
    "EventRule",
    "EventRules",
    "EventRulesError",
    "EventWarning",
    "event_candidates",
    "extract_events",
    "find_dates",
    "load_event_rules",
    "parse_event_rules",
]

#: Kinds a corpus sentence can report (``un_admission`` exists only as a reference event).
CORPUS_EVENT_KINDS = tuple(kind for kind in EVENT_KINDS if kind != "un_admission")
DEFAULT_RULES = "event_rules.toml"

_ROLE_MODES = ("pair", "directed")
_RULE_KEYS = {
    "id",
    "kind",
    "cameo",
    "cameo_note",
    "triggers",
    "roles",
    "states_only",
    "places",
    "require_b",
    "swap",
    "anaphora",
}
_CUE_KEYS = (
    "negation",
    "hypothetical",
    "future",
    "background",
    "infinitive",
    "clause_breaks",
    "attribution",
    "anaphora",
    "relative_clause",
)
_SETTING_KEYS = {"anaphora_lookback", "ignore_actor_prefixes", "map_to_country_prefixes"}
_STATE_ID = re.compile(r"^[A-Z]{3}$")
_MAX_GAP = 9


class EventRulesError(ValueError):
    """The event rules file is malformed; the message names the file and the rule."""


class EventWarning(UserWarning):
    """A trigger matched but the event could not be dated (no date anywhere)."""


# ----------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class EventRule:
    """One rule of the rules file, with its triggers compiled to regular expressions."""

    id: str
    kind: str
    cameo: str | None
    cameo_note: str
    triggers: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    anchors: frozenset[str]  # the words a trigger can start with (a cheap pre-check)
    roles: str = "pair"
    states_only: bool = False
    places: bool = False
    require_b: bool = True
    swap: bool = False
    anaphora: bool = False


@dataclass(frozen=True)
class EventRules:
    """A parsed rules file: the rules in file order, the cue lists and the settings."""

    rules: tuple[EventRule, ...]
    cues: Mapping[str, tuple[str, ...]]
    settings: Mapping[str, Any] = field(default_factory=dict)
    origin: str = DEFAULT_RULES

    @property
    def kinds(self) -> set[str]:
        """The event kinds that have at least one rule."""
        return {rule.kind for rule in self.rules}


def load_event_rules(path: str | Path | None = None) -> EventRules:
    """Read and check an event rules file (TOML); ``None`` reads the shipped one.

    Parameters
    ----------
    path
        A TOML file in the format documented at the top of the shipped
        ``toolkit/data/event_rules.toml``.

    Returns
    -------
    EventRules

    Raises
    ------
    EventRulesError
        Naming the file and the rule (by id, or by position when it has none) for
        unknown kinds or keys, empty or malformed triggers, unknown ``<lemma>``
        forms, duplicate ids and missing cue lists.

    Examples
    --------
    >>> rules = load_event_rules()
    >>> sorted(rules.kinds) == sorted(CORPUS_EVENT_KINDS)
    True
    >>> next(r for r in rules.rules if r.kind == "establish_relations").cameo
    '054'
    """
    if path is None:
        source = resources.files("toolkit").joinpath("data", DEFAULT_RULES)
        name = f"toolkit/data/{DEFAULT_RULES}"
        text = source.read_text(encoding="utf-8")
    else:
        name = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise EventRulesError(f"cannot read event rules file {name}: {error}") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise EventRulesError(f"{name} is not valid TOML: {error}") from error
    return parse_event_rules(data, origin=name)


def parse_event_rules(data: Mapping[str, Any], *, origin: str = "<rules>") -> EventRules:
    """Check an already-parsed rules mapping (the TOML document) and compile it.

    Examples
    --------
    >>> parse_event_rules({"rule": [{"id": "x", "kind": "visit"}]}, origin="mine.toml")
    Traceback (most recent call last):
    ...
    toolkit.events.EventRulesError: mine.toml: [cues] table is missing
    """
    if not isinstance(data, Mapping):
        raise EventRulesError(f"{origin}: expected a table at the top level")
    cues_in = data.get("cues")
    if not isinstance(cues_in, Mapping):
        raise EventRulesError(f"{origin}: [cues] table is missing")
    cues: dict[str, tuple[str, ...]] = {}
    for key in _CUE_KEYS:
        values = cues_in.get(key)
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise EventRulesError(f"{origin}: [cues] {key} must be a list of non-empty strings")
        cues[key] = tuple(_normalise_quotes(v.lower()) for v in values)
    unknown_cues = sorted(set(cues_in) - set(_CUE_KEYS))
    if unknown_cues:
        raise EventRulesError(f"{origin}: [cues] has unknown keys {unknown_cues}")

    settings_in = data.get("settings", {})
    unknown_settings = sorted(set(settings_in) - _SETTING_KEYS)
    if unknown_settings:
        raise EventRulesError(f"{origin}: [settings] has unknown keys {unknown_settings}")
    settings = {
        "anaphora_lookback": int(settings_in.get("anaphora_lookback", 3)),
        "ignore_actor_prefixes": tuple(settings_in.get("ignore_actor_prefixes", ("media:",))),
        "map_to_country_prefixes": tuple(
            settings_in.get("map_to_country_prefixes", ("person:", "place:"))
        ),
    }

    forms_in = data.get("forms", {})
    forms: dict[str, tuple[str, ...]] = {}
    for lemma, values in forms_in.items():
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) for v in values)
        ):
            raise EventRulesError(f"{origin}: [forms] {lemma} must be a non-empty list of words")
        forms[lemma] = tuple(values)

    rules_in = data.get("rule")
    if not isinstance(rules_in, list) or not rules_in:
        raise EventRulesError(f"{origin}: no [[rule]] entries")
    rules: list[EventRule] = []
    seen: set[str] = set()
    for index, entry in enumerate(rules_in):
        label = entry.get("id") if isinstance(entry, Mapping) else None
        where = f"{origin}: rule {label!r}" if label else f"{origin}: rule #{index + 1}"
        rule = _parse_rule(entry, forms, where)
        if rule.id in seen:
            raise EventRulesError(f"{where}: duplicate rule id")
        seen.add(rule.id)
        rules.append(rule)
    return EventRules(rules=tuple(rules), cues=cues, settings=settings, origin=origin)


def _parse_rule(entry: Any, forms: Mapping[str, tuple[str, ...]], where: str) -> EventRule:
    if not isinstance(entry, Mapping):
        raise EventRulesError(f"{where}: expected a table")
    unknown = sorted(set(entry) - _RULE_KEYS)
    if unknown:
        raise EventRulesError(f"{where}: unknown keys {unknown}")
    for key in ("id", "kind", "cameo", "triggers"):
        if key not in entry:
            raise EventRulesError(f"{where}: missing {key!r}")
    rule_id, kind, cameo = entry["id"], entry["kind"], entry["cameo"]
    if not isinstance(rule_id, str) or not rule_id:
        raise EventRulesError(f"{where}: 'id' must be a non-empty string")
    if kind not in CORPUS_EVENT_KINDS:
        raise EventRulesError(
            f"{where}: unknown kind {kind!r}; expected one of {CORPUS_EVENT_KINDS}"
        )
    if not isinstance(cameo, str) or (cameo and not re.fullmatch(r"\d{2,4}", cameo)):
        raise EventRulesError(f"{where}: cameo must be a code of 2-4 digits or '', got {cameo!r}")
    triggers = entry["triggers"]
    if not isinstance(triggers, list) or not triggers:
        raise EventRulesError(f"{where}: 'triggers' must be a non-empty list of phrases")
    roles = entry.get("roles", "pair")
    if roles not in _ROLE_MODES:
        raise EventRulesError(f"{where}: roles must be one of {_ROLE_MODES}, got {roles!r}")
    flags = {}
    for key, default in (
        ("states_only", False),
        ("places", False),
        ("require_b", True),
        ("swap", False),
        ("anaphora", False),
    ):
        value = entry.get(key, default)
        if not isinstance(value, bool):
            raise EventRulesError(f"{where}: {key!r} must be true or false, got {value!r}")
        flags[key] = value
    if kind in RELATION_KINDS and not flags["states_only"]:
        raise EventRulesError(f"{where}: relation kind {kind!r} needs states_only = true")
    patterns = tuple(_compile_trigger(t, forms, where) for t in triggers)
    anchors = frozenset(w for t in triggers for w in _first_words(t, forms))
    return EventRule(
        id=rule_id,
        kind=kind,
        cameo=cameo or None,
        cameo_note=str(entry.get("cameo_note", "")),
        triggers=tuple(triggers),
        patterns=patterns,
        anchors=anchors,
        roles=roles,
        **flags,
    )


def _first_words(trigger: str, forms: Mapping[str, tuple[str, ...]]) -> list[str]:
    words = []
    for alternative in trigger.split()[0].split("|"):
        lemma = re.fullmatch(r"<(\w+)>", alternative)
        words.extend(forms[lemma.group(1)] if lemma else [alternative])
    return [_normalise_quotes(w.lower()) for w in words]


def _compile_trigger(
    trigger: Any, forms: Mapping[str, tuple[str, ...]], where: str
) -> re.Pattern[str]:
    if not isinstance(trigger, str) or not trigger.strip():
        raise EventRulesError(f"{where}: trigger {trigger!r} must be a non-empty string")
    pieces: list[str] = []
    for position, token in enumerate(trigger.split()):
        gap = re.fullmatch(r"\.\.\.(\d)?", token)
        if gap:
            if position == 0:
                raise EventRulesError(f"{where}: trigger {trigger!r} cannot start with a gap")
            size = int(gap.group(1) or 3)
            if not 1 <= size <= _MAX_GAP:
                raise EventRulesError(f"{where}: gap {token!r} in {trigger!r} must be 1-9 words")
            pieces.append(rf"(?:\s+[^\s]+){{0,{size}}}?")
            continue
        optional = token.endswith("?")
        core = token[:-1] if optional else token
        if optional and position == 0:
            raise EventRulesError(
                f"{where}: trigger {trigger!r} cannot start with an optional word"
            )
        words: list[str] = []
        for alternative in core.split("|"):
            lemma = re.fullmatch(r"<(\w+)>", alternative)
            if lemma:
                if lemma.group(1) not in forms:
                    raise EventRulesError(
                        f"{where}: trigger {trigger!r} uses <{lemma.group(1)}>, "
                        "which has no entry in [forms]"
                    )
                words.extend(forms[lemma.group(1)])
            elif alternative and re.fullmatch(r"[\w'’\-.é]+", alternative):
                words.append(alternative)
            else:
                raise EventRulesError(f"{where}: bad word {alternative!r} in trigger {trigger!r}")
        # Longest first so that "re-established" wins over a shorter alternative.
        words = sorted({_normalise_quotes(w.lower()) for w in words}, key=lambda w: (-len(w), w))
        group = "(?:" + "|".join(re.escape(w) for w in words) + ")"
        separator = r"\s+" if position else ""
        pieces.append(f"(?:{separator}{group})?" if optional else f"{separator}{group}")
    return re.compile(r"(?<![\w\-])" + "".join(pieces) + r"(?![\w\-])", re.IGNORECASE)


# ----------------------------------------------------------------------------- dates

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_QUALIFIER = r"(?:(?:early|mid|late|the\s+end\s+of|the\s+start\s+of)[\s-]+)?"

# (name, pattern, precision); earlier patterns win where two overlap.
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE), precision)
    for name, pattern, precision in (
        ("iso", r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b", "day"),
        ("day_month_year", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", "day"),
        ("month_day_year", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", "day"),
        ("month_year", rf"\b{_QUALIFIER}{_MONTH},?\s+{_YEAR}\b", "month"),
        ("day_month", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?![\w])", "day"),
        ("month_day", rf"\b{_MONTH}\s+{_DAY}\b", "day"),
        ("month", rf"\b(?:in|since|during|until|by)\s+{_QUALIFIER}{_MONTH}(?![\w])", "month"),
        (
            "year",
            rf"\b(?:(?:in|since|during|until|by|from)\s+{_QUALIFIER}"
            rf"|(?:end|start|beginning|middle)\s+of\s+){_YEAR}\b",
            "year",
        ),
        ("weekday", r"\b(?P<weekday>" + "|".join(_WEEKDAYS) + r")(?![\w])", "day"),
        ("yesterday", r"\byesterday\b", "day"),
        ("today", r"\b(?:today|this\s+morning|this\s+afternoon|this\s+evening|tonight)\b", "day"),
        ("last_week", r"\blast\s+week\b", "month"),
        ("last_month", r"\blast\s+month\b", "month"),
        ("this_month", r"\b(?:earlier\s+|early\s+|late\s+)?this\s+month\b", "month"),
        ("last_year", r"\blast\s+year\b", "year"),
        ("this_year", r"\b(?:earlier\s+)?this\s+year\b", "year"),
    )
)
# Forms that cannot be resolved without the article's date.
_RELATIVE = {
    "day_month",
    "month_day",
    "month",
    "weekday",
    "yesterday",
    "today",
    "last_week",
    "last_month",
    "this_month",
    "last_year",
    "this_year",
}


@dataclass(frozen=True)
class _DateHit:
    start: int
    end: int
    text: str
    form: str
    date: dt.date | None  # None: relative form and no article date
    precision: str


def find_dates(text: str, published: dt.date | None) -> list[_DateHit]:
    """Every date expression in ``text``, resolved against the article date ``published``.

    Examples
    --------
    >>> hits = find_dates("They met on Thursday, not in May 2024.", dt.date(2025, 4, 14))
    >>> [(h.text, h.date.isoformat(), h.precision) for h in hits]
    [('Thursday', '2025-04-10', 'day'), ('May 2024', '2024-05-01', 'month')]
    """
    taken: list[tuple[int, int]] = []
    hits: list[_DateHit] = []
    for form, pattern, precision in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            resolved = _resolve(form, match, precision, published)
            taken.append((start, end))
            if resolved is _INVALID:  # "31 February 2025": no date, and no shorter reading
                continue
            date, precision_out = resolved if resolved is not None else (None, precision)
            hits.append(_DateHit(start, end, match.group(0), form, date, precision_out))
    return sorted(hits, key=lambda h: h.start)


_INVALID = object()


def _resolve(form: str, match: re.Match[str], precision: str, published: dt.date | None):
    groups = match.groupdict()
    if form in _RELATIVE and published is None:
        return None
    try:
        if form == "iso":
            return dt.date(int(groups["year"]), int(groups["month"]), int(groups["day"])), "day"
        if form in ("day_month_year", "month_day_year"):
            month = MONTHS[groups["month"].lower()]
            return dt.date(int(groups["year"]), month, int(groups["day"])), "day"
        if form == "month_year":
            return dt.date(int(groups["year"]), MONTHS[groups["month"].lower()], 1), "month"
        if form == "year":
            return dt.date(int(groups["year"]), 1, 1), "year"
        assert published is not None
        if form in ("day_month", "month_day"):
            month, day = MONTHS[groups["month"].lower()], int(groups["day"])
            date = dt.date(published.year, month, day)
            if date > published:
                date = dt.date(published.year - 1, month, day)
            return date, "day"
        if form == "month":
            month = MONTHS[groups["month"].lower()]
            year = published.year if month <= published.month else published.year - 1
            return dt.date(year, month, 1), "month"
    except ValueError:  # 31 February and the like: not a date
        return _INVALID
    if form == "weekday":
        target = _WEEKDAYS.index(groups["weekday"].lower())
        back = (published.weekday() - target) % 7 or 7
        return published - dt.timedelta(days=back), "day"
    if form == "yesterday":
        return published - dt.timedelta(days=1), "day"
    if form == "today":
        return published, "day"
    if form == "last_week":
        monday = published - dt.timedelta(days=published.weekday() + 7)
        sunday = monday + dt.timedelta(days=6)
        if monday.month == sunday.month:
            return monday.replace(day=1), "month"
        return monday.replace(month=1, day=1), "year"
    if form == "last_month":
        first = published.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=1), "month"
    if form == "this_month":
        return published.replace(day=1), "month"
    if form == "last_year":
        return dt.date(published.year - 1, 1, 1), "year"
    if form == "this_year":
        return dt.date(published.year, 1, 1), "year"
    raise AssertionError(form)  # pragma: no cover


# ---------------------------------------------------------------------- participants


@dataclass
class _Group:
    """Adjacent mentions that name one participant ("Syria's President Ahmad Al-Sharaa")."""

    start: int
    end: int
    members: list[dict[str, Any]]

    @property
    def is_place(self) -> bool:
        return all(m["as_place"] or m["actor_id"].startswith("place:") for m in self.members)

    @property
    def is_capital(self) -> bool:
        return all(m.get("how") == "capital" for m in self.members)


_GLUE_WORDS = {
    "his",
    "her",
    "their",
    "its",
    "the",
    "counterpart",
    "counterparts",
    "foreign",
    "defense",
    "defence",
    "prime",
    "deputy",
    "minister",
    "ministers",
    "president",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "envoy",
    "ambassador",
    "leader",
    "chief",
    "head",
    "secretary",
    "general",
    "secretary-general",
    "official",
    "officials",
    "delegation",
    "of",
    "king",
    "queen",
    "emir",
    "sultan",
    "crown",
    "prince",
    "chancellor",
    "premier",
    "vice",
    "supreme",
    "ministry",
    "army",
    "forces",
    "troops",
}


_DETERMINERS = {"his", "her", "their", "its", "the", "of"}


def _level(mention: Mapping[str, Any]) -> str:
    actor = mention["actor_id"]
    if mention["as_place"] or actor.startswith("place:"):
        return "place"
    if _STATE_ID.match(actor):
        return "state"
    return "person" if actor.startswith("person:") else "entity"


def _is_glue(text: str) -> bool:
    """True when ``text`` between two mentions joins them into one phrase."""
    rest = re.sub(r"^['’]s\b", "", text)
    words = re.findall(r"[^\s,]+", rest)
    if len(words) > 5 or (not words and "," in rest):
        return False
    parts = [set(w.lower().split("-")) for w in words]
    # Capitalised words are allowed (titles: "Interior Minister"), but at least one
    # word must be a title or role word, so that a headline verb ("Russia Welcomes
    # Al-Sharaa") does not join two parties into one.
    roles = _GLUE_WORDS - _DETERMINERS
    capitalised_or_glue = all(
        w[0].isupper() or p <= _GLUE_WORDS for w, p in zip(words, parts, strict=True)
    )
    return capitalised_or_glue and (not words or any(p & roles for p in parts))


def _groups(text: str, mentions: list[dict[str, Any]]) -> list[_Group]:
    groups: list[_Group] = []
    for mention in sorted(mentions, key=lambda m: (m["start"], -m["end"], m["actor_id"])):
        if groups:
            last = groups[-1]
            overlaps = mention["start"] < last.end
            levels = {_level(m) for m in last.members}
            # A state (or organisation) phrase followed by the person it introduces.
            joins = (
                not overlaps
                and _level(mention) == "person"
                and "person" not in levels
                and "place" not in levels
                and _is_glue(text[last.end : mention["start"]])
            )
            if overlaps or joins:
                last.members.append(mention)
                last.end = max(last.end, mention["end"])
                continue
        groups.append(_Group(mention["start"], mention["end"], [mention]))
    return groups


class _Resolver:
    """Turns a participant group into the id that fills a role (a state where possible).

    A phrase stands for the state it names ("Syrian Foreign Minister ..."), else for
    the organisation it names ("UN spokesman ..."), else, for a person, for the state
    or organisation of a role the person held on the article's date (ROLES ``of``),
    else, for persons and places, for the actor's ``country``.
    """

    def __init__(
        self, rules: EventRules, countries: dict[str, str], actors: Any, roles: Any
    ) -> None:
        self.prefixes = rules.settings["map_to_country_prefixes"]
        self.countries = countries
        self._actors = actors
        self._roles_in = roles
        self._roles: dict[str, list[tuple[dt.date | None, dt.date | None, str]]] | None = None
        self._loaded = False

    def country(self, actor_id: str) -> str | None:
        if actor_id in self.countries:
            return self.countries[actor_id]
        if not self._loaded:
            self._loaded = True
            actors = self._actors
            if actors is None:
                import toolkit

                actors = toolkit.load_actors()
            table = to_polars(actors)
            if "country" in table.columns:
                for actor, country in table.select("actor_id", "country").iter_rows():
                    if country is not None:
                        self.countries.setdefault(actor, country)
        return self.countries.get(actor_id)

    def office(self, actor_id: str, on: dt.date | None) -> str | None:
        """The state or organisation a person held a role of on date ``on``."""
        if on is None:
            return None
        if self._roles is None:
            roles = self._roles_in
            if roles is None:
                import toolkit

                roles = toolkit.load_roles()
            self._roles = {}
            table = to_polars(roles)
            if {"actor_id", "of", "start", "end"} <= set(table.columns):
                rows = table.select("actor_id", "start", "end", "of").drop_nulls("of")
                for actor, start, end, of in rows.sort("actor_id", "start", "of").iter_rows():
                    self._roles.setdefault(actor, []).append((start, end, of))
        held = [
            (start, of)
            for start, end, of in self._roles.get(actor_id, [])
            if (start is None or start <= on) and (end is None or on < end)
        ]
        if not held:
            return None
        # The most recently taken role; states before organisations on a tie.
        held.sort(key=lambda r: (r[0] or dt.date.min, bool(_STATE_ID.match(r[1])), r[1]))
        return held[-1][1]

    def resolve(
        self, group: _Group, *, states_only: bool, on: dt.date | None = None
    ) -> tuple[str | None, str]:
        members = group.members
        head = next(
            (m for m in members if _level(m) == "person"),
            next((m for m in members if _level(m) == "entity"), members[0]),
        )
        head_id = head["actor_id"]
        state = next((m["actor_id"] for m in members if _STATE_ID.match(m["actor_id"])), None)
        if state is not None:
            return state, head_id
        organisation = next(
            (m["actor_id"] for m in members if _level(m) == "entity"),
            None,
        )
        if organisation is not None:
            return (None if states_only else organisation), head_id
        if head_id.startswith("person:"):
            office = self.office(head_id, on)
            if office is not None:
                if _STATE_ID.match(office):
                    return office, head_id
                return (None if states_only else office), head_id
        if head_id.startswith(self.prefixes):
            country = self.country(head_id)
            if country is not None and _STATE_ID.match(country):
                return country, head_id
        return (None if states_only else head_id), head_id


# ------------------------------------------------------------------------ extraction

#: Columns of :func:`event_candidates` (one row per trigger match).
CANDIDATE_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String,
    "sentence_id": pl.String,
    "rule": pl.String,
    "kind": pl.String,
    "trigger": pl.String,
    "trigger_start": pl.Int64,
    "trigger_end": pl.Int64,
    "decision": pl.String,
    "a": pl.String,
    "b": pl.String,
    "a_actor": pl.String,
    "b_actor": pl.String,
    "participants_from": pl.String,
    "date": pl.Date,
    "precision": pl.String,
    "date_basis": pl.String,
    "date_text": pl.String,
    "cameo": pl.String,
    "section": pl.String,
    "position": pl.Int64,
    "evidence": pl.String,
}

_EVENT_EXTRA: dict[str, pl.DataType] = {
    "rule": pl.String,
    "date_basis": pl.String,
    "date_text": pl.String,
    "trigger": pl.String,
    "a_actor": pl.String,
    "b_actor": pl.String,
    "participants_from": pl.String,
    "also_in": pl.List(pl.String),
}


def _normalise_quotes(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str] | None:
    if not cues:
        return None
    parts = []
    for cue in sorted(set(cues), key=lambda c: (-len(c), c)):
        lead = "" if not cue[0].isalnum() or "'" in cue else r"(?<![\w'])"
        parts.append(lead + re.escape(cue) + r"(?![\w])")
    return re.compile("|".join(parts), re.IGNORECASE)


@dataclass
class _Compiled:
    rules: EventRules
    cues: dict[str, re.Pattern[str] | None]
    breaks: re.Pattern[str] | None
    attribution: re.Pattern[str] | None
    anaphora: re.Pattern[str] | None
    relative: re.Pattern[str] | None
    anchors: list[str]


def _compile(rules: EventRules) -> _Compiled:
    cues = {key: _cue_pattern(rules.cues[key]) for key in ("negation", "hypothetical", "future")}
    cues["background"] = _cue_pattern(rules.cues["background"])
    breaks = (
        re.compile("|".join(re.escape(b) for b in rules.cues["clause_breaks"]), re.IGNORECASE)
        if rules.cues["clause_breaks"]
        else None
    )
    verbs = "|".join(re.escape(v) for v in rules.cues["attribution"])
    attribution = (
        re.compile(rf",\s*(?:[^,]{{0,80}}?\b(?:{verbs})\b[^,]{{0,40}}|according\s+to\s+[^,]+)$")
        if verbs
        else None
    )
    anaphora = _cue_pattern(rules.cues["anaphora"])
    words = "|".join(re.escape(w) for w in rules.cues["relative_clause"])
    relative = re.compile(rf",\s*(?:{words})\b[^,]*", re.IGNORECASE) if words else None
    anchors = sorted(set().union(*(rule.anchors for rule in rules.rules)))
    return _Compiled(rules, cues, breaks, attribution, anaphora, relative, anchors)


def _clause(compiled: _Compiled, text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``: from the last break before to the next after."""
    lo, hi = 0, len(text)
    if compiled.breaks is not None:
        for match in compiled.breaks.finditer(text):
            if match.end() <= start:
                lo = max(lo, match.end())
            elif match.start() >= end:
                hi = min(hi, match.start())
                break
    return lo, hi


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


@dataclass
class _Sentence:
    sentence_id: str
    article_id: str
    section: str
    position: int
    text: str
    published: dt.date | None
    mentions: list[dict[str, Any]]
    hit: bool = True


def _prepare(
    sentences, mentions, anchors: list[str], lookback: int
) -> tuple[list[_Sentence], dict[str, str]]:
    """Sentences that may hold a trigger, plus up to ``lookback`` before each (for anaphora).

    The pre-check is a vectorised substring search for the words triggers start with;
    it may let through sentences without a trigger, never the reverse.
    """
    sentences_pl = to_polars(sentences)
    mentions_pl = to_polars(mentions)
    for table, name, needed in (
        (sentences_pl, "sentences", ("sentence_id", "article_id", "text")),
        (mentions_pl, "mentions", ("sentence_id", "actor_id", "start", "end")),
    ):
        missing = [c for c in needed if c not in table.columns]
        if missing:
            raise ValueError(f"{name} is missing columns: {', '.join(missing)}")
    published = _published(sentences_pl, mentions_pl)
    if "position" not in sentences_pl.columns:
        sentences_pl = sentences_pl.with_columns(
            pl.int_range(pl.len()).over("article_id").cast(pl.Int64).alias("position")
        )
    if "section" not in sentences_pl.columns:
        sentences_pl = sentences_pl.with_columns(pl.lit("body").alias("section"))
    text = pl.col("text").fill_null("").str.replace_all("’", "'").str.to_lowercase()
    hit = text.str.contains_any(anchors) if anchors else pl.lit(False)
    sentences_pl = sentences_pl.sort("article_id", "position", "sentence_id").with_columns(
        hit.alias("_hit")
    )
    keep = pl.col("_hit")
    for step in range(1, lookback + 1):
        keep = keep | pl.col("_hit").shift(-step).over("article_id").fill_null(False)
    sentences_pl = sentences_pl.filter(keep)
    mentions_pl = mentions_pl.filter(
        pl.col("sentence_id").is_in(sentences_pl.get_column("sentence_id").implode())
    )
    if "as_place" not in mentions_pl.columns:
        mentions_pl = mentions_pl.with_columns(pl.lit(False).alias("as_place"))
    countries: dict[str, str] = {}
    if "country" in mentions_pl.columns:
        for actor, country in (
            mentions_pl.select("actor_id", "country").drop_nulls().unique().sort("actor_id")
        ).iter_rows():
            countries.setdefault(actor, country)
    by_sentence: dict[str, list[dict[str, Any]]] = {}
    if "how" not in mentions_pl.columns:
        mentions_pl = mentions_pl.with_columns(pl.lit(None, pl.String).alias("how"))
    for row in mentions_pl.select(
        "sentence_id", "actor_id", "start", "end", pl.col("as_place").fill_null(False), "how"
    ).iter_rows(named=True):
        by_sentence.setdefault(row["sentence_id"], []).append(row)
    out: list[_Sentence] = []
    for row in sentences_pl.select(
        "sentence_id", "article_id", "section", "position", "text", "_hit"
    ).iter_rows(named=True):
        text = row["text"] or ""
        found = by_sentence.get(row["sentence_id"], [])
        for mention in found:
            if not (0 <= mention["start"] < mention["end"] <= len(text)):
                raise ValueError(
                    f"mention of {mention['actor_id']!r} in sentence {row['sentence_id']!r} has "
                    f"offsets {mention['start']}:{mention['end']} outside the sentence text "
                    f"(length {len(text)}); MENTIONS offsets index the sentence text"
                )
        out.append(
            _Sentence(
                row["sentence_id"],
                row["article_id"],
                row["section"] or "body",
                int(row["position"]),
                text,
                published.get(row["sentence_id"]),
                found,
                row["_hit"],
            )
        )
    out.sort(key=lambda s: (s.article_id, s.position, s.sentence_id))
    return out, countries


def _as_date(column: pl.Series) -> pl.Series:
    if column.dtype == pl.Date:
        return column
    if isinstance(column.dtype, pl.Datetime):
        return column.dt.date()
    if column.dtype in (pl.String, pl.Null):
        return column.cast(pl.String).str.to_date(strict=False)
    raise TypeError(f"column 'published' must hold dates, got {column.dtype}")


def _published(sentences: pl.DataFrame, mentions: pl.DataFrame) -> dict[str, dt.date | None]:
    if "published" in sentences.columns:
        return dict(
            zip(
                sentences.get_column("sentence_id").to_list(),
                _as_date(sentences.get_column("published")).to_list(),
                strict=True,
            )
        )
    if "published" in mentions.columns:
        table = mentions.select("sentence_id", _as_date(mentions.get_column("published")))
        return dict(table.drop_nulls().unique("sentence_id", keep="first").iter_rows())
    raise ValueError(
        "sentences has no 'published' column (the article's date, carried on SENTENCES by "
        "split_sentences) and mentions has none either; event dates cannot be resolved"
    )


def _participants(
    compiled: _Compiled,
    sentence: _Sentence,
    rule: EventRule,
    trigger: tuple[int, int],
    resolver: _Resolver,
    foreign: list[tuple[int, int]],
) -> list[tuple[str | None, str | None, str | None, str | None]]:
    """Fill a and b for ``rule`` from the sentence's mentions: (a, b, a_actor, b_actor) rows."""
    text = sentence.text
    lo, hi = _clause(compiled, text, *trigger)
    if compiled.attribution is not None:
        tail = compiled.attribution.search(text.rstrip(" .\"'”’"))
        if tail and tail.start() >= trigger[1]:
            hi = min(hi, tail.start())
    ignore = compiled.rules.settings["ignore_actor_prefixes"]
    usable = [m for m in sentence.mentions if not m["actor_id"].startswith(ignore)]
    groups = [
        g
        for g in _groups(text, usable)
        if g.start >= lo
        and g.end <= hi
        and not any(x <= g.start and g.end <= y for x, y in foreign)
    ]
    start, end = trigger

    def value(group: _Group) -> tuple[str | None, str]:
        return resolver.resolve(group, states_only=rule.states_only, on=sentence.published)

    def place(group: _Group) -> bool:
        # Between states, a capital stands for its state even where the mention
        # extractor read it as a location ("Seoul and Havana established relations").
        return group.is_place and not (rule.states_only and group.is_capital)

    before = [g for g in sorted(groups, key=lambda g: -g.end) if g.start < start and not place(g)]
    threshold = start if rule.roles == "pair" else end
    after = [
        g
        for g in sorted(groups, key=lambda g: g.start)
        if g.start >= threshold and (rule.places or not place(g))
    ]
    # Coordinated parties ("Japan and South Korea restored ties with China") each
    # take part: one event per pair.
    before_run = _distinct(value(g) for g in _coordinated(text, before, backwards=True))
    after_run = _distinct(value(g) for g in _coordinated(text, after, backwards=False))
    before_ids = _distinct(value(g) for g in before)
    after_ids = _distinct(value(g) for g in after)
    pairs: list[tuple[tuple[str, str] | None, tuple[str, str] | None]] = []
    if rule.roles == "directed" or (before_ids and after_ids):
        subjects = before_run or [None]
        objects = after_run or [None]
        pairs = [
            (x, y) for x in subjects for y in objects if x is None or y is None or x[0] != y[0]
        ]
        if not pairs:  # every object is the subject itself
            pairs = [(x, None) for x in subjects]
    elif len(before_run) >= 2:
        ordered = list(reversed(before_run))  # reading order
        pairs = [(x, y) for i, x in enumerate(ordered) for y in ordered[i + 1 :]]
    elif len(after_run) >= 2 and not before_ids:
        pairs = [(x, y) for i, x in enumerate(after_run) for y in after_run[i + 1 :]]
    elif before_ids:
        pairs = [(before_ids[0], None)]
    elif after_ids:
        pairs = [(after_ids[0], None)]
    return [
        (a[0] if a else None, b[0] if b else None, a[1] if a else None, b[1] if b else None)
        for a, b in pairs
    ] or [(None, None, None, None)]


_COORDINATION = re.compile(r"^\s*(?:,|and|,\s*and|&)\s*$", re.IGNORECASE)


def _coordinated(text: str, groups: list[_Group], *, backwards: bool) -> list[_Group]:
    """The nearest group and those joined to it by "and" or commas ("X, Y and Z")."""
    if not groups:
        return []
    run = [groups[0]]
    for group in groups[1:]:
        last = run[-1]
        between = text[group.end : last.start] if backwards else text[last.end : group.start]
        if not _COORDINATION.match(between):
            break
        run.append(group)
    return run


def _distinct(pairs) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    for resolved, actor in pairs:
        if resolved is not None and resolved not in seen:
            seen.add(resolved)
            out.append((resolved, actor))
    return out


def _anaphora(
    compiled: _Compiled,
    earlier: list[_Sentence],
    rule: EventRule,
    resolver: _Resolver,
) -> tuple[list[tuple[str, str]], str | None]:
    """Parties of the nearest earlier sentence that names any (for "the two sides")."""
    ignore = compiled.rules.settings["ignore_actor_prefixes"]
    for sentence in reversed(earlier):
        usable = [m for m in sentence.mentions if not m["actor_id"].startswith(ignore)]
        groups = [g for g in _groups(sentence.text, usable) if not g.is_place]
        found = _distinct(
            resolver.resolve(g, states_only=rule.states_only, on=sentence.published) for g in groups
        )
        if found:
            return found, sentence.sentence_id
    return [], None


def event_candidates(sentences, mentions, *, rules=None, actors=None, roles=None):
    """Every trigger match in ``sentences`` with the decision taken on it.

    The audit trail behind :func:`extract_events`: one row per (sentence, rule,
    trigger match) with ``decision`` = ``coded`` or the reason it was not coded
    (``negated``, ``hypothetical``, ``future``, ``infinitive``, ``background``,
    ``no_participants``, ``future_date``, ``no_date``, ``duplicate``).

    Parameters
    ----------
    sentences, mentions, rules, actors, roles
        As for :func:`extract_events`.

    Returns
    -------
    DataFrame
        Columns :data:`CANDIDATE_SCHEMA`, in the library of ``sentences``.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> sentences = pl.DataFrame({
    ...     "sentence_id": ["x-s00000"], "article_id": ["x"],
    ...     "text": ["Seoul refused to restore ties with Damascus."],
    ...     "published": [dt.date(2025, 4, 14)]})
    >>> mentions = pl.DataFrame({
    ...     "sentence_id": ["x-s00000"] * 2, "actor_id": ["KOR", "SYR"],
    ...     "start": [0, 35], "end": [5, 43]})
    >>> event_candidates(sentences, mentions)["decision"].to_list()
    ['negated']
    """
    table = _candidates(sentences, mentions, rules=rules, actors=actors, roles=roles)
    return like_input(table, sentences)


_SHIPPED: list[_Compiled] = []


def _candidates(sentences, mentions, *, rules, actors, roles) -> pl.DataFrame:
    if rules is None:
        if not _SHIPPED:  # the shipped file is read and compiled once per process
            _SHIPPED.append(_compile(load_event_rules()))
        compiled = _SHIPPED[0]
        rules = compiled.rules
    else:
        if isinstance(rules, str | Path):
            rules = load_event_rules(rules)
        elif isinstance(rules, Mapping):
            rules = parse_event_rules(rules)
        elif not isinstance(rules, EventRules):
            raise TypeError(f"rules must be a path, a mapping or EventRules, got {type(rules)!r}")
        compiled = _compile(rules)
    lookback = rules.settings["anaphora_lookback"]
    prepared, countries = _prepare(sentences, mentions, compiled.anchors, lookback)
    resolver = _Resolver(rules, countries, actors, roles)
    by_article: dict[str, list[_Sentence]] = {}
    for sentence in prepared:
        by_article.setdefault(sentence.article_id, []).append(sentence)
    rows: list[dict[str, Any]] = []
    undated: list[str] = []
    for article_sentences in by_article.values():
        for index, sentence in enumerate(article_sentences):
            if not sentence.hit:
                continue
            plain = _normalise_quotes(sentence.text)
            # Only the sentences just before this one (kept for anaphora) can be "earlier".
            earlier = [
                s
                for s in article_sentences[max(0, index - lookback) : index]
                if sentence.position - s.position <= lookback
            ]
            rows.extend(_sentence_candidates(compiled, sentence, plain, earlier, resolver, undated))
    if undated:
        undated = list(dict.fromkeys(undated))
        shown = ", ".join(undated[:10]) + (" ..." if len(undated) > 10 else "")
        warnings.warn(
            f"events in {len(undated)} sentence(s) skipped because neither the sentence nor "
            f"the article has a date: {shown}",
            EventWarning,
            stacklevel=3,
        )
    return pl.DataFrame(rows, schema=CANDIDATE_SCHEMA, orient="row")


def _sentence_candidates(
    compiled: _Compiled,
    sentence: _Sentence,
    plain: str,
    earlier: list[_Sentence],
    resolver: _Resolver,
    undated: list[str],
) -> list[dict[str, Any]]:
    words = set(re.findall(r"[\w'\-]+", plain.lower()))
    matches = [
        (rule, match)
        for rule in compiled.rules.rules
        if not rule.anchors.isdisjoint(words)
        for match in _rule_matches(rule, plain)
    ]
    if not matches:
        return []
    rows: list[dict[str, Any]] = []
    dates = find_dates(plain, sentence.published)
    # Dates and actor names are blanked for cue matching: "in May" and "Theresa May"
    # are not the modal "may".
    spans = [(d.start, d.end) for d in dates] + [(m["start"], m["end"]) for m in sentence.mentions]
    masked = _blank(plain, spans).lower()
    coded: set[tuple[str, str | None, str | None]] = set()
    for rule, match in matches:
        for row in _decide(compiled, sentence, rule, match, masked, dates, earlier, resolver):
            key = (row["kind"], row["a"], row["b"])
            if row["decision"] == "coded":
                if key in coded:
                    row["decision"] = "duplicate"
                coded.add(key)
            if row["decision"] == "no_date":
                undated.append(sentence.sentence_id)
            rows.append(row)
    return rows


def _rule_matches(rule: EventRule, text: str) -> list[re.Match[str]]:
    """Matches of any of the rule's triggers; where two overlap the longer one wins."""
    found = sorted(
        (m for pattern in rule.patterns for m in pattern.finditer(text)),
        key=lambda m: (-(m.end() - m.start()), m.start()),
    )
    kept: list[re.Match[str]] = []
    for match in found:
        if all(match.end() <= k.start() or k.end() <= match.start() for k in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start())


def _decide(
    compiled: _Compiled,
    sentence: _Sentence,
    rule: EventRule,
    match: re.Match[str],
    masked: str,
    dates: list[_DateHit],
    earlier: list[_Sentence],
    resolver: _Resolver,
) -> list[dict[str, Any]]:
    """The candidate rows for one trigger match (one per pair of parties)."""
    start, end = match.span()
    row: dict[str, Any] = {
        "article_id": sentence.article_id,
        "sentence_id": sentence.sentence_id,
        "rule": rule.id,
        "kind": rule.kind,
        "trigger": sentence.text[start:end],
        "trigger_start": start,
        "trigger_end": end,
        "decision": "coded",
        "a": None,
        "b": None,
        "a_actor": None,
        "b_actor": None,
        "participants_from": None,
        "date": None,
        "precision": None,
        "date_basis": None,
        "date_text": None,
        "cameo": rule.cameo,
        "section": sentence.section,
        "position": sentence.position,
        "evidence": sentence.text,
    }
    lo, _ = _clause(compiled, masked, start, end)
    # A relative clause that does not hold the trigger ("Syria, which had no embassy in
    # Seoul, established ...") does not modify it.
    scope = _blank(masked, _foreign_relatives(compiled, masked, start, end))[lo:start]
    for reason in ("negation", "future", "hypothetical"):
        cue = compiled.cues[reason]
        if cue is not None and cue.search(scope):
            return [{**row, "decision": "negated" if reason == "negation" else reason}]
    previous = re.findall(r"[\w']+", masked[:start])
    if previous and previous[-1] in compiled.rules.cues["infinitive"]:
        return [{**row, "decision": "infinitive"}]
    background = compiled.cues["background"]
    near = " ".join(previous[-2:]) + " " + masked[start:end]
    if not dates and background is not None and background.search(near):
        return [{**row, "decision": "background"}]

    foreign = _foreign_relatives(compiled, masked, start, end)
    parties = _participants(compiled, sentence, rule, (start, end), resolver, foreign)
    source = "sentence"
    clause_lo, clause_hi = _clause(compiled, masked, start, end)
    refers_back = compiled.anaphora is not None and compiled.anaphora.search(
        masked[clause_lo:clause_hi]
    )
    if rule.anaphora and refers_back and any(p[0] is None or p[1] is None for p in parties):
        found, earlier_id = _anaphora(compiled, earlier, rule, resolver)
        if 1 <= len(found) <= 2:
            (a, a_actor), (b, b_actor) = found[0], (found[1] if len(found) == 2 else (None, None))
            parties, source = [(a, b, a_actor, b_actor)], earlier_id

    date_fields: dict[str, Any] = {}
    date_decision = "coded"
    if dates:
        nearest = min(
            _own_dates(compiled, masked, dates, start, end),
            key=lambda d: (max(d.start - end, start - d.end, 0), d.start),
        )
        if nearest.date is None:
            date_decision = "no_date"
        else:
            date_fields = {
                "date": nearest.date,
                "precision": nearest.precision,
                "date_basis": "sentence",
                "date_text": sentence.text[nearest.start : nearest.end],
            }
            if sentence.published is not None and nearest.date > sentence.published:
                date_decision = "future_date"
    elif sentence.published is not None:
        date_fields = {"date": sentence.published, "precision": "day", "date_basis": "article"}
    else:
        date_decision = "no_date"

    rows = []
    for a, b, a_actor, b_actor in parties:
        if rule.swap:
            a, b, a_actor, b_actor = b, a, b_actor, a_actor
        if a is None or (rule.require_b and b is None):
            rows.append({**row, "decision": "no_participants"})
            continue
        if rule.kind in RELATION_KINDS and b is not None and b < a:
            a, b, a_actor, b_actor = b, a, b_actor, a_actor
        rows.append(
            {
                **row,
                **date_fields,
                "a": a,
                "b": b,
                "a_actor": a_actor,
                "b_actor": b_actor,
                "participants_from": source,
                "decision": date_decision,
            }
        )
    return rows


def _foreign_relatives(
    compiled: _Compiled, masked: str, start: int, end: int
) -> list[tuple[int, int]]:
    """Spans of relative clauses (", which ...") that do not contain the trigger."""
    if compiled.relative is None:
        return []
    return [
        m.span()
        for m in compiled.relative.finditer(masked)
        if not (m.start() <= start and end <= m.end())
    ]


def _own_dates(
    compiled: _Compiled, masked: str, dates: list[_DateHit], start: int, end: int
) -> list[_DateHit]:
    """Dates outside relative clauses that do not hold the trigger (else all dates).

    In "Syria, whose government collapsed in December 2024, restored ties ... on
    Monday" the December date belongs to the relative clause, not to the trigger.
    """
    foreign = _foreign_relatives(compiled, masked, start, end)
    own = [d for d in dates if not any(a <= d.start and d.end <= b for a, b in foreign)]
    return own or dates


def extract_events(
    sentences, mentions, *, rules=None, actors=None, roles=None, restatements="merge"
):
    """Code the relation and diplomacy events that sentences report, as EVENTS.

    Parameters
    ----------
    sentences
        SENTENCES (polars or pandas) with the extra ``published`` column (the
        article's date); without it, ``published`` is taken from ``mentions``.
    mentions
        MENTIONS of those sentences (``sentence_id``, ``actor_id``, ``start``,
        ``end``, ``as_place``; a ``country`` column, if present, maps persons and
        places to their state before ACTORS is consulted).
    rules
        ``None`` for the shipped ``toolkit/data/event_rules.toml``, a path to
        another rules file, an already-parsed mapping, or :class:`EventRules`.
    actors
        ACTORS used to map persons and places to their ``country`` when a state
        is needed; ``None`` loads ``tk.load_actors()``, only if it is needed.
    roles
        ROLES: a person who held a role on the article's date stands for the
        state or organisation of that role ("Guterres" is ``org:un``, not
        Portugal); ``None`` loads ``tk.load_roles()``, only if it is needed.
    restatements
        ``"merge"`` (default) folds article-dated repeats of an event within an
        article into one row (see the module docstring); ``"keep"`` keeps all.

    Returns
    -------
    DataFrame
        EVENTS with ``origin="corpus"``, sorted by ``date`` then ``event_id``; extra
        columns ``rule``, ``date_basis`` (``sentence``/``article``), ``date_text``,
        ``trigger``, ``a_actor``, ``b_actor``, ``participants_from`` and
        ``also_in``. Same library as ``sentences``.

    Warns
    -----
    EventWarning
        Naming the sentences whose events were skipped for want of any date.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> text = "Syria and South Korea established diplomatic relations on Thursday."
    >>> sentences = pl.DataFrame({
    ...     "sentence_id": ["a1-s00000"], "article_id": ["a1"], "section": ["body"],
    ...     "position": [0], "text": [text], "published": [dt.date(2025, 4, 14)]})
    >>> mentions = pl.DataFrame({
    ...     "sentence_id": ["a1-s00000"] * 2, "actor_id": ["SYR", "KOR"],
    ...     "start": [0, 10], "end": [5, 21], "as_place": [False, False]})
    >>> events = extract_events(sentences, mentions)
    >>> events.select("kind", "a", "b", "date", "precision", "cameo").row(0)
    ('establish_relations', 'KOR', 'SYR', datetime.date(2025, 4, 10), 'day', '054')
    """
    if restatements not in ("merge", "keep"):
        raise ValueError(f"restatements must be 'merge' or 'keep', got {restatements!r}")
    candidates = _candidates(sentences, mentions, rules=rules, actors=actors, roles=roles)
    coded = candidates.filter(pl.col("decision") == "coded")
    events = _to_events(coded, merge=restatements == "merge")
    return like_input(events, sentences)


def _event_id(sentence_id: str, kind: str, a: str, b: str | None) -> str:
    key = "\x1f".join((sentence_id, kind, a, b or ""))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _to_events(coded: pl.DataFrame, *, merge: bool) -> pl.DataFrame:
    rows = coded.to_dicts()
    for row in rows:
        row["event_id"] = _event_id(row["sentence_id"], row["kind"], row["a"], row["b"])
        row["origin"] = "corpus"
        row["also_in"] = []
    if merge:
        rows = _merge_restatements(rows)
    schema = {**SCHEMAS["EVENTS"], **_EVENT_EXTRA}
    table = pl.DataFrame([{k: r[k] for k in schema} for r in rows], schema=schema, orient="row")
    return table.sort("date", "event_id")


def _merge_restatements(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_key: dict[tuple, list[dict[str, Any]]] = {}
    for row in rows:
        by_key.setdefault((row["article_id"], row["kind"], row["a"], row["b"]), []).append(row)
    kept: list[dict[str, Any]] = []
    for group in by_key.values():
        dated = [r for r in group if r["date_basis"] == "sentence"]
        undated = sorted(
            (r for r in group if r["date_basis"] != "sentence"),
            key=lambda r: (r["section"] != "body", r["position"], r["event_id"]),
        )
        if not undated:
            kept.extend(dated)
            continue
        if dated:
            host = min(dated, key=lambda r: (r["position"], r["event_id"]))
            merged = undated
        else:
            host, merged = undated[0], undated[1:]
        host["also_in"] = sorted(r["sentence_id"] for r in merged)
        kept.extend(dated if dated else [host])
    return kept
