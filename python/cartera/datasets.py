"""Readers for public transaction data sets, turned into cartera transaction tables, and a
messy raw book with known truth (:func:`messy_book`), and generated generalized
assignment instances of the published families (:func:`gap_instance`).

The files are not shipped with cartera: pass the path of your copy.
"""

from __future__ import annotations

import dataclasses
import logging
from os import PathLike

import numpy as np
import pandas as pd

from ._gap_instances import GapInstance, gap_instance

__all__ = ["GapInstance", "MessyBook", "gap_instance", "messy_book", "read_cdnow", "read_online_retail"]

_log = logging.getLogger(__name__)


def read_cdnow(path: str | PathLike[str]) -> pd.DataFrame:
    """The CDNOW purchase history (``CDNOW_master.txt`` or ``CDNOW_sample.txt``).

    Returns a transactions DataFrame with ``customer``, ``day``, ``amount`` and ``cds``
    (the number of CDs), one row per line of the file. The sample's second column (ids
    renumbered 1..2357) is the customer; the master file has only one id column, and a header
    line, which is skipped. ``cds``
    is not a column of the book: ``cartera.Book(transactions=frame, extra_columns="ignore")``.
    """
    raw = pd.read_csv(path, sep=r"\s+", header=None, dtype=str)
    if len(raw) and not str(raw.iat[0, 0]).isdigit():  # lifetimes' master file has a header line
        raw = raw.iloc[1:]
    if raw.shape[1] == 5:
        raw = raw.drop(columns=0)
    raw.columns = ["customer", "day", "cds", "amount"]
    return pd.DataFrame(
        {
            "customer": raw["customer"].astype(int),
            "day": pd.to_datetime(raw["day"], format="%Y%m%d"),
            "amount": raw["amount"].astype(float),
            "cds": raw["cds"].astype(int),
        }
    )


def read_online_retail(path: str | PathLike[str]) -> pd.DataFrame:
    """The UCI Online Retail data set (cleaned Parquet), one row per invoice.

    Lines are summed into invoices (amount = Quantity × UnitPrice), dated on the invoice's
    day. Lines without a customer (CustomerID 0 or missing) cannot belong to a portfolio:
    they are dropped, and their count is logged and kept in
    ``frame.attrs["dropped_lines"]`` — never dropped silently. ``invoice`` and ``country``
    are not columns of the book: ``cartera.Book(transactions=frame, extra_columns="ignore")``.
    """
    lines = pd.read_parquet(
        path, columns=["InvoiceNo", "InvoiceDate", "CustomerID", "Quantity", "UnitPrice", "Country"]
    )
    anonymous = lines["CustomerID"].isna() | (lines["CustomerID"] == 0)
    dropped = int(anonymous.sum())
    lines = lines.loc[~anonymous]
    _log.info("read_online_retail: dropped %d of %d lines without a customer", dropped, dropped + len(lines))
    invoices = (
        lines.assign(
            amount=lines["Quantity"] * lines["UnitPrice"], day=pd.to_datetime(lines["InvoiceDate"]).dt.normalize()
        )
        .groupby("InvoiceNo", sort=True)
        .agg(
            customer=("CustomerID", "first"),
            day=("day", "first"),
            amount=("amount", "sum"),
            country=("Country", "first"),
        )
        .reset_index()
        .rename(columns={"InvoiceNo": "invoice"})
    )
    invoices["customer"] = invoices["customer"].astype("int64")
    invoices.attrs["dropped_lines"] = dropped
    return invoices


_FIRST_NAMES = (
    "ana maria jose luis carmen juan laura carlos lucia javier marta david elena pablo sara "
    "miguel paula jorge rosa alberto isabel manuel cristina sergio pilar raul teresa diego "
    "beatriz alvaro julia ruben silvia ivan nuria oscar irene adrian sonia hugo clara mario"
).split()
_SURNAMES = (
    "garcia rodriguez gonzalez fernandez lopez martinez sanchez perez gomez martin jimenez ruiz "
    "hernandez diaz moreno alvarez munoz romero alonso gutierrez navarro torres dominguez vazquez "
    "ramos gil ramirez serrano blanco suarez molina morales ortega delgado castro ortiz rubio "
    "marin sanz nunez iglesias medina garrido cortes castillo santos lozano guerrero cano prieto"
).split()


def contact_data(n: int, random: np.random.Generator) -> pd.DataFrame:
    """Contact columns for n people: a Spanish name (a first name and two surnames), an
    email made from it, a mobile phone, a postcode, a tax id and a birth date."""

    def words(names: list[str]) -> pd.Series:
        return pd.Series(np.array(names)[random.integers(0, len(names), n)], dtype="string")

    def digits(low: int, high: int) -> pd.Series:
        return pd.Series(random.integers(low, high, n)).astype("string")

    first, last, second = words(_FIRST_NAMES), words(_SURNAMES), words(_SURNAMES)
    birth = pd.Series(np.datetime64("1940-01-01") + random.integers(0, 60 * 365, n).astype("timedelta64[D]"))
    born = (birth.dt.year * 10_000 + birth.dt.month * 100 + birth.dt.day).astype("string")
    return pd.DataFrame(
        {
            "name": first + " " + last + " " + second,
            "email": first + "." + last + born + "@correo.es",
            "phone": "6" + digits(10_000_000, 99_999_999),
            "postcode": digits(1000, 52999).str.zfill(5),
            "tax_id": digits(10_000_000, 99_999_999) + "X",
            "birth_date": birth.to_numpy(),
        }
    )


@dataclasses.dataclass(frozen=True)
class MessyBook:
    """A raw book with known truth (see :func:`messy_book`)."""

    #: The raw tables: customers (with contact columns) and transactions, as they would come.
    tables: dict[str, pd.DataFrame]
    #: One row per injected duplicate customer: ``duplicate`` and the ``original`` it repeats.
    duplicates: pd.DataFrame
    #: One row per injected bad row: ``table``, ``row`` and the ``reason`` cleaning should give.
    bad_rows: pd.DataFrame


def _typo(words: np.ndarray, random: np.random.Generator) -> np.ndarray:
    """Each word with one letter dropped, doubled or swapped with the next."""
    out = words.astype(object).copy()
    for k, word in enumerate(out):
        if len(word) < 3:
            continue
        at = int(random.integers(1, len(word) - 1))
        kind = int(random.integers(0, 3))
        out[k] = (
            word[:at] + word[at + 1 :]
            if kind == 0
            else word[:at] + word[at] + word[at:]
            if kind == 1
            else word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        )
    return out


def messy_book(
    n_customers: int = 10_000,
    *,
    duplicate_share: float = 0.05,
    bad_row_share: float = 0.05,
    seed: int = 0,
) -> MessyBook:
    """A raw customer book with known truth, for testing cleaning and duplicate detection.

    Customers carry Spanish names, emails, phones, postcodes, tax ids and birth dates. A
    ``duplicate_share`` of them are entered a second time under a new id, the way CRMs get
    duplicates: a typo in the name or the email, first name and surname swapped, a phone or
    email missing, another address, some of the customer's purchases recorded under the new
    id. Transactions have refunds (negative amounts: returns, not errors) and a
    ``bad_row_share`` of bad rows: no customer, an unparseable day, text or infinity for an
    amount, an exact duplicate line. The same arguments give the same book.
    """
    random = np.random.default_rng(seed)
    n = int(n_customers)
    ids = np.array([f"C{k:06d}" for k in range(n)], dtype=object)
    customers = contact_data(n, random)
    customers.insert(0, "id", ids)
    # Duplicates: copies of some customers under new ids, each with one or two defects.
    originals = np.sort(random.choice(n, size=int(round(duplicate_share * n)), replace=False))
    copies = customers.iloc[originals].reset_index(drop=True).copy()
    copies["id"] = [f"D{k:06d}" for k in range(len(copies))]
    defect = random.integers(0, 5, len(copies))
    names = copies["name"].str.split(" ", n=1, expand=True)
    typo = defect == 0
    copies.loc[typo, "name"] = _typo(names[0][typo].to_numpy(), random) + " " + names[1][typo]
    swap = defect == 1
    copies.loc[swap, "name"] = names[1][swap] + " " + names[0][swap]
    copies.loc[defect == 2, "email"] = None
    copies.loc[defect == 3, "phone"] = None
    copies.loc[defect == 3, "email"] = _typo(copies.loc[defect == 3, "email"].to_numpy(), random)
    moved = defect == 4
    if moved.any():  # np.char refuses an empty array
        copies.loc[moved, "postcode"] = np.char.zfill(random.integers(1000, 52999, int(moved.sum())).astype(str), 5)
    copies.loc[moved, "tax_id"] = None
    all_customers = pd.concat([customers, copies], ignore_index=True)
    all_customers = all_customers.iloc[random.permutation(len(all_customers))].reset_index(drop=True)
    duplicates = pd.DataFrame({"duplicate": copies["id"], "original": ids[originals]})

    # Transactions: a few purchases each, some under a duplicate's id, refunds among them.
    per_customer = random.poisson(6, n) + 1
    owner = np.repeat(np.arange(n), per_customer)
    customer = ids[owner].copy()
    copy_of = pd.Series(np.arange(len(copies)), index=originals)
    has_copy = np.isin(owner, originals)
    to_copy = has_copy & (random.random(len(owner)) < 0.3)
    customer[to_copy] = copies["id"].to_numpy()[copy_of.loc[owner[to_copy]].to_numpy()]
    day = np.datetime64("2023-01-01") + random.integers(0, 730, len(owner)).astype("timedelta64[D]")
    amount = np.round(random.gamma(2.0, 45.0, len(owner)), 2)
    refund = random.random(len(owner)) < 0.03
    amount[refund] = -np.round(amount[refund] * random.uniform(0.2, 1.0, int(refund.sum())), 2)
    transactions = pd.DataFrame(
        {
            "customer": customer,
            "day": pd.Series(day).dt.strftime("%Y-%m-%d").to_numpy(),
            "amount": amount.astype(object),
        }
    )
    bad = np.sort(random.choice(len(transactions), size=int(round(bad_row_share * len(transactions))), replace=False))
    kind = random.integers(0, 5, len(bad))
    reasons = np.array(
        [
            "missing customer id",
            "not a date",
            "not a number",
            "not a finite number",
            "duplicate of an earlier row (first_row)",
        ]
    )
    transactions.loc[bad[kind == 0], "customer"] = None
    transactions.loc[bad[kind == 1], "day"] = "2024-02-31"
    transactions.loc[bad[kind == 2], "amount"] = "12,50 €"  # a number as a person writes it
    transactions.loc[bad[kind == 3], "amount"] = float("inf")
    repeated = bad[kind == 4]
    repeated = repeated[repeated > 0]
    # A duplicate line repeats the row before it; make sure that row is itself good.
    good_before = ~np.isin(repeated - 1, bad)
    repeated = repeated[good_before]
    transactions.iloc[repeated] = transactions.iloc[repeated - 1].to_numpy()
    kept_bad = np.concatenate([bad[(kind >= 0) & (kind <= 3)], repeated])
    kept_kind = np.concatenate([kind[kind <= 3], np.full(len(repeated), 4)])
    order = np.argsort(kept_bad, kind="stable")
    bad_rows = pd.DataFrame({"table": "transactions", "row": kept_bad[order], "reason": reasons[kept_kind[order]]})
    # A bad row chosen as a duplicate but left good (its predecessor was bad) is not in bad_rows.
    return MessyBook(
        tables={"customers": all_customers, "transactions": transactions}, duplicates=duplicates, bad_rows=bad_rows
    )
