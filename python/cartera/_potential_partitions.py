"""Potential on a book in partitions, for the engines (:mod:`cartera.dask`, :mod:`cartera.spark`).

The BG/NBD and Gamma-Gamma log-likelihoods are sums over customers, so the distinct
histories (frequency, recency, T) and the distinct (frequency, monetary_value) pairs, each
with the customers it stands for, give the likelihood of the customers themselves: the fit
on the merged counts is the single-machine fit, up to the order of its sums. The peers'
spend is an order statistic of each group's spends, found in the book sorted by spend from
how many of each group each sorted partition holds; the products' holders are counts. Each
partition then forecasts its customers against the whole book's models and peers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import Book
from .growth import as_growth_policy, group_codes, growth_frame
from .potential import (
    POTENTIAL_COLUMNS,
    PotentialPolicy,
    fit_models,
    fitted_models,
    forecast,
    models_of,
    offer_lines,
)
from .value import ValuePolicy, repeat_summary, value

#: The repeat summary's columns the models read.
HISTORY = ("frequency", "recency", "T")
#: The internal column of a customer's group: a code into the groups' names, the whole book last.
GROUP = "_group"


def inputs(book: Book, as_of: int, options: Mapping[str, Any]) -> pd.DataFrame:
    """Per customer of a partition: the repeat summary in days and the spend growth is
    measured on (the window's, net of returns, at least 0)."""
    summary = repeat_summary(book, as_of)
    spend = value(book, as_of, policy=options.get("value_policy") or ValuePolicy())["monetary"]
    frame = summary[[*HISTORY, "purchased", "monetary_value"]].copy()
    frame["spend"] = spend.clip(lower=0).to_numpy(dtype=float)
    return frame


def fit(histories: pd.DataFrame, spends: pd.DataFrame, policy: PotentialPolicy) -> dict[str, dict[str, float]]:
    """The models' parameters from the whole book's distinct histories of buyers and
    distinct repeat spends, each row with its ``weight`` (customers)."""
    purchases, spend_model = fit_models(histories, policy, spends=spends)
    return models_of(purchases, spend_model)


def group_names(groups: Iterable[Any]) -> list[str]:
    """The distinct groups' names, sorted (as :func:`cartera.growth` orders groups that are not categories)."""
    values = pd.Series(list(groups), dtype=object).dropna().astype(str).unique()
    return sorted(values)


def peer_plan(counts: pd.DataFrame, groups: int, quantile: float) -> dict[int, tuple[int, int, float]]:
    """Per group (``groups``: the whole book), the 0-based places of the two order
    statistics its peer spend interpolates, and where between them: the C++ rule (linear
    between order statistics, as NumPy's default). ``counts`` has ``group`` and ``count``."""
    sizes = counts.groupby("group")["count"].sum()
    plan = {}
    for group in range(groups + 1):
        size = int(sizes.get(group, 0))
        if size == 0:
            continue
        at = quantile * (size - 1)
        low = math.floor(at)
        plan[group] = (low, min(low + 1, size - 1), at - low)
    return plan


def wanted_places(
    counts: pd.DataFrame, plan: Mapping[int, tuple[int, int, float]]
) -> dict[int, list[tuple[int, int, int]]]:
    """Per sorted partition, the (group, place in the group, place among the partition's
    rows of the group) of the order statistics it holds. ``counts`` has ``part``, ``group``
    and ``count``: the rows of each group in each partition of the book sorted by spend."""
    wanted: dict[int, list[tuple[int, int, int]]] = {}
    for group, (low, high, _) in plan.items():
        rows = counts[counts["group"] == group].sort_values("part")
        ends = np.cumsum(rows["count"].to_numpy(dtype=np.int64))
        for place in sorted({low, high}):
            k = int(np.searchsorted(ends, place, side="right"))
            before = int(ends[k - 1]) if k else 0
            wanted.setdefault(int(rows["part"].iloc[k]), []).append((group, place, place - before))
    return wanted


def group_counts(sorted_part: pd.DataFrame, part: int, groups: int) -> pd.DataFrame:
    """The rows of each group (and of the whole book, ``groups``) in one sorted partition."""
    found = sorted_part[GROUP][sorted_part[GROUP] < groups].value_counts()
    return pd.DataFrame(
        {
            "part": part,
            "group": [*found.index.astype(np.int64), groups],
            "count": [*found.to_numpy(dtype=np.int64), len(sorted_part)],
        }
    )


def pick(sorted_part: pd.DataFrame, wanted: Iterable[tuple[int, int, int]], groups: int) -> pd.DataFrame:
    """The order statistics a sorted partition holds: ``group``, ``place`` and ``spend``."""
    rows = []
    for group, place, within in wanted:
        own = sorted_part if group == groups else sorted_part[sorted_part[GROUP] == group]
        rows.append((group, place, float(own["spend"].iloc[within])))
    return pd.DataFrame(rows, columns=["group", "place", "spend"])


def peer_spends(picked: pd.DataFrame, plan: Mapping[int, tuple[int, int, float]], groups: int) -> list[float]:
    """Each group's peer spend (0 for an empty one), the whole book's last."""
    found = {(int(g), int(p)): s for g, p, s in picked[["group", "place", "spend"]].itertuples(index=False)}
    out = []
    for group in range(groups + 1):
        if group not in plan:
            out.append(0.0)
            continue
        low, high, share = plan[group]
        out.append(found[group, low] + share * (found[group, high] - found[group, low]))
    return out


def holder_counts(book: Book, given: pd.DataFrame, groups: int) -> pd.DataFrame:
    """A partition's holders of each product by group (``product``, ``group``, ``count``),
    and its customers per group (``product`` missing): counts that add up to the book's."""
    if not book.has_products:
        return pd.DataFrame({"product": pd.Series([], dtype=object), "group": [], "count": []})
    found = _core.product_holders(book._core, _book_codes(book, given, groups), groups)
    table = pd.DataFrame(found["holders"], columns=found["products"]).rename_axis("group").reset_index()
    held = table.melt(id_vars="group", var_name="product", value_name="count")
    customers = np.asarray(found["customers"], dtype=float)
    customers[groups] -= len(book.customer_ids) - len(given)  # the referred from elsewhere are not this partition's
    sizes = pd.DataFrame({"product": None, "group": np.arange(groups + 1), "count": customers})
    counts = pd.concat([held, sizes], ignore_index=True)[["product", "group", "count"]]
    return counts.astype({"product": object, "group": np.int64, "count": float})


def holders(counts: pd.DataFrame, groups: int) -> dict[str, Any] | None:
    """The whole book's holders from the partitions' :func:`holder_counts`, in the form
    ``_core.next_products`` takes; None for a book without products."""
    if counts.empty:
        return None
    sizes = counts[counts["product"].isna()].groupby("group")["count"].sum()
    held = counts[counts["product"].notna()].groupby(["group", "product"])["count"].sum().unstack(fill_value=0.0)
    products = sorted(held.columns.astype(str))
    table = held.reindex(index=range(groups + 1), columns=products, fill_value=0.0)
    return {
        "products": products,
        "customers": sizes.reindex(range(groups + 1), fill_value=0.0).to_numpy(dtype=float),
        "holders": np.ascontiguousarray(table.to_numpy(dtype=float)),
    }


def apply(book: Book, given: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """The partition's potential (:data:`cartera.POTENTIAL_COLUMNS`) from its inputs and
    groups (``given``, in the book's order) and the whole book's models, peer spends and
    holders (``options``)."""
    policy: PotentialPolicy = options["policy"]
    growth_policy = as_growth_policy(options.get("growth_policy"))
    names: list[str] = options["names"]
    summary = given[[*HISTORY, "purchased", "monetary_value"]].astype({"purchased": bool})
    purchases, spend_model = fitted_models(options["models"])
    out = forecast(summary, purchases, spend_model, policy)
    codes = _book_codes(book, given, len(names))
    room = growth_frame(given["spend"], codes[: len(given)], names, growth_policy, options["peer_spend"])
    out["growth_potential"] = room["growth_potential"].to_numpy()
    out["share_of_wallet"] = room["share_of_wallet"].to_numpy()
    out["growth_reason"] = pd.Series(room["reason"].to_numpy(dtype=object), index=out.index, dtype="str")
    offers = offer_lines(book, codes, names, growth_policy, options.get("holders"))
    out["next_products"] = pd.Series(offers.to_numpy()[: len(out)], index=out.index, dtype="string")
    out = out[list(POTENTIAL_COLUMNS)]
    out.attrs["models"] = options["models"]
    return out


def _book_codes(book: Book, given: pd.DataFrame, groups: int) -> np.ndarray:
    """The groups of the partition book's customers as the core reads them (−1: none),
    the customers referred from elsewhere (who come last) without one."""
    codes = np.full(len(book.customer_ids), -1, dtype=np.int32)
    own = given[GROUP].to_numpy(dtype=np.int64)
    codes[: len(own)] = np.where(own == groups, -1, own)
    return codes


def codes_of(groups: pd.Series | None, names: list[str], count: int) -> np.ndarray:
    """A partition's group codes into ``names``; a customer without a group has the whole
    book's code (``len(names)``), as the order statistics count it."""
    if groups is None:
        return np.full(count, len(names), dtype=np.int64)
    codes, _ = group_codes(groups, names)
    return np.where(codes < 0, len(names), codes).astype(np.int64)


def with_groups(
    inputs: pd.DataFrame, names: list[str], groups: pd.Series | None, spend: pd.Series | None
) -> pd.DataFrame:
    """A partition's inputs with each customer's group code (:func:`codes_of`) and, when
    given, the spend growth is measured on (by customer, of the same partition)."""
    customers = inputs.index
    out = inputs.copy()
    if spend is not None:
        found = spend.reindex(customers)
        if found.isna().any():
            row = int(np.flatnonzero(found.isna().to_numpy())[0])
            raise _convert.invalid("growth", "spend", row, customers[row], "no spend for this customer")
        out["spend"] = found.clip(lower=0).to_numpy(dtype=float)
    out[GROUP] = codes_of(None if groups is None else groups.reindex(customers), names, len(out))
    return out
