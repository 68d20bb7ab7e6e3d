"""Category profiles (categories.yaml) and organisation types (org_types.yaml): reviewed data that decides
what a draft suggests for a category and how it speaks to a kommun, a region, a statlig myndighet or a
bolag.

`profile_for("IT-konsulttjänster")` finds the category by its name or a synonym and merges the profiles
of its families; a name the file does not know gets the family `okand`, and the draft then says
"okänd kategorityp – teamet fyller i" instead of guessing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from assistant.errors import KategoriError

CATEGORIES_PATH = Path(__file__).with_name("categories.yaml")
ORG_TYPES_PATH = Path(__file__).with_name("org_types.yaml")
UNKNOWN = "okand"
CONTRACT_FORMS = ("egen", "samordnad", "inkopscentral", "dis")
_MARKER = re.compile(r"\[\[([a-z0-9_]+)\]\]")

Level = Literal["hög", "låg"]


class Baseline(BaseModel):
    level: Level
    why: str


class Activity(BaseModel):
    year: int = Field(ge=1, le=5)
    quarter: int = Field(ge=1, le=4)
    text: str


class Yearly(BaseModel):
    """An activity that comes back every year in the same quarter."""

    quarter: int = Field(ge=1, le=4)
    text: str


class Family(BaseModel):
    name: str
    kind: str
    unknown: bool = False
    tree: list[str]
    includes: list[str]
    excludes: list[str]
    subcategories: list[str] = Field(default_factory=list)
    requirements: list[str] = Field(default_factory=list)  # requirements to weigh in the next procurement
    examples: list[str] = Field(default_factory=list)  # keys of example_mentions
    risk_sector: str | None = None  # the industry as the roadmap's list of risk industries names it
    business_impact: Baseline | None = None
    supply_risk: Baseline | None = None
    goals: dict[int, str]
    drivers: list[str]
    market: list[str]
    levers: list[str]
    conflicts: list[str]
    seriousness: list[str]
    beredskap: list[str]
    hallbarhet: list[str]
    contract_forms: dict[str, str]
    srm: list[str]
    measures: list[str]
    roles: list[tuple[str, str]]
    activities: list[Activity]
    yearly: list[Yearly] = Field(default_factory=list)  # the category's own yearly cycle
    analysis: list[str] = Field(default_factory=list)  # what the spend analysis should show for the category
    omvarld: list[str] = Field(default_factory=list)  # trends, rules and possibilities to analyse
    route: list[str] = Field(default_factory=list)  # contract forms in the order the tool suggests them
    unit: str | None = None  # what the needs forecast counts besides kronor
    notes: list[str] = Field(default_factory=list)
    guidance: dict[str, str] = Field(default_factory=dict)  # section key -> what matters for this type there


class CategoryEntry(BaseModel):
    name: str
    families: list[str]
    synonyms: list[str]
    examples: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class CategorySpec(BaseModel):
    version: int
    example_mentions: dict[str, str]
    families: dict[str, Family]
    categories: list[CategoryEntry]


class OrgType(BaseModel):
    en: str
    plural: str
    enheter: str
    beslutande: str
    planering: str
    rapportering: str
    styrdokument: str
    governance: list[str]
    routes: list[str]
    route_rows: dict[str, str]  # contract form key -> what this organisation type checks for that form
    questions: list[str] = Field(default_factory=list)
    activities: dict[Literal["decide", "plan", "report", "annual"], str]


class OrgTypeSpec(BaseModel):
    version: int
    types: dict[str, OrgType]


class Profile(Family):
    """The merged profile of one category as the team named it: its families' lists together."""

    category: str
    families: list[str]
    entry: CategoryEntry | None
    risk_sectors: list[str]  # the roadmap's words for the risk industries the families belong to
    synonyms: list[str] = Field(default_factory=list)


def _load(path: Path, model):
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as err:
        raise KategoriError(f"Profilerna för kategoristrategin ({path}) kunde inte läsas: {err}") from None


@lru_cache(maxsize=4)
def load_categories(path: Path = CATEGORIES_PATH) -> CategorySpec:
    spec = _load(path, CategorySpec)
    problems = []
    if UNKNOWN not in spec.families:
        problems.append(f"kategoritypen {UNKNOWN} saknas")
    for entry in spec.categories:
        problems += [f"kategorin {entry.name} anger okänd kategorityp {f}" for f in entry.families
                     if f not in spec.families]
        problems += [f"kategorin {entry.name} anger okänt exempel {e}" for e in entry.examples
                     if e not in spec.example_mentions]
    for key, fam in spec.families.items():
        problems += [f"kategoritypen {key} anger okänt exempel {e}" for e in fam.examples
                     if e not in spec.example_mentions]
        problems += [f"kategoritypen {key} anger okänd avtalsform {f}" for f in [*fam.contract_forms, *fam.route]
                     if f not in CONTRACT_FORMS]
    if problems:
        raise KategoriError(f"Profilerna för kategoristrategin ({path}) har fel: " + "; ".join(problems))
    return spec


@lru_cache(maxsize=4)
def load_org_types(path: Path = ORG_TYPES_PATH) -> OrgTypeSpec:
    return _load(path, OrgTypeSpec)


def anchors_used(categories: CategorySpec, orgs: OrgTypeSpec) -> set[str]:
    """Every [[anchor]] the profiles cite, so the template can check that each one exists."""
    texts: list[str] = list(categories.example_mentions.values())
    for fam in categories.families.values():
        texts += [*fam.goals.values(), *fam.requirements, *fam.drivers, *fam.market, *fam.levers, *fam.seriousness,
                  *fam.beredskap, *fam.hallbarhet, *fam.contract_forms.values(), *fam.srm, *fam.measures,
                  *fam.notes, *fam.guidance.values(), *(b.why for b in (fam.business_impact, fam.supply_risk) if b),
                  *fam.analysis, *fam.omvarld, *(y.text for y in fam.yearly)]
    for entry in categories.categories:
        texts += entry.notes
    for org in orgs.types.values():
        texts += [*org.governance, *org.routes]
    return {m.group(1) for t in texts for m in _MARKER.finditer(t)}


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("–", "-").split())


def match_category(name: str, spec: CategorySpec | None = None) -> CategoryEntry | None:
    """The category whose name or synonym is `name`; otherwise the one whose longest synonym stands as
    whole words in it ("Livsmedel och drycker till skolor" → Livsmedel); None when nothing matches."""
    from assistant.drafts.sections import keyword_in

    spec = spec or load_categories()
    wanted = _key(name)
    for entry in spec.categories:
        if wanted == _key(entry.name) or wanted in (_key(s) for s in entry.synonyms):
            return entry
    best: tuple[int, CategoryEntry] | None = None
    for entry in spec.categories:
        for synonym in (entry.name, *entry.synonyms):
            if keyword_in(synonym, name) and (best is None or len(synonym) > best[0]):
                best = (len(synonym), entry)
    return best[1] if best else None


def _merged(lists: list[list]) -> list:
    out: list = []
    for items in lists:
        out += [i for i in items if i not in out]
    return out


def profile_for(category: str, spec: CategorySpec | None = None) -> Profile:
    spec = spec or load_categories()
    entry = match_category(category, spec)
    keys = entry.families if entry else [UNKNOWN]
    fams = [spec.families[k] for k in keys]
    first = fams[0]
    if len(fams) > 1 and len({f.tree[0] for f in fams if f.tree}) == 1:
        tree = [first.tree[0], " och ".join(f.tree[1] for f in fams)]
    else:
        tree = list(first.tree)
    forms: dict[str, str] = {}
    for fam in fams:
        for key, text in fam.contract_forms.items():
            forms[key] = f"{forms[key]}; {text[0].lower()}{text[1:]}" if key in forms else text
    goals: dict[int, str] = {}
    guidance: dict[str, str] = {}
    for fam in fams:
        for nr, why in fam.goals.items():
            goals.setdefault(nr, why)
        for key, text in fam.guidance.items():
            guidance[key] = f"{guidance[key]} {text}" if key in guidance and text not in guidance[key] else text

    def level(attr: str) -> Baseline | None:
        found = [getattr(f, attr) for f in fams if getattr(f, attr)]
        return next((b for b in found if b.level == "hög"), found[0] if found else None)

    return Profile(
        category=category,
        families=keys,
        name=" och ".join(f.name for f in fams) if len(fams) > 1 else first.name,
        kind=" och ".join(dict.fromkeys(f.kind for f in fams)),
        unknown=first.unknown,
        entry=entry,
        tree=tree,
        includes=_merged([f.includes for f in fams]),
        excludes=_merged([f.excludes for f in fams]),
        subcategories=_merged([f.subcategories for f in fams]),
        requirements=_merged([f.requirements for f in fams]),
        examples=_merged([*(f.examples for f in fams), entry.examples if entry else []]),
        risk_sectors=_merged([[f.risk_sector] for f in fams if f.risk_sector]),
        business_impact=level("business_impact"),
        supply_risk=level("supply_risk"),
        goals=dict(sorted(goals.items())),
        drivers=_merged([f.drivers for f in fams]),
        market=_merged([f.market for f in fams]),
        levers=_merged([f.levers for f in fams]),
        conflicts=_merged([f.conflicts for f in fams]),
        seriousness=_merged([f.seriousness for f in fams]),
        beredskap=_merged([f.beredskap for f in fams]),
        hallbarhet=_merged([f.hallbarhet for f in fams]),
        contract_forms=forms,
        srm=_merged([f.srm for f in fams]),
        measures=_merged([f.measures for f in fams]),
        roles=_merged([f.roles for f in fams]),
        activities=_merged([f.activities for f in fams]),
        yearly=_merged([f.yearly for f in fams]),
        analysis=_merged([f.analysis for f in fams]),
        omvarld=_merged([f.omvarld for f in fams]),
        route=_merged([f.route for f in fams]),
        unit="; ".join(f.unit for f in fams if f.unit) or None,
        notes=_merged([*(f.notes for f in fams), entry.notes if entry else []]),
        guidance=guidance,
        synonyms=[entry.name, *entry.synonyms] if entry else [],
    )


def org_type(typ: str, spec: OrgTypeSpec | None = None) -> OrgType:
    return (spec or load_org_types()).types[typ]
