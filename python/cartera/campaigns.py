"""The day after a campaign: who responded to the book's campaigns, by buying or by
contacting us, and whether their manager followed the response up."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .value import _as_of

__all__ = ["CAMPAIGN_OUTCOMES", "CampaignPolicy", "campaign_responses", "campaign_summary"]

#: How long a campaign waits for a response and the manager to follow it up:
#: ``CampaignPolicy(response_days=14, follow_up_days=7)``; see docs/contact-plan.md.
CampaignPolicy = _core.CampaignPolicy

#: What became of a campaign contact: ``waiting`` (the response window is open),
#: ``no_response``, ``followed_up``, ``follow_up_due`` (responded, not followed up yet, still
#: in time) and ``missed`` (nobody followed it up in time).
CAMPAIGN_OUTCOMES: tuple[str, ...] = tuple(_core.CAMPAIGN_OUTCOMES)


def campaign_responses(
    book: Book, as_of: Any = None, *, manager: Any = None, policy: CampaignPolicy | None = None
) -> pd.DataFrame:
    """One row per campaign contact of the book on or before ``as_of`` (the ones still to
    come are left out), by customer then day.

    A response is the customer's first purchase, or first contact they started (an
    interaction with ``proactive`` 0), in the ``policy.response_days`` (14) after the
    campaign reached them; it is followed up when their manager makes a proactive contact
    on the response day or in the ``policy.follow_up_days`` (7) after. ``manager`` (a
    Series of manager ids by customer, or an Assignment) replaces the customers table's;
    a customer without one, or interactions that name no manager, count anyone's contact.

    Returns
    -------
    DataFrame
        ``campaign`` (its name; None when the table names none), ``customer``, ``day``,
        ``manager`` (whose follow-up counts), ``outcome`` (categorical, :data:`CAMPAIGN_OUTCOMES`),
        ``response_day`` (NaT without one), ``bought`` and ``revenue`` (what they bought in
        the window), ``follow_up_day`` (NaT without one).
    """
    policy = policy or CampaignPolicy()
    if not isinstance(policy, CampaignPolicy):
        policy = CampaignPolicy.from_dict(dict(policy))
    customers = book.customer_ids
    managers = _convert.book_manager_rows(book, manager, "campaigns")
    raw = _core.measure_campaigns(book._core, _as_of(book, as_of), policy, managers)
    table = book.table("campaigns").take(raw["row"]).reset_index(drop=True)
    rows = book._core.table("campaigns")["customer"][raw["row"]] if len(raw["row"]) else np.zeros(0, np.int32)
    if managers is None:
        given = book.table("customers").get("manager")
        managers = (
            np.full(len(customers), -1, np.int32)
            if given is None
            else _convert.positions(given, book.manager_ids).astype(np.int32)
        )
    return _convert.frame(
        {
            "campaign": table["campaign"] if "campaign" in table else pd.Series([None] * len(table), dtype=object),
            "customer": table["customer"],
            "day": table["day"],
            "manager": _convert.labels_of(managers[rows], book.manager_ids),
            "outcome": pd.Categorical.from_codes(raw["outcome"], categories=list(CAMPAIGN_OUTCOMES)),
            "response_day": _convert.dates(raw["response_day"]),
            "bought": raw["bought"].astype(bool),
            "revenue": raw["revenue"],
            "follow_up_day": _convert.dates(raw["follow_up_day"]),
        }
    )


def campaign_summary(responses: pd.DataFrame, by: str | list[str] = "campaign") -> pd.DataFrame:
    """The rows of :func:`campaign_responses` added up ``by`` campaign (or ``["campaign",
    "manager"]``...): ``contacts``, ``responded``, ``response_rate``, ``bought``, ``revenue``,
    a count per outcome, and ``followed_up_share``, the share of the responses whose
    follow-up is decided (followed up or missed) that were followed up."""
    outcome = responses["outcome"]
    frame = pd.DataFrame(
        {
            "contacts": 1,
            "responded": responses["response_day"].notna(),
            "bought": responses["bought"],
            "revenue": responses["revenue"],
            **{name: outcome == name for name in CAMPAIGN_OUTCOMES},
        }
    )
    keys = [by] if isinstance(by, str) else list(by)
    frame[keys] = responses[keys]
    summed = frame.groupby(keys, dropna=False, sort=True).sum()
    counts = [c for c in summed.columns if c != "revenue"]
    out = summed.astype({c: np.int64 for c in counts})
    out.insert(2, "response_rate", out["responded"] / out["contacts"])
    decided = out["followed_up"] + out["missed"]
    out["followed_up_share"] = out["followed_up"] / decided.where(decided > 0)
    return out
