"""Types at the boundaries of the ambitionsgraf tool: the assessment that comes in, the result that
goes out. Field names are the JSON contract (English keys, Swedish values)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from assistant.passages import LocatedPassage

# The four roles interviewed in the report's case studies (6.2.1); the UI offers these, but a
# respondent's role is free text.
ROLES: tuple[str, ...] = ("politisk ledning", "förvaltningsledning", "inköpschef", "verksamhetsföreträdare")


# ---------------------------------------------------------------------------------------------- input


class Respondent(BaseModel):
    """One respondent's answers, keyed by question id (plus V3.4_omfattning / V3.5_frekvens)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: StrictStr
    answers: dict[str, StrictBool | StrictInt | StrictStr]


class Assessment(BaseModel):
    """A validated assessment, same shape as the input file. Build it with `parse_assessment`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organisation: StrictStr
    datum: date | None = None
    respondents: list[Respondent]

    def to_input(self) -> dict[str, Any]:
        """The assessment in the input-file format (what `parse_assessment` accepts)."""
        return self.model_dump(mode="json", exclude_none=True)


class Problem(BaseModel):
    """One thing wrong with an input. `str()` is a Swedish line naming the place and what is allowed."""

    respondent: int | None = Field(default=None, description="1-baserat nummer på den svarande")
    role: str | None = None
    field: str | None = Field(default=None, description="Fråge-id eller nyckel")
    message: str

    def __str__(self) -> str:
        where = []
        if self.respondent is not None:
            who = f"svarande {self.respondent}"
            if self.role:
                who += f" ({self.role})"
            where.append(who)
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.message}" if where else self.message


# --------------------------------------------------------------------------------------------- output


class RespondentResult(BaseModel):
    index: int = Field(description="1-baserat nummer i indatafilen")
    role: str
    vertical: float
    horizontal: float
    areas: dict[str, float]
    weak: list[str] = Field(description="Fråge-id där den svarande själv svarat ≤ 2 eller nej")
    answers: dict[str, bool | int | str]


class AnswerByRole(BaseModel):
    respondent: int
    role: str
    answer: bool | int
    points: float = Field(description="Poäng före viktning (V1.1: ja 3, nej 0)")
    weight: float
    scope: Literal["delar", "hela"] | None = None
    frequency: str | None = None


class QuestionStat(BaseModel):
    id: str
    area: str
    short: str
    mean: float = Field(description="Medelpoäng före viktning")
    min: float
    max: float
    difference: float
    flagged: bool
    reasons: list[str] = Field(default_factory=list)
    answers: list[AnswerByRole]


class AxisStat(BaseModel):
    min: float
    max: float
    range: float


class Spread(BaseModel):
    axes: dict[str, AxisStat] = Field(description="vertical, horizontal och varje område")
    questions: dict[str, QuestionStat]
    flagged: list[str]
    rule: str
    quote: str


class Levels(BaseModel):
    vertical: str
    horizontal: str
    basis: str = "verktygets egen läsning (inte rapportens)"
    note: str


class WeakItem(BaseModel):
    question_id: str
    trigger: Literal["svag", "delar"]
    mean: float
    roles: list[str] = Field(description="Roller som själva svarat svagt (eller 'delar' för V3.4)")


class InterpretationOut(BaseModel):
    id: str
    basis: Literal["bilaga", "rapporten", "tolkning"]
    text: str
    quote: str | None = None
    citation: LocatedPassage | None = None


class Recommendation(BaseModel):
    question_id: str
    question: str
    short: str
    area_id: str
    area_name: str
    axis: Literal["vertical", "horizontal"]
    trigger: Literal["svag", "delar"]
    mean: float
    roles: list[str]
    advice: str
    limitation: str | None = None
    citations: list[LocatedPassage]


class ScoreResult(BaseModel):
    organisation: str
    datum: date | None = None
    rubric_version: str
    n_respondents: int
    vertical: float
    horizontal: float
    areas: dict[str, float]
    levels: Levels
    respondents: list[RespondentResult]
    spread: Spread
    weak_items: list[WeakItem]
    interpretations: list[InterpretationOut]
    warnings: list[str] = Field(default_factory=list, description="T.ex. svarande med exakt samma svar")

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Evaluation(ScoreResult):
    """A score with its corpus-grounded recommendations: what the CLI, the UI and the agent tool show."""

    recommendations: list[Recommendation]
