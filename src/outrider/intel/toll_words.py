"""Words of tolls that the casualty grammar (`intel/casualties.py`) reads beside its verbs: the wounded who
remain after some died, a count of the injured, a part of the victims, vague and ranged figures. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable

from outrider.intel.lexicon import nationalities

# a part of the victims, not their number
SUBSET = re.compile(
    r"\b(?:among the|of the(?: most)?(?: critically| seriously| badly| severely| gravely)?)\s*$", re.I
)
TOLL = re.compile(
    r"(?:death toll\s+(?:\w+\s+){0,3}?(?:to|at|of|reached|hit)"
    # "the toll eventually reached ten", "the toll of the attack thus stands at four dead"
    r"|\btoll\s+(?:[\w']+\s+){0,4}?(?:reached|(?:stands|stood|remain(?:s|ed)?)\s+at)"
    # "put the number of security personnel killed in the town at four"
    r"|\bput(?:s|ting)?\s+the\s+"
    r"(?:toll|number of (?:the\s+)?(?:dead|deaths|[\w\s-]{1,40}?\bkilled\b[\w\s-]{0,30}?))\s+at"
    # "Fatalities: 2 (1 expatriate engineer ...)", "Dead: 5 (five)": a report's labelled count
    r"|(?<![\w-])(?:fatalities|deaths|dead|killed)\s*:)"
    r"\s+(?P<obj>[^.;:]{1,40})",
    re.I,
)
REVISED = re.compile(
    r"\btoll\s+(?:was\s+|has been\s+)?(?:revised|lowered|raised|rose|rises|climbed|climbs|updated)\s+"
    r"(?:\w+\s+)?to\s+"
    r"(?P<obj>[^.;:]{1,40})"
    # "the death toll from Sunday's bombing in the town rose to 11"
    r"|\bdeath toll\b[^.;:]{1,120}?\b(?:rose|has risen|had risen|climbed|jumped|increased|went up)\s+to\s+"
    r"(?P<obj3>[^.;:]{1,40})"
    # "the number of martyrs has (now) reached four": a toll counted up after the wounded died
    r"|\bnumber of (?:the\s+)?(?:martyrs|shuhada|dead|deaths|fatalities|those killed)\s+(?:ha[sd]\s+)?"
    r"(?:now\s+)?(?:reached|risen to|rose to|climbed to|gone up to)\s+(?P<obj4>[^.;:]{1,40})"
    r"|\b(?:revised|lowered|raised|updated)\s+the\s+"
    r"(?:death\s+toll|toll|number of (?:dead|deaths|those killed))"
    r"\s+to\s+(?P<obj2>[^.;:]{1,40})"
    # "that brings the official toll to five", "taking the death toll to four", "raising the death toll from
    # the attack on a police patrol to two", "raising the number of martyrs to three": the count told last
    r"|\b(?:brings|bringing|brought|takes|taking|took|rais(?:es|ed|ing)|push(?:es|ed|ing))\s+the\s+"
    r"(?:(?:official\s+|overall\s+|death\s+)*toll|number\s+of\s+(?:the\s+)?(?:martyrs|dead|deaths|fatalities))"
    r"(?:\s+(?:from|of|in|among)\s+[^.;:]{1,60}?)?\s+to\s+"
    r"(?P<obj5>[^.;:]{1,40})",
    re.I,
)
# "two guards were also killed", "one guard also died": more victims of the same toll, told after the first
ALSO = re.compile(r"\balso\s*$", re.I)
# "Two local employees, a guard and a cook, were also killed": the subject ends before its verb's "also"
ALSO_END = re.compile(r"\s+(?:were|was|are|is|have been|had been|has been)\s+also\s*$", re.I)
# "The three people in the vehicle also died": a group told before (often the attackers), not more victims
TOLD_BEFORE = re.compile(
    r"\bthe\s+(?:[\w-]+\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\b[^.;,]*$", re.I
)
_RANK = (
    r"(?-i:(?:Assistant )?Sub-Inspector|Inspector|Head Constable|Constable|Sepoy|Naik|Havildar|Risaldar"
    r"|Lance Naik|Sipahi|ASI|PC(?! Hotel))"
)
# one victim told without a number: "a driver", "his wife", "Sub-Inspector A. Khan", "a third"
PERSON_ONE = re.compile(
    # "the couple's Pakistani driver", "the car's driver": one person, told by whose he was
    # "wounding an engineer and the driver": one more person, named after another
    r"\b(?:a|an|another|their|his|her|our|one|(?<=\band )the|(?:the\s+)?[A-Za-z]+['\u2019]s)\s+"
    r"(?:[A-Za-z-]+\s+){0,2}?"
    r"(?:driver|guard|officer|policeman|soldier|man|woman|child|boy|girl|worker|engineer|person|civilian|"
    r"teacher|employee|passenger|pilot|cook|waiter|constable|"
    r"cop|official|journalist|reporter|student|shopkeeper|labourer|laborer|trader|passer-by|passerby|doctor|"
    r"sub-inspector|inspector|head constable|citizen|national|resident|tourist|climber|villager|pilgrim|"
    r"nurse|vaccinator|watchman|nephew|son|daughter|brother|sister|wife|husband|father|mother|cousin|relative|"
    r"leader|elder|cleric|judge|lawyer|sepoy|security guard|superintendent|captain|major|lieutenant|colonel"
    r"|dsp|sho|escort|bodyguard|recruit|worshipper|customer"
    # "a tehsil council chairman was killed", "our chowkidar ... embraced martyrdom": one person by his office
    r"|chairman|councillor|councilor|mayor|commissioner|chowkidar|conductor|technician|businessman"
    r"|farmer|shepherd|fisherman|jawan|sentry|mechanic|activist|politician|lawmaker|senator|minister|imam"
    r"|professor|principal|lecturer)\b"
    # "two guards were shot dead and a third was wounded": one more person, told by his rank in the count
    r"|\ba\s+(?:second|third|fourth|fifth|sixth)\b(?=\s+(?:was|had|died|succumbed|is)\b|\s*$)"
    # "two guards were killed and another was wounded", "killing one and wounding another": one more person
    r"|\banother\b(?=\s*$)"
    r"|\b(?:him|her)\b(?! own| way)"
    r"|\b(?:he|she)\b(?=\s+(?:was|had been)\b)"  # "He was badly injured": the subject of a passive
    # "Sub-Inspector A. Khan shot dead": one person named by rank and name
    # "ASI Muhammad Yaqoob, PC Ali Nawaz and PC Zulfiqar Ali embraced shahadat": police ranks as abbreviated
    rf"|\b{_RANK}\s+(?-i:[A-Z][\w.]+)",
    re.I,
)
# "the number of injured remains above 200"
# "Total injured were 64", "the total wounded stood at 12": a count of the injured told as a total
WOUNDED_COUNT = re.compile(
    r"(?:\bnumber of (?:the )?(?:injured|wounded)(?: people)?\s+(?:\w+\s+){0,2}?(?:at|above|to|of|is|was)"
    r"|\btotal (?:number of )?(?:injured|wounded)(?: people| persons)?\s+"
    r"(?:were|was|is|are|stood at|reached)"
    # "Injured: 4 (2 expatriate staff ...)": a report's labelled count
    r"|(?<![\w-])(?:injured|wounded|injuries)\s*:)\s+"
    r"(?P<obj>[^.;:]{1,40})",
    re.I,
)
# "seven injured are still under treatment", "Fourteen others are still in hospital": the wounded who remain
# after some of them died, told after the first count
# "The other two injured, including a boy, are still in the hospital"; "The four other injured, among them
# the passer-by, were in stable condition"; "The second injured soldier is stated to be recovering": one
STILL_TREATED = re.compile(
    r"(?:\b(?P<n>[\w-]+)|\bthe\s+other\s+(?P<n2>[\w-]+))\s+(?:other\s+)?"
    r"(?:others|injured|wounded|of the (?:injured|wounded))"
    r"(?:\s+(?:people|persons|policem[ae]n|soldiers|personnel|workers|victims))?"
    # "The other three injured, two engineers and a driver, are out of danger"
    r"(?:,(?P<parts>[^.;]{1,60}),)?\s+"
    r"(?:are|were|remain)\s+(?:still\s+(?:under treatment|in (?:the )?hospital)|out of danger"
    # "Six other injured policemen are recovering": the wounded who remain after one of them died
    r"|(?:still\s+)?recovering|in (?:a\s+)?stable condition)"
    r"|\bthe\s+(?:second|third|fourth|other)\s+(?P<one>injured|wounded)\s+[a-z]+\s+(?:is|was)\s+"
    r"(?:(?:stated|said|reported) to be\s+)?(?:still\s+)?"
    r"(?:recovering|in (?:a\s+)?stable condition|out of danger)",
    re.I,
)
# "Two constables are still in hospital", "Five other workers are still under treatment", "27 people are being
# treated": the wounded told only as those in care, when the report gives no other count of them
IN_CARE = re.compile(
    r"\b(?P<n>[\w-]+)\s+(?:other\s+|more\s+)?(?:(?:injured|wounded)\s+)?"
    r"(?:(?:people|persons|policem[ae]n|soldiers|personnel|workers|constables|guards|labou?rers|passengers"
    r"|civilians|officials|men|residents)\s+)?"
    r"(?:are|were|remain)\s+(?:still\s+)?(?:under treatment|in (?:the\s+)?hospital|being treated)\b",
    re.I,
)
# "none of the 22 crew was injured", "neither of the two guards was hurt": nobody of a group counted
NONE_OF = re.compile(r"\b(?:none|neither) of\b", re.I)
VAGUE = re.compile(r"\b(?:dozens|scores|hundreds)\b", re.I)


def firm(phrase: str) -> bool:
    """A figure, not "dozens" or "scores" of people."""
    return VAGUE.search(phrase) is None or re.search(r"\d", phrase) is not None


_N = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty)"
# "20-25", "five to seven", "six – eight"; not "twenty-one", a number written in words
RANGE = re.compile(
    rf"\b(?:between\s+(?P<low>{_N})\s+and\s+{_N}|(?P<low2>{_N})(?:\s*(?:to|–)\s*|\s+-\s+|(?<=\d)-(?=\d)){_N})\b",
    re.I,
)


ZERO_KILLED = re.compile(
    r"\b(no one|nobody|no casualties|no deaths|no lives|none)\b[^.]{0,20}\b(killed|died|lost|dead)"
    r"|\bno loss of (?:life|lives)\b"
    # "No deaths were reported", "There were no deaths", "no fatalities", "No dead body was received"
    r"|\bno (?:deaths|fatalities|dead bod(?:y|ies))\b",
    re.I,
)
ZERO_WOUNDED = re.compile(
    r"\b(no one|nobody|no casualties)\b[^.]{0,20}\b(wounded|injured|hurt)"
    # "no student or member of staff was hurt", "no injury was caused to any person"
    r"|\bno (?:[\w-]+ ){1,5}?(?:was|were|has been|had been) (?:hurt|harmed|injured|wounded)\b"
    r"|\bno injur(?:y|ies)\b",
    re.I,
)
UNHURT = re.compile(r"\b(?:was|were|escaped|remained)\s+(?:\w+\s+)?(?:unhurt|unharmed|unscathed)\b", re.I)
HURT = re.compile(r"\b(?:wound(?:s|ed|ing)?|injur(?:ed|ing|y|ies)|hurt)\b", re.I)


def zero_wounded(text: str) -> bool:
    """Nobody wounded: told so ("no one was hurt"), or one told unhurt where nobody is told hurt ("the
    driver escaped unhurt"; not "wounding the husband ... his wife was unhurt")."""
    return bool(ZERO_WOUNDED.search(text) or (UNHURT.search(text) and not HURT.search(text)))


# "no casualties were reported", "no one was hurt": nobody killed either
ZERO_ALL = re.compile(
    r"\bno casualties\b"
    r"|\b(?:no one|nobody)(?: else)? (?:is|was|were|has been|had been) (?:hurt|harmed|injured)\b"
    # "without causing any casualties", "no loss of life or injury was caused", "released its driver unharmed"
    r"|\bwithout (?:causing )?(?:any )?casualties\b|\bno loss of life or injur"
    r"|\breleased\b[^.;]{0,40}\bunharmed\b",
    re.I,
)

# "CORRECTION: an earlier version said two guards were hurt. Police have since said that no one was hurt":
# a correction's nobody hurt supersedes the figures told before it (not "revised earlier statements that
# nobody had been hurt": the statement corrected)
CORRECTED_ZERO = re.compile(
    r"\b(?:correction|(?:have|has) since (?:said|confirmed|clarified)|now (?:say|says))\b"
    r"(?:(?!(?:earlier|initial|first|previous) (?:statements?|reports?|accounts?|figures?))[^|]){0,200}?"
    r"\b(?:no one|nobody) (?:was|were|had been|has been) (?:hurt|harmed|injured)\b",
    re.I,
)

# "two critically injured soldiers succumbed": wounded who died, counted among the dead, not the wounded
ATTRIBUTIVE = re.compile(
    r"\s+(?:soldiers?|people|persons|men|women|children|policem[ae]n|police\w*|passengers?|workers?|"
    r"civilians?|victims?|personnel|guards?|labourers?|pilgrims?|students?|shopkeepers?|traders?|drivers?"
    r"|constables?|officers?|officials?|employees?|engineers?|technicians?|escorts?|man|woman|boy|girl|child)\b"
    r"[^.;]{0,40}?"
    r"\b(?:succumbed|succumbs|died|dies|passed away|expired|lost their lives)\b",
    re.I,
)
# "a guard injured in the blast died at the hospital": a participle of one who died, not a wounded count;
# the event may be told at length before "died" ("a soldier wounded in Tuesday's suicide car bombing at a
# checkpost near Dalbandin airport died"), so the window reaches 100 characters
# "one guard sustained grievous injuries and later succumbed in hospital": one who died, not a wounded count
DIED_AFTER = re.compile(
    r"\s+(?:in|during|by)\b[^.;,]{0,100}?\b(?:died|succumbed|dies|succumbs|passed away|expired)\b"
    r"|\s+and\s+(?:later\s+|subsequently\s+)?(?:died|succumbed|passed away|expired)\b",
    re.I,
)

APPOSITIVE = re.compile(
    r",\s*(?:including\s[^,]+|[^,]+?\s+among them|[\w-]+\s+of (?:them|whom)\s[^,]+)"
    r",?\s*$"
    # "two local employees, a guard and a cook, were also killed": the victims named between commas
    r"|,\s*(?:a|an|one)\s[^,]{1,40}?\band\s+(?:a|an|one|his|her)\s[^,]{1,30},\s*$"
    # "twelve persons — eleven passengers and one constable — were martyred": an aside between two dashes
    r"|\s+[—–]\s+[^—–]+\s[—–]\s*$",
    re.I,
)
# "two soldiers, Sepoy A. Khan and Sepoy I. Ali, lost their lives": the victims' names after their count
_NAME = r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}"
# "two constables, namely Constable A and Constable B, embraced martyrdom"
# "..., PC C and driver PC D": the last name told with its role
NAMED = re.compile(
    rf",\s*(?:namely\s+|viz\.?\s+)?{_NAME}(?:\s*,\s*{_NAME})*\s*,?\s+and\s+(?:[a-z]+\s+)?{_NAME},?\s*$"
)
# "while PC A, PC B and PC C received injuries": a list of names that begins with a ranked name
RANKED_LAST = re.compile(rf"\b{_RANK}\s+{_NAME}\s*$")


# where a subject's clause begins: "..., after A said that two guards were killed"
CLAUSE_BREAK = re.compile(r",|\bafter\b|\bwhen\b|\bthat\b|\bsaid\b|\bwhich\b")


def last_clause(text: str) -> str:
    """The part of ``text`` after its last comma or clause word: where the subject of the verb after it is."""
    return CLAUSE_BREAK.split(text)[-1]


def before_names(window: str, names: re.Match[str], counted: Callable[[str], object]) -> str:
    """The subject before an appositive that breaks it down ("five soldiers, an officer among them,", "two
    constables, namely Constable A and Constable B,"); the names themselves when nothing before them counts
    victims ("Due to the blast, ASI A, PC B and PC C embraced shahadat": three), joined by no comma."""
    head = window[: names.start()]
    piece = last_clause(head)
    if names.re is not NAMED or (counted(piece) and not RANKED_LAST.search(piece)):
        return head
    first = RANKED_LAST.search(piece)
    listed = (first.group(0) if first else "") + names.group(0)
    return re.sub(r"\s*,\s*(?:and\s+)?", " and ", listed.strip(" ,"))


def before_aside(window: str, counted: Callable[[str], object]) -> str:
    """The subject before asides told between commas right before its verb ("Two drivers, both residents of
    Battagram, embraced shahadat", "A constable, Ghulam Khoso of Sehwan, died"): cut back to the nearest
    part that ``counted`` finds victims in, skipping the aside just before the verb."""
    if not window.rstrip().endswith(","):
        return window
    parts = window.rstrip()[:-1].split(",")
    for k in range(1, min(3, len(parts) - 1) + 1):
        if counted(parts[-1 - k]) and not parts[-1 - k].strip().isdigit():  # "Muhammad Yaqoob, 41,": an age
            return ",".join(parts[:-k])
    return window


# "the mayor and six others", "the dentist and his wife": one victim named before the others
OTHERS = re.compile(
    r"^(?P<first>.*?)\s*,?\s+and\s+"
    r"(?:(?:(?:at least|some|about|nearly|over)\s+)?[\w-]+\s+(?:others|other people)\b"
    r"|(?:his|her)\s+(?:wife|husband|son|daughter|brother|sister|father|mother|driver|guard)\b)",
    re.I,
)
# "our brother was killed along with thirteen other men": the subject and the others
ALONG_WITH = re.compile(r"\balong with\s*$", re.I)
OTHER = re.compile(r"others?\b|more\b", re.I)
# "two of them", "all eight", "all of them": a group told before, often the attackers
PARTITIVE = re.compile(
    r"\s*(?:(?:[\w-]+\s+){1,2}of (?:them|those|these)|all(?: of them| the [\w-]+| [\w-]+)?)\s*", re.I
)
# "With his death, the injured now number four": the wounded who remain
NOW_NUMBER = re.compile(r"\bthe (?:injured|wounded) (?:now )?numbe?r(?:s|ed)?\s+(?P<n>[\w-]+)", re.I)
# "killed 17 and wounded ...": the end of an active clause, no passive subject; "Since 2017, at least 20
# Chinese nationals have been killed": a sum of many attacks, no toll
NO_SUBJECT_END = re.compile(r"\band\s*$|\bsince\s+(?:19|20)\d\d\b", re.I)
AUXILIARY = re.compile(r"\s+(?:were|was|have|had|are|been)\b")  # "were injured": a passive, not a participle


# "2 FC personnel KIA; 3 WIA": a return's abbreviations, killed and wounded in action (capitals only: "Kia" is
# a car)
ABBREVIATED = re.compile(r"\b(?P<k>KIA|K\.I\.A\.)|\b(?P<w>WIA|W\.I\.A\.)")


# "Toll 5 / 14", "K/W: 2/3", "killed/injured 4/9": a timeline's killed and wounded told as one pair
PAIRED = re.compile(
    r"\b(?:toll|casualties|k\s*/\s*w|(?:killed|dead)\s*/\s*(?:wounded|injured))\s*:?\s*(?P<k>\d+)\s*/\s*(?P<w>\d+)\b",
    re.I,
)


def spelled_out(text: str) -> str:
    """The text with killed and wounded in action, and a pair of killed and wounded, written as the words the
    casualty grammar reads."""
    text = PAIRED.sub(lambda m: f"{m['k']} killed and {m['w']} wounded", text)
    return ABBREVIATED.sub(lambda m: "killed" if m["k"] else "wounded", text)


def merged(a: dict[str, int], na: int, b: dict[str, int], nb: int) -> dict[str, int]:
    """Two parts' nationalities as one breakdown (a part without one counted as of no stated nationality)."""
    if not a and not b:
        return {}
    out = dict(a or {"": na})
    for k, v in (b or {"": nb}).items():
        out[k] = out.get(k, 0) + v
    return out


def contains(whole: dict[str, int], part: dict[str, int]) -> bool:
    """Whether a breakdown holds every nationality of another with the same count."""
    return bool(part) and all(whole.get(k) == v for k, v in part.items())


# "a citizen of the People's Republic of China": one told by the country's name, as "a Chinese citizen" is
_COUNTRY_DEMONYMS = {
    "china": "Chinese",
    "afghanistan": "Afghan",
    "pakistan": "Pakistani",
    "tajikistan": "Tajik",
    "kyrgyzstan": "Kyrgyz",
    "uzbekistan": "Uzbek",
    "iran": "Iranian",
    "russia": "Russian",
    "japan": "Japanese",
}
OF_A_COUNTRY = re.compile(
    r"\b(?P<noun>citizens?|nationals?) of (?:the )?(?:(?:people's |islamic )?republic of )?"
    rf"(?P<country>{'|'.join(_COUNTRY_DEMONYMS)})\b",
    re.I,
)


# "four (04) police personnel": a number written again in figures, as official letters do
NUMBER_AGAIN = re.compile(rf"\b(?P<n>{_N})\s*\(\s*\d+\s*\)", re.I)


# "One compatriot was killed", "two of his compatriots": people of the nationality the text named before them
COMPATRIOT = re.compile(r"\bcompatriots?\b", re.I)
DEMONYM = re.compile(rf"\b(?:{'|'.join(nationalities().values())})\b", re.I)


def demonym_first(text: str) -> str:
    """ "a citizen of China" as "a Chinese citizen", so that the breakdowns by nationality read it;
    "four (04)" as "four", counted once; "compatriots" with the demonym named last before them."""
    text = NUMBER_AGAIN.sub(lambda m: m["n"], text)
    text = OF_A_COUNTRY.sub(lambda m: f"{_COUNTRY_DEMONYMS[m['country'].lower()]} {m['noun']}", text)
    return COMPATRIOT.sub(lambda m: _of_nation(text, m), text) if "ompatriot" in text else text


def _of_nation(text: str, word: re.Match[str]) -> str:
    """ "compatriots" as "Chinese compatriots" after "an attack on a Chinese-invested enterprise ... One
    compatriot was killed", "A Chinese citizen was killed and two of his compatriots were wounded": the
    demonym written last before them (capitalised: "two of us" names no one), the word alone when none is."""
    named = [d for d in DEMONYM.finditer(text, 0, word.start()) if d.group(0)[0].isupper()]
    if not named or not text[named[-1].end() : word.start()].strip():
        return word.group(0)
    return f"{named[-1].group(0)} {word.group(0)}"
