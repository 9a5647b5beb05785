"""IDIC readiness: Peppers' questionnaire as data (the four big-picture questions and the
personalisation-gap tool by area), the answers scored per step and area for the current
and the preferred scenario, and beside them what the book itself shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .stages import STAGES
from .value import ValuePolicy, _as_of, _value_columns
from .value import value as customer_value

__all__ = ["READINESS_QUESTIONS", "READINESS_STEPS", "Readiness", "ReadinessPolicy", "book_readiness", "readiness"]

#: What the book's own readiness counts: ``ReadinessPolicy(interaction_days=365, mvc_share=0.1)``.
ReadinessPolicy = _core.ReadinessPolicy

#: Peppers' four steps, in order.
READINESS_STEPS: tuple[str, ...] = ("identify", "differentiate", "interact", "individualise")

_BIG_PICTURE = [
    (
        "identify",
        "¿Qué tan bien puede la empresa identificar a sus usuarios finales?",
        "How well can the company identify its end users?",
    ),
    (
        "differentiate",
        "¿Puede la empresa diferenciar a sus Clientes con base en el valor que le representan y lo que "
        "necesitan de ella?",
        "Can the company tell its customers apart by the value they represent and what they need from it?",
    ),
    (
        "interact",
        "¿Qué tan buena es la interacción de la empresa con sus Clientes?",
        "How good is the company's interaction with its customers?",
    ),
    (
        "individualise",
        "¿Hasta qué punto individualiza la empresa sus servicios con base en lo que sabe sobre los Clientes?",
        "How far does the company individualise its services on what it knows about its customers?",
    ),
]

_GAP_TOOL = {
    "processes": [
        (
            "¿Tiene la empresa unos procesos establecidos de aseguramiento de la calidad?",
            "Does the company have established quality-assurance processes?",
        ),
        (
            "¿Tiene la empresa unos procesos de negocios en función de los Clientes?",
            "Does the company have business processes built around its customers?",
        ),
    ],
    "technology": [
        (
            "¿Considera la empresa las necesidades de los Clientes al momento de escoger e implantar la tecnología?",
            "Does the company consider its customers' needs when it chooses and puts in technology?",
        ),
        (
            "¿Le brinda la empresa a los empleados la tecnología que les permita ayudar a los Clientes?",
            "Does the company give its employees the technology that lets them help customers?",
        ),
    ],
    "knowledge_strategy": [
        (
            "¿Mantiene la empresa una estrategia para recopilar y utilizar la información sobre los Clientes?",
            "Does the company keep a strategy to gather and use information about its customers?",
        ),
        (
            "¿Cuán eficaz es la empresa en combinar la información sobre los Clientes con sus experiencias a fin "
            "de generar conocimiento?",
            "How well does the company combine what it knows of its customers with its experience to create knowledge?",
        ),
    ],
    "partners": [
        ("¿Cómo escoge la empresa a sus socios?", "How does the company choose its partners?"),
        (
            "¿Comprende la empresa la relación entre sus Clientes y sus socios?",
            "Does the company understand the relationship between its customers and its partners?",
        ),
    ],
    "customer_relations": [
        (
            "¿Cuán eficaz es la empresa en diferenciar a sus Clientes?",
            "How well does the company tell its customers apart?",
        ),
        (
            "¿Qué medidas ha tomado la empresa para mejorar la experiencia total de sus Clientes?",
            "What has the company done to improve its customers' whole experience?",
        ),
        (
            "¿Cuán eficaz es la empresa en medir la expectativa de los Clientes y responder a ellas?",
            "How well does the company measure its customers' expectations and answer them?",
        ),
        (
            "¿Cuán eficaz es la empresa en comprender y prever el comportamiento de los Clientes?",
            "How well does the company understand and foresee its customers' behaviour?",
        ),
    ],
    "employees": [
        (
            "¿En qué medida tienen poder los empleados para tomar decisiones a favor del Cliente?",
            "How far are employees empowered to decide in the customer's favour?",
        ),
        (
            "¿Existe un vínculo formal entre la retribución de los empleados y su comportamiento en función de "
            "los Clientes?",
            "Is there a formal link between employees' pay and how they behave towards customers?",
        ),
    ],
    "competitive_strategy": [
        (
            "¿En qué medida comprende la empresa el efecto que tienen los Clientes sobre la misma organización?",
            "How far does the company understand the effect its customers have on the organisation itself?",
        ),
        (
            "¿Hasta qué punto influyen las necesidades de los Clientes sobre los servicios de la empresa?",
            "How far do its customers' needs shape the company's services?",
        ),
        (
            "¿Cuán eficaz es la empresa en construir programas de marketing personalizado?",
            "How well does the company build personalised marketing programmes?",
        ),
        (
            "¿Hasta qué punto es consciente la empresa de los enfoques de otras organizaciones frente a las "
            "relaciones con los Clientes?",
            "How aware is the company of other organisations' approaches to customer relationships?",
        ),
    ],
}

#: The questionnaire (Peppers' "cuestionario de alistamiento para el marketing
#: personalizado"), one row per question: ``id``, ``part`` (``big_picture`` or
#: ``gap_tool``), ``step`` (for the big picture) or ``area`` (for the gap tool), and the
#: question in Spanish (``es``) and English (``en``). Answers score each question from 1 to
#: 5, for the current scenario (``escenario actual``) and the preferred one.
READINESS_QUESTIONS: pd.DataFrame = pd.DataFrame(
    [(step, "big_picture", step, None, es, en) for step, es, en in _BIG_PICTURE]
    + [
        (f"{area}_{k}", "gap_tool", None, area, es, en)
        for area, questions in _GAP_TOOL.items()
        for k, (es, en) in enumerate(questions, start=1)
    ],
    columns=["id", "part", "step", "area", "es", "en"],
).set_index("id")

#: What each of the book's figures measures, and the step it belongs to.
_MEASURES = {
    "identify": ("identify", "customers reachable (a valid contact channel)"),
    "differentiate": ("differentiate", "customers whose value is known (a purchase in the value window)"),
    "mvc_revenue_share": ("differentiate", "the window's revenue the most valuable customers bring"),
    "interact": ("interact", "customers with a two-way interaction in the period"),
    "dialogue_continuity": ("interact", "of those, in both halves of the period (a dialogue that continues)"),
    "individualise": ("individualise", "customers at intimar or confiar"),
    "preferred_channel_kept": ("individualise", "planned contacts on the customer's preferred channel"),
}


def book_readiness(
    book: Book,
    as_of: Any = None,
    *,
    stages: pd.Series | pd.DataFrame | None = None,
    value: pd.DataFrame | None = None,
    plan: Any = None,
    contact_policy: Any = None,
    policy: ReadinessPolicy | None = None,
    value_policy: ValuePolicy | None = None,
) -> pd.DataFrame:
    """What the book shows of each IDIC step, as of a day: one row per figure (``identify``,
    ``differentiate``, ``mvc_revenue_share``, ``interact``, ``dialogue_continuity``,
    ``individualise``, ``preferred_channel_kept``) with its ``step``, ``share`` (0 to 1;
    NaN when there is nothing to measure) and what it ``measures``.

    ``stages`` (the frame of :func:`cartera.stages` or a Series) and ``value`` (of
    :func:`cartera.value`) are computed when not given; ``plan`` (a :class:`ContactPlan`,
    made under ``contact_policy``) adds whether each customer's first planned contact is on
    their preferred channel (learned as the plan learns it: the channel of most two-way
    contacts before its start).
    """
    from .stages import stages as customer_stages

    day = _as_of(book, as_of)
    values = customer_value(book, day, policy=value_policy) if value is None else value
    reached = customer_stages(book, day) if stages is None else stages
    if isinstance(reached, pd.DataFrame):
        reached = reached["stage"]
    aligned = reached.reindex(book.customer_ids)
    codes = pd.Index(STAGES).get_indexer(aligned.astype(object))
    if (codes < 0).any():
        row = _convert.first_row(codes < 0)
        raise _convert.invalid("readiness", "stage", row, aligned.iloc[row], "no stage for this customer")
    preferred = planned = None
    if plan is not None:
        from .contact_plan import ContactPolicy

        contact_policy = contact_policy or ContactPolicy()
        channels = pd.Index(list(contact_policy.to_dict()["minutes"]))
        start = _convert.day_number(plan.start, "plan.start")
        preferred = _core.preferred_channels(book._core, start, contact_policy).astype(np.int32)
        first = plan.contacts.sort_values("day", kind="stable").drop_duplicates("customer").set_index("customer")
        planned = channels.get_indexer(first["channel"].reindex(book.customer_ids).astype(object)).astype(np.int32)
    raw = _core.measure_readiness(
        book._core,
        day,
        _value_columns(book, values),
        codes.astype(np.int8),
        policy or ReadinessPolicy(),
        preferred,
        planned,
    )
    return pd.DataFrame(
        {
            "step": [step for step, _ in _MEASURES.values()],
            "share": [float(raw[name]) for name in _MEASURES],
            "measures": [text for _, text in _MEASURES.values()],
        },
        index=pd.Index(list(_MEASURES), name="figure"),
    )


@dataclass
class Readiness:
    """The questionnaire scored, and the book beside it.

    ``steps``: per IDIC step, the answers' mean ``current`` and ``preferred`` scores (1 to
    5), the ``gap`` (preferred − current) and how many ``respondents`` answered, then the
    book's ``measured`` share and the same on the answers' scale (``measured_score`` = 1 +
    4 × share): what people believe against what the book shows. ``areas``: the gap tool
    per area (processes, technology, …). ``questions``: every question's means.
    """

    steps: pd.DataFrame
    areas: pd.DataFrame
    questions: pd.DataFrame


def _answers(answers: pd.DataFrame) -> pd.DataFrame:
    """The answers checked: one row per respondent and question, scores whole numbers 1–5."""
    for column in ("respondent", "question", "current", "preferred"):
        if column not in answers.columns:
            raise _convert.invalid("answers", column, None, None, "missing required column")
    unknown = ~answers["question"].isin(READINESS_QUESTIONS.index)
    if unknown.any():
        row = _convert.first_row(unknown.to_numpy())
        raise _convert.invalid(
            "answers", "question", row, answers["question"].iloc[row], "no such question (see READINESS_QUESTIONS)"
        )
    for column in ("current", "preferred"):
        scores = pd.to_numeric(answers[column], errors="coerce")
        bad = scores.isna() | (scores != scores.round()) | (scores < 1) | (scores > 5)
        if bad.any():
            row = _convert.first_row(bad.to_numpy())
            raise _convert.invalid("answers", column, row, answers[column].iloc[row], "a score must be 1, 2, 3, 4 or 5")
    twice = answers.duplicated(["respondent", "question"])
    if twice.any():
        row = _convert.first_row(twice.to_numpy())
        raise _convert.invalid(
            "answers", "question", row, answers["question"].iloc[row], "answered twice by this respondent"
        )
    return answers.astype({"current": float, "preferred": float})


def _scored(answers: pd.DataFrame, by: str, order: list[str]) -> pd.DataFrame:
    table = answers.groupby(by).agg(
        current=("current", "mean"), preferred=("preferred", "mean"), respondents=("respondent", "nunique")
    )
    table = table.reindex(order)
    table.insert(2, "gap", table["preferred"] - table["current"])
    table["respondents"] = table["respondents"].fillna(0).astype(np.int64)
    table.index.name = by
    return table


def readiness(answers: pd.DataFrame | None = None, *, measured: pd.DataFrame | None = None) -> Readiness:
    """Scores the readiness questionnaire.

    ``answers`` has one row per respondent and question: ``respondent``, ``question`` (an id
    of :data:`READINESS_QUESTIONS`), ``current`` and ``preferred`` (1 to 5). A question a
    respondent skipped is no row. ``measured`` (of :func:`book_readiness`) sets the book's
    figure of each step beside the answers. Without answers, the steps hold the book alone.
    """
    answers = (
        pd.DataFrame({"respondent": [], "question": [], "current": [], "preferred": []})
        if answers is None
        else _answers(answers)
    )
    joined = answers.join(READINESS_QUESTIONS[["step", "area"]], on="question")
    steps = _scored(joined.dropna(subset=["step"]), "step", list(READINESS_STEPS))
    areas = _scored(joined.dropna(subset=["area"]), "area", list(_GAP_TOOL))
    areas.insert(4, "questions", READINESS_QUESTIONS.groupby("area").size().reindex(areas.index))
    questions = _scored(joined, "question", list(READINESS_QUESTIONS.index)).join(READINESS_QUESTIONS["en"])
    if measured is not None:
        shares = measured["share"].reindex(list(READINESS_STEPS))
        steps["measured"] = shares.to_numpy()
        steps["measured_score"] = 1 + 4 * steps["measured"]
    return Readiness(steps=steps, areas=areas, questions=questions)
