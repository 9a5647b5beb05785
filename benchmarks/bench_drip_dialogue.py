"""The drip dialogue at 1 M customers: each planned contact's questions, and every
customer's profile completeness, on the synthetic bank (its profile holds what each
customer told us, about 2.4 fields each). The contact plan is made first (not timed); the
timings are the questions' choice (with the categorical of texts the plan carries) and the
completeness, each the best of 3.

Run from the repository root: ``.venv/bin/python benchmarks/bench_drip_dialogue.py [--customers 1000000]``.
"""

from __future__ import annotations

import argparse

from timing import best_of

import cartera
from cartera.contact_plan import _questions
from cartera.drip_dialogue import QUESTION_BANK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()
    book = cartera.synthetic_book(args.customers, args.customers // 100, seed=7)
    segments, stages = cartera.segment(book), cartera.stages(book)
    manager = book.table("customers")["manager"]
    plan = cartera.plan_contacts(book, manager, tier=segments, stage=stages, questions_per_contact=0)
    contacts = plan.contacts
    tiers = list(cartera.ContactPolicy().to_dict()["tiers"])
    raw = {
        "manager": book.manager_ids.get_indexer(contacts["manager"]).astype("int32"),
        "customer": book.customer_ids.get_indexer(contacts["customer"]).astype("int32"),
        "day": contacts["day"].to_numpy(dtype="datetime64[D]").astype("int64").astype("int32"),
    }
    tier_codes = segments["tier"].cat.codes.to_numpy().astype("int32")
    stage_codes = stages["stage"].cat.codes.to_numpy().astype("int8")
    chose, asked = best_of(
        3,
        lambda: _questions(raw, book, book.manager_ids, tier_codes, stage_codes, tiers, QUESTION_BANK, "en", 2),
    )
    known, done = best_of(3, lambda: cartera.profile_completeness(book, tier=segments, stage=stages))
    print(
        f"{len(book.customer_ids):,} customers, {book.rows()['profile']:,} profile rows, {len(contacts):,} planned "
        f"contacts: questions chosen in {chose:.3f} s ({(asked.codes >= 0).sum():,} contacts, "
        f"{len(asked.categories)} distinct sets); completeness in {known:.3f} s (mean {done.mean():.3f})"
    )


if __name__ == "__main__":
    main()
