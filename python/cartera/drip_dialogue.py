"""The drip dialogue ("diálogo por goteo"): a couple of questions each time someone of the
company contacts a customer — only what is unknown or out of date, never what the customer
already told us — and how complete each customer's profile is."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .stages import STAGES
from .value import _as_of

__all__ = ["QUESTION_BANK", "profile_completeness", "read_question_bank"]

#: The default question bank, one row per question: the profile ``field`` its answer fills,
#: the question in Spanish (``es``) and English (``en``), the ``tiers`` and ``stages`` it
#: suits (empty: all), its ``priority`` (the most valuable gaps are asked first), how many
#: days an answer stays valid (``valid_days``) and the managers' ``areas`` that may ask it
#: (empty: all). Pass your own frame of the same columns as ``question_bank=``.
QUESTION_BANK: pd.DataFrame = pd.DataFrame(
    [
        (
            "goals",
            "¿Qué proyectos tiene para los próximos dos años?",
            "What plans do you have for the next two years?",
            (),
            ("relacionar", "intimar", "confiar"),
            5.0,
            365,
            (),
        ),
        (
            "contact_preference",
            "¿Cómo y con qué frecuencia prefiere que lo contactemos?",
            "How, and how often, would you like us to contact you?",
            (),
            (),
            4.5,
            730,
            (),
        ),
        (
            "other_providers",
            "¿Con qué otras empresas trabaja en lo que le ofrecemos?",
            "Which other companies do you work with for what we offer?",
            (),
            ("relacionar", "intimar", "confiar"),
            4.0,
            365,
            (),
        ),
        (
            "improvement",
            "¿Qué podríamos mejorar en nuestro servicio?",
            "What could we do better for you?",
            (),
            (),
            3.5,
            180,
            (),
        ),
        (
            "occupation",
            "¿A qué se dedica actualmente?",
            "What do you do for a living now?",
            (),
            (),
            3.0,
            1095,
            (),
        ),
        (
            "decision_makers",
            "¿Quién más participa en sus decisiones sobre estos temas?",
            "Who else takes part in your decisions on these matters?",
            (),
            ("intimar", "confiar"),
            2.5,
            365,
            (),
        ),
        (
            "family",
            "¿Cómo está compuesta su familia?",
            "Who is in your family?",
            (),
            ("relacionar", "intimar", "confiar"),
            2.0,
            730,
            (),
        ),
        ("birthday", "¿Cuándo es su cumpleaños?", "When is your birthday?", (), (), 1.0, 36500, ()),
    ],
    columns=["field", "es", "en", "tiers", "stages", "priority", "valid_days", "areas"],
)

_BANK_COLUMNS = ("field", "es", "en", "tiers", "stages", "priority", "valid_days", "areas")


def _listed(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def bank_rows(bank: pd.DataFrame, tiers: list[str]) -> list[tuple[Any, ...]]:
    """A question bank as the core takes it: tiers as rows of ``tiers``, stages as codes."""
    for column in _BANK_COLUMNS:
        if column not in bank.columns:
            raise _convert.invalid("question_bank", column, None, None, "missing required column")

    def places(value: Any, names: list[str] | tuple[str, ...], column: str, row: int) -> list[int]:
        for name in _listed(value):
            if name not in names:
                raise _convert.invalid(
                    "question_bank", column, row, name, f"no such {column[:-1]}; the {column} are {', '.join(names)}"
                )
        return [names.index(name) for name in _listed(value)]

    rows = []
    for row, question in enumerate(bank.itertuples(index=False)):
        rows.append(
            (
                str(question.field),
                places(question.tiers, tiers, "tiers", row),
                places(question.stages, STAGES, "stages", row),
                float(question.priority),
                int(question.valid_days),
                _listed(question.areas),
            )
        )
    return rows


def read_question_bank(path: str | Any) -> pd.DataFrame:
    """A question bank from a CSV file with the columns of :data:`QUESTION_BANK`; ``tiers``,
    ``stages`` and ``areas`` list their names separated by ``;`` (empty: all)."""
    try:
        bank = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise _convert.invalid("question_bank", str(path), None, None, f"cannot be read as CSV ({error})") from None
    for column in _BANK_COLUMNS:
        if column not in bank.columns:
            raise _convert.invalid("question_bank", column, None, None, "missing required column")
    for column in ("tiers", "stages", "areas"):
        bank[column] = [tuple(name.strip() for name in text.split(";") if name.strip()) for text in bank[column]]
    for column, kind in (("priority", float), ("valid_days", int)):
        try:
            bank[column] = [kind(text) for text in bank[column]]
        except ValueError:
            bad = next(row for row, text in enumerate(bank[column]) if not _parses(text, kind))
            raise _convert.invalid("question_bank", column, bad, bank[column].iloc[bad], "not a number") from None
    return bank[list(_BANK_COLUMNS)]


def _parses(text: str, kind: type) -> bool:
    try:
        kind(text)
    except ValueError:
        return False
    return True


def _codes(values: pd.Series, labels: list[str], customers: pd.Index, name: str) -> np.ndarray:
    aligned = values.reindex(customers)
    codes = pd.Index(labels).get_indexer(aligned.astype(object))
    if (codes < 0).any():
        row = _convert.first_row(codes < 0)
        raise _convert.invalid(
            "customers", name, row, aligned.iloc[row], f"not a {name}; expected one of {', '.join(labels)}"
        )
    return codes.astype(np.int32)


def profile_completeness(
    book: Book,
    as_of: Any = None,
    *,
    tier: pd.Series | pd.DataFrame,
    stage: pd.Series | pd.DataFrame,
    question_bank: pd.DataFrame | None = None,
) -> pd.Series:
    """Each customer's profile completeness as of a day: the share of the bank's questions
    suited to their ``tier`` and ``stage`` whose field they answered (a row of the book's
    ``profile`` table) within its validity; 1 when no question suits them. With a
    categorical ``tier`` (as :func:`cartera.segment` gives it), a tier the bank names that is
    not one of its categories is an error."""
    bank = QUESTION_BANK if question_bank is None else question_bank
    tiers = tier["tier"] if isinstance(tier, pd.DataFrame) else tier
    stages = stage["stage"] if isinstance(stage, pd.DataFrame) else stage
    if isinstance(tiers.dtype, pd.CategoricalDtype):
        labels = [str(t) for t in tiers.cat.categories]  # a bank's tier must be one of them
    else:
        named = {str(t) for value in bank["tiers"] for t in _listed(value)} if "tiers" in bank.columns else set()
        labels = sorted({str(t) for t in tiers.unique()} | named)
    done = _core.profile_completeness(
        book._core,
        _as_of(book, as_of),
        bank_rows(bank, labels),
        _codes(tiers.astype(object).astype(str), labels, book.customer_ids, "tier"),
        _codes(stages.astype(object), list(STAGES), book.customer_ids, "stage"),
    )
    return pd.Series(done, index=book.customer_ids, name="profile_completeness")
