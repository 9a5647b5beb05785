"""IDIC readiness: the questionnaire scored by hand, the book's own measure by hand, and
both in the job and on the command line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cartera
from cartera.cli import main
from cartera.job import run_job

from .conftest import write_book


def _answers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent": ["ana", "ana", "ana", "luis", "luis"],
            "question": ["identify", "processes_1", "processes_2", "identify", "interact"],
            "current": [2, 1, 3, 4, 2],
            "preferred": [5, 4, 5, 5, 4],
        }
    )


def test_the_questionnaire_is_peppers_in_two_languages():
    questions = cartera.READINESS_QUESTIONS
    assert len(questions) == 22  # four big-picture questions and the gap tool's eighteen
    assert questions.loc[list(cartera.READINESS_STEPS), "part"].eq("big_picture").all()
    assert questions.groupby("area").size().to_dict() == {
        "competitive_strategy": 4,
        "customer_relations": 4,
        "employees": 2,
        "knowledge_strategy": 2,
        "partners": 2,
        "processes": 2,
        "technology": 2,
    }
    assert questions["es"].str.startswith("¿").all() and questions["en"].str.endswith("?").all()


def test_the_answers_are_scored_by_step_and_area_by_hand():
    scored = cartera.readiness(_answers())
    identify = scored.steps.loc["identify"]
    assert (identify["current"], identify["preferred"], identify["gap"], identify["respondents"]) == (3.0, 5.0, 2.0, 2)
    assert scored.steps.loc["interact", "gap"] == 2.0
    assert (
        np.isnan(scored.steps.loc["differentiate", "current"]) and scored.steps.loc["differentiate", "respondents"] == 0
    )
    processes = scored.areas.loc["processes"]
    assert (processes["current"], processes["preferred"], processes["questions"]) == (2.0, 4.5, 2)
    assert list(scored.areas.index)[:2] == ["processes", "technology"]
    assert scored.questions.loc["processes_2", "current"] == 3.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"question": "nothing"}, r"answers.question row 0 \(value 'nothing'\): no such question"),
        ({"current": 6}, r"answers.current row 0 \(value 6\): a score must be 1, 2, 3, 4 or 5"),
        ({"preferred": 2.5}, r"answers.preferred row 0 \(value 2.5\): a score must be"),
    ],
)
def test_bad_answers_are_named(change, message):
    answers = _answers()
    for column, value in change.items():
        answers[column] = answers[column].astype(object)
        answers.loc[0, column] = value
    with pytest.raises(ValueError, match=message):
        cartera.readiness(answers)


def test_an_answer_given_twice_or_a_missing_column_is_named():
    twice = pd.concat([_answers(), _answers().iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match=r"answers.question row 5 \(value 'identify'\): answered twice"):
        cartera.readiness(twice)
    with pytest.raises(ValueError, match=r"answers.preferred: missing required column"):
        cartera.readiness(_answers().drop(columns="preferred"))


def _book() -> cartera.Book:
    """The C++ test's book, as of 2025-12-31: a and b bought this year; a talked with us
    early and late, b late; c is unreachable; d talked 400 days ago."""
    day = pd.Timestamp("2025-12-31")
    ago = lambda n: day - pd.Timedelta(days=n)  # noqa: E731
    return cartera.Book(
        pd.DataFrame({"id": list("abcd"), "reachable": [True, True, False, True]}),
        transactions=pd.DataFrame(
            {"customer": list("abc"), "day": [ago(20), ago(30), ago(700)], "amount": [100.0, 300, 50]}
        ),
        interactions=pd.DataFrame(
            {
                "customer": list("aabcd"),
                "day": [ago(300), ago(10), ago(5), ago(50), ago(400)],
                "channel": ["call", "call", "visit", "email", "call"],
                "two_way": [True, True, True, False, True],
            }
        ),
    )


def test_the_books_own_readiness_by_hand():
    stages = pd.Series(["intimar", "contactar", "confiar", "relacionar"], index=list("abcd"))
    measured = cartera.book_readiness(
        _book(), "2025-12-31", stages=stages, policy=cartera.ReadinessPolicy(mvc_share=0.25)
    )
    assert measured["share"].round(4).to_dict() == {
        "identify": 0.75,
        "differentiate": 0.5,
        "mvc_revenue_share": 0.75,
        "interact": 0.5,
        "dialogue_continuity": 0.5,
        "individualise": 0.5,
        "preferred_channel_kept": pytest.approx(np.nan, nan_ok=True),
    }
    scored = cartera.readiness(_answers(), measured=measured)
    assert scored.steps.loc["identify", "measured_score"] == 4.0  # 1 + 4 × 0.75
    values = cartera.value(_book(), "2025-12-31")
    with pytest.raises(ValueError, match=r"value.index row 0 \(value 'a'\): no value for this customer of the book"):
        cartera.book_readiness(_book(), "2025-12-31", stages=stages, value=values.iloc[1:])


def test_the_job_and_the_commands_give_the_readiness(tmp_path, capsys):
    book = cartera.synthetic_book(2000, 20, seed=4)
    results = run_job(book, readiness_answers=_answers())
    expected = cartera.book_readiness(book, stages=results.stages, value=results.value, plan=results.plan)
    pd.testing.assert_frame_equal(
        results.readiness.steps[["measured"]],
        expected.loc[list(cartera.READINESS_STEPS), ["share"]]
        .rename(columns={"share": "measured"})
        .rename_axis("step"),
    )
    assert 0 < expected.loc["preferred_channel_kept", "share"] <= 1
    assert results.readiness.steps.loc["identify", "respondents"] == 2
    assert "id='readiness'" in cartera.report.render_report(results)

    data = write_book(tmp_path / "data", 1200, 12, seed=9)
    answers = tmp_path / "answers.csv"
    _answers().to_csv(answers, index=False)
    out = tmp_path / "out"
    assert main(["run", "--data", str(data), "--out", str(out), "-q", "--readiness", str(answers)]) == 0
    steps = pd.read_csv(out / "readiness.csv", index_col=0)
    assert steps.loc["identify", "current"] == 3.0 and 0 <= steps.loc["identify", "measured"] <= 1
    capsys.readouterr()
    assert main(["readiness", str(answers), "--data", str(data), "--out", str(tmp_path / "scored")]) == 0
    assert "personalisation gap by area" in capsys.readouterr().out
    assert {p.name for p in (tmp_path / "scored").iterdir()} == {
        "steps.csv",
        "areas.csv",
        "questions.csv",
        "measured.csv",
    }
    assert main(["readiness", "--questions"]) == 0
    assert len(pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))) == 22


def test_the_radar_draws_both_scenarios_and_the_book():
    import matplotlib

    matplotlib.use("Agg")
    scored = cartera.readiness(_answers(), measured=cartera.book_readiness(_book()))
    ax = cartera.plot.readiness(scored, by="steps")
    assert len(ax.lines) == 3
    assert len(cartera.plot.readiness(scored).lines) == 2
