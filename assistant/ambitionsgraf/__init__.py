"""Ambitionsgrafen: the maturity model from Upphandlingsmyndigheten's report on ändamålsenliga
inköpsorganisationer (section 6.3 and the Bilaga), computed exactly and explained with citations.

Typical use (UI, agent, CLI):

    from assistant.ambitionsgraf import evaluate, read_assessment_file, HistoryStore, make_figure
    ev = evaluate(read_assessment_file("bedomning.json"))      # or evaluate({...}) / evaluate(json_text)
    fig = make_figure(ev, HistoryStore.default().list(ev.organisation))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.ambitionsgraf.advice import cite, recommendations, rubric_quote_problems
from assistant.ambitionsgraf.evaluate import evaluate
from assistant.ambitionsgraf.history import Comparison, HistoryStore, SavedAssessment
from assistant.ambitionsgraf.inputs import AssessmentInputError, parse_assessment, read_assessment_file
from assistant.ambitionsgraf.models import ROLES, Assessment, Evaluation, Problem, Recommendation, ScoreResult
from assistant.ambitionsgraf.report import format_history, format_summary
from assistant.ambitionsgraf.rubric import Rubric, load_rubric
from assistant.ambitionsgraf.scoring import score

if TYPE_CHECKING:
    from assistant.ambitionsgraf.chart import make_figure, save_png

__all__ = [
    "ROLES", "Assessment", "AssessmentInputError", "Comparison", "Evaluation", "HistoryStore", "Problem",
    "Recommendation", "Rubric", "SavedAssessment", "ScoreResult", "cite", "evaluate", "format_history",
    "format_summary", "load_rubric", "make_figure", "parse_assessment", "read_assessment_file",
    "recommendations", "rubric_quote_problems", "save_png", "score",
]


def __getattr__(name: str) -> Any:
    # matplotlib is only imported when a chart is actually wanted.
    if name in ("make_figure", "save_png"):
        from assistant.ambitionsgraf import chart

        return getattr(chart, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
