"""The ambitionsgraf rubric: loads rubric.yaml into validated pydantic models.

Everything that is a judgment about the report (weights, divisors, advice, quotes, level names) lives
in the YAML so it can be read, reviewed and changed without touching the computation.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.errors import KategoriError

RUBRIC_PATH = Path(__file__).with_name("rubric.yaml")

AnswerType = Literal["ja_nej", "skala"]
AxisKey = Literal["vertical", "horizontal"]
Scope = Literal["delar", "hela"]
Trigger = Literal["svag", "delar"]

# Keys in a respondent's answers that are not question ids.
SCOPE_KEY = "V3.4_omfattning"
FREQUENCY_KEY = "V3.5_frekvens"


class _Strict(BaseModel):
    # A typo in the YAML must fail loudly rather than silently drop a setting.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleOption(_Strict):
    value: int
    label: str


class Scale(_Strict):
    source_quote: str
    options: list[ScaleOption]

    @property
    def values(self) -> list[int]:
        return sorted(o.value for o in self.options)

    def label(self, value: int) -> str:
        return next(o.label for o in self.options if o.value == value)

    def describe(self) -> str:
        """'1 = Instämmer inte alls, …, 4 = Instämmer i hög grad' for error messages."""
        return ", ".join(f"{o.value} = {o.label}" for o in sorted(self.options, key=lambda o: o.value))


class Axis(_Strict):
    name: str
    source_quote: str


class Axes(_Strict):
    vertical: Axis
    horizontal: Axis


class QuoteRef(_Strict):
    section: str = Field(description="Rapportens avsnittsnummer som citatet ska stå i, t.ex. 6.4.1")
    quote: str = Field(min_length=10)


class AdviceRule(_Strict):
    trigger: Trigger
    text: str = Field(min_length=10)
    quotes: list[QuoteRef] = Field(min_length=1)
    limitation: str | None = None


class Question(_Strict):
    id: str
    text: str
    bilaga_line: str | None = None
    short: str
    answer_type: AnswerType
    points: dict[Literal["ja", "nej"], int] | None = None
    weight: float | None = None
    weight_by_scope: dict[Scope, float] | None = None
    scope_lines: dict[Scope, str] | None = None
    frequencies: list[str] | None = None
    source_section: str
    advice: list[AdviceRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Question:
        if (self.weight is None) == (self.weight_by_scope is None):
            raise ValueError(f"{self.id}: ange antingen weight eller weight_by_scope")
        if self.answer_type == "ja_nej" and set(self.points or {}) != {"ja", "nej"}:
            raise ValueError(f"{self.id}: en ja/nej-fråga behöver points för ja och nej")
        if self.answer_type == "skala" and self.points is not None:
            raise ValueError(f"{self.id}: points gäller bara ja/nej-frågor")
        if self.weight_by_scope is not None and set(self.weight_by_scope) != {"delar", "hela"}:
            raise ValueError(f"{self.id}: weight_by_scope behöver både delar och hela")
        if self.weight_by_scope is None and any(a.trigger == "delar" for a in self.advice):
            raise ValueError(f"{self.id}: råd med trigger 'delar' kräver weight_by_scope")
        return self

    @property
    def has_scope(self) -> bool:
        return self.weight_by_scope is not None

    def advice_for(self, trigger: Trigger) -> AdviceRule | None:
        return next((a for a in self.advice if a.trigger == trigger), None)


class Area(_Strict):
    id: str
    axis: AxisKey
    name: str
    bilaga_heading: str
    lead_in: str | None = None
    divisor: int = Field(ge=1)
    divisor_basis: Literal["bilaga", "tolkning"]
    divisor_quote: str | None = None
    questions: list[Question] = Field(min_length=1)


class Roles(_Strict):
    quote: str
    names: list[str] = Field(min_length=1)


class WeakRule(_Strict):
    max_scale_answer: float
    min_no_share: float = Field(ge=0, le=1)
    min_partial_share: float = Field(ge=0, le=1)


class SpreadRule(_Strict):
    flag_steps: int = Field(ge=1)
    quote: str


class LevelBand(_Strict):
    from_: float = Field(alias="from")
    name: str


class Levels(_Strict):
    basis: Literal["verktygets_egen_lasning"]
    note: str
    quote: str
    bands: list[LevelBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _sorted(self) -> Levels:
        starts = [b.from_ for b in self.bands]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError("levels.bands måste stå i stigande ordning efter 'from'")
        return self

    def name_for(self, value: float) -> str:
        name = self.bands[0].name
        for band in self.bands:
            if value >= band.from_:
                name = band.name
        return name

    @property
    def target(self) -> float:
        """Lower bound of the highest band; the chart shades the region above it on both axes."""
        return self.bands[-1].from_


class Interpretation(_Strict):
    id: str
    basis: Literal["bilaga", "rapporten", "tolkning"]
    text: str
    quote: str | None = None


class Rubric(_Strict):
    version: str
    doc_id: str
    scale: Scale
    axes: Axes
    areas: list[Area]
    roles: Roles
    weak: WeakRule
    spread: SpreadRule
    levels: Levels
    interpretations: list[Interpretation]

    @model_validator(mode="after")
    def _check(self) -> Rubric:
        ids = [q.id for a in self.areas for q in a.questions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"frågeid förekommer flera gånger: {', '.join(dupes)}")
        area_ids = [a.id for a in self.areas]
        if len(set(area_ids)) != len(area_ids):
            raise ValueError("område-id förekommer flera gånger")
        if sum(a.axis == "horizontal" for a in self.areas) != 1:
            raise ValueError("den horisontella axeln ska ha exakt ett område")
        if not any(a.axis == "vertical" for a in self.areas):
            raise ValueError("den vertikala axeln saknar områden")
        scoped = [q.id for q in self.questions if q.has_scope]
        if scoped not in ([], ["V3.4"]):
            raise ValueError("endast V3.4 kan ha viktning efter omfattning (V3.4_omfattning)")
        return self

    @property
    def questions(self) -> list[Question]:
        return [q for a in self.areas for q in a.questions]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)

    def area_of(self, qid: str) -> Area:
        return next(a for a in self.areas if any(q.id == qid for q in a.questions))

    @property
    def vertical_areas(self) -> list[Area]:
        return [a for a in self.areas if a.axis == "vertical"]

    @property
    def horizontal_area(self) -> Area:
        return next(a for a in self.areas if a.axis == "horizontal")

    @property
    def scope_question(self) -> Question | None:
        return next((q for q in self.questions if q.has_scope), None)

    @property
    def frequency_question(self) -> Question | None:
        return next((q for q in self.questions if q.frequencies), None)

    def all_quotes(self) -> list[tuple[str, str | None]]:
        """Every verbatim text in the rubric as (text, expected section number or None)."""
        out: list[tuple[str, str | None]] = [(self.scale.source_quote, None), (self.roles.quote, None)]
        out += [(self.axes.vertical.source_quote, None), (self.axes.horizontal.source_quote, None)]
        out += [(self.spread.quote, None), (self.levels.quote, None)]
        out += [(i.quote, None) for i in self.interpretations if i.quote]
        for area in self.areas:
            out += [(area.bilaga_heading, None)]
            if area.lead_in:
                out.append((area.lead_in, None))
            if area.divisor_quote:
                out.append((area.divisor_quote, None))
            for q in area.questions:
                out.append((q.text, None))
                if q.bilaga_line:
                    out.append((q.bilaga_line, None))
                out += [(line, None) for line in (q.scope_lines or {}).values()]
                out += [(ref.quote, ref.section) for rule in q.advice for ref in rule.quotes]
        return out


def load_rubric(path: Path | str | None = None) -> Rubric:
    """The rubric from `path`, or the bundled rubric.yaml (cached)."""
    if path is None:
        return _load_default()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _load_default() -> Rubric:
    return _load(RUBRIC_PATH)


def _load(path: Path) -> Rubric:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KategoriError(f"Bedömningsmallen {path} finns inte.") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise KategoriError(f"Bedömningsmallen {path} kunde inte läsas: {err}") from None
    try:
        return Rubric.model_validate(raw)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(roten)'}: {e['msg']}" for e in err.errors()
        )
        raise KategoriError(f"Bedömningsmallen {path} är ogiltig: {problems}") from None
