"""The drip dialogue: each planned contact's questions checked against the profile, the
completeness by hand, and both in the job."""

from __future__ import annotations

import pandas as pd
import pytest

import cartera
from cartera.job import Config, run_job


def _book() -> cartera.Book:
    """The C++ test's book: a told us the family in 2025 and the goals in 2023; b nothing;
    m0 is in sales, m1 in service."""
    return cartera.Book(
        pd.DataFrame({"id": ["a", "b"]}),
        managers=pd.DataFrame({"id": ["m0", "m1"], "area": ["sales", "service"]}),
        profile=pd.DataFrame(
            {"customer": ["a", "a"], "field": ["family", "goals"], "learned": ["2025-01-01", "2023-01-01"]}
        ),
    )


BANK = pd.DataFrame(
    {
        "field": ["goals", "family", "other_providers", "birthday"],
        "es": ["¿Proyectos?", "¿Familia?", "¿Otros proveedores?", "¿Cumpleaños?"],
        "en": ["Plans?", "Family?", "Other providers?", "Birthday?"],
        "tiers": [("Premium",), (), (), ()],
        "stages": [(), (), (), ()],
        "priority": [5.0, 2.0, 4.0, 1.0],
        "valid_days": [365, 730, 365, 36500],
        "areas": [(), (), ("sales",), ()],
    }
)


def test_completeness_and_the_books_information_shared_by_hand():
    book = _book()
    tiers = pd.Series(["Premium", "Medio"], index=["a", "b"])
    stages = pd.Series("relacionar", index=["a", "b"])
    done = cartera.profile_completeness(book, "2026-01-01", tier=tiers, stage=stages, question_bank=BANK)
    assert done.to_dict() == {"a": 0.25, "b": 0.0}  # the family of four; nothing of three
    # Without a profile column the book counts the fields its profile records: a told both.
    assert book.table("customers")["profile"].tolist() == [1.0, 0.0]


def test_bad_banks_are_named():
    book = _book()
    tiers = pd.Series(pd.Categorical(["Medio", "Medio"], categories=["Medio", "Premium"]), index=["a", "b"])
    stages = pd.Series("contactar", index=["a", "b"])
    with pytest.raises(ValueError, match=r"question_bank.tiers row 0 \(value 'Oro'\): no such tier"):
        cartera.profile_completeness(
            book, tier=tiers, stage=stages, question_bank=BANK.assign(tiers=[("Oro",), (), (), ()])
        )
    with pytest.raises(ValueError, match=r"question_bank.stages row 1 \(value 'amigos'\): no such stage"):
        cartera.profile_completeness(
            book, tier=tiers, stage=stages, question_bank=BANK.assign(stages=[(), ("amigos",), (), ()])
        )
    with pytest.raises(ValueError, match=r"question_bank.valid_days row 0 \(value 0\)"):
        cartera.profile_completeness(book, tier=tiers, stage=stages, question_bank=BANK.assign(valid_days=0))
    with pytest.raises(ValueError, match=r"question_bank.areas: missing required column"):
        cartera.profile_completeness(book, tier=tiers, stage=stages, question_bank=BANK.drop(columns="areas"))


def test_every_planned_contact_asks_only_what_is_unknown_once_and_the_most_valuable_first():
    book = cartera.synthetic_book(3000, 30, seed=6)
    results = run_job(book)
    contacts = results.plan.contacts
    bank = cartera.QUESTION_BANK.set_index("en")
    profile = book.table("profile")
    stage = results.stages["stage"]
    seen: set[tuple[str, str]] = set()
    asked_any = 0
    for contact in contacts.sort_values(["customer", "day"], kind="stable").itertuples():
        questions = [q for q in str(contact.questions).split(" | ") if q]
        asked_any += bool(questions)
        assert len(questions) <= 2
        priorities = [bank.loc[q, "priority"] for q in questions]
        assert priorities == sorted(priorities, reverse=True)
        for question in questions:
            field, valid = bank.loc[question, "field"], bank.loc[question, "valid_days"]
            suited = bank.loc[question, "stages"]
            assert not suited or stage[contact.customer] in suited
            told = profile[(profile["customer"] == contact.customer) & (profile["field"] == field)]
            told = told[told["learned"] <= contact.day]
            assert told.empty or (contact.day - told["learned"].max()).days >= valid, (contact.customer, field)
            assert (contact.customer, field) not in seen  # never twice in the plan
            seen.add((contact.customer, field))
    assert asked_any > len(contacts) / 2
    assert results.profile.between(0, 1).all() and 0 < results.profile.mean() < 1
    assert "The drip dialogue" in cartera.report.render_report(results)


def test_the_language_of_the_questions_is_a_job_setting():
    book = cartera.synthetic_book(800, 8, seed=2)
    spanish = run_job(book, Config.from_dict({"job": {"language": "es"}})).plan.contacts["questions"]
    assert spanish.astype(str).str.startswith("¿").any()
    with pytest.raises(ValueError, match=r"config.job.language \(value 'fr'\): expected 'en' or 'es'"):
        Config.from_dict({"job": {"language": "fr"}})


def test_a_question_bank_file_sets_the_jobs_questions(tmp_path):
    path = tmp_path / "bank.csv"
    BANK.assign(
        tiers=["Premium", "", "", ""], stages=["", "", "", "relacionar; intimar"], areas=["", "", "sales", ""]
    ).to_csv(path, index=False)
    bank = cartera.read_question_bank(path)
    assert bank.loc[0, "tiers"] == ("Premium",) and bank.loc[3, "stages"] == ("relacionar", "intimar")
    assert bank["valid_days"].tolist() == [365, 730, 365, 36500]
    book = cartera.synthetic_book(800, 8, seed=2)
    results = run_job(book, Config.from_dict({"job": {"question_bank": str(path)}}))
    asked = {q for text in results.plan.contacts["questions"].astype(str) for q in text.split(" | ") if q}
    assert asked and asked <= set(BANK["en"])
    broken = tmp_path / "broken.csv"
    BANK.assign(valid_days=["365", "soon", "1", "1"]).to_csv(broken, index=False)
    with pytest.raises(ValueError, match=r"question_bank.valid_days row 1 \(value 'soon'\): not a number"):
        cartera.read_question_bank(broken)
