"""The sections of a category strategy as data (sections.yaml): headings, retrieval queries, template
guidance with `[[anchor]]` citation markers and `[Att fylla i: …]` placeholders, the ten inriktningsmål,
the portfolio model and the verbatim quotes every citation points to.

This module only loads and checks the file (together with the category profiles and organisation types
that cite its quotes) and answers questions about it (which parts apply to an input, which goals are
suggested); building the draft is `builder.py`'s job.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, model_validator

from assistant.drafts.profiles import Profile, anchors_used, load_categories, load_org_types
from assistant.errors import KategoriError

SPEC_PATH = Path(__file__).with_name("sections.yaml")
ANCHOR_MARKER = re.compile(r"\[\[([a-z0-9_]+)\]\]")
GENERATED = ("facts", "governance", "tree", "spend", "analysis", "trend", "actions", "esv", "forecast", "savings",
             "market", "omvarld", "portfolio", "goals", "priorities", "conflicts", "requirements", "routes",
             "contract_forms", "seriousness", "beredskap", "hallbarhet", "plan", "srm", "units", "team", "activities",
             "measures", "reporting", "guidance")


class Anchor(BaseModel):
    doc: str
    quote: str


class Goal(BaseModel):
    nr: int
    name: str


class GoalMapping(BaseModel):
    always: dict[int, str]
    priorities: dict[int, list[str]]


class Condition(BaseModel):
    """Matches when every field given matches: one of the families, one of the organisation types, one of the
    inriktningsmål the category profile suggests, or the contract form the profile suggests first."""

    families: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    goals: list[int] = Field(default_factory=list)
    routes: list[str] = Field(default_factory=list)


class Quadrant(BaseModel):
    name: str
    calls_for: list[str]


class PortfolioSpec(BaseModel):
    share_high: float
    top_high: float
    few_suppliers: int
    quadrants: dict[Literal["strategisk", "havstang", "flaskhals", "rutin"], Quadrant]


class SavingsSpec(BaseModel):
    low: float
    high: float


class Part(BaseModel):
    kind: Literal["paragraph", "subheading", "bullets", "note", "table", "generated"]
    text: str = ""
    items: list[str] = Field(default_factory=list)
    name: str | None = None  # for generated parts
    arg: str | None = None  # for generated parts that take one (the section a profile's guidance is for)
    caption: str | None = None
    columns: list[str] = Field(default_factory=list)
    rows: list[list[str]] = Field(default_factory=list)
    when: Condition | None = None
    unless: Condition | None = None

    @property
    def prose(self) -> bool:
        """Guidance text that a language model rewrites; placeholders lists, tables and computed parts stay."""
        return self.kind in ("paragraph", "subheading", "note")

    def anchors(self) -> list[str]:
        texts = [self.text, self.caption or "", *self.items, *(c for row in self.rows for c in row)]
        return [m.group(1) for t in texts for m in ANCHOR_MARKER.finditer(t)]


class EsvLevel(BaseModel):
    name: str
    above: float  # the level applies to a total purchasing volume above this (200–800 includes 200)
    summary: str
    recommendation: str


class EsvSpec(BaseModel):
    heading: str
    intro: str
    list_intro: str
    levels: list[EsvLevel]
    known: str
    unknown: str
    state: str
    not_state: str
    compare: str
    compare_unknown: str

    def texts(self) -> list[str]:
        return [self.intro, self.known, self.unknown, self.state, self.not_state, self.compare, self.compare_unknown,
                *(t for lv in self.levels for t in (lv.summary, lv.recommendation))]

    def level_for(self, total: float) -> EsvLevel:
        """ESV: over 800 mnkr, 200–800 mnkr, under 200 mnkr – so exactly 800 is a large, not a very large, agency."""
        for i, level in enumerate(self.levels):
            if total > level.above or (i > 0 and total == level.above):
                return level
        return self.levels[-1]


class SectionSpec(BaseModel):
    key: str
    heading: str
    queries: list[str]
    parts: list[Part]


class DraftSpec(BaseModel):
    version: int
    docs: dict[str, str]
    goals: list[Goal]
    goal_mapping: GoalMapping
    anchors: dict[str, Anchor]
    esv: EsvSpec
    portfolio: PortfolioSpec
    savings: SavingsSpec
    contract_forms: dict[str, str]
    sections: list[SectionSpec]

    @model_validator(mode="after")
    def _check(self) -> DraftSpec:
        problems = []
        if [g.nr for g in self.goals] != list(range(1, 11)):
            problems.append("goals ska vara inriktningsmål 1–10 i ordning")
        for key, anchor in self.anchors.items():
            if anchor.doc not in self.docs:
                problems.append(f"citatet {key} anger okänt dokument {anchor.doc}")
        for section in self.sections:
            for part in section.parts:
                for anchor in part.anchors():
                    if anchor not in self.anchors:
                        problems.append(f"avsnittet {section.key} hänvisar till okänt citat [[{anchor}]]")
                if part.kind == "generated" and part.name not in GENERATED:
                    problems.append(f"avsnittet {section.key} har okänd beräknad del {part.name}")
                for cond in (part.when, part.unless):
                    for f in cond.families if cond else []:
                        if f not in load_categories().families:
                            problems.append(f"avsnittet {section.key} anger okänd kategorityp {f}")
                    for r in cond.routes if cond else []:
                        if r not in self.contract_forms:
                            problems.append(f"avsnittet {section.key} anger okänd avtalsform {r}")
        for text in self.esv.texts():
            for m in ANCHOR_MARKER.finditer(text):
                if m.group(1) not in self.anchors:
                    problems.append(f"esv hänvisar till okänt citat [[{m.group(1)}]]")
        if [lv.above for lv in self.esv.levels] != sorted((lv.above for lv in self.esv.levels), reverse=True):
            problems.append("esv.levels ska stå från största till minsta nivå")
        cited = anchors_used(load_categories(), load_org_types())
        problems += [f"kategoriprofilerna eller organisationstyperna hänvisar till okänt citat [[{a}]]"
                     for a in sorted(cited - set(self.anchors))]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def doc_id(self, anchor: str) -> str:
        return self.docs[self.anchors[anchor].doc]

    def section(self, key: str) -> SectionSpec:
        return next(s for s in self.sections if s.key == key)


@lru_cache(maxsize=4)
def load_spec(path: Path = SPEC_PATH) -> DraftSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return DraftSpec.model_validate(data)
    except (OSError, yaml.YAMLError, ValueError) as err:
        raise KategoriError(f"Mallen för kategoristrategin ({path}) kunde inte läsas: {err}") from None


def _words(text: str) -> list[str]:
    return re.findall(r"[\wåäöéü]+(?:-[\wåäöéü]+)*", text.lower())


def keyword_in(keyword: str, text: str) -> bool:
    """A keyword (one or more words) occurs in `text` as whole words, the last possibly as the start
    of a longer word ("miljö" in "miljökrav"; "it" only as the word "IT" or "IT-tjänster"). A keyword of
    six letters or more also counts at the end of a Swedish compound ("beredskap" in
    "livsmedelsberedskap"), where the compound's head word stands."""
    kw = keyword.lower().split()
    words = _words(text)
    parts = [w for word in words for w in ([word, *word.split("-")] if "-" in word else [word])]
    for i in range(len(parts) - len(kw) + 1):
        window = parts[i:i + len(kw)]
        if window[:-1] != kw[:-1]:
            continue
        last, want = window[-1], kw[-1]
        if last == want or (len(want) >= 4 and last.startswith(want)):
            return True
        if len(kw) == 1 and len(want) >= 6 and last.endswith(want):
            return True
    return False


def applies(part: Part, profile: Profile, org_type: str) -> bool:
    def matches(cond: Condition) -> bool:
        return ((not cond.families or bool(set(cond.families) & set(profile.families)))
                and (not cond.types or org_type in cond.types)
                and (not cond.goals or bool(set(cond.goals) & set(profile.goals)))
                and (not cond.routes or bool(set(cond.routes) & set(profile.route[:1]))))

    if part.when and not matches(part.when):
        return False
    return not (part.unless and matches(part.unless))


def suggested_goals(profile: Profile, spec: DraftSpec | None = None) -> dict[int, tuple[str, str]]:
    """Goal number -> (why, where the suggestion comes from); the tool's suggestion."""
    spec = spec or load_spec()
    out: dict[int, tuple[str, str]] = {nr: (why, "alla kategorier") for nr, why in spec.goal_mapping.always.items()}
    for nr, why in profile.goals.items():
        out.setdefault(nr, (why, profile.name))
    return dict(sorted(out.items()))


def priority_goals(priority: str, spec: DraftSpec | None = None) -> list[int]:
    spec = spec or load_spec()
    return sorted(nr for nr, keywords in spec.goal_mapping.priorities.items()
                  if any(keyword_in(k, priority) for k in keywords))
