"""A corpus of N distinct, realistic reports of the UNTOC working groups, made from the seed.

Run: ``python -m benchmarks.corpus N OUT_DIR [--seed S] [--check K]`` writes N text files named
after their symbols (``CTOC-COP-WG.7-2003-4.fr.txt``) and converts K of them (default 3) with
``report-graph build`` in a new process; it stops with exit 1, naming the file, when one does
not convert. ``generate(n, seed)`` gives the texts alone.

Each report is one meeting of one body, in French or in English (one report in four is in
English), never the same symbol twice, and never two meetings of one body in one year (they
would share the meeting IRI ``meeting/<series>/<year>``):

- **French** reports are the seed (CTOC/COP/WG.7/2015/6, 65 paragraphs, 41 recommendations)
  made into another meeting: the body (WG.7, WG.4 or WG.6: the Working Group's and its
  Protocol's names change where the meeting is described), symbol, year, meeting ordinal, dates,
  number of sittings, chair and panellists; the States of the attendance lists (parties,
  signatories, non-parties, drawn from ``data/reference/facts/states.tsv``) and of the
  statements (a subset of those present); the recommendations reordered inside their section,
  one in seven dropped, some reworded (the addressee, a verb).
- **English** reports follow the layout of the English test case (``tests/cases/en-trafficking-wg``,
  a UN-style working group report) with 12–20 recommendations drawn and reordered from a pool
  written here (citing articles of the Convention and of the body's Protocol) and the same kinds
  of attendance lists, chair, dates and documents.

Years are given per body, from 2025 down (the ordinal follows the year, so ``rg:precedingMeeting``
chains each body's meetings); 3 bodies × 170 years bound N at 510. Only the three Working Groups
of ``lexicon/series.tsv`` have reports of this form, and two meetings of one body in one year
would share one meeting IRI, so a series of 500 goes back to 1856 and the ordinals reach 170: no
real working group has met so long, but every report stays distinct and its meeting chained. The real reports of
``../shared/real-reports`` are not used: they are other bodies (Human Rights Council, ECOSOC ...)
whose meetings collide by design (see ``benchmarks/README.md``, "Real documents").
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import subprocess
import sys
import tempfile
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus_texts import (EN_MONTHS, EN_NUMBERS, EN_ORDINALS, EN_POOL, EN_REWORD, EN_SECTIONS,
                                     FIRST_NAMES, FR_MONTHS, FR_NUMBERS, FR_ORDINALS, FR_PARAGRAPHS, FR_REWORD,
                                     LAST_NAMES)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"
STATES = ROOT / "data" / "reference" / "facts" / "states.tsv"
SEED_SYMBOL = "CTOC/COP/WG.7/2015/6"
MAX_YEARS = 170  # 3 bodies × 170 years: N up to 510 (the years before 2000 are not real meetings)
FIRST_YEAR = 2025


@dataclass(frozen=True)
class Body:
    prefix: str
    en_group: str      # "Working Group on ..."
    fr_group: str      # "Groupe de travail sur ..."
    en_protocol: str
    fr_protocol: str   # as the seed writes it after «au Protocole»/«du Protocole»: «relatif au ...»
    fr_topic: str      # the Working Group's topic, for the seed's «sur le trafic illicite de migrants»


BODIES = (
    Body("CTOC/COP/WG.7", "Working Group on the Smuggling of Migrants", "Groupe de travail sur le trafic illicite de migrants",
         "Smuggling of Migrants Protocol", "relatif au trafic illicite de migrants", "le trafic illicite de migrants"),
    Body("CTOC/COP/WG.4", "Working Group on Trafficking in Persons", "Groupe de travail sur la traite des personnes",
         "Trafficking in Persons Protocol", "relatif à la traite des personnes", "la traite des personnes"),
    Body("CTOC/COP/WG.6", "Working Group on Firearms", "Groupe de travail sur les armes à feu",
         "Firearms Protocol", "relatif aux armes à feu", "les armes à feu"),
)


@dataclass(frozen=True)
class Report:
    symbol: str
    language: str
    text: str

    @property
    def file_name(self) -> str:
        return self.symbol.replace("/", "-") + f".{self.language}.txt"


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).lower()


def states() -> list[tuple[str, str]]:
    """(English, French) short names of the UN member States."""
    with STATES.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [(r["en_short"], r["fr_short"]) for r in rows if r["un_status"] == "member"]


def listing(names: list[str], language: str) -> str:
    names = sorted(names, key=_fold)
    last = " et " if language == "fr" else " and "
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + last + names[-1]


def ordinal(n: int, language: str) -> str:
    words = FR_ORDINALS if language == "fr" else EN_ORDINALS
    if n <= len(words):
        return words[n - 1]
    if language == "fr":
        return f"{n}e"
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def layout(symbol: str, blocks: list[str], rng: random.Random) -> str:
    """Blocks wrapped as a UN PDF's text layer is: the symbol at the head of each page, a job number and
    the page number at its foot."""
    width = rng.choice((78, 82, 86))
    page_lines = rng.choice((40, 46, 52))
    job = f"V.{symbol.split('/')[3][2:]}-{rng.randrange(10000, 99999)}"
    out = [f" {symbol}", ""]
    count, page = 0, 1
    for block in blocks:
        indent = " " if re.match(r"(?:[IVX]+|[A-H])\. ", block) else ""
        for line in textwrap.wrap(block, width, break_on_hyphens=False, break_long_words=False):
            out.append(indent + line)
            count += 1
            if count % page_lines == 0:
                page += 1
                out += ["", f"{job} {page}", "\f", f" {symbol}", ""]
        out.append("")
    return "\n".join(out) + "\n"


def seed_blocks() -> list[str]:
    """The seed's logical blocks: page furniture dropped, wrapped lines joined."""
    furniture = re.compile(r"\s*(?:V\.\d{2}-\d{5}\s+\d+|CTOC/COP/WG\.7/2015/6)\s*")
    start = re.compile(r"\s*(?:\d{1,3}\.|[IVX]+\.|[A-H]\.|[a-h]\))\s")
    blocks, current = [], []
    for raw in SEED.read_text("utf-8").splitlines():
        if furniture.fullmatch(raw):
            continue
        if not raw.strip() or (start.match(raw) and current):
            if current:
                blocks.append(" ".join(current))
            current = [raw.strip()] if raw.strip() else []
            continue
        current.append(raw.strip())
    if current:
        blocks.append(" ".join(current))
    return [re.sub(r"\s+", " ", b).replace("/ ", "/") for b in blocks]


def meeting_date(body: Body, year: int) -> tuple[int, int]:
    """(first day, month index) of a body's meeting of a year: the same in every report that names it."""
    r = random.Random(f"{body.prefix}/{year}")
    return r.randint(2, 24), r.randrange(len(FR_MONTHS))


def _reword(text: str, pairs, rng: random.Random) -> str:
    for old, new in pairs:
        if old in text and rng.random() < 0.3:
            text = text.replace(old, new, 1)
    return text


def _people(rng: random.Random, k: int, pool: list[tuple[str, str]], language: str) -> list[tuple[str, str]]:
    """k (person, State name) pairs; a person always represents the same State (a person IRI is
    made from the name alone, and represents one State), whichever report names them."""
    out = []
    while len(out) < k:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        state = pool[sum(map(ord, name)) * 7919 % len(pool)][0 if language == "en" else 1]
        if name not in (n for n, _ in out):
            out.append((name, state))
    return out


def _with_people(parties: list[str], others: list[list[str]], people: list[tuple[str, str]]) -> list[str]:
    """The parties' list with the people's States in it (and out of the other lists)."""
    for _, state in people:
        for o in others:
            if state in o:
                o.remove(state)
        if state not in parties:
            parties.append(state)
    return parties


def french(body: Body, year: int, number: int, ord_n: int, rng: random.Random, pool: list[tuple[str, str]]) -> Report:
    symbol = f"{body.prefix}/{year}/{number}"
    blocks = seed_blocks()
    names = [fr for _, fr in pool]
    rng.shuffle(names)
    parties, signatories, others = names[:rng.randint(45, 75)], names[75:75 + rng.randint(2, 4)], names[80:80 + rng.randint(5, 14)]
    # keep the States the seed's own paragraphs 52 and 53 name in their lists
    signatories = sorted(set(signatories) | {"Japon"})
    others = sorted(set(others) | {"Afghanistan", "Chine", "Colombie", "Israël"})
    parties = [p for p in parties if p not in signatories and p not in others]
    people = _people(rng, 4, pool, "fr")
    parties = _with_people(parties, [signatories, others], people)
    speakers = rng.sample(parties, min(len(parties), rng.randint(15, 40)))
    day, m = meeting_date(body, year)
    month = FR_MONTHS[m]
    sittings = rng.choice(list(FR_NUMBERS))
    values = dict(ordinal=ordinal(ord_n, "fr"), group=body.fr_group, protocol=body.fr_protocol, day=day, end=day + 2,
                  month=month, year=year, sittings=FR_NUMBERS[sittings], prefix=body.prefix,
                  chair="{} ({})".format(*people[0]), panel=listing([f"{n} ({st})" for n, st in people[1:]], "fr"),
                  speakers=listing(speakers, "fr"), others_speaking=listing(rng.sample(others, 3), "fr"),
                  parties=listing(parties, "fr"), signatories=listing(signatories, "fr"), others=listing(others, "fr"))

    out, para = [], 0
    recommendations: list[str] = []   # the current section's recommendations, reordered when it ends

    def flush() -> None:
        nonlocal para
        rng.shuffle(recommendations)
        for text in recommendations:
            para += 1
            out.append(f"{para}. {text}")
        recommendations.clear()

    expected = 1                      # the seed's next paragraph number: other numbers are sub-items
    for block in blocks:
        m = re.match(r"(\d+)\. (.*)", block)
        if not m or int(m.group(1)) != expected:
            flush()
            out.append(block if re.match(r"(?:[IVX]+|[A-H])\. ", block) else "   " + block)
            continue
        n, text = int(m.group(1)), m.group(2)
        expected += 1
        if 5 <= n <= 45:
            if rng.random() < 1 / 7:
                continue
            recommendations.append(_reword(text, FR_REWORD, rng))
            continue
        flush()
        if n == 1:
            # the first two meetings, in the years their ordinals give (the seed: 2012 and 2013)
            first = FIRST_YEAR - MAX_YEARS + 1
            (d1, m1), (d2, m2) = meeting_date(body, first), meeting_date(body, first + 1)
            text = text.replace("du 30 mai au 1er juin 2012", f"du {d1} au {d1 + 2} {FR_MONTHS[m1]} {first}") \
                .replace("du 11 au 13 novembre 2013", f"du {d2} au {d2 + 2} {FR_MONTHS[m2]} {first + 1}")
        elif n in FR_PARAGRAPHS:
            text = FR_PARAGRAPHS[n].format(**values)
        para += 1
        out.append(f"{para}. {text}")
    text = "\n\n".join(out)
    text = re.sub(r"CTOC/COP/WG\.(\d)/2015/", lambda m: f"CTOC/COP/WG.{m.group(1)}/{year}/", text)
    text = text.replace("CTOC/COP/WG.7/", f"{body.prefix}/")
    return Report(symbol, "fr", layout(symbol, text.split("\n\n"), rng))


def english(body: Body, year: int, number: int, ord_n: int, rng: random.Random, pool: list[tuple[str, str]]) -> Report:
    symbol = f"{body.prefix}/{year}/{number}"
    names = [en for en, _ in pool]
    rng.shuffle(names)
    parties, signatories, others = names[:rng.randint(30, 70)], names[75:75 + rng.randint(1, 4)], names[80:80 + rng.randint(3, 10)]
    people = _people(rng, 1, pool, "en")
    parties = _with_people(parties, [signatories, others], people)
    speakers = rng.sample(parties, min(len(parties), rng.randint(8, 25)))
    day, m = meeting_date(body, year)
    month = EN_MONTHS[m]
    pday, pm = meeting_date(body, year - 1)
    sittings = rng.choice(list(EN_NUMBERS))
    recs = rng.sample(EN_POOL, rng.randint(12, len(EN_POOL)))
    p = body.en_protocol
    blocks = ["I. Introduction",
              f"1. In its resolution {rng.randint(3, 9)}/{rng.randint(1, 6)}, the Conference of the Parties to the "
              f"United Nations Convention against Transnational Organized Crime decided that the {body.en_group} "
              f"would be a constant element of the Conference. The {ordinal(max(ord_n - 1, 1), 'en')} meeting of the "
              f"Working Group was held from {pday} to {pday + 2} {EN_MONTHS[pm]} {year - 1}.",
              "II. Recommendations",
              "2. The Working Group adopted the following recommendations:"]
    para = 2
    for section in "AB":
        blocks.append(f"{section}. {EN_SECTIONS[section]}")
        for _, text in [r for r in recs if r[0] == section]:
            para += 1
            blocks.append(f"{para}. " + _reword(text.replace("{P}", p), EN_REWORD, rng))

    def add(text: str) -> None:
        nonlocal para
        para += 1
        blocks.append(f"{para}. {text}")

    blocks += ["III. Organization of the meeting", "A. Opening of the meeting"]
    add(f"The {ordinal(ord_n, 'en')} meeting of the {body.en_group} was held in Vienna from {day} to {day + 2} "
        f"{month} {year}. The Working Group held {EN_NUMBERS[sittings]} meetings.")
    add("The meeting was chaired by {} ({}).".format(*people[0]))
    blocks.append("B. Statements")
    add(f"Under agenda items 2 and 3, statements were made by representatives of the following States parties to "
        f"the Protocol: {listing(speakers, 'en')}.")
    blocks.append("C. Attendance")
    add(f"The following States parties to the Protocol were represented at the meeting: {listing(parties, 'en')}.")
    add(f"The following signatory States were represented by observers: {listing(signatories, 'en')}.")
    add(f"The following States that are not parties to the Protocol were represented by observers: "
        f"{listing(others, 'en')}.")
    add("The following intergovernmental organizations were represented by observers: International "
        "Organization for Migration.")
    blocks.append("D. Documentation")
    add("The Working Group had before it the following:")
    blocks += [f"(a) Provisional agenda and annotations ({body.prefix}/{year}/1);",
               f"(b) Background paper prepared by the Secretariat ({body.prefix}/{year}/2 and Add.1)."]
    blocks.append("IV. Adoption of the report")
    add(f"On {day + 2} {month} {year}, the Working Group adopted the report on its meeting ({body.prefix}/{year}/L.1).")
    return Report(symbol, "en", layout(symbol, blocks, rng))


def generate(n: int, seed: int = 13) -> list[Report]:
    """N distinct reports, the same for the same (n, seed); report i does not depend on n."""
    if n > len(BODIES) * MAX_YEARS:
        raise ValueError(f"at most {len(BODIES) * MAX_YEARS} reports ({len(BODIES)} bodies × {MAX_YEARS} years), not {n}")
    pool = states()
    out = []
    for i in range(n):
        rng = random.Random(f"{seed}/{i}")
        body = BODIES[i % len(BODIES)]
        k = i // len(BODIES)
        year = FIRST_YEAR - k
        ord_n = MAX_YEARS - k          # the ordinal follows the year: 2025 is the 60th meeting
        number = rng.randint(2, 9)
        make = english if i % 4 == 3 else french
        out.append(make(body, year, number, ord_n, rng, pool))
    assert len({r.symbol for r in out}) == n
    return out


def write(reports: list[Report], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for r in reports:
        p = folder / r.file_name
        p.write_text(r.text, encoding="utf-8")
        paths.append(p)
    return paths


class NotConverted(RuntimeError):
    pass


def check(paths: list[Path], src: Path = ROOT / "src") -> None:
    """Build each file alone with ``report-graph build`` in a new process; NotConverted (with the
    build's message) for the first one that does not convert, or does not conform."""
    import os
    env = dict(os.environ, PYTHONPATH=str(src))
    for p in paths:
        with tempfile.TemporaryDirectory() as out:
            r = subprocess.run([sys.executable, "-m", "report_graph", "build", str(p), "--out", out, "-q"],
                               capture_output=True, text=True, env=env, cwd=ROOT)
            if r.returncode != 0:
                raise NotConverted(f"{p.name} does not convert (exit {r.returncode}):\n{r.stderr[-3000:]}{r.stdout[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--check", type=int, default=3, help="how many of them to convert one by one (spread over the list)")
    a = ap.parse_args(argv)
    paths = write(generate(a.n, a.seed), a.out)
    step = max(1, len(paths) // max(a.check, 1))
    try:
        check(paths[::step][:a.check])
    except NotConverted as e:
        print(e, file=sys.stderr)
        return 1
    print(f"{len(paths)} reports in {a.out}; {min(a.check, len(paths))} converted one by one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
