"""One call from raw input to the full result: validate, score, attach cited advice."""

from __future__ import annotations

from typing import Any

from assistant.ambitionsgraf.advice import cited_interpretations, recommendations
from assistant.ambitionsgraf.inputs import parse_assessment
from assistant.ambitionsgraf.models import Assessment, Evaluation
from assistant.ambitionsgraf.rubric import Rubric, load_rubric
from assistant.ambitionsgraf.scoring import score
from assistant.config import Settings
from assistant.store.index import ActiveIndex


def evaluate(data: Assessment | dict[str, Any] | str | bytes, rubric: Rubric | None = None, *,
             settings: Settings | None = None, index: ActiveIndex | None = None) -> Evaluation:
    """Score an assessment and add recommendations and cited interpretations.

    `data` is an `Assessment`, a dict in the input-file format or its JSON text. Raises
    `AssessmentInputError` (exit code 2) for bad input; pass `index` to get chunk ids in citations."""
    rubric = rubric or load_rubric()
    assessment = data if isinstance(data, Assessment) else parse_assessment(data, rubric)
    result = score(assessment, rubric)
    recs = recommendations(result, rubric, settings=settings, index=index)
    interpretations = cited_interpretations(result, rubric, settings=settings, index=index)
    return Evaluation(
        **result.model_dump(exclude={"interpretations"}),
        interpretations=interpretations,
        recommendations=recs,
    )
