"""Country names, abbreviations, demonyms and capital metonyms mapped to ISO 3166-1 alpha-3.

ISO codes and official names come from ``pycountry``; the forms news writing uses on top
of those ("DPRK", "U.S.", "North Korean", "Pyongyang", "Ivory Coast") come from the compact
table below, which covers the states that matter in defence news (the permanent members of
the UN Security Council, NATO, both Koreas, the Gulf, the main buyers and suppliers).
Any other country is still found by its ISO short, common or official name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

# iso3 | canonical name | other names | abbreviations (case-sensitive) | demonyms | capitals
_TABLE = """
USA|United States|United States of America;America|US;USA;U.S.;U.S.A.|American|Washington
GBR|United Kingdom|Britain;Great Britain|UK;U.K.|British;Briton|London
FRA|France|||French|Paris
RUS|Russia|Russian Federation||Russian|Moscow;Kremlin
CHN|China|People's Republic of China|PRC|Chinese|Beijing
PRK|North Korea|Democratic People's Republic of Korea|DPRK;D.P.R.K.|North Korean|Pyongyang
KOR|South Korea|Republic of Korea;Korea|ROK;R.O.K.|South Korean;Korean|Seoul
JPN|Japan|||Japanese|Tokyo
TWN|Taiwan|Republic of China||Taiwanese|Taipei
IND|India|||Indian|New Delhi
PAK|Pakistan|||Pakistani|Islamabad
AFG|Afghanistan|||Afghan|Kabul
IRN|Iran|Islamic Republic of Iran||Iranian|Tehran
IRQ|Iraq|||Iraqi|Baghdad
SYR|Syria|||Syrian|Damascus
ISR|Israel|||Israeli|Jerusalem;Tel Aviv
PSE|Palestine|||Palestinian|Ramallah
LBN|Lebanon|||Lebanese|Beirut
JOR|Jordan|||Jordanian|Amman
SAU|Saudi Arabia|Kingdom of Saudi Arabia|KSA|Saudi|Riyadh
ARE|United Arab Emirates|Emirates|UAE;U.A.E.|Emirati|Abu Dhabi
QAT|Qatar|||Qatari|Doha
KWT|Kuwait|||Kuwaiti|Kuwait City
BHR|Bahrain|||Bahraini|Manama
OMN|Oman|||Omani|Muscat
YEM|Yemen|||Yemeni|Sanaa
EGY|Egypt|||Egyptian|Cairo
LBY|Libya|||Libyan|Tripoli
DZA|Algeria|||Algerian|Algiers
MAR|Morocco|||Moroccan|Rabat
SDN|Sudan|||Sudanese|Khartoum
ETH|Ethiopia|||Ethiopian|Addis Ababa
NGA|Nigeria|||Nigerian|Abuja
ZAF|South Africa|||South African|Pretoria
CIV|Ivory Coast|Côte d'Ivoire;Cote d'Ivoire;Cote d Ivoire||Ivorian|Yamoussoukro;Abidjan
MLI|Mali|||Malian|Bamako
UKR|Ukraine|||Ukrainian|Kyiv;Kiev
BLR|Belarus|Byelorussia||Belarusian;Belarussian;Byelorussian|Minsk
MDA|Moldova|||Moldovan|Chisinau
GEO|Georgia|||Georgian|Tbilisi
ARM|Armenia|||Armenian|Yerevan
AZE|Azerbaijan|||Azerbaijani;Azeri|Baku
KAZ|Kazakhstan|||Kazakh|Astana
SRB|Serbia|||Serbian|Belgrade
ALB|Albania|||Albanian|Tirana
BEL|Belgium|||Belgian|Brussels
BGR|Bulgaria|||Bulgarian|Sofia
CAN|Canada|||Canadian|Ottawa
HRV|Croatia|||Croatian|Zagreb
CZE|Czech Republic|Czechia||Czech|Prague
DNK|Denmark|||Danish|Copenhagen
EST|Estonia|||Estonian|Tallinn
FIN|Finland|||Finnish|Helsinki
DEU|Germany|||German|Berlin
GRC|Greece|||Greek|Athens
HUN|Hungary|||Hungarian|Budapest
ISL|Iceland|||Icelandic|Reykjavik
ITA|Italy|||Italian|Rome
LVA|Latvia|||Latvian|Riga
LTU|Lithuania|||Lithuanian|Vilnius
LUX|Luxembourg|||Luxembourgish|
MNE|Montenegro|||Montenegrin|Podgorica
NLD|Netherlands|Holland||Dutch|Amsterdam;The Hague
MKD|North Macedonia|Macedonia||Macedonian|Skopje
NOR|Norway|||Norwegian|Oslo
POL|Poland|||Polish|Warsaw
PRT|Portugal|||Portuguese|Lisbon
ROU|Romania|||Romanian|Bucharest
SVK|Slovakia|||Slovak|Bratislava
SVN|Slovenia|||Slovenian|Ljubljana
ESP|Spain|||Spanish|Madrid
SWE|Sweden|||Swedish|Stockholm
TUR|Turkey|Türkiye;Turkiye||Turkish|Ankara
AUT|Austria|||Austrian|Vienna
CHE|Switzerland|||Swiss|Bern
IRL|Ireland|||Irish|Dublin
AUS|Australia|||Australian|Canberra
NZL|New Zealand|||New Zealander|Wellington
BRA|Brazil|||Brazilian|Brasilia
ARG|Argentina|||Argentine;Argentinian|Buenos Aires
CHL|Chile|||Chilean|Santiago
COL|Colombia|||Colombian|Bogota
MEX|Mexico|||Mexican|Mexico City
VEN|Venezuela|||Venezuelan|Caracas
CUB|Cuba|||Cuban|Havana
IDN|Indonesia|||Indonesian|Jakarta
MYS|Malaysia|||Malaysian|Kuala Lumpur
SGP|Singapore|||Singaporean|
THA|Thailand|||Thai|Bangkok
VNM|Vietnam|Viet Nam||Vietnamese|Hanoi
PHL|Philippines|||Philippine;Filipino|Manila
MMR|Myanmar|Burma||Burmese|Naypyidaw
BGD|Bangladesh|||Bangladeshi|Dhaka
LCA|Saint Lucia|St Lucia|||Castries
PER|Peru|||Peruvian|Lima
BOL|Bolivia|||Bolivian|La Paz
ECU|Ecuador|||Ecuadorian|Quito
URY|Uruguay|||Uruguayan|Montevideo
PRY|Paraguay|||Paraguayan|Asuncion
PAN|Panama|||Panamanian|
NIC|Nicaragua|||Nicaraguan|Managua
SLV|El Salvador|||Salvadoran|San Salvador
GTM|Guatemala|||Guatemalan|
HND|Honduras|||Honduran|Tegucigalpa
DOM|Dominican Republic|||Dominican|Santo Domingo
HTI|Haiti|||Haitian|Port-au-Prince
KEN|Kenya|||Kenyan|Nairobi
SOM|Somalia|||Somali|Mogadishu
ERI|Eritrea|||Eritrean|Asmara
DJI|Djibouti|||Djiboutian|
SSD|South Sudan|||South Sudanese|Juba
NER|Niger|||Nigerien|Niamey
TCD|Chad|||Chadian|N'Djamena
BFA|Burkina Faso|||Burkinabe|Ouagadougou
SEN|Senegal|||Senegalese|Dakar
GHA|Ghana|||Ghanaian|Accra
CMR|Cameroon|||Cameroonian|Yaounde
COD|Democratic Republic of the Congo|DR Congo;DRC;Congo-Kinshasa|DRC|Congolese|Kinshasa
RWA|Rwanda|||Rwandan|Kigali
UGA|Uganda|||Ugandan|Kampala
TZA|Tanzania|||Tanzanian|Dodoma
MOZ|Mozambique|||Mozambican|Maputo
AGO|Angola|||Angolan|Luanda
ZWE|Zimbabwe|||Zimbabwean|Harare
TUN|Tunisia|||Tunisian|Tunis
MRT|Mauritania|||Mauritanian|Nouakchott
CAF|Central African Republic|||Central African|Bangui
LKA|Sri Lanka|||Sri Lankan|Colombo
NPL|Nepal|||Nepalese;Nepali|Kathmandu
KHM|Cambodia|||Cambodian|Phnom Penh
LAO|Laos|||Lao;Laotian|Vientiane
MNG|Mongolia|||Mongolian|Ulaanbaatar
UZB|Uzbekistan|||Uzbek|Tashkent
TKM|Turkmenistan|||Turkmen|Ashgabat
KGZ|Kyrgyzstan|||Kyrgyz|Bishkek
TJK|Tajikistan|||Tajik|Dushanbe
BIH|Bosnia and Herzegovina|Bosnia||Bosnian|Sarajevo
CYP|Cyprus|||Cypriot|Nicosia
MLT|Malta|||Maltese|Valletta
"""

_KINDS = ("name", "abbr", "demonym", "capital")
_SAINT = re.compile(r"\b(?:st|saint|sainte|santa)\b")


@lru_cache(maxsize=8192)
def name_key(text: str) -> str:
    """Case-, accent-, punctuation- and article-insensitive form of a name, for comparisons.

    "the U.S." -> "us"; "Côte d'Ivoire" -> "cote divoire"; "Poland's" -> "poland".
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("’", "'").replace("‘", "'").replace(".", "")
    text = re.sub(r"'s\b|(?<=s)'(?=\s|$)", "", text)
    text = re.sub(r"[^\w\s']|_", " ", text).replace("'", "")
    text = _SAINT.sub("saint", text)
    words = text.split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _abbr_key(text: str) -> str:
    return text.replace(".", "").strip()


class _Index:
    """Lookup tables built once from ``_TABLE``."""

    def __init__(self) -> None:
        self.by_key: dict[str, tuple[str, str]] = {}
        self.by_abbr: dict[str, str] = {}
        self.canonical: dict[str, str] = {}
        self.forms: dict[str, tuple[str, ...]] = {}
        for line in _TABLE.strip().splitlines():
            iso, canonical, names, abbrs, demonyms, capitals = line.split("|")
            self.canonical[iso] = canonical
            forms: list[str] = [canonical]
            for kind, field in zip(
                _KINDS,
                ([canonical, *_split(names)], _split(abbrs), _split(demonyms), _split(capitals)),
                strict=True,
            ):
                for form in field:
                    if kind == "abbr" and form.replace(".", "").isupper():
                        self.by_abbr.setdefault(_abbr_key(form), iso)
                    else:
                        self.by_key.setdefault(name_key(form), (iso, kind))
                    if form not in forms:
                        forms.append(form)
            self.forms[iso] = tuple(forms)


def _split(field: str) -> list[str]:
    return [part for part in field.split(";") if part]


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index()


@lru_cache(maxsize=1)
def _iso_names() -> dict[str, str]:
    """Every ISO short, common and official English name, keyed by ``name_key``."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if isinstance(value, str) and "," not in value:
                names.setdefault(name_key(value), country.alpha_3)
    return names


def lookup_country(name: str) -> tuple[str, str] | None:
    """``(iso3, kind)`` for a country form, kind one of name/abbr/demonym/capital; else None.

    Abbreviations are matched case-sensitively ("US" is the country, "us" is not).
    Plural demonyms ("Ukrainians") count as demonyms.
    """
    text = name.strip().strip('"“”,;:')
    text = re.sub(r"^(?:the|The)\s+", "", text)
    text = re.sub(r"(?:'s|’s|'|’)$", "", text)
    if not text:
        return None
    index = _index()
    if re.fullmatch(r"(?:[A-Z]\.?){2,5}", text):
        iso = index.by_abbr.get(_abbr_key(text))
        if iso is not None:
            return iso, "abbr"
        if text.replace(".", "").isupper() and len(text.replace(".", "")) <= 3:
            return None
    key = name_key(text)
    found = index.by_key.get(key)
    if found is None and key.endswith("s"):
        plural = index.by_key.get(key[:-1])
        if plural is not None and plural[1] == "demonym":
            found = plural
    if found is not None:
        return found
    iso = _iso_names().get(key)
    return (iso, "name") if iso is not None else None


def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-3 for a country name, short form, abbreviation, demonym or capital.

    "DPRK", "North Korean", "Pyongyang" -> "PRK"; "the U.S." -> "USA"; "Ivory Coast" -> "CIV";
    "Korea" alone -> "KOR". None when the text names no country.
    """
    if not name:
        return None
    found = lookup_country(name)
    return found[0] if found is not None else None


def iso3(code: str | None) -> str | None:
    """``code`` when it is a valid ISO 3166-1 alpha-3 code (as a model may write), else None."""
    if code is None or not re.fullmatch(r"[A-Z]{3}", code.strip()):
        return None
    return code.strip() if pycountry.countries.get(alpha_3=code.strip()) is not None else None


def country_name(iso: str) -> str:
    """Canonical English short name of a state ("PRK" -> "North Korea")."""
    name = _index().canonical.get(iso)
    if name is not None:
        return name
    country = pycountry.countries.get(alpha_3=iso)
    if country is None:
        return iso
    common = getattr(country, "common_name", None)
    return str(common) if isinstance(common, str) else str(country.name)


def country_forms(iso: str) -> tuple[str, ...]:
    """Standard surface forms of a state: names, abbreviations, demonyms, capitals."""
    forms = _index().forms.get(iso)
    if forms is not None:
        return forms
    country = pycountry.countries.get(alpha_3=iso)
    if country is None:
        return ()
    values = [getattr(country, a, None) for a in ("common_name", "name", "official_name")]
    return tuple(dict.fromkeys(v for v in values if isinstance(v, str) and "," not in v))


def split_country_prefix(name: str) -> tuple[str | None, str, str]:
    """Split a leading country form off a name: ``(iso3, prefix, rest)``.

    "Polish Armament Agency" -> ("POL", "Polish", "Armament Agency");
    "Poland's arms procurement agency" -> ("POL", "Poland's", "arms procurement agency").
    Capitals are not split off ("Washington Post" stays whole). No prefix: (None, "", name).
    """
    words = name.split()
    for size in range(min(4, len(words) - 1), 0, -1):
        prefix = " ".join(words[:size])
        found = lookup_country(prefix)
        if found is not None and found[1] != "capital":
            return found[0], prefix, " ".join(words[size:])
    return None, "", name


def split_country_suffix(name: str) -> tuple[str | None, str]:
    """Split a trailing "of <country>": "Ministry of Foreign Affairs of Belarus" -> BLR."""
    match = re.fullmatch(r"(.+)\s+(?:of|in)\s+(?:the\s+)?(.+)", name)
    if match is None:
        return None, name
    found = lookup_country(match.group(2))
    if found is None or found[1] not in ("name", "abbr"):
        return None, name
    return found[0], match.group(1)
