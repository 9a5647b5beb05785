"""Properties of the whole job on random small books (Hypothesis): every input customer
appears exactly once in every per-customer output, with a reason where left out; ids come
back exactly; the same input gives the same output; the order of the event rows changes no
result. Through `run_job` and through `cartera run` on files."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cartera
from cartera.cli import main
from cartera.job import Config, run_job

# Ids a careless reading would change: leading zeros, numbers in other spellings, words
# pandas takes for missing, spaces, accents.
_ID_TEXT = st.text(alphabet="0123456789eEaAñÑ .-_NnulL", min_size=1, max_size=5).filter(
    lambda s: s.strip() == s and s != ""
)
_DAYS = list(pd.date_range("2024-01-01", "2025-12-31", freq="D"))


@st.composite
def books(draw: st.DrawFn, *, text_ids: bool = False) -> dict[str, pd.DataFrame]:
    """A small book as DataFrames: customers and managers keyed by ``id``, events."""
    n = draw(st.integers(1, 9))
    m = draw(st.integers(1, 4))
    ids = draw(st.lists(_ID_TEXT, min_size=n + m, max_size=n + m, unique=True))
    customers_ids: list = ids[:n]
    if not text_ids and draw(st.booleans()):  # integers for some customers: mixed kinds
        customers_ids = [
            int(i) if i.isdigit() and not i.startswith("0") and str(int(i)) not in customers_ids else i
            for i in customers_ids
        ]
    manager_ids = ids[n:]
    regions = ["N", "S"]
    region = draw(st.lists(st.sampled_from(regions), min_size=m, max_size=m))
    managers = pd.DataFrame(
        {
            "id": manager_ids,
            "region": region,
            "capacity": draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)),  # managers without room
            "time_budget": draw(st.lists(st.sampled_from([0.0, 60.0, 4800.0]), min_size=m, max_size=m)),
        }
    )
    current = draw(st.lists(st.one_of(st.none(), st.sampled_from(manager_ids)), min_size=n, max_size=n))
    customers = pd.DataFrame(
        {
            "id": customers_ids,
            # A region nobody serves leaves a customer without candidates.
            "region": draw(st.lists(st.sampled_from(regions + ["E"]), min_size=n, max_size=n)),
            "manager": pd.Series(current, dtype=object),
        }
    )
    same_day = draw(st.booleans())
    day = st.sampled_from(_DAYS[-3:] if same_day else _DAYS)

    def events(size: int, make) -> pd.DataFrame:
        rows = [make() for _ in range(size)]
        return pd.DataFrame(rows)

    k = draw(st.integers(0, 25))
    transactions = pd.DataFrame(
        {
            "customer": draw(st.lists(st.sampled_from(customers_ids), min_size=k, max_size=k)),
            "day": draw(st.lists(day, min_size=k, max_size=k)),
            "amount": draw(
                st.lists(st.sampled_from([0.1, 0.7, 3.3, 20.0, 20.0, 999.5]), min_size=k, max_size=k)
            ),  # ties
        },
        columns=["customer", "day", "amount"],
    )
    j = draw(st.integers(0, 20))
    interactions = pd.DataFrame(
        {
            "customer": draw(st.lists(st.sampled_from(customers_ids), min_size=j, max_size=j)),
            "manager": pd.Series(
                draw(st.lists(st.one_of(st.none(), st.sampled_from(manager_ids)), min_size=j, max_size=j)), dtype=object
            ),
            "day": draw(st.lists(day, min_size=j, max_size=j)),
            "channel": draw(st.lists(st.sampled_from(["call", "email", "visit"]), min_size=j, max_size=j)),
            "two_way": draw(st.lists(st.booleans(), min_size=j, max_size=j)),
            "relational": draw(st.lists(st.booleans(), min_size=j, max_size=j)),
        },
        columns=["customer", "manager", "day", "channel", "two_way", "relational"],
    )
    c = draw(st.integers(0, 3))
    complaints = pd.DataFrame(
        {
            "customer": draw(st.lists(st.sampled_from(customers_ids), min_size=c, max_size=c)),
            "opened": draw(st.lists(day, min_size=c, max_size=c)),
        },
        columns=["customer", "opened"],
    )
    r = draw(st.integers(0, 3))
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(customers_ids), st.sampled_from(customers_ids)), min_size=r, max_size=r)
    )
    pairs = [(a, b) for a, b in pairs if a != b]
    referrals = pd.DataFrame(
        {
            "referrer": [a for a, _ in pairs],
            "referred": [b for _, b in pairs],
            "day": draw(st.lists(day, min_size=len(pairs), max_size=len(pairs))),
        },
        columns=["referrer", "referred", "day"],
    )
    g = draw(st.integers(0, 3))
    campaigns = pd.DataFrame(
        {
            "customer": draw(st.lists(st.sampled_from(customers_ids), min_size=g, max_size=g)),
            "day": draw(st.lists(day, min_size=g, max_size=g)),
            "campaign": draw(st.lists(st.sampled_from(["spring", "autumn"]), min_size=g, max_size=g)),
        },
        columns=["customer", "day", "campaign"],
    )
    for frame in (transactions, interactions, complaints, referrals, campaigns):
        for column in ("day", "opened"):
            if column in frame.columns:
                frame[column] = (
                    frame[column].astype("datetime64[s]") if len(frame) else pd.Series([], dtype="datetime64[s]")
                )
    return {
        "customers": customers,
        "managers": managers,
        "transactions": transactions,
        "interactions": interactions,
        "complaints": complaints,
        "referrals": referrals,
        "campaigns": campaigns,
    }


def book_of(frames: dict[str, pd.DataFrame]) -> cartera.Book:
    return cartera.Book(frames["customers"], **{t: f for t, f in frames.items() if t != "customers"})


def config_of(time_budgets: bool) -> Config:
    return Config.from_dict(
        {
            "job": {"as_of": "2026-01-01", "time_budgets": time_budgets, "time_limit": 5.0},
            "assignment": {"move_share": 0.5},
        }
    )


#: The per-customer outputs of a run: the frame, and its column of customer ids (None: the index).
def per_customer(results) -> dict[str, pd.Index]:
    return {
        "value": results.value.index,
        "stages": results.stages.index,
        "segments": results.segments.index,
        "assignment": results.assignment.assignments.index,
        "plan": results.plan.customers.index,
        "referrals": results.referrals.customers.index,
    }


def check_invariants(frames: dict[str, pd.DataFrame], results) -> None:
    ids = list(frames["customers"]["id"])
    managers = set(frames["managers"]["id"])
    for name, index in per_customer(results).items():
        assert list(index) == ids, name  # every customer once, in the book's order, ids as given
        assert [type(i) for i in index] == [type(i) for i in ids], name
    assignments = results.assignment.assignments
    assert assignments["reason"].notna().all()
    assert (assignments["manager"].isna() == (assignments["reason"] != "assigned")).all()
    assert set(assignments["manager"].dropna()) <= managers
    load = assignments["manager"].value_counts()
    capacity = frames["managers"].set_index("id")["capacity"]
    assert all(load.get(j, 0) <= capacity[j] for j in capacity.index)
    for frame, columns in (
        (results.alerts, ["customer"]),
        (results.plan.contacts, ["customer"]),
        (results.plan.unmet, ["customer"]),
    ):
        for column in columns:
            assert set(frame[column]) <= set(ids)
    assert set(results.plan.contacts["manager"]) <= managers
    # Every complaint opened by the evaluation day counts once, in a manager's row or in
    # the row of those without one.
    complaints = frames["complaints"]
    assert results.complaints["complaints"].sum() == (complaints["opened"] <= pd.Timestamp("2026-01-01")).sum()
    assert set(results.complaints["manager"].dropna()) <= managers
    # Every campaign contact made by then is measured once.
    campaigns = frames["campaigns"]
    assert len(results.campaign_responses) == (campaigns["day"] <= pd.Timestamp("2026-01-01")).sum()
    assert set(results.campaign_responses["customer"]) <= set(ids)
    # Every customer has a profile completeness; the book's readiness is made of shares.
    assert list(results.profile.index) == ids and results.profile.between(0, 1).all()
    measured = results.readiness.steps["measured"].dropna()
    assert measured.between(0, 1).all()
    assert set(results.people["customer"]) <= set(ids)
    assert "questions" in results.plan.contacts.columns


def assert_same(a, b) -> None:
    for name in per_customer(a):
        left = {
            "value": a.value,
            "stages": a.stages,
            "segments": a.segments,
            "assignment": a.assignment.assignments,
            "plan": a.plan.customers,
            "referrals": a.referrals.customers,
        }[name]
        right = {
            "value": b.value,
            "stages": b.stages,
            "segments": b.segments,
            "assignment": b.assignment.assignments,
            "plan": b.plan.customers,
            "referrals": b.referrals.customers,
        }[name]
        pd.testing.assert_frame_equal(left, right, obj=name)
    pd.testing.assert_frame_equal(a.alerts.reset_index(drop=True), b.alerts.reset_index(drop=True), obj="alerts")
    pd.testing.assert_frame_equal(a.complaints, b.complaints, obj="complaints")
    pd.testing.assert_frame_equal(a.campaign_responses, b.campaign_responses, obj="campaign_responses")
    pd.testing.assert_series_equal(a.profile, b.profile, obj="profile")
    pd.testing.assert_frame_equal(a.readiness.steps, b.readiness.steps, obj="readiness")
    pd.testing.assert_frame_equal(
        a.plan.contacts.reset_index(drop=True), b.plan.contacts.reset_index(drop=True), obj="contacts"
    )


_PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@_PROPERTY
@given(frames=books(), time_budgets=st.booleans(), seed=st.integers(0, 2**31))
def test_the_job_keeps_every_customer_once_with_its_id_and_is_deterministic(frames, time_budgets, seed):
    config = config_of(time_budgets)
    results = run_job(book_of(frames), config)
    check_invariants(frames, results)
    assert_same(results, run_job(book_of(frames), config))
    # The order of the event rows is no information: shuffled, every result is the same.
    random = np.random.default_rng(seed)
    shuffled = {
        t: f if t in ("customers", "managers") else f.iloc[random.permutation(len(f))].reset_index(drop=True)
        for t, f in frames.items()
    }
    assert_same(results, run_job(book_of(shuffled), config))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(frames=books(text_ids=True))
def test_cartera_run_on_files_gives_back_every_customer_and_id(tmp_path_factory, frames):
    folder = tmp_path_factory.mktemp("book")
    for table, frame in frames.items():
        frame.to_csv(folder / f"{table}.csv", index=False)
    out = folder / "out"
    assert main(["run", "--data", str(folder), "--out", str(out), "-q", "--as-of", "2026-01-01"]) == 0
    ids = list(frames["customers"]["id"])
    for name in ("value", "stages", "segments", "assignment", "plan_customers", "referrals"):
        written = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        assert written.iloc[:, 0].tolist() == ids, name
    assignment = pd.read_csv(out / "assignment.csv", dtype=str, keep_default_na=False)
    assert (assignment["reason"] != "").all()
    assert set(assignment["manager"]) - {""} <= set(frames["managers"]["id"])


@st.composite
def realignments(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Customers (value, stage, current manager, region) and managers (capacity, region)."""
    m = draw(st.integers(1, 4))
    n = draw(st.integers(1, 8))
    managers = pd.DataFrame(
        {
            "capacity": draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)),
            "region": draw(st.lists(st.sampled_from("NS"), min_size=m, max_size=m)),
        },
        index=[f"m{k}" for k in range(m)],
    )
    customers = pd.DataFrame(
        {
            "value": draw(st.lists(st.sampled_from([0.0, 10.0, 50.0, 50.0, 120.0]), min_size=n, max_size=n)),
            "stage": draw(st.lists(st.sampled_from(cartera.STAGES), min_size=n, max_size=n)),
            "manager": pd.Series(
                draw(st.lists(st.one_of(st.none(), st.sampled_from(list(managers.index))), min_size=n, max_size=n)),
                dtype=object,
            ),
            "region": draw(st.lists(st.sampled_from("NS"), min_size=n, max_size=n)),
        },
        index=[f"c{k}" for k in range(n)],
    )
    return customers, managers


@settings(max_examples=150, deadline=None)
@given(book=realignments(), budget=st.sampled_from([None, 0, 1]), data=st.data())
def test_raising_a_stage_never_costs_a_customer_the_manager_it_keeps(book, budget, data):
    customers, managers = book
    policy = {"fit_weight": 0.0} | ({} if budget is None else {"move_budget": budget})
    before = cartera.assign(customers, managers, policy=policy, gap_limit=0)
    kept = before.assignments.index[before.assignments["change"] == "kept"]
    if len(kept) == 0 or before.status != "optimal":
        return
    who = data.draw(st.sampled_from(list(kept)))
    stage = customers.loc[who, "stage"]
    higher = [s for s in cartera.STAGES if cartera.STAGES.index(s) > cartera.STAGES.index(stage)]
    if not higher:
        return
    raised = customers.copy()
    raised.loc[who, "stage"] = data.draw(st.sampled_from(higher))
    after = cartera.assign(raised, managers, policy=policy, gap_limit=0)
    assert after.assignments.loc[who, "manager"] == customers.loc[who, "manager"]
    # More room never raises the objective.
    roomier = managers.assign(capacity=managers["capacity"] + 1)
    assert cartera.assign(customers, roomier, policy=policy, gap_limit=0).objective <= before.objective + 1e-9
