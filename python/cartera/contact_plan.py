"""The contact plan: each manager's limited time turned into proactive contacts with the
right customers, on the right day and channel, without saturating anyone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .alerts import ALERTS
from .book import Book
from .drip_dialogue import QUESTION_BANK, bank_rows
from .people import paired_people
from .stages import STAGES

__all__ = ["ContactPlan", "ContactPolicy", "PURPOSES", "STATUSES", "plan_contacts"]

#: Cadences per tier × stage (contacts per period, nature, channel mix), minutes per
#: contact by channel, the contact cap and working days; see docs/contact-plan.md.
ContactPolicy = _core.ContactPolicy

#: Why a contact is planned, in the order the plan serves them.
PURPOSES: tuple[str, ...] = tuple(_core.CONTACT_PURPOSES)
#: What the plan did for a customer.
STATUSES: tuple[str, ...] = tuple(_core.PLAN_STATUSES)
_UNMET: tuple[str, ...] = ("time_budget", "contact_cap")
_NATURES: tuple[str, ...] = ("transactional", "relational")


def _policy(policy: Any) -> Any:
    if policy is None:
        return ContactPolicy()
    return policy if isinstance(policy, ContactPolicy) else ContactPolicy.from_dict(dict(policy))


def _per_customer(values: Any, column: str, customers: pd.Index) -> pd.Series:
    """A Series (or a frame's column) aligned on the book's customers; every one needed."""
    if isinstance(values, pd.DataFrame):
        if column not in values.columns:
            raise _convert.invalid(column, column, None, None, f"the frame has no {column!r} column")
        values = values[column]
    if not isinstance(values, pd.Series):
        raise _core.TypeMismatchError(
            _convert.located("customers", column, None, type(values).__name__, "expected a Series indexed by customer")
        )
    aligned = values.reindex(customers)
    if aligned.isna().any():
        row = _convert.first_row(aligned.isna().to_numpy())
        raise _convert.invalid(
            "customers", column, row, customers[row], "no value for this customer; give one per customer in the book"
        )
    return aligned


def _labels(values: pd.Series, labels: list[str] | tuple[str, ...], column: str) -> np.ndarray:
    codes = pd.Index(list(labels)).get_indexer(values.astype(object))
    if (codes < 0).any():
        row = _convert.first_row(codes < 0)
        raise _convert.invalid(
            "customers",
            column,
            row,
            values.iloc[row],
            f"no such {column}; the {column}s are {', '.join(map(str, labels))}",
        )
    return codes.astype(np.int32)


def _managers_of(manager: Any, customers: pd.Index) -> pd.Series:
    if hasattr(manager, "assignments"):
        manager = manager.assignments["manager"]
    if not isinstance(manager, pd.Series):
        raise _core.TypeMismatchError(
            _convert.located("customers", "manager", None, type(manager).__name__, "expected a Series or an Assignment")
        )
    return manager.reindex(customers)


def _campaign_policy(policy: Any) -> Any:
    if policy is None:
        return _core.CampaignPolicy()
    return policy if isinstance(policy, _core.CampaignPolicy) else _core.CampaignPolicy.from_dict(dict(policy))


def _budgets(time_budget: Any, book: Book, manager: pd.Series) -> pd.Series:
    if time_budget is None:
        managers = book.table("managers")
        if "time_budget" not in managers.columns:
            raise _convert.invalid(
                "managers", "time_budget", None, None, "is required: give time_budget= or a managers table with it"
            )
        return managers["time_budget"]
    if isinstance(time_budget, pd.DataFrame):
        if "time_budget" not in time_budget.columns:
            raise _convert.invalid("managers", "time_budget", None, None, "is required")
        return time_budget["time_budget"]
    if isinstance(time_budget, pd.Series):
        return time_budget
    ids = pd.Index(sorted(manager.dropna().unique(), key=str))
    return pd.Series(float(time_budget), index=ids)


@dataclass
class ContactPlan:
    """A contact plan for ``days`` days from ``start``.

    ``contacts``: one row per planned contact (manager, customer, day, channel, minutes,
    purpose, nature, alert, priority, reason, and the last interaction before the horizon:
    last_day, last_channel, last_note). ``unmet``: every wanted contact that did not fit,
    with its reason (time_budget, contact_cap). ``customers``: every customer of the book
    with their status. ``managers``: portfolio, customers reached, coverage, minutes of
    budget, planned and demanded.
    """

    contacts: pd.DataFrame
    unmet: pd.DataFrame
    customers: pd.DataFrame
    managers: pd.DataFrame
    start: pd.Timestamp
    days: int

    def coverage(self, by: tuple[str, ...] | list[str] = ("tier", "stage")) -> pd.DataFrame:
        """Share of each portfolio reached proactively, by manager and the ``by`` columns of
        ``customers`` (customers, reached, share)."""
        managed = self.customers[self.customers["manager"].notna()]
        keys = ["manager", *by]
        table = (
            managed.assign(reached=managed["planned"] > 0)
            .groupby(keys, observed=True)["reached"]
            .agg(customers="size", reached="sum")
        )
        table["share"] = table["reached"] / table["customers"]
        return table

    def __repr__(self) -> str:
        return (
            f"ContactPlan({len(self.contacts)} contacts for {int((self.managers['portfolio'] > 0).sum())} managers "
            f"from {self.start.date()} for {self.days} days, {len(self.unmet)} unmet)"
        )


# Long on purpose: the inputs, each checked and named as the docstring lists them, then one
# call to the core and the frames it gives.
def plan_contacts(
    book: Book,
    manager: Any,
    time_budget: Any = None,
    *,
    tier: pd.Series | pd.DataFrame,
    stage: pd.Series | pd.DataFrame,
    alerts: pd.DataFrame | None = None,
    campaigns: pd.DataFrame | None = None,
    campaign_policy: Any = None,
    question_bank: pd.DataFrame | None = None,
    language: str = "en",
    questions_per_contact: int = 2,
    preferred_channel: pd.Series | None = None,
    max_contacts: pd.Series | None = None,
    start: Any = None,
    days: int = 28,
    policy: Any = None,
) -> ContactPlan:
    """Plans each manager's proactive contacts for ``days`` days from ``start`` (default: the
    day after the book's last event).

    Parameters
    ----------
    manager : Series or Assignment
        Manager id per customer id (missing: no manager), or the result of :func:`assign`.
    time_budget : Series, DataFrame, number or None
        Minutes per period (``policy.period_days``) per manager id; None reads the book's
        managers table.
    tier, stage : Series (or the frames of :func:`segment` and :func:`stages`)
        Each customer's tier (a ``policy.tiers`` label) and stage.
    alerts : DataFrame, optional
        The frame of :func:`alerts`: an alert contact first, most urgent first.
    campaigns : DataFrame, optional
        ``customer`` and ``day`` of central campaign contacts, in place of the book's
        campaigns; they count toward the cap.
    campaign_policy : CampaignPolicy, optional
        The customers who responded to one of the book's campaigns (as of the day before the
        plan, :func:`cartera.campaign_responses`) and whom their manager has not followed up
        yet get a ``follow_up`` contact (unless an alert contact answers them), counted in
        the budget like any other; by default under ``CampaignPolicy()``.
    When the book names the people at its customers, each planned contact says whom to talk
    to, in ``person``: the one of the manager's area, else the most recently checked.
    question_bank : DataFrame, optional
        The drip dialogue's questions (default :data:`cartera.QUESTION_BANK`): each planned
        contact carries, in ``questions``, the next ``questions_per_contact`` (2) to ask in
        ``language`` ("en" or "es") — suited to the customer's tier and stage, askable by
        the manager's area, about a field the customer has not answered within its
        validity, and not asked by an earlier contact of the plan — most valuable first.
    preferred_channel : Series, optional
        A channel of the policy per customer; by default learned from the book (the channel
        of most two-way contacts in ``policy.preference_days``).
    max_contacts : Series, optional
        The customer's most contacts in any ``policy.period_days`` (default the policy's).
    """
    policy = _policy(policy)
    fields = policy.to_dict()
    channels = list(fields["minutes"])
    customers = book.customer_ids
    managers_of = _managers_of(manager, customers)
    budgets = _budgets(time_budget, book, managers_of)
    if not budgets.index.is_unique:
        raise _convert.invalid("managers", "index", None, None, "manager ids must be unique")
    if budgets.isna().any():
        row = _convert.first_row(budgets.isna().to_numpy())
        raise _convert.invalid("managers", "time_budget", row, budgets.index[row], "must not be missing")
    positions = budgets.index.get_indexer(managers_of)
    unknown = (positions < 0) & managers_of.notna().to_numpy()
    if unknown.any():
        row = _convert.first_row(unknown)
        raise _core.UnknownIdError(
            _convert.located(
                "customers", "manager", row, managers_of.iloc[row], "no such manager among the time budgets"
            )
        )
    tiers = _per_customer(tier, "tier", customers)
    stage_values = _per_customer(stage, "stage", customers)
    tier_codes = _labels(tiers, fields["tiers"], "tier")
    stage_codes = _labels(stage_values, STAGES, "stage")
    preferred = None
    if preferred_channel is not None:
        chosen = preferred_channel.reindex(customers)
        preferred = pd.Index(channels).get_indexer(chosen.astype(object))
        bad = (preferred < 0) & chosen.notna().to_numpy()
        if bad.any():
            row = _convert.first_row(bad)
            raise _convert.invalid(
                "customers",
                "preferred_channel",
                row,
                chosen.iloc[row],
                f"no such channel; the channels are {', '.join(channels)}",
            )
        preferred = preferred.astype(np.int32)
    caps = None
    if max_contacts is not None:
        caps = max_contacts.reindex(customers).fillna(-1).to_numpy(dtype=np.int32)
    alert_arrays = None
    if alerts is not None:
        alert_arrays = {
            "customer": _convert.references(
                alerts["customer"], customers, "alerts", "customer", "customers", optional=False
            ),
            "kind": pd.Index(list(ALERTS)).get_indexer(alerts["alert"].astype(object)).astype(np.int32),
            "priority": alerts["priority"].to_numpy(dtype=np.float64),
            "urgent": alerts["urgent"].to_numpy(dtype=bool).astype(np.uint8),
        }
    campaign_arrays = None
    if campaigns is not None:
        for name in ("customer", "day"):
            if name not in campaigns.columns:
                raise _convert.invalid("campaigns", name, None, None, "is required")
        campaign_arrays = (
            _convert.references(campaigns["customer"], customers, "campaigns", "customer", "customers", optional=False),
            _convert.days(campaigns["day"], "campaigns", "day"),
        )
    if start is None:
        if book._core.last_day is None:
            raise _core.InvalidInputError("start: the book has no events; give the first day of the plan")
        first = int(book._core.last_day) + 1
    else:
        first = _convert.day_number(start, "start")
    raw = _core.plan_contacts(
        book._core,
        positions.astype(np.int32),
        tier_codes,
        stage_codes,
        budgets.to_numpy(dtype=np.float64),
        preferred,
        caps,
        alert_arrays,
        campaign_arrays,
        (_campaign_policy(campaign_policy), _convert.positions(managers_of, book.manager_ids)),
        first,
        int(days),
        policy,
    )
    plan = _plan(raw, book, budgets.index, channels, tiers, stage_values, managers_of, first, int(days))
    bank = QUESTION_BANK if question_bank is None else question_bank
    if language not in ("en", "es"):
        raise _convert.invalid("plan_contacts", "language", None, language, "expected 'en' or 'es'")
    if book.rows()["people"]:
        book_rows = _convert.positions(pd.Series(budgets.index), book.manager_ids)
        managers_here = book_rows[raw["contacts"]["manager"]] if len(budgets) else raw["contacts"]["manager"]
        plan.contacts["person"] = paired_people(book, managers_here, raw["contacts"]["customer"]).to_numpy()
    plan.contacts["questions"] = _questions(
        raw["contacts"],
        book,
        budgets.index,
        tier_codes,
        stage_codes,
        fields["tiers"],
        bank,
        language,
        int(questions_per_contact),
    )
    return plan


def _questions(
    contacts: dict[str, Any],
    book: Book,
    managers: pd.Index,
    tier_codes: np.ndarray,
    stage_codes: np.ndarray,
    tiers: list[str],
    bank: pd.DataFrame,
    language: str,
    per_contact: int,
) -> pd.Categorical:
    """Each planned contact's questions as one text ("q1 | q2"), a categorical: contacts
    share few distinct sets of questions."""
    if per_contact < 0:
        raise _convert.invalid("plan_contacts", "questions_per_contact", None, per_contact, "must be 0 or more")
    book_rows = _convert.positions(pd.Series(managers), book.manager_ids)
    manager_rows = book_rows[contacts["manager"]] if len(managers) else np.full(len(contacts["manager"]), -1)
    offsets, asked = _core.choose_questions(
        book._core,
        manager_rows.astype(np.int32),
        contacts["customer"],
        contacts["day"],
        bank_rows(bank, list(tiers)),
        tier_codes,
        stage_codes,
        per_contact,
    )
    counts = np.diff(offsets)
    texts = bank[language].to_numpy(dtype=object)
    radix = len(bank) + 1
    places = int(counts.max()) if len(counts) else 0
    if radix**places >= 2**62:  # too many questions a contact for one integer key
        return pd.Categorical([" | ".join(texts[asked[offsets[k] : offsets[k + 1]]]) for k in range(len(counts))])
    # One key per set of questions, in mixed radix: question + 1 per place, 0 for none.
    key = np.zeros(len(counts), dtype=np.int64)
    for place in range(places):
        has = counts > place
        digit = np.zeros(len(counts), dtype=np.int64)
        digit[has] = asked[offsets[:-1][has] + place] + 1
        key = key * radix + digit
    unique, codes = np.unique(key, return_inverse=True)

    def text_of(value: int) -> str:
        asked_here = []
        while value:
            value, digit = divmod(int(value), radix)
            if digit:
                asked_here.append(texts[digit - 1])
        return " | ".join(reversed(asked_here))

    return pd.Categorical.from_codes(codes, categories=[text_of(k) for k in unique])


def _plan(
    raw: dict[str, Any],
    book: Book,
    managers: pd.Index,
    channels: list[str],
    tiers: pd.Series,
    stages: pd.Series,
    managers_of: pd.Series,
    first: int,
    days: int,
) -> ContactPlan:
    customers = book.customer_ids
    channel_type = pd.CategoricalDtype(channels)
    c = raw["contacts"]
    book_channels = list(book._core.table("interactions")["channel"][0]) if book.rows()["interactions"] else []
    last_channel = c["last_channel"]
    alert = np.where(c["alert"] == 255, -1, c["alert"]).astype(np.int8)
    contacts = _convert.frame(
        {
            "manager": managers.take(c["manager"]),
            "customer": customers.take(c["customer"]),
            "day": _convert.dates(c["day"]),
            "channel": pd.Categorical.from_codes(c["channel"], dtype=channel_type),
            "minutes": c["minutes"],
            "purpose": pd.Categorical.from_codes(c["purpose"], categories=list(PURPOSES)),
            "nature": pd.Categorical.from_codes(c["nature"], categories=list(_NATURES)),
            "alert": pd.Categorical.from_codes(alert, categories=list(ALERTS), ordered=True),
            "priority": c["priority"],
            "reason": pd.Categorical.from_codes(c["reason"][1], categories=c["reason"][0]),
            "last_day": _convert.dates(c["last_day"]),
            "last_channel": pd.Categorical.from_codes(last_channel, categories=book_channels),
            "last_note": pd.Categorical.from_codes(c["last_note"][1], categories=c["last_note"][0]),
        }
    )
    u = raw["unmet"]
    unmet = _convert.frame(
        {
            "manager": managers.take(u["manager"]),
            "customer": customers.take(u["customer"]),
            "due": _convert.dates(u["due"]),
            "channel": pd.Categorical.from_codes(u["channel"], dtype=channel_type),
            "minutes": u["minutes"],
            "purpose": pd.Categorical.from_codes(u["purpose"], categories=list(PURPOSES)),
            "reason": pd.Categorical.from_codes(u["reason"], categories=list(_UNMET)),
        }
    )
    p = raw["customers"]
    per_customer = _convert.frame(
        {
            "manager": managers_of,
            "tier": tiers,
            "stage": pd.Categorical(stages.astype(object), categories=list(STAGES), ordered=True),
            "status": pd.Categorical.from_codes(p["status"], categories=list(STATUSES)),
            "wanted": p["wanted"],
            "planned": p["planned"],
            "minutes": p["minutes"],
            "channel": pd.Categorical.from_codes(p["channel"], dtype=channel_type),
        },
        index=customers,
    )
    m = raw["managers"]
    per_manager = _convert.frame(
        {
            "portfolio": m["portfolio"],
            "reached": m["reached"],
            "coverage": np.divide(
                m["reached"], m["portfolio"], out=np.zeros(len(m["portfolio"])), where=m["portfolio"] > 0
            ),
            "budget": m["budget"],
            "planned": m["planned"],
            "demand": m["demand"],
            "unmet": m["demand"] - m["planned"],
        },
        index=managers,
    )
    return ContactPlan(
        contacts, unmet, per_customer, per_manager, pd.Timestamp(_convert.dates(np.array([first]))[0]), days
    )
