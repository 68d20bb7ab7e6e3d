"""The ambitionsgraf as a LangChain tool, so the answer agent computes scores instead of guessing them.

Error contract: bad input does not raise out of `tool.invoke`. The tool returns the Swedish error text
(naming every offending id and respondent and what is allowed) as its result – and, when called with a
ToolCall, a ToolMessage with status "error" – so an LLM agent can read what was wrong and call again.
Callers who want an exception use `assistant.ambitionsgraf.evaluate` directly.
"""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.tools import StructuredTool, ToolException
from pydantic import BaseModel, Field, ValidationError, WithJsonSchema

from assistant.ambitionsgraf.evaluate import evaluate
from assistant.ambitionsgraf.models import ROLES
from assistant.ambitionsgraf.rubric import FREQUENCY_KEY, SCOPE_KEY, Rubric, load_rubric
from assistant.config import Settings
from assistant.errors import KategoriError
from assistant.store.index import ActiveIndex

TOOL_NAME = "ambitionsgraf_berakna"


def _answers_schema(rubric: Rubric) -> dict[str, Any]:
    props: dict[str, Any] = {}
    values = rubric.scale.values
    for q in rubric.questions:
        if q.answer_type == "ja_nej":
            props[q.id] = {"type": "boolean", "description": f"{q.text} (true = ja, false = nej)"}
        else:
            props[q.id] = {"type": "integer", "minimum": values[0], "maximum": values[-1], "description": q.text}
    props[SCOPE_KEY] = {"type": "string", "enum": ["delar", "hela"],
                        "description": "Omfattning för V3.4: delar eller hela inköpsportföljen"}
    props[FREQUENCY_KEY] = {"type": "string", "enum": ["månad", "kvartal", "år"],
                            "description": "Valfri: hur ofta inköpsfunktionen rapporterar till ledningen"}
    return {
        "type": "object",
        "properties": props,
        "required": [*rubric.question_ids, SCOPE_KEY],
        "additionalProperties": False,
    }


def _args_schema(rubric: Rubric) -> type[BaseModel]:
    respondent_schema = {
        "type": "object",
        "properties": {
            "role": {"type": "string", "description": "Den svarandes roll, t.ex. " + ", ".join(ROLES)},
            "answers": _answers_schema(rubric),
        },
        "required": ["role", "answers"],
    }

    class AmbitionsgrafArgs(BaseModel):
        """Enkätsvar för ambitionsgrafen."""

        organisation: str = Field(description="Organisationens namn, t.ex. 'Exempelkommun'")
        # Items are validated by parse_assessment (every problem at once, in Swedish), not by pydantic;
        # the JSON schema tells the model the exact shape. WithJsonSchema (unlike json_schema_extra)
        # survives LangChain's rebuilding of the schema for tool calling.
        respondents: Annotated[
            list[dict[str, Any]],
            WithJsonSchema({"type": "array", "items": respondent_schema, "minItems": 1}),
        ] = Field(description="En post per svarande (minst en) med roll och svar på alla frågor V1.1–H5")
        datum: str | None = Field(default=None, description="Valfritt datum för bedömningen, ÅÅÅÅ-MM-DD")

    return AmbitionsgrafArgs


_DESCRIPTION = (
    "Beräknar exakt var en organisation hamnar i Upphandlingsmyndighetens ambitionsgraf (rapporten "
    "'Ändamålsenliga inköpsorganisationer', avsnitt 6.3 och Bilaga Enkätfrågor): vertikal axel "
    "(samspel mellan inköpsfunktionen och ledningen, områdena V1–V3) och horisontell axel (samspel "
    "mellan inköpsfunktionen och verksamheten). Använd verktyget när användaren har svar på "
    "ambitionsgrafens enkätfrågor och vill veta sin placering, sina svaga punkter eller vad de ska göra "
    "– räkna aldrig ut poängen själv. Ange en post per svarande (roll + svar). V1.1 är true/false, "
    "övriga frågor heltal 1–4 (4 = Instämmer i hög grad, 3 = Instämmer delvis, 2 = Instämmer inte "
    "helt, 1 = Instämmer inte alls). V3.4_omfattning ('delar'/'hela') krävs, V3.5_frekvens "
    "('månad'/'kvartal'/'år') är valfri. Resultatet innehåller axlar, områden, spridning mellan "
    "svarande, rekommendationer med ordagranna citat och sidnummer ur rapporten samt verktygets "
    "tolkningar. Saknas svar, fråga användaren i stället för att gissa. Vid felaktiga indata "
    "returneras ett felmeddelande på svenska som anger varje fel."
)

_PYDANTIC_SV = {
    "missing": "saknas",
    "string_type": "ska vara text",
    "list_type": "ska vara en lista",
    "dict_type": "ska vara ett objekt",
    "extra_forbidden": "okänt fält",
}


def _validation_error_text(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "(indata)"
        parts.append(f"{loc}: {_PYDANTIC_SV.get(e['type'], e['msg'])}")
    return (f"Fel i anropet till {TOOL_NAME}: " + "; ".join(parts)
            + ". Förväntat: {\"organisation\": text, \"respondents\": [{\"role\": text, \"answers\": {…}}]}.")


def make_tool(*, settings: Settings | None = None, index: ActiveIndex | None = None,
              rubric: Rubric | None = None) -> StructuredTool:
    """A StructuredTool named `ambitionsgraf_berakna`. Pass `index` to get chunk ids in citations."""
    rubric = rubric or load_rubric()

    def run(organisation: str, respondents: list[dict[str, Any]], datum: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"organisation": organisation, "respondents": respondents}
        if datum is not None:
            data["datum"] = datum
        try:
            return evaluate(data, rubric, settings=settings, index=index).to_json_dict()
        except KategoriError as err:
            raise ToolException(f"Fel i indata till {TOOL_NAME}: {err}") from err

    return StructuredTool.from_function(
        func=run,
        name=TOOL_NAME,
        description=_DESCRIPTION,
        args_schema=_args_schema(rubric),
        handle_tool_error=True,
        handle_validation_error=_validation_error_text,
    )


ambitionsgraf_berakna = make_tool()
