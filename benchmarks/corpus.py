"""A synthetic corpus of news articles about the January 2022 unrest, laid out like ``seeds/``.

    python benchmarks/corpus.py 1000 /tmp/corpus --seed 1
    kzdata build --seeds /tmp/corpus --out /tmp/corpus-out

writes ``OUT/articles/NNNNNN_<sha>.txt`` (N articles), ``OUT/sources.toml`` (one table per
article: title, outlet, authors, published, published_basis, language, url) and
``OUT/truth.jsonl``: one line per figure the templates attributed, with the file, the
predicate, the claimant's actor id (as in kzdata's actor dictionary), the amount and
qualifier, and the sentence with its character span. ``kzdata build`` reads only the first
two; the third is the answer key (and it lists the decoy figures put into captions, which
must not become claims).

Articles are built from templates: fictional outlets with their own house style (bylines,
datelines, wire leads, photo captions with credits, "Read more" lists, copyright and
sign-off lines), about 300–700 words (a few up to ~750) of varied narrative that states no
figure, and two to six attributed figures about people detained, killed or injured and
troops deployed, worded in many ways ("X said", "according to X", "X told Y", relayed by an
agency; digits, number words, "N thousand"; about / over / at least / nearly). Pure stdlib, deterministic: the same
N and seed give the same bytes (each article has its own ``random.Random`` seeded from the
seed and its index, so article i does not depend on N).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import sys
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

YEAR = 2022
MONTH_NAMES = ("January", "Jan.")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FIRST_PUBLISHED, LAST_PUBLISHED = date(YEAR, 1, 5), date(YEAR, 1, 20)
UNREST_START = date(YEAR, 1, 2)
CATALOGUE = "sources.toml"

INTERIOR = "act-ministry-of-internal-affairs-of-kazakhstan"
HEALTH = "act-ministry-of-health-of-kazakhstan"
TOKAYEV = "act-kassym-jomart-tokayev"
PROSECUTOR = "act-prosecutor-general-s-office-of-kazakhstan"
CSTO = "act-collective-security-treaty-organization"
HRW = "act-human-rights-watch"
AMNESTY = "act-amnesty-international"

# claimant actor id -> surface forms used as the subject of a sentence
CLAIMANTS: dict[str, tuple[str, ...]] = {
    INTERIOR: (
        "the Interior Ministry",
        "Kazakhstan's Interior Ministry",
        "the Ministry of Internal Affairs",
        "the interior ministry",
        "Kazakhstan's Ministry of Internal Affairs",
        "police",
        "the police",
    ),
    HEALTH: ("the Health Ministry", "the Ministry of Health", "Kazakhstan's health ministry", "the health ministry"),
    TOKAYEV: ("President Kassym-Jomart Tokayev", "Kazakh President Kassym-Jomart Tokayev", "Tokayev", "Mr Tokayev"),
    PROSECUTOR: ("the Prosecutor General's Office", "the General Prosecutor's Office"),
    CSTO: ("the CSTO", "the Collective Security Treaty Organization"),
    HRW: ("Human Rights Watch",),
    AMNESTY: ("Amnesty International",),
}
WHO_SPEAKS: dict[str, tuple[str, ...]] = {
    "detained": (INTERIOR, INTERIOR, INTERIOR, TOKAYEV, PROSECUTOR, HRW),
    "killed": (HEALTH, HEALTH, INTERIOR, PROSECUTOR, TOKAYEV, AMNESTY),
    "injured": (HEALTH, HEALTH, INTERIOR, TOKAYEV),
    "troops_deployed": (CSTO, CSTO, TOKAYEV),
}
RELAYS = ("Reuters", "AFP", "Interfax", "TASS", "the Associated Press")
LISTENERS = ("reporters", "a government meeting", "state television", "the Khabar 24 channel", "journalists")
PREDICATES = ("detained", "detained", "killed", "injured", "troops_deployed")
# Cumulative nationwide figures by day of January (a rough shape of what was reported);
# a figure is the curve at its date times noise, times a share for a city scope
CURVES: dict[str, dict[int, int]] = {
    "detained": {5: 1500, 7: 3800, 8: 4400, 9: 5800, 10: 7939, 11: 9900, 13: 10000, 15: 12000, 20: 12500},
    "killed": {5: 8, 6: 26, 7: 44, 9: 164, 11: 164, 15: 225, 20: 227},
    "injured": {5: 1000, 6: 1300, 8: 2200, 10: 4300, 15: 4500, 20: 4600},
    "troops_deployed": {5: 0, 6: 150, 7: 2030, 9: 2500, 13: 2030, 15: 600, 20: 150},
}
FLOOR = {"detained": 40, "killed": 2, "injured": 10, "troops_deployed": 70}

# clause templates per predicate; {n} is the figure with its qualifier
CLAUSES: dict[str, tuple[str, ...]] = {
    "detained": (
        "{n} people had been detained",
        "{n} people were detained",
        "{n} people had been taken into custody",
        "{n} protesters were arrested",
        "{n} people have been detained",
        "{n} suspected rioters had been detained",
    ),
    "killed": (
        "{n} people had been killed",
        "{n} people were killed in the unrest",
        "{n} people died during the riots",
        "{n} civilians were killed",
        "{n} people lost their lives",
    ),
    "injured": (
        "{n} people were injured",
        "{n} people had been wounded",
        "{n} people sought medical help",
        "{n} people were hospitalized",
    ),
    "troops_deployed": (
        "{n} troops had been deployed to Kazakhstan",
        "{n} soldiers were sent to Kazakhstan",
        "{n} peacekeepers had arrived in the country",
    ),
}
QUALIFIERS = (
    ("", "exact"), ("", "exact"), ("", "exact"), ("about ", "about"), ("some ", "about"), ("around ", "about"),
    ("over ", "over"), ("more than ", "over"), ("at least ", "at_least"), ("nearly ", "almost"), ("almost ", "almost"),
)  # fmt: skip
# scope phrase -> share of the nationwide figure
SCOPES = (("", 1.0), ("", 1.0), ("", 1.0), (" across the country", 1.0), (" nationwide", 1.0),
          (" in Almaty", 0.5), (" in the Almaty region", 0.2), (" in Shymkent", 0.08))  # fmt: skip

UNITS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")  # fmt: skip
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


@dataclass(frozen=True, slots=True)
class Outlet:
    """A fictional outlet and its house style."""

    name: str
    domain: str
    style: str  # byline | wire | written | bare
    agency: str  # photo agency in captions


OUTLETS = (
    Outlet("Steppe Herald", "steppeherald.example", "byline", "AFP"),
    Outlet("Central Asia Monitor", "camonitor.example", "written", "Getty Images"),
    Outlet("Eurasia Wire", "eurasiawire.example", "wire", "AP"),
    Outlet("The Caspian Post", "caspianpost.example", "byline", "Reuters"),
    Outlet("Global Daily Brief", "globaldailybrief.example", "bare", "EPA"),
    Outlet("Northern Courier", "northerncourier.example", "written", "AFP"),
)
GIVEN = ("Anna", "Daniyar", "Maria", "James", "Aigerim", "Peter", "Olga", "Timur", "Sarah", "Yerlan", "Laura", "Arman")
FAMILY = ("Petrova", "Smith", "Abenov", "Kowalski", "Ivanova", "Brown", "Nurlanov", "Fischer", "Lee", "Dzhaksybekova")

# Narrative that states no figure: subject x verb phrase x tail, sentences never end in a number
SUBJECTS = (
    "Protesters", "Residents of Almaty", "Demonstrators in the west of the country",
    "Shop owners in the city centre", "Crowds in Aktau", "Young men from the suburbs", "Taxi drivers",
    "Pensioners in Taraz",
    "Students and workers", "Families of the detained", "Opposition activists abroad", "Oil workers in Zhanaozen",
)  # fmt: skip
VERBS = (
    "gathered in the main square", "blocked the roads leading to the airport", "marched towards the city hall",
    "waited for news outside the police station", "described a night of gunfire and looting",
    "demanded lower fuel prices and political change", "queued for bread and petrol", "stayed indoors",
    "returned to the streets after the curfew was lifted", "complained that the internet had been cut",
    "laid flowers at the scene of the clashes", "cleaned up the debris of burnt cars",
)  # fmt: skip
TAILS = (
    "as the price of liquefied gas doubled", "while armoured vehicles patrolled the streets",
    "despite the state of emergency", "in freezing temperatures", "as shops and banks stayed closed",
    "after a week of turmoil", "under the watch of soldiers", "while rumours spread on social media",
    "as the government resigned", "before the curfew began",
)  # fmt: skip
BACKGROUND = (
    "The protests began in the oil town of Zhanaozen after the government lifted a cap on fuel prices.",
    "Kazakhstan is the largest economy in Central Asia and a major exporter of oil and uranium.",
    "The unrest was the worst the country had seen since independence from the Soviet Union.",
    "Former president Nursultan Nazarbayev had ruled the country for almost three decades.",
    "Internet access was cut across much of the country for several days.",
    "The government resigned early in the crisis, and a state of emergency was declared.",
    "Analysts described the events as a power struggle within the ruling elite.",
    "The airport in Almaty was briefly seized by protesters before being retaken.",
    "Prices of liquefied petroleum gas, which most cars in the west run on, had risen sharply.",
    "The city administration building in Almaty was set on fire during the clashes.",
    "A national day of mourning was declared for the victims of the violence.",
    "Foreign governments urged restraint on all sides and called for a peaceful solution.",
    "Banks reopened gradually, and long queues formed outside cash machines.",
    "The Russian-led alliance described its mission as a peacekeeping operation.",
    "Many families said they still did not know where their relatives were being held.",
    "Footage shared online showed burnt-out cars and shattered shop windows.",
    "The former head of the security service was arrested on suspicion of treason.",
    "Journalists said they had been unable to verify many of the reports independently.",
)  # fmt: skip
HEADINGS = ("Troops arrive", "A city under curfew", "Questions over the toll", "Power struggle", "What comes next")
CAPTIONS = (
    "Riot police block a street in central Almaty",
    "Protesters gather in front of the city administration building in Almaty",
    "A burnt-out car in the centre of Almaty",
    "Soldiers patrol the main square in Almaty",
    "People queue outside a shop in Almaty",
)
READ_MORE = (
    "Kazakhstan lifts state of emergency in several regions",
    "What is behind the unrest in Kazakhstan?",
    "Tokayev names new prime minister",
    "Russian-led troops begin to leave Kazakhstan",
)


@dataclass(frozen=True, slots=True)
class Truth:
    """One figure the templates put into an article (``decoy``: in a caption, not a claim)."""

    file: str
    predicate: str
    claimant_id: str
    amount: int
    qualifier: str
    stated_on: str | None
    relayed_by: str | None
    start: int
    end: int
    sentence: str
    decoy: bool = False


def number_words(n: int) -> str:
    """English words for 0 < n < 1000 ("forty-four", "two hundred and twelve")."""
    hundreds, rest = divmod(n, 100)
    parts = [f"{UNITS[hundreds]} hundred"] if hundreds else []
    if rest:
        words = UNITS[rest] if rest < 20 else TENS[rest // 10] + (f"-{UNITS[rest % 10]}" if rest % 10 else "")
        parts.append(words)
    return " and ".join(parts)


def curve(predicate: str, day: date) -> int:
    """The nationwide figure of ``predicate`` on ``day`` (linear between the known days)."""
    points = sorted(CURVES[predicate].items())
    if day.day <= points[0][0]:
        return points[0][1]
    for (d0, v0), (d1, v1) in itertools.pairwise(points):
        if day.day <= d1:
            return round(v0 + (v1 - v0) * (day.day - d0) / (d1 - d0))
    return points[-1][1]


def figure(rng: random.Random, predicate: str, day: date, share: float) -> tuple[int, str]:
    """An amount and how it is written: digits with or without commas, words, 'N thousand'."""
    amount = max(FLOOR[predicate], round(curve(predicate, day) * share * rng.uniform(0.75, 1.1)))
    style = rng.random()
    if amount >= 1000 and style < 0.15:
        amount = round(amount, -3)
        return amount, rng.choice((f"{amount // 1000} thousand", f"{number_words(amount // 1000)} thousand"))
    if amount < 100 and style < 0.4:
        return amount, number_words(amount)
    if amount >= 1000 and style < 0.3:
        return amount, str(amount)
    return amount, f"{amount:,}"


def when(rng: random.Random, published: date) -> tuple[date | None, str]:
    """When the figure was stated, and the phrase ('' when the sentence does not say)."""
    earliest = max(UNREST_START + timedelta(days=3), published - timedelta(days=5))
    day = earliest + timedelta(days=rng.randint(0, (published - earliest).days))
    choice = rng.random()
    if choice < 0.35:
        return None, ""
    if choice < 0.55 and day < published:
        return day, f" on {WEEKDAYS[day.weekday()]}"
    return day, f" on {rng.choice(MONTH_NAMES)} {day.day}"


Spec = tuple[str, str, str, int, str, date | None, str | None]
"""A templated claim: (sentence, claimant id, qualifier, amount, predicate, stated_on, relay)."""


def claim_sentence(rng: random.Random, predicate: str, published: date) -> Spec:
    """A sentence attributing a figure of ``predicate`` to a claimant, and what it says."""
    claimant = rng.choice(WHO_SPEAKS[predicate])
    who = rng.choice(CLAIMANTS[claimant])
    stated_on, on = when(rng, published)
    scope, share = rng.choice(SCOPES) if predicate != "troops_deployed" else ("", 1.0)
    amount, written = figure(rng, predicate, stated_on or published, share)
    prefix, qualifier = rng.choice(QUALIFIERS)
    clause = rng.choice(CLAUSES[predicate]).format(n=prefix + written) + scope
    relay = None
    frame = rng.randrange(8)
    if frame == 0:
        text = f"{cap(who)} said{on} that {clause}."
    elif frame == 1:
        text = f"{cap(clause)}, {who} said{on}."
    elif frame == 2:
        text = f"According to {who}, {clause}."
        stated_on = None
    elif frame == 3:
        text = f"{cap(who)} told {rng.choice(LISTENERS)}{on} that {clause}."
    elif frame == 4:
        relay = rng.choice(RELAYS)
        text = f"{cap(who)} said{on} that {clause}, {relay} reported."
    elif frame == 5:
        relay = rng.choice(RELAYS)
        text = f"According to {relay}, {who} said{on} that {clause}."
    elif frame == 6:
        relay = rng.choice(RELAYS)
        text = f"Citing {who}, {relay} reported{on} that {clause}."
    else:
        text = f"{cap(who)} announced{on} that {clause}."
    return text, claimant, qualifier, amount, predicate, stated_on, relay


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Narrative:
    """Sentences of narrative with no figure in them, none repeated within an article."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.background = rng.sample(BACKGROUND, len(BACKGROUND))
        self.subjects = rng.sample(SUBJECTS, len(SUBJECTS))
        self.verbs = rng.sample(VERBS, len(VERBS))
        self.count = 0

    def sentence(self) -> str:
        self.count += 1
        if self.background and self.rng.random() < 0.4:
            return self.background.pop()
        subject = self.subjects[self.count % len(self.subjects)]
        verb = self.verbs[(self.count * 5) % len(self.verbs)]  # 5 is coprime with len(VERBS)
        return f"{subject} {verb} {self.rng.choice(TAILS)}."


def dateline(rng: random.Random, style: str, published: date) -> str:
    hour, minute = rng.randint(6, 23), rng.randrange(0, 60, 5)
    if style == "byline":
        return f"January {published.day}, {YEAR}"
    if style == "written":
        return f"Published: {published.day} January {YEAR} {hour:02d}:{minute:02d} ALMT"
    return published.isoformat()


class Article:
    """Paragraphs appended in order, with the offsets of the lines we care about."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.words = 0

    def add(self, line: str, blank: bool = True) -> int:
        """Append a line (and a blank line after it); its start offset."""
        start = self.length
        text = line + ("\n\n" if blank else "\n")
        self.parts.append(text)
        self.length += len(text)
        self.words += len(line.split())
        return start

    def text(self) -> str:
        return "".join(self.parts)


def article(seed: int, index: int) -> tuple[str, dict[str, object], list[Truth]]:
    """Article ``index`` of the corpus for ``seed``: its text, catalogue entry and truth."""
    rng = random.Random(f"kzdata-corpus:{seed}:{index}")
    outlet = rng.choice(OUTLETS)
    published = FIRST_PUBLISHED + timedelta(days=rng.randint(0, (LAST_PUBLISHED - FIRST_PUBLISHED).days))
    authors = [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" for _ in range(rng.choice((1, 1, 1, 2)))]
    claims = [claim_sentence(rng, rng.choice(PREDICATES), published) for _ in range(rng.randint(2, 6))]
    title = headline(rng, claims[0])
    target = rng.randint(300, 700)
    doc = Article()
    doc.add(title)
    printed_date = outlet.style != "wire"
    if outlet.style in ("byline", "written"):
        doc.add(("By " if outlet.style == "byline" else "Written by ") + " and ".join(authors), blank=False)
    if printed_date:
        doc.add(dateline(rng, outlet.style, published))
    truth: list[Truth] = []
    story = Narrative(rng)
    footer = 25  # words of the footer, added at the end
    slots = sorted(rng.sample(range(1, max(len(claims) + 1, target // 55)), len(claims)))
    paragraph = 0
    pending = list(zip(slots, claims, strict=True))
    while doc.words + footer < target or pending:
        paragraph += 1
        room = doc.words + footer < target
        sentences = [story.sentence() for _ in range(rng.randint(1, 3) if room else 0)]
        claim = None
        if pending and (pending[0][0] <= paragraph or not room):
            claim = pending.pop(0)[1]
            sentences.insert(rng.randint(0, len(sentences)), claim[0])
        if not sentences:
            continue
        if paragraph == 1 and outlet.style == "wire":
            sentences[0] = f"ALMATY, Kazakhstan ({outlet.agency}) — {sentences[0]}"
        text = " ".join(sentences)
        start = doc.add(text)
        if claim is not None:
            truth.append(_truth(claim, start + text.index(claim[0])))
        if paragraph % 4 == 2:
            decoy = _caption(rng, doc, outlet, authors)
            if decoy is not None:
                truth.append(decoy)
        elif paragraph % 5 == 3 and rng.random() < 0.5:
            doc.add(rng.choice(HEADINGS))
    _footer(rng, doc, outlet, authors)
    text = doc.text()
    name = f"{index:06d}_{hashlib.sha256(text.encode()).hexdigest()[:16]}.txt"
    entry: dict[str, object] = {
        "title": title,
        "outlet": outlet.name,
        "authors": authors,
        "published": published,
        "published_basis": "dateline" if printed_date else "given",
        "language": "en",
        "machine_translated": False,
        "url": f"https://{outlet.domain}/{YEAR}/01/{published.day:02d}/{slug(title)}",
    }
    return text, {"name": name, **entry}, [_named(t, name) for t in truth]


def headline(rng: random.Random, claim: Spec) -> str:
    _, _, _, amount, predicate, _, _ = claim
    noun = {"detained": "detained", "killed": "dead", "injured": "injured", "troops_deployed": "troops"}[predicate]
    return rng.choice(
        (
            f"Kazakhstan: {amount:,} {noun} as unrest grips the country",
            "Kazakhstan unrest: what we know so far",
            f"Officials report {amount:,} {noun} after a week of protests",
            "Calm returns to Almaty after days of violence",
        )
    )


def _caption(rng: random.Random, doc: Article, outlet: Outlet, authors: list[str]) -> Truth | None:
    photographer = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    day = rng.randint(5, 8)
    if rng.random() < 0.3:  # a decoy figure in a caption: must not become a claim
        amount = rng.randint(20, 400)
        line = f"Some of the {amount} people detained in Almaty on January {day} ({photographer}/{outlet.agency})"
        start = doc.add(line)
        return Truth("", "detained", "", amount, "exact", None, None, start, start + len(line), line, decoy=True)
    base = rng.choice(CAPTIONS)
    if outlet.style == "written":
        doc.add(f"{base} on January {day}.", blank=False)
        doc.add(f"Photograph: {photographer}/{outlet.agency}")
    elif outlet.style == "bare":
        doc.add(f"{base}. Photo: {outlet.agency}")
    else:
        doc.add(f"{base} on January {day} ({photographer}/{outlet.agency})")
    return None


def _footer(rng: random.Random, doc: Article, outlet: Outlet, authors: list[str]) -> None:
    if outlet.style == "wire":
        editor = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        doc.add(f"Reporting by {' and '.join(authors)}; Editing by {editor}")
    if rng.random() < 0.7:
        doc.add("Read more:", blank=False)
        for headline_text in rng.sample(READ_MORE, 2):
            doc.add(headline_text, blank=False)
        doc.add("")
    if outlet.style == "bare":
        doc.add("Follow us on Telegram for the latest news from Central Asia.", blank=False)
        doc.add("Share this article")
    doc.add(f"© {YEAR} {outlet.name}. All rights reserved.", blank=False)


def _truth(claim: Spec, start: int) -> Truth:
    sentence, claimant, qualifier, amount, predicate, stated_on, relay = claim
    return Truth(
        "", predicate, claimant, amount, qualifier, stated_on and stated_on.isoformat(), relay,
        start, start + len(sentence), sentence,
    )  # fmt: skip


def _named(truth: Truth, name: str) -> Truth:
    return Truth(**{**asdict(truth), "file": name})


def slug(text: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in kept.split("-") if part)


def toml_value(value: object) -> str:
    """A TOML value for the types the catalogue uses (str, bool, date, list of str)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string here


def catalogue_table(entry: dict[str, object]) -> str:
    lines = [f'\n["{entry["name"]}"]']
    lines += [f"{key} = {toml_value(value)}" for key, value in entry.items() if key != "name"]
    return "\n".join(lines) + "\n"


def generate(count: int, out: Path, *, seed: int = 1) -> dict[str, int]:
    """Write ``count`` articles, ``sources.toml`` and ``truth.jsonl`` into ``out``; totals."""
    articles = out / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    header = f"# Synthetic corpus: benchmarks/corpus.py {count} OUT --seed {seed}\n"
    tables, truths, total_bytes, total_words = [header], [], 0, 0
    for index in range(count):
        text, entry, truth = article(seed, index)
        data = text.encode("utf-8")
        (articles / str(entry["name"])).write_bytes(data)
        tables.append(catalogue_table(entry))
        truths += [json.dumps(asdict(t), sort_keys=True, ensure_ascii=False) + "\n" for t in truth]
        total_bytes += len(data)
        total_words += len(text.split())
    (out / CATALOGUE).write_text("".join(tables), encoding="utf-8")
    (out / "truth.jsonl").write_text("".join(truths), encoding="utf-8")
    return {"articles": count, "bytes": total_bytes, "words": total_words, "figures": len(truths)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="folder to write (articles/, sources.toml, truth.jsonl)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    if (args.out / "articles").exists() and any((args.out / "articles").iterdir()):
        parser.error(f"{args.out / 'articles'} is not empty; give a new folder")
    totals = generate(args.count, args.out, seed=args.seed)
    print(json.dumps(totals), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
