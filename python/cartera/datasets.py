"""Readers for public transaction data sets, turned into cartera transaction tables.

The files are not shipped with cartera: pass the path of your copy.
"""

from __future__ import annotations

import logging
from os import PathLike

import pandas as pd

__all__ = ["read_cdnow", "read_online_retail"]

_log = logging.getLogger(__name__)


def read_cdnow(path: str | PathLike[str]) -> pd.DataFrame:
    """The CDNOW purchase history (``CDNOW_master.txt`` or ``CDNOW_sample.txt``).

    Returns a transactions DataFrame with ``customer``, ``day``, ``amount`` and ``cds``
    (the number of CDs), one row per line of the file. The sample's second column (ids
    renumbered 1..2357) is the customer; the master file has only one id column. ``cds``
    is not a column of the book: ``cartera.Book(transactions=frame, extra_columns="ignore")``.
    """
    raw = pd.read_csv(path, sep=r"\s+", header=None, dtype=str)
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
