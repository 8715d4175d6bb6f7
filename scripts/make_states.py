# ruff: noqa: E501  (the curated table keeps one state per line)
"""Generate ``toolkit/data/states.csv``: the 197 states of the actor registry.

Run once (``.venv/bin/python scripts/make_states.py``); re-running reproduces the
committed CSV byte for byte. Names, official names, ISO codes and UN membership come
from country-converter's table (ISO 3166-1; UN admission years); pycountry adds
official and common names as further aliases. The news-facing names, aliases,
demonyms, capitals and seats of power are curated below, because no library keeps
the forms newspapers actually print ("the Kremlin", "Seoul", "Ivory Coast").

Conventions (documented in ``docs/actors-format.md``):

- lists are ``|``-separated; no item starts with a leading article ("Kremlin", not
  "the Kremlin"), the mention matcher handles "the" itself;
- an alias whose letters are all upper case ("US", "ROK", "DPRK") is matched
  case-sensitively, every other form case-insensitively;
- a form is listed for at most one actor: forms two states share ("Congolese",
  "Korean", "Congo") are left out and named in ``notes``.
"""

from __future__ import annotations

import csv
import io
import sys
import warnings
from pathlib import Path

import pandas as pd
import pycountry

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import country_converter as coco

OUT = Path(__file__).resolve().parents[1] / "toolkit" / "data" / "states.csv"
UN_MEMBERS_URL = "https://www.un.org/en/about-us/member-states"
UN_OBSERVERS_URL = "https://www.un.org/en/about-us/non-member-states"
FACTBOOK_URL = "https://www.cia.gov/the-world-factbook/"
OBSERVERS = ("VAT", "PSE")
EXTRA = ("TWN", "XKX")

# ISO3 ; news name ; extra aliases ; demonyms ; capitals and seats of power ; notes
# Empty name keeps country-converter's short name.
CURATED = """
AFG;;Islamic Emirate of Afghanistan;Afghan;Kabul;"Afghani" is left out: it is also the currency
AGO;;;Angolan;Luanda;
ALB;;;Albanian;Tirana;
AND;;;Andorran;Andorra la Vella;
ARE;;UAE|U.A.E.|Emirates;Emirati;Abu Dhabi;
ARG;;Argentine Republic;Argentine|Argentinian|Argentines;Buenos Aires|Casa Rosada;
ARM;;;Armenian;Yerevan;
ATG;;;Antiguan|Barbudan;;St. John's omitted: also the capital of Newfoundland
AUS;;;Australian|Aussie|Aussies;Canberra;
AUT;;;Austrian;Vienna;
AZE;;;Azerbaijani|Azeri|Azeris;Baku;
BDI;;;Burundian;Gitega|Bujumbura;
BEL;;;Belgian;Brussels;Brussels also stands for the EU institutions
BEN;;;Beninese;Porto-Novo|Cotonou;
BFA;;;Burkinabe|Burkinabè;Ouagadougou;
BGD;;;Bangladeshi;Dhaka;
BGR;;;Bulgarian;Sofia;Sofia is also a given name
BHR;;;Bahraini;Manama;
BHS;;Bahamas;Bahamian;Nassau;
BIH;;Bosnia|Bosnia-Herzegovina;Bosnian|Herzegovinian;Sarajevo;
BLR;;Byelorussia;Belarusian|Belarussian;Minsk;
BLZ;;;Belizean;Belmopan;
BOL;;;Bolivian;La Paz|Sucre;
BRA;;;Brazilian;Brasilia|Brasília|Planalto Palace;
BRB;;;Barbadian|Bajan|Bajans;Bridgetown;
BRN;Brunei;Brunei Darussalam;Bruneian;Bandar Seri Begawan;
BTN;;;Bhutanese;Thimphu;
BWA;;;Botswanan|Motswana|Batswana;Gaborone;
CAF;;CAR;Central African;Bangui;
CAN;;;Canadian;Ottawa;
CHE;;;Swiss;Bern|Berne;
CHL;;;Chilean;Santiago;Santiago is also a Spanish city and a given name
CHN;;PRC|Mainland China;Chinese;Beijing|Peking|Zhongnanhai;
CIV;Ivory Coast;Côte d'Ivoire|Cote d'Ivoire|Republic of Cote d'Ivoire;Ivorian;Yamoussoukro|Abidjan;
CMR;;;Cameroonian;Yaounde|Yaoundé;
COD;DR Congo;Democratic Republic of Congo|DRC|D.R. Congo|Congo-Kinshasa|Zaire;;Kinshasa;"Congo" and "Congolese" are shared with the Republic of the Congo and not listed
COG;Republic of the Congo;Republic of Congo|Congo Republic|Congo-Brazzaville;;Brazzaville;"Congo" and "Congolese" are shared with DR Congo and not listed
COL;;;Colombian;Bogota|Bogotá|Casa de Nariño;
COM;;;Comoran|Comorian;Moroni;
CPV;Cape Verde;Cabo Verde|Republic of Cape Verde;Cape Verdean|Cabo Verdean;Praia;
CRI;;;Costa Rican;San Jose|San José;San Jose is also a US city
CUB;;;Cuban;Havana;
CYP;;;Cypriot|Cypriots;Nicosia;
CZE;Czech Republic;Czechia;Czech|Czechs;Prague;
DEU;;;German;Berlin;
DJI;;;Djiboutian;;the capital shares the state's name
DMA;;;;Roseau;"Dominican" is kept for the Dominican Republic
DNK;;;Danish|Dane|Danes;Copenhagen;
DOM;;;Dominican;Santo Domingo;
DZA;;;Algerian;Algiers;
ECU;;;Ecuadorian|Ecuadorean;Quito;
EGY;;;Egyptian;Cairo;
ERI;;;Eritrean;Asmara;
ESP;;;Spanish|Spaniard|Spaniards;Madrid|Moncloa;
EST;;;Estonian;Tallinn;
ETH;;;Ethiopian;Addis Ababa;Addis Ababa also hosts the African Union
FIN;;;Finnish|Finn|Finns;Helsinki;
FJI;;;Fijian;Suva;
FRA;;;French|Frenchman|Frenchmen|Frenchwoman|Frenchwomen;Paris|Elysee|Élysée|Elysee Palace|Élysée Palace|Quai d'Orsay|Matignon;
FSM;Micronesia;Federated States of Micronesia;Micronesian;Palikir;
GAB;;Gabonese Republic;Gabonese;Libreville;
GBR;United Kingdom;UK|U.K.|Britain|Great Britain;British|Briton|Britons|Brit|Brits;London|Downing Street|Whitehall;
GEO;;;Georgian;Tbilisi;"Georgia" is also a US state and "Georgian" an architectural style
GHA;;;Ghanaian;Accra;
GIN;;Guinea-Conakry;Guinean;Conakry;the bare name occurs inside Equatorial Guinea, Guinea-Bissau and Papua New Guinea
GMB;Gambia;The Gambia;Gambian;Banjul;
GNB;;;Bissau-Guinean|Guinea-Bissauan|Guinea-Bissauans;Bissau;
GNQ;;;Equatorial Guinean|Equatoguinean;Malabo;
GRC;;;Greek|Greeks|Hellenic;Athens;
GRD;;;Grenadian;St. George's|St George's;
GTM;;;Guatemalan;Guatemala City;
GUY;;;Guyanese;Georgetown;Georgetown is also a district of Washington and a university
HND;;;Honduran;Tegucigalpa;
HRV;;;Croatian|Croat|Croats;Zagreb;
HTI;;;Haitian;Port-au-Prince;
HUN;;;Hungarian;Budapest;
IDN;;;Indonesian;Jakarta;
IND;;;Indian;New Delhi|Delhi;"Indian" also names Native Americans in older US usage
IRL;;Republic of Ireland|Eire;Irish|Irishman|Irishwoman;Dublin;
IRN;;Persia;Iranian|Persian;Tehran|Teheran;"Persian" also names the language and the Gulf
IRQ;;;Iraqi;Baghdad;
ISL;;;Icelandic|Icelander|Icelanders;Reykjavik|Reykjavík;
ISR;;;Israeli;Jerusalem;Jerusalem is listed as Israel's seat of government (Knesset, prime minister's office); its status is disputed and East Jerusalem is claimed by Palestine; Tel Aviv is not listed
ITA;;;Italian;Rome|Palazzo Chigi|Quirinal;Rome also stands for the Holy See in older usage
JAM;;;Jamaican;Kingston;
JOR;;;Jordanian;Amman;"Jordan" is also a river and a given name
JPN;;;Japanese;Tokyo;
KAZ;;;Kazakh|Kazakhs|Kazakhstani;Astana|Nur-Sultan;Nur-Sultan was the capital's name from 2019 to 2022
KEN;;;Kenyan;Nairobi;
KGZ;;Kirghizia;Kyrgyz|Kyrgyzstani;Bishkek;
KHM;;;Cambodian|Khmer;Phnom Penh;
KIR;;;I-Kiribati;Tarawa|South Tarawa;
KNA;Saint Kitts and Nevis;St. Kitts and Nevis|St Kitts and Nevis;Kittitian|Nevisian;Basseterre;
KOR;South Korea;Republic of Korea|ROK|S. Korea;South Korean;Seoul|Blue House|Cheong Wa Dae;no bare "Korea" or "Korean": shared with North Korea
KWT;;;Kuwaiti;Kuwait City;
LAO;;;Lao|Laotian;Vientiane;
LBN;;;Lebanese;Beirut;
LBR;;;Liberian;Monrovia;
LBY;;;Libyan;Tripoli;Tripoli is also a city in Lebanon
LCA;Saint Lucia;St. Lucia|St Lucia;Saint Lucian|St. Lucian;Castries;
LIE;;;Liechtensteiner|Liechtensteiners;Vaduz;
LKA;;Ceylon;Sri Lankan;Colombo|Sri Jayawardenepura Kotte;
LSO;;;Basotho|Mosotho;Maseru;
LTU;;;Lithuanian;Vilnius;
LUX;;;Luxembourger|Luxembourgers|Luxembourgish;;the capital shares the state's name
LVA;;;Latvian;Riga;
MAR;;;Moroccan;Rabat;
MCO;;;Monegasque|Monegasques;;the capital shares the state's name
MDA;;;Moldovan;Chisinau|Chișinău|Kishinev;
MDG;;;Malagasy;Antananarivo;
MDV;;;Maldivian;;the capital Malé is not listed: without its accent it is the word "male"
MEX;;;Mexican;Mexico City;
MHL;;;Marshallese;Majuro;
MKD;;Macedonia|FYROM;Macedonian;Skopje;
MLI;;;Malian;Bamako;
MLT;;;Maltese;Valletta;
MMR;;Burma;Burmese|Myanmarese;Naypyidaw|Naypyitaw|Nay Pyi Taw;
MNE;;;Montenegrin;Podgorica;
MNG;;;Mongolian;Ulaanbaatar|Ulan Bator;
MOZ;;;Mozambican;Maputo;
MRT;;;Mauritanian;Nouakchott;
MUS;;;Mauritian;Port Louis;
MWI;;;Malawian;Lilongwe;
MYS;;;Malaysian;Kuala Lumpur|Putrajaya;
NAM;;;Namibian;Windhoek;
NER;;;Nigerien;Niamey;"Niger" must not match inside "Nigeria" (word boundaries); "Nigerien" is distinct from "Nigerian"
NGA;;;Nigerian;Abuja;
NIC;;;Nicaraguan;Managua;
NLD;Netherlands;Holland;Dutch|Dutchman|Dutchwoman;Amsterdam|The Hague;The Hague is the seat of government and also of the ICC and ICJ
NOR;;;Norwegian;Oslo;
NPL;;;Nepali|Nepalese;Kathmandu;
NRU;;;Nauruan;Yaren;
NZL;;;New Zealander|New Zealanders|Kiwi|Kiwis;Wellington;
OMN;;;Omani;Muscat;
PAK;;;Pakistani;Islamabad;
PAN;;;Panamanian;Panama City;
PER;;;Peruvian;Lima;
PHL;;;Filipino|Filipinos|Filipina|Philippine;Manila|Malacañang|Malacanang;
PLW;;;Palauan;Ngerulmud;
PNG;;;Papua New Guinean;Port Moresby;
POL;;;Polish|Pole|Poles;Warsaw;
PRK;North Korea;Democratic People's Republic of Korea|DPRK|D.P.R.K.|N. Korea;North Korean;Pyongyang;no bare "Korea" or "Korean": shared with South Korea
PRT;;;Portuguese;Lisbon;
PRY;;;Paraguayan;Asuncion|Asunción;
PSE;Palestine;State of Palestine|Palestinian territories|occupied Palestinian territory;Palestinian;Ramallah;Ramallah is the seat of the Palestinian Authority; Jerusalem is listed for Israel only
QAT;;;Qatari;Doha;
ROU;;;Romanian;Bucharest;
RUS;;Russian Federation;Russian;Moscow|Kremlin;
RWA;;;Rwandan;Kigali;
SAU;;KSA|Kingdom of Saudi Arabia;Saudi;Riyadh;"Saudi" alone is a demonym and also a short name of the state
SDN;;;Sudanese;Khartoum|Port Sudan;Port Sudan has been the seat of the army-backed government since 2023
SEN;;;Senegalese;Dakar;
SGP;;;Singaporean;;the capital shares the state's name
SLB;;;Solomon Islander|Solomon Islanders;Honiara;
SLE;;;Sierra Leonean;Freetown;
SLV;;;Salvadoran|Salvadorean;San Salvador;
SMR;;;Sammarinese;;the capital shares the state's name
SOM;;;Somali;Mogadishu;
SRB;;;Serbian|Serb|Serbs;Belgrade;
SSD;;;South Sudanese;Juba;
STP;São Tomé and Príncipe;Sao Tome and Principe|Sao Tome;Santomean|São Toméan;;the capital shares the state's name
SUR;;;Surinamese;Paramaribo;
SVK;;;Slovak|Slovaks|Slovakian;Bratislava;
SVN;;;Slovenian|Slovene|Slovenes;Ljubljana;
SWE;;;Swedish|Swede|Swedes;Stockholm;
SWZ;;Swaziland|Kingdom of Swaziland;Swazi|Swazis|Emaswati;Mbabane|Lobamba;
SYC;;;Seychellois;;the capital Victoria is not listed: a common place and given name
SYR;;Syrian Arab Republic;Syrian;Damascus|People's Palace;
TCD;;;Chadian;N'Djamena|Ndjamena;"Chad" is also a given name
TGO;;;Togolese;Lome|Lomé;
THA;;Siam;Thai;Bangkok;
TJK;;;Tajik|Tajiks|Tajikistani;Dushanbe;
TKM;;;Turkmen|Turkmens|Turkmenistani;Ashgabat;
TLS;Timor-Leste;East Timor;Timorese;Dili;
TON;;;Tongan;Nuku'alofa;
TTO;;Trinidad;Trinidadian|Tobagonian;Port of Spain;
TUN;;;Tunisian;Tunis;
TUR;Turkey;Turkiye|Türkiye|Republic of Turkey|Republic of Turkiye;Turkish|Turk|Turks;Ankara;"Turkey" is also a bird; news outlets differ between Turkey and Turkiye (both listed)
TUV;;;Tuvaluan;Funafuti;
TWN;;Republic of China|ROC|Chinese Taipei|Formosa;Taiwanese;Taipei;
TZA;;United Republic of Tanzania;Tanzanian;Dodoma|Dar es Salaam;
UGA;;;Ugandan;Kampala;
UKR;;;Ukrainian;Kyiv|Kiev;
URY;;;Uruguayan;Montevideo;
USA;United States;US|U.S.|USA|U.S.A.|United States of America|America;American;Washington|White House|Pentagon;"US" is matched case-sensitively (the word "us"); "Washington" is also a US state and a surname; "American" also occurs in "Latin American" and "South American"
UZB;;;Uzbek|Uzbeks|Uzbekistani;Tashkent;
VAT;Holy See;Vatican|Vatican City State;;Vatican City;UN observer state
VCT;Saint Vincent and the Grenadines;St. Vincent and the Grenadines|St Vincent and the Grenadines|St. Vincent;Vincentian;Kingstown;
VEN;;;Venezuelan;Caracas|Miraflores Palace;
VNM;Vietnam;Viet Nam;Vietnamese;Hanoi;
VUT;;;Ni-Vanuatu;Port Vila;
WSM;;;Samoan;Apia;"Samoa" also occurs in "American Samoa"
XKX;;;Kosovar|Kosovan|Kosovars;Pristina|Prishtina|Priština;XKX is a user-assigned code; Kosovo is not a UN member
YEM;;;Yemeni;Sanaa|Sana'a|Aden;Sanaa is held by the Houthis and usually stands for them; Aden is the seat of the internationally recognised government
ZAF;;;South African;Pretoria|Cape Town;
ZMB;;;Zambian;Lusaka;
ZWE;;;Zimbabwean;Harare;
"""

# Plurals of person demonyms ("Syrians", "Israelis") are derived for forms ending
# in -n or -i; irregular plurals are written out above.
NO_PLURAL = {"I-Kiribati", "Ni-Vanuatu", "Lao"}

# Library names that are ambiguous between two states and so are never aliases.
AMBIGUOUS = {"Congo", "Korea"}


def plural_forms(demonyms: list[str]) -> list[str]:
    """Return the demonyms with regular plurals appended after their singular."""
    out: list[str] = []
    for form in demonyms:
        out.append(form)
        if form not in NO_PLURAL and form[-1] in "ni" and f"{form}s" not in demonyms:
            out.append(f"{form}s")
    return out


def split(field: str) -> list[str]:
    return [item.strip() for item in field.split("|") if item.strip()]


def unique(items: list[str], *, exclude: set[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item in seen or item in exclude:
            continue
        seen.add(item)
        out.append(item)
    return out


def library_names(iso3: str, row) -> list[str]:
    """Names the libraries know for a state, minus index-style forms ("Korea, Republic of")."""
    names = [row.name_short, row.name_official]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is not None:
        names += [
            country.name,
            getattr(country, "official_name", None),
            getattr(country, "common_name", None),
        ]
    out = []
    for name in names:
        if not name or name in AMBIGUOUS or "," in name or "(" in name:
            continue
        if "Province of China" in name:
            continue
        if name.startswith("the "):
            name = name[4:]
        out.append(name)
    return out


def build_rows() -> list[dict[str, str]]:
    data = coco.CountryConverter().data
    curated = {}
    for line in CURATED.strip().splitlines():
        fields = line.split(";", 5)
        if len(fields) != 6:
            raise ValueError(f"curated line has {len(fields)} fields: {line!r}")
        curated[fields[0]] = fields[1:]
    wanted = data[data["UNmember"].notna() | data["ISO3"].isin(OBSERVERS + EXTRA)]
    rows = []
    for row in wanted.sort_values("ISO3").itertuples():
        iso3 = row.ISO3
        name, extra, demonyms, capitals, notes = curated.pop(iso3)
        name = name or row.name_short
        official = row.name_official
        if iso3 == "TUR":
            official = "Republic of Türkiye"
        if iso3 == "VAT":
            official = "Holy See"
        if iso3 == "HUN":
            official = "Hungary"  # the constitution of 2012 dropped "Republic of"
        country = pycountry.countries.get(alpha_3=iso3)
        # country-converter writes GBR's ISO2 as a regex; pycountry has the plain code
        iso2 = country.alpha_2 if country is not None else row.ISO2
        un_member = not pd.isna(row.UNmember)
        aliases = unique(library_names(iso3, row) + split(extra), exclude={name})
        if un_member:
            source = f"country-converter 1.3.2 (ISO 3166-1, UN admission); UN: {UN_MEMBERS_URL}"
        elif iso3 in OBSERVERS:
            source = f"country-converter 1.3.2 (ISO 3166-1); UN: {UN_OBSERVERS_URL}"
        else:
            source = "country-converter 1.3.2 (ISO 3166-1 / user-assigned code)"
        source += f"; curated names, demonyms and capitals: CIA World Factbook {FACTBOOK_URL}"
        rows.append(
            {
                "actor_id": iso3,
                "name": name,
                "official_name": official,
                "kind": "state",
                "country": iso3,
                "aliases": "|".join(aliases),
                "demonyms": "|".join(plural_forms(split(demonyms))),
                "capitals": "|".join(split(capitals)),
                "un_member": str(un_member).lower(),
                "un_observer": str(iso3 in OBSERVERS).lower(),
                "un_admission_year": str(int(row.UNmember)) if un_member else "",
                "iso2": iso2,
                "iso_numeric": str(int(row.ISOnumeric)),
                "notes": notes,
                "source": source,
            }
        )
    if curated:
        raise ValueError(f"curated rows for unknown states: {sorted(curated)}")
    return rows


def render(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> int:
    rows = build_rows()
    if len(rows) != 197:
        raise SystemExit(f"expected 197 states, built {len(rows)}")
    OUT.write_text(render(rows), encoding="utf-8")
    print(f"wrote {len(rows)} states to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
