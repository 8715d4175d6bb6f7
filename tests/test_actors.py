"""Tests for the actor registry: shipped CSVs, loaders, user additions and conflicts."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import toolkit as tk
from toolkit.actors import (
    RegistryError,
    alias_conflicts,
    is_case_sensitive,
    load_alias_periods,
    load_role_titles,
)
from toolkit.contracts import validate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "toolkit" / "data"


@pytest.fixture(scope="module")
def actors() -> pl.DataFrame:
    return tk.load_actors(include_user=False)


@pytest.fixture(scope="module")
def roles() -> pl.DataFrame:
    return tk.load_roles(include_user=False)


def row(actors: pl.DataFrame, actor_id: str) -> dict:
    return actors.filter(pl.col("actor_id") == actor_id).row(0, named=True)


def holder(roles: pl.DataFrame, of: str, role: str, on: dt.date) -> list[str]:
    return (
        roles.filter(
            (pl.col("of") == of)
            & (pl.col("role") == role)
            & (pl.col("start").is_null() | (pl.col("start") <= on))
            & (pl.col("end").is_null() | (pl.col("end") > on))
        )
        .get_column("actor_id")
        .to_list()
    )


# ----------------------------------------------------------------------- states


def test_states_are_the_un_members_observers_taiwan_and_kosovo(actors):
    states = actors.filter(pl.col("kind") == "state")
    assert states.height == 197
    assert states.filter(pl.col("un_member")).height == 193
    observers = states.filter(pl.col("un_observer")).get_column("actor_id").to_list()
    assert sorted(observers) == ["PSE", "VAT"]
    outside = states.filter(~pl.col("un_member") & ~pl.col("un_observer"))
    assert sorted(outside.get_column("actor_id").to_list()) == ["TWN", "XKX"]
    assert states.filter(pl.col("country") != pl.col("actor_id")).height == 0
    assert all(re.fullmatch(r"[A-Z]{3}", value) for value in states["actor_id"])
    assert states["iso_numeric"].null_count() == 0
    assert all(re.fullmatch(r"[A-Z]{2}", value) for value in states["iso2"])


@pytest.mark.parametrize(
    ("actor_id", "name", "aliases", "demonyms", "capitals"),
    [
        ("KOR", "South Korea", ["Republic of Korea", "ROK"], ["South Korean"], ["Seoul"]),
        ("PRK", "North Korea", ["DPRK"], ["North Korean"], ["Pyongyang"]),
        ("SYR", "Syria", ["Syrian Arab Republic"], ["Syrian", "Syrians"], ["Damascus"]),
        ("RUS", "Russia", ["Russian Federation"], ["Russian", "Russians"], ["Moscow", "Kremlin"]),
        ("TUR", "Turkey", ["Turkiye", "Türkiye"], ["Turkish"], ["Ankara"]),
        ("CIV", "Ivory Coast", ["Côte d'Ivoire"], ["Ivorian"], []),
        (
            "USA",
            "United States",
            ["U.S.", "US", "USA", "United States of America", "America"],
            ["American"],
            ["Washington", "White House", "Pentagon"],
        ),
        ("GBR", "United Kingdom", ["UK", "Britain", "Great Britain"], ["British"], ["London"]),
        ("GBR", "United Kingdom", [], [], ["Downing Street", "Whitehall"]),
        ("FRA", "France", [], ["French"], ["Paris", "Elysee", "Élysée"]),
        ("MMR", "Myanmar", ["Burma"], ["Burmese"], []),
        ("CZE", "Czech Republic", ["Czechia"], [], ["Prague"]),
        ("SWZ", "Eswatini", ["Swaziland"], [], []),
        ("ARE", "United Arab Emirates", ["UAE"], ["Emirati"], ["Abu Dhabi"]),
        ("SAU", "Saudi Arabia", [], ["Saudi"], ["Riyadh"]),
        ("IRN", "Iran", [], ["Iranian"], ["Tehran"]),
        ("ISR", "Israel", [], ["Israeli"], ["Jerusalem"]),
        ("IRQ", "Iraq", [], ["Iraqi"], ["Baghdad"]),
        ("CHN", "China", [], ["Chinese"], ["Beijing"]),
        ("UKR", "Ukraine", [], ["Ukrainian"], ["Kyiv", "Kiev"]),
        ("JPN", "Japan", [], ["Japanese"], ["Tokyo"]),
        ("NLD", "Netherlands", [], ["Dutch"], []),
        ("VAT", "Holy See", ["Vatican"], [], []),
        ("PSE", "Palestine", ["State of Palestine"], ["Palestinian"], []),
        ("XKX", "Kosovo", [], ["Kosovar"], ["Pristina"]),
        ("TWN", "Taiwan", [], ["Taiwanese"], ["Taipei"]),
    ],
)
def test_state_forms(actors, actor_id, name, aliases, demonyms, capitals):
    state = row(actors, actor_id)
    assert state["name"] == name
    assert set(aliases) <= set(state["aliases"])
    assert set(demonyms) <= set(state["demonyms"])
    assert set(capitals) <= set(state["capitals"])


def test_every_state_has_a_demonym_except_documented_ones(actors):
    states = actors.filter(pl.col("kind") == "state")
    missing = states.filter(pl.col("demonyms").list.len() == 0)
    # the Holy See has no demonym; "Dominican" is kept for the Dominican Republic;
    # "Congolese" is shared by both Congos, so neither gets it.
    assert sorted(missing["actor_id"]) == ["COD", "COG", "DMA", "VAT"]
    assert missing.filter(pl.col("actor_id") != "VAT")["notes"].null_count() == 0


def test_no_ambiguous_short_forms(actors):
    forms = set()
    for column in ("aliases", "demonyms", "capitals"):
        for values in actors[column]:
            forms.update(values)
    forms.update(actors["name"])
    for unsafe in ("Korea", "Korean", "Congo", "Congolese", "Kim", "Male", "Malé", "IS"):
        assert unsafe not in forms, unsafe


def test_states_csv_is_reproduced_by_its_script(tmp_path, monkeypatch):
    script = ROOT / "scripts" / "make_states.py"
    code = (
        "import runpy, pathlib, sys; "
        f"module = runpy.run_path({str(script)!r}, run_name='make_states'); "
        "rows = module['build_rows'](); "
        "sys.stdout.write(module['render'](rows))"
    )
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == (DATA / "states.csv").read_text(encoding="utf-8")


# ----------------------------------------------------------------------- actors


def test_every_row_has_a_source(actors, roles):
    assert actors["source"].null_count() == 0
    assert (actors["source"].str.len_chars() > 5).all()
    assert roles["source"].null_count() == 0
    assert roles["source"].str.starts_with("http").all()
    for name in ("states.csv", "actors.csv", "roles.csv", "role_titles.csv", "aliases.csv"):
        with (DATA / name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows and all(item["source"].strip() for item in rows), name


def test_actor_ids_follow_the_kind_prefixes(actors):
    prefixes = {
        "person": "person:",
        "organization": "org:",
        "armed_group": "group:",
        "media": "media:",
        "place": "place:",
    }
    for actor_id, kind in actors.select("actor_id", "kind").iter_rows():
        if kind == "state":
            assert re.fullmatch(r"[A-Z]{3}", actor_id)
        else:
            assert actor_id.startswith(prefixes[kind]), actor_id
            assert re.fullmatch(r"[a-z]+:[a-z0-9-]+", actor_id), actor_id


@pytest.mark.parametrize(
    ("actor_id", "forms"),
    [
        ("org:un", ["UN"]),
        ("org:unsc", ["UNSC"]),
        ("org:unga", ["UNGA"]),
        ("org:unhcr", []),
        ("org:unicef", []),
        ("org:wfp", ["WFP"]),
        ("org:ocha", []),
        ("org:undp", []),
        ("org:who", ["WHO"]),
        ("org:iaea", ["IAEA"]),
        ("org:icc", ["ICC"]),
        ("org:icj", ["ICJ"]),
        ("org:imf", ["IMF"]),
        ("org:world-bank", []),
        ("org:eu", ["EU"]),
        ("org:nato", []),
        ("org:au", ["AU"]),
        ("org:arab-league", []),
        ("org:gcc", ["GCC"]),
        ("org:asean", []),
        ("org:oas", ["OAS"]),
        ("org:opec", []),
        ("org:osce", []),
        ("org:g7", []),
        ("org:g20", []),
        ("org:brics", []),
        ("org:oic", ["OIC"]),
        ("org:icrc", ["ICRC", "Red Cross"]),
        ("group:sdf", ["SDF"]),
        ("group:hts", ["HTS"]),
        ("group:isis", ["ISIS", "Daesh", "ISIL"]),
        ("group:hezbollah", []),
        ("group:hamas", []),
        ("group:pkk", ["PKK"]),
        ("group:ypg", ["YPG"]),
        ("group:sna", []),
        ("group:fsa", []),
        ("group:baath-syria", []),
        ("group:houthis", []),
        ("group:al-qaeda", []),
        ("group:nusra-front", []),
        ("group:wpk", ["WPK"]),
        ("media:sana", []),
        ("media:yonhap", []),
        ("media:kcna", []),
        ("media:ap", ["AP", "The Associated Press"]),
        ("media:reuters", []),
        ("media:afp", ["AFP"]),
        ("media:tass", []),
        ("media:xinhua", []),
        ("media:anadolu", []),
        ("media:arab-news", []),
    ],
)
def test_organisations_groups_and_media(actors, actor_id, forms):
    actor = row(actors, actor_id)
    assert set(forms) <= set(actor["aliases"]) | {actor["name"]}


def test_corpus_people_are_registered(actors):
    expected = {
        "person:asaad-al-shaibani": ["Asaad Al-Shaibani"],
        "person:cho-tae-yul": [],
        "person:ahmad-al-sharaa": [
            "Ahmed al-Sharaa",
            "Ahmad Al-Sharaa",
            "Abu Mohammed al-Jolani",
            "Abu Mohammad al-Julani",
            "Jolani",
        ],
        "person:bashar-al-assad": ["Bashar Assad", "Assad"],
        "person:vladimir-putin": [],
        "person:stephane-dujarric": ["Stephane Dujarric"],
        "person:antonio-guterres": [],
        "person:ban-ki-moon": [],
    }
    for actor_id, aliases in expected.items():
        person = row(actors, actor_id)
        assert person["kind"] == "person"
        assert re.fullmatch(r"[A-Z]{3}", person["country"])
        assert set(aliases) <= set(person["aliases"]), actor_id
    assert row(actors, "person:cho-tae-yul")["surname"] == "Cho"
    assert row(actors, "person:stephane-dujarric")["country"] == "FRA"


def test_shipped_registry_has_no_alias_conflicts(actors):
    assert alias_conflicts(actors).height == 0


def test_case_sensitivity_rule():
    assert is_case_sensitive("US")
    assert is_case_sensitive("D.P.R.K.")
    assert not is_case_sensitive("Seoul")
    assert not is_case_sensitive("dpa")
    assert not is_case_sensitive("1948")


# ----------------------------------------------------------------------- roles


def test_roles_are_well_formed(actors, roles):
    validate(roles, "ROLES")
    ids = set(actors["actor_id"])
    assert set(roles["actor_id"]) <= ids
    assert set(roles["of"]) <= ids
    assert roles.filter(pl.col("start") > pl.col("end")).height == 0
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", value) for value in roles["role"])
    people = actors.filter(pl.col("kind") == "person")["actor_id"]
    assert set(roles["actor_id"]) <= set(people)


def test_same_office_terms_do_not_overlap(roles):
    offices = roles.filter(
        pl.col("role").is_in(["president", "prime_minister", "foreign_minister"])
    )
    for (of, role), terms in offices.group_by(["of", "role"]):
        ordered = terms.sort("start", nulls_last=False).rows(named=True)
        for before, after in itertools.pairwise(ordered):
            assert before["end"] is not None, (of, role, before["actor_id"])
            assert before["end"] <= after["start"], (of, role, before, after)


@pytest.mark.parametrize(
    ("of", "role", "on", "expected"),
    [
        ("SYR", "president", dt.date(2026, 1, 15), "person:ahmad-al-sharaa"),
        ("SYR", "president", dt.date(2020, 6, 1), "person:bashar-al-assad"),
        ("SYR", "leader", dt.date(2025, 1, 1), "person:ahmad-al-sharaa"),
        ("SYR", "foreign_minister", dt.date(2025, 4, 10), "person:asaad-al-shaibani"),
        ("SYR", "foreign_minister", dt.date(2020, 6, 1), "person:walid-muallem"),
        ("SYR", "foreign_minister", dt.date(2022, 1, 1), "person:faisal-mekdad"),
        ("KOR", "foreign_minister", dt.date(2025, 4, 10), "person:cho-tae-yul"),
        ("KOR", "foreign_minister", dt.date(2025, 9, 1), "person:cho-hyun"),
        ("KOR", "president", dt.date(2021, 1, 1), "person:moon-jae-in"),
        ("KOR", "president", dt.date(2023, 1, 1), "person:yoon-suk-yeol"),
        ("KOR", "president", dt.date(2025, 7, 1), "person:lee-jae-myung"),
        ("KOR", "acting_president", dt.date(2025, 1, 15), "person:choi-sang-mok"),
        ("RUS", "president", dt.date(2026, 1, 28), "person:vladimir-putin"),
        ("RUS", "foreign_minister", dt.date(2026, 1, 28), "person:sergey-lavrov"),
        ("USA", "president", dt.date(2022, 1, 1), "person:joe-biden"),
        ("USA", "president", dt.date(2026, 1, 1), "person:donald-trump"),
        ("USA", "foreign_minister", dt.date(2023, 1, 1), "person:antony-blinken"),
        ("GBR", "prime_minister", dt.date(2023, 1, 1), "person:rishi-sunak"),
        ("CHN", "foreign_minister", dt.date(2023, 5, 1), "person:qin-gang"),
        ("IRN", "supreme_leader", dt.date(2024, 1, 1), "person:ali-khamenei"),
        ("IRN", "supreme_leader", dt.date(2026, 4, 1), "person:mojtaba-khamenei"),
        ("IRQ", "president", dt.date(2024, 1, 1), "person:abdul-latif-rashid"),
        ("IRQ", "president", dt.date(2026, 6, 1), "person:nizar-amedi"),
        ("SAU", "crown_prince", dt.date(2024, 1, 1), "person:mohammed-bin-salman"),
        ("org:un", "secretary_general", dt.date(2010, 1, 1), "person:ban-ki-moon"),
        ("org:un", "secretary_general", dt.date(2026, 1, 28), "person:antonio-guterres"),
        ("org:un", "spokesperson", dt.date(2026, 1, 28), "person:stephane-dujarric"),
    ],
)
def test_role_holder_on_a_date(roles, of, role, on, expected):
    assert holder(roles, of, role, on) == [expected]


def test_role_titles_cover_news_phrases():
    titles = dict(load_role_titles().select("phrase", "role").iter_rows())
    assert titles["foreign secretary"] == "foreign_minister"
    assert titles["secretary of state"] == "foreign_minister"
    assert titles["top diplomat"] == "foreign_minister"
    assert titles["premier"] == "prime_minister"
    assert titles["interim president"] == "president"
    assert titles["spokeswoman"] == "spokesperson"
    assert titles["defense minister"] == titles["defence minister"] == "defence_minister"
    assert titles["secretary-general"] == "secretary_general"


def test_alias_periods():
    periods = load_alias_periods()
    jolani = periods.filter(pl.col("alias") == "Abu Mohammed al-Jolani").row(0, named=True)
    assert jolani["actor_id"] == "person:ahmad-al-sharaa"
    assert jolani["end"] == dt.date(2024, 12, 8)
    assert periods.filter(pl.col("start") > pl.col("end")).height == 0


# ----------------------------------------------------------------------- backends


def test_contracts_and_pandas_backend(actors):
    validate(actors, "ACTORS")
    assert actors["actor_id"].to_list() == sorted(actors["actor_id"].to_list())
    frame = tk.load_actors(include_user=False, backend="pandas")
    assert isinstance(frame, pd.DataFrame)
    validate(frame, "ACTORS")
    assert len(frame) == actors.height
    roles = tk.load_roles(include_user=False, backend="pandas")
    assert isinstance(roles, pd.DataFrame)
    validate(roles, "ROLES")
    assert isinstance(alias_conflicts(frame), pd.DataFrame)
    with pytest.raises(ValueError, match="backend"):
        tk.load_actors(backend="arrow")


def test_returns_copies(actors):
    first = tk.load_actors(include_user=False)
    first = first.with_columns(pl.lit("x").alias("name"))
    again = tk.load_actors(include_user=False)
    assert again["name"].to_list() == actors["name"].to_list()


# ----------------------------------------------------------------------- user files


def write(path: Path, text: str) -> Path:
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    return path


def test_user_actor_added_from_directory(tmp_path):
    write(
        tmp_path / "extra.csv",
        """
actor_id,name,kind,country,aliases,source
person:lionel-aingimea,Lionel Aingimea,person,NRU,Aingimea,https://example.org/nauru
org:test-agency,Test Agency,organization,,TA|Test Bureau,
""",
    )
    actors = tk.load_actors(paths=tmp_path)
    added = row(actors, "person:lionel-aingimea")
    assert added["country"] == "NRU"
    assert added["aliases"] == ["Aingimea"]
    assert added["origin"].endswith("extra.csv")
    agency = row(actors, "org:test-agency")
    assert agency["aliases"] == ["TA", "Test Bureau"]
    assert "extra.csv, line 3" in agency["source"]
    validate(actors, "ACTORS")


def test_user_directory_is_read_from_the_working_directory(tmp_path, monkeypatch):
    folder = tmp_path / "data" / "raw" / "actors"
    folder.mkdir(parents=True)
    write(folder / "a.csv", "actor_id,name,kind\nplace:ghouta,Ghouta,place\n")
    monkeypatch.chdir(tmp_path)
    assert "place:ghouta" in tk.load_actors()["actor_id"].to_list()
    assert "place:ghouta" not in tk.load_actors(include_user=False)["actor_id"].to_list()


def test_user_override_is_reported(tmp_path):
    write(
        tmp_path / "override.csv",
        "actor_id,name,kind,country,aliases,source\n"
        "SYR,Syrian Arab Republic,state,SYR,Syria,my notes\n",
    )
    with pytest.warns(UserWarning, match="override shipped actors: SYR"):
        actors = tk.load_actors(paths=tmp_path / "override.csv")
    assert row(actors, "SYR")["name"] == "Syrian Arab Republic"
    assert row(actors, "SYR")["source"] == "my notes"


def test_alias_conflict_is_reported_not_resolved(tmp_path):
    write(
        tmp_path / "clash.csv",
        "actor_id,name,kind,aliases\norg:seoul-club,Seoul Club,organization,seoul|SDF\n",
    )
    with pytest.warns(UserWarning, match="claimed by two actors") as caught:
        actors = tk.load_actors(paths=tmp_path)
    message = str(caught[0].message)
    assert "KOR" in message and "org:seoul-club" in message
    conflicts = alias_conflicts(actors)
    assert set(conflicts.select("actor_id", "other_actor_id").iter_rows()) == {
        ("KOR", "org:seoul-club"),
        ("group:sdf", "org:seoul-club"),
    }
    # both claims survive: nothing is dropped to "resolve" the clash
    assert "Seoul" in row(actors, "KOR")["capitals"]
    assert "seoul" in row(actors, "org:seoul-club")["aliases"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("actor_id,name\norg:x,X\n", r"bad\.csv, line 1: missing required column\(s\) kind"),
        ("actor_id,name,kind\norg:x,X,company\n", r"bad\.csv, line 2: unknown kind 'company'"),
        ("actor_id,name,kind,country\norg:x,X,organization,Korea\n", r"line 2: country must be"),
        ("actor_id,name,kind,country\norg:x,X,organization,ZZZ\n", r"line 2: country 'ZZZ' is not"),
        ("actor_id,name,kind\nKorea,Korea,state\n", r"line 2: a state's actor_id must be"),
        ("actor_id,name,kind\nx,X,person\n", r"line 2: a person's actor_id must start"),
        ("actor_id,name,kind\norg:x,,organization\n", r"line 2: name is empty"),
        ("actor_id,name,kind\norg:x,X,organization,extra\n", r"line 2: 4 fields"),
        ("actor_id,name,kind\norg:x,X,organization\norg:x,Y,organization\n", r"line 3: .*already"),
    ],
)
def test_malformed_user_actor_file(tmp_path, text, message):
    write(tmp_path / "bad.csv", text)
    with pytest.raises(RegistryError, match=message):
        tk.load_actors(paths=tmp_path)


def test_user_roles_add_and_replace(tmp_path):
    write(tmp_path / "people.csv", "actor_id,name,kind,country\nperson:a-b,A B,person,NRU\n")
    write(
        tmp_path / "my_roles.csv",
        """
actor_id,role,of,start,end,source
person:a-b,foreign_minister,NRU,2022-10-01,,https://example.org/a
person:walid-muallem,foreign_minister,SYR,2006-02-11,2020-11-15,my correction
""",
    )
    with pytest.warns(UserWarning, match="replace shipped roles: person:walid-muallem"):
        roles = tk.load_roles(paths=tmp_path)
    validate(roles, "ROLES")
    assert holder(roles, "NRU", "foreign_minister", dt.date(2023, 1, 1)) == ["person:a-b"]
    muallem = roles.filter(pl.col("actor_id") == "person:walid-muallem")
    assert muallem.height == 1
    assert muallem["end"].item() == dt.date(2020, 11, 15)
    # the roles file is not read as an actors file
    assert "person:a-b" in tk.load_actors(paths=tmp_path)["actor_id"].to_list()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("actor_id,role\nperson:vladimir-putin,president\n", r"missing required column\(s\) of"),
        ("actor_id,role,of,start\nperson:vladimir-putin,president,RUS,2020/01/01\n", "ISO date"),
        ("actor_id,role,of,start\nperson:vladimir-putin,president,RUS,2020-02-30\n", "valid date"),
        (
            "actor_id,role,of,start,end\nperson:vladimir-putin,president,RUS,2021-01-01,2020-01-01\n",
            "start 2021-01-01 is after end",
        ),
        ("actor_id,role,of\nperson:nobody,president,RUS\n", "'person:nobody' is not in"),
        ("actor_id,role,of\nperson:vladimir-putin,president,Russia\n", "of 'Russia' is not in"),
        ("actor_id,role,of\nperson:vladimir-putin,Prime Minister,RUS\n", "snake_case"),
    ],
)
def test_malformed_user_roles_file(tmp_path, text, message):
    write(tmp_path / "bad_roles.csv", text)
    with pytest.raises(RegistryError, match=rf"bad_roles\.csv, line \d: .*{message}"):
        tk.load_roles(paths=tmp_path)


def test_missing_user_path_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        tk.load_actors(paths=tmp_path / "nope")


def test_unknown_user_column_is_reported(tmp_path):
    write(tmp_path / "extra.csv", "actor_id,name,kind,colour\norg:x,X,organization,red\n")
    with pytest.warns(UserWarning, match="ignoring unknown column.*colour"):
        actors = tk.load_actors(paths=tmp_path)
    assert "org:x" in actors["actor_id"].to_list()


def test_conflicts_fold_case_and_accents_but_not_capitals(tmp_path):
    write(
        tmp_path / "x.csv",
        "actor_id,name,kind,aliases\norg:palace,Palace,organization,élysée|ELYSEE|us\n",
    )
    with pytest.warns(UserWarning, match="claimed by two actors"):
        actors = tk.load_actors(paths=tmp_path)
    # "élysée" folds onto France's "Elysee"; the all-capital "ELYSEE" is matched
    # exactly and "us" is not the case-sensitive "US", so neither clashes
    assert alias_conflicts(actors).rows() == [
        ("Elysee", "FRA", "capitals", "org:palace", "aliases")
    ]
