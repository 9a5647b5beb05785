"""The hygiene of a book: what a portfolio team should fix before it carries the book on.

"Dedique tiempo a hacer una limpieza de su base de datos de Clientes eliminando toda
información que esté desactualizada." :func:`hygiene` finds stale customers, stale
records, unreachable customers, incomplete profiles by tier and probable duplicate
customers (probabilistic record linkage with splink on DuckDB, the Fellegi–Sunter model);
:func:`merge_duplicates` applies the merges when asked, every event kept under the
surviving id.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from .book import CHANNEL_COLUMNS, CONTACT_COLUMNS, Book

__all__ = ["Hygiene", "find_duplicates", "hygiene", "merge_duplicates"]

# A profile's fields: the contact data, less the day it was checked.
_PROFILE_FIELDS: tuple[str, ...] = tuple(c for c in CONTACT_COLUMNS if c != "updated")


@dataclasses.dataclass(frozen=True)
class Hygiene:
    """The findings of :func:`hygiene`."""

    #: One row per finding: customer, finding (stale_customer, stale_record, unreachable), reason.
    findings: pd.DataFrame
    #: Per tier, the share of customers missing each contact field.
    incomplete: pd.DataFrame
    #: Probable duplicate pairs: customer_l, customer_r, match_probability, agreeing (fields equal in both).
    duplicates: pd.DataFrame
    #: The proposed merges: customer (merged away) and into (the surviving id), by cluster.
    merges: pd.DataFrame

    def counts(self) -> pd.Series:
        """How many customers each finding names, and the duplicate pairs and merges."""
        counts = self.findings.groupby("finding", observed=True).size()
        counts["duplicate_pairs"] = len(self.duplicates)
        counts["merges"] = len(self.merges)
        return counts.rename("count")

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}={count:,}" for name, count in self.counts().items())
        return f"Hygiene({parts})"


def hygiene(
    book: Book,
    *,
    as_of: Any = None,
    stale_years: float = 2.0,
    record_years: float = 2.0,
    duplicates: bool = True,
    threshold: float = 0.9,
    seed: int = 1,
    tiers: pd.Series | None = None,
) -> Hygiene:
    """The book's hygiene findings, each with its reason and the customers it concerns.

    Parameters
    ----------
    as_of : date-like, optional
        The day findings are judged on; defaults to the book's last event day.
    stale_years : float
        A customer with no event (purchase, return, contact, complaint, referral) for this
        many years is stale: a candidate to archive. Default 2.
    record_years : float
        A customer whose contact data (the ``updated`` column) is older than this is a stale
        record. Default 2.
    duplicates : bool
        Look for probable duplicate customers (needs the ``linkage`` extra: splink).
    threshold : float
        The match probability from which two customers are a probable duplicate.
    seed : int
        The seed of the linkage model's sampling: the same book and seed give the same pairs.
    tiers : Series, optional
        Each customer's tier, for the incomplete profiles by tier; by default
        :func:`cartera.segment`'s.
    """
    customers = book.table("customers")
    day = _judged_on(book, as_of)
    rows = []
    last_event = _last_event_day(book)
    stale_after = day - pd.Timedelta(days=round(365.25 * stale_years))
    stale = last_event.isna() | (last_event < stale_after)
    rows.append(
        pd.DataFrame(
            {
                "customer": customers.index[stale],
                "finding": "stale_customer",
                "reason": _dated(
                    last_event[stale], "no event since {} (over " + f"{stale_years:g}" + " years)", "no event at all"
                ),
            }
        )
    )
    if "updated" in customers.columns:
        updated = customers["updated"]
        old = updated.isna() | (updated < day - pd.Timedelta(days=round(365.25 * record_years)))
        rows.append(
            pd.DataFrame(
                {
                    "customer": customers.index[old],
                    "finding": "stale_record",
                    "reason": _dated(updated[old], "contact data last updated {}", "never updated"),
                }
            )
        )
    channels = [c for c in CHANNEL_COLUMNS if c in customers.columns]
    if channels:
        unreachable = customers[channels].isna().all(axis=1).to_numpy()
    else:
        unreachable = ~customers["reachable"].to_numpy(dtype=bool) if "reachable" in customers else np.zeros(0, bool)
    if unreachable.any():
        missing = " nor ".join(channels) if channels else "valid contact channel"
        rows.append(
            pd.DataFrame(
                {
                    "customer": customers.index[unreachable],
                    "finding": "unreachable",
                    "reason": f"no {missing}: contactar, the first rung, needs one",
                }
            )
        )
    findings = pd.concat(rows, ignore_index=True).astype({"finding": "category"})
    pairs = find_duplicates(book, threshold=threshold, seed=seed) if duplicates else _no_pairs()
    return Hygiene(
        findings=findings,
        incomplete=_incomplete(book, customers, tiers),
        duplicates=pairs,
        merges=proposed_merges(book, pairs),
    )


def _dated(days: pd.Series, template: str, never: str) -> np.ndarray:
    """One reason per day: the template around the ISO date, or `never` for a missing day."""
    text = days.dt.strftime("%Y-%m-%d")
    before, after = template.split("{}")
    return (before + text + after).fillna(never).to_numpy(dtype=object)


def _judged_on(book: Book, as_of: Any) -> pd.Timestamp:
    if as_of is not None:
        day = pd.to_datetime(as_of, errors="coerce")
        if pd.isna(day):
            raise _convert.invalid("hygiene", "as_of", None, as_of, "is not a date")
        return pd.Timestamp(day)
    last = book.last_day
    return last if last is not None else pd.Timestamp.today().normalize()


# Every table of events: its customer column and its day column.
_EVENTS: tuple[tuple[str, str, str], ...] = (
    ("transactions", "customer", "day"),
    ("returns", "customer", "day"),
    ("interactions", "customer", "day"),
    ("complaints", "customer", "opened"),
    ("referrals", "referrer", "day"),
)


def _events(book: Book) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each event table's customer rows and day numbers, as the core keeps them."""
    tables = [book._core.table(name) for name, _, _ in _EVENTS]
    return [(np.asarray(t[c]), np.asarray(t[d])) for t, (_, c, d) in zip(tables, _EVENTS, strict=True)]


def _last_event_day(book: Book) -> pd.Series:
    """Each customer's last event of any kind (NaT when none)."""
    last = np.full(len(book.customer_ids), _core.NO_DAY, dtype=np.int64)
    for rows, days in _events(book):
        if len(rows):
            per_customer = pd.Series(days).groupby(rows).max()
            at = per_customer.index.to_numpy()
            last[at] = np.maximum(last[at], per_customer.to_numpy())
    return pd.Series(_convert.dates(last), index=book.customer_ids)


def _incomplete(book: Book, customers: pd.DataFrame, tiers: pd.Series | None) -> pd.DataFrame:
    fields = [c for c in _PROFILE_FIELDS if c in customers.columns]
    if not fields:
        return pd.DataFrame()
    if tiers is None:
        from .segmentation import segment

        tiers = segment(book)["tier"]
    tiers = tiers.reindex(customers.index)
    missing = customers[fields].isna()
    table = missing.groupby(tiers.to_numpy(), observed=False).mean()
    table.index.name = "tier"
    table["customers"] = tiers.value_counts().reindex(table.index).to_numpy()
    return table


def _no_pairs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_l": pd.Series([], dtype=object),
            "customer_r": pd.Series([], dtype=object),
            "match_probability": pd.Series([], dtype=float),
            "agreeing": pd.Series([], dtype=object),
        }
    )


def find_duplicates(book: Book, *, threshold: float = 0.9, seed: int = 1) -> pd.DataFrame:
    """Probable duplicate customers by probabilistic record linkage (splink on DuckDB).

    Compares the contact columns the book has (name, email, phone, postcode, tax id, birth
    date; not the address): names by Jaro-Winkler and Damerau-Levenshtein (first name and
    the rest apart), emails by user and domain, phones, postcodes and tax ids exactly,
    birth dates within a month or a year. The model's
    parameters are estimated from the book itself (no labels): u by random sampling, m by
    expectation maximisation. Returns one row per pair at or above ``threshold``:
    ``customer_l``, ``customer_r``, ``match_probability`` and ``agreeing`` (the fields equal
    in both records), by falling probability.
    """
    if not 0 < threshold < 1:
        raise _convert.invalid("hygiene", "threshold", None, threshold, "must be between 0 and 1")
    try:
        import splink.comparison_library as cl
        from splink import Linker, SettingsCreator, block_on
        from splink.backends.duckdb import DuckDBAPI
    except ImportError:
        raise ImportError("finding duplicates needs splink: pip install 'cartera[linkage]'") from None
    records = _linkage_records(book)
    fields = [c for c in records.columns if c != "unique_id"]
    if len(records) < 2 or len(fields) < 2:
        return _no_pairs()
    comparisons = {
        "first_name": cl.NameComparison("first_name"),
        "surname": cl.NameComparison("surname"),
        "email": cl.EmailComparison("email"),
        "phone": cl.ExactMatch("phone"),
        "postcode": cl.ExactMatch("postcode"),
        "tax_id": cl.ExactMatch("tax_id"),
        "birth_date": cl.DateOfBirthComparison("birth_date", input_is_string=True),
    }
    blocking = [block_on(f) for f in ("email", "phone", "tax_id") if f in fields]
    if "birth_date" in fields:
        blocking.append(block_on("birth_date"))
    if "surname" in fields and "postcode" in fields:
        blocking.append(block_on("surname", "postcode"))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[comparisons[f] for f in fields],
        blocking_rules_to_generate_predictions=list[Any](blocking),
        retain_matching_columns=True,
    )
    database = DuckDBAPI()
    # splink reports every training step; its warnings about levels a small book never shows are not ours.
    linker = Linker(database.register(records), settings, log_level=logging.ERROR)
    exact = [block_on(f) for f in ("email", "tax_id", "phone") if f in fields][:2] or blocking[:1]
    linker.training.estimate_probability_two_random_records_match(list[Any](exact), recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    for rule in blocking[:2]:
        linker.training.estimate_parameters_using_expectation_maximisation(rule, record_sample_proportion=1.0)
    predicted = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    if predicted.empty:
        return _no_pairs()
    ids = book.customer_ids
    agreeing = [
        ", ".join(f for f in fields if _equal(row[f"{f}_l"], row[f"{f}_r"]))
        for row in predicted[[f"{f}_{side}" for f in fields for side in "lr"]].to_dict("records")
    ]
    pairs = pd.DataFrame(
        {
            "customer_l": ids.take(predicted["unique_id_l"].to_numpy()),
            "customer_r": ids.take(predicted["unique_id_r"].to_numpy()),
            "match_probability": predicted["match_probability"].to_numpy(),
            "agreeing": agreeing,
        }
    )
    order = np.lexsort(
        (predicted["unique_id_r"].to_numpy(), predicted["unique_id_l"].to_numpy(), -pairs["match_probability"])
    )
    return pairs.iloc[order].reset_index(drop=True)


def _equal(left: Any, right: Any) -> bool:
    return not pd.isna(left) and not pd.isna(right) and left == right


def _linkage_records(book: Book) -> pd.DataFrame:
    """The customers' contact columns, normalised for linkage: lower case, no accents or
    punctuation; the name as a first name and the rest; days as ISO text."""
    customers = book.table("customers")
    out: dict[str, Any] = {"unique_id": np.arange(len(customers))}
    if "name" in customers.columns:
        name = _normalised(customers["name"])
        parts = name.str.split(" ", n=1, expand=True).reindex(columns=[0, 1])
        out["first_name"] = parts[0].to_numpy()
        out["surname"] = parts[1].to_numpy()
    for field in ("email", "phone", "postcode", "tax_id"):
        if field in customers.columns:
            values = customers[field].astype("string").str.strip().str.lower()
            if field == "phone":
                values = values.str.replace(r"\D", "", regex=True)
            out[field] = values.where(values != "").to_numpy(dtype=object)
    if "birth_date" in customers.columns:
        out["birth_date"] = customers["birth_date"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    frame = pd.DataFrame(out)
    return frame.astype({c: object for c in frame.columns if c != "unique_id"}).where(frame.notna(), None)


def _normalised(names: pd.Series) -> pd.Series:
    text = names.astype("string").str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    return text.str.lower().str.replace(r"[^a-z ]", "", regex=True).str.split().str.join(" ")


def proposed_merges(book: Book, pairs: pd.DataFrame) -> pd.DataFrame:
    """The merges the pairs propose: each cluster (customers linked by pairs) kept under
    one id, the customer with the most events (the first in the book among equals)."""
    if pairs.empty:
        return pd.DataFrame({"customer": pd.Series([], dtype=object), "into": pd.Series([], dtype=object)})
    ids = book.customer_ids
    left = ids.get_indexer(pairs["customer_l"])
    right = ids.get_indexer(pairs["customer_r"])
    parent = np.arange(len(ids))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in zip(left, right, strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members = np.unique(np.concatenate([left, right]))
    roots = np.array([root(k) for k in members])
    events = _event_counts(book)
    cluster = pd.DataFrame({"member": members, "root": roots, "events": events[members]})
    cluster = cluster.sort_values(["root", "events", "member"], ascending=[True, False, True], kind="stable")
    survivor = cluster.groupby("root")["member"].transform("first").to_numpy()
    merged = cluster["member"].to_numpy() != survivor
    return pd.DataFrame(
        {"customer": ids.take(cluster["member"].to_numpy()[merged]), "into": ids.take(survivor[merged])}
    ).reset_index(drop=True)


def _event_counts(book: Book) -> np.ndarray:
    counts = np.zeros(len(book.customer_ids), dtype=np.int64)
    for rows, _ in _events(book):
        counts += np.bincount(rows, minlength=len(counts))
    return counts


def merge_duplicates(book: Book, merges: pd.DataFrame) -> tuple[Book, pd.DataFrame]:
    """A new book with each ``customer`` of `merges` folded into its ``into`` customer.

    Every event is kept, under the surviving id; the merged customers' rows leave the
    customers table (the survivor keeps its own data, and takes a merged customer's
    contact value where its own is missing). A referral between two customers merged into
    one would be a self-referral: it is the one event not carried over, and is listed.
    Returns the book and the id mapping (customer, into, referrals_dropped).
    """
    if not {"customer", "into"} <= set(merges.columns):
        raise _convert.invalid("merge_duplicates", "merges", None, None, "needs the columns customer and into")
    mapping = pd.Series(merges["into"].to_numpy(), index=pd.Index(merges["customer"]))
    for column in ("customer", "into"):
        unknown = ~pd.Index(merges[column]).isin(book.customer_ids)
        if unknown.any():
            row = _convert.first_row(unknown)
            raise _core.UnknownIdError(
                _convert.located("merges", column, row, merges[column].iloc[row], "not a customer of the book")
            )
    chained = mapping.index.isin(mapping.to_numpy())
    if chained.any():
        row = _convert.first_row(chained)
        raise _convert.invalid("merges", "customer", row, mapping.index[row], "is also a survivor: merge into the end")

    def survivor(ids: pd.Series) -> pd.Series:
        return ids.map(lambda i: mapping.get(i, i)) if len(ids) else ids

    frames = book.frames()
    customers = frames["customers"].set_index("id")
    contacts = [c for c in CONTACT_COLUMNS if c in customers.columns]
    if contacts:
        donors = customers.loc[mapping.index, contacts].groupby(mapping.to_numpy()).first()
        customers.loc[donors.index, contacts] = customers.loc[donors.index, contacts].fillna(donors)
    customers = customers.drop(index=mapping.index).reset_index(names="id")
    if any(c in customers.columns for c in CHANNEL_COLUMNS):
        customers = customers.drop(columns="reachable")  # derived again from the merged contacts
    frames["customers"] = customers
    for table in ("transactions", "interactions", "complaints"):
        frames[table] = frames[table].assign(customer=survivor(frames[table]["customer"]))
    referrals = frames["referrals"]
    referrals = referrals.assign(referrer=survivor(referrals["referrer"]), referred=survivor(referrals["referred"]))
    self_referral = (referrals["referrer"] == referrals["referred"]).to_numpy()
    dropped = referrals[self_referral].groupby("referrer").size()
    frames["referrals"] = referrals[~self_referral]
    merged = Book(frames.pop("customers"), **frames)
    out = merges[["customer", "into"]].reset_index(drop=True)
    out["referrals_dropped"] = out["into"].map(dropped).fillna(0).astype(int)
    return merged, out
