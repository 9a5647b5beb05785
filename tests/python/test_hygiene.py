"""Hygiene: stale, unreachable and incomplete customers, probable duplicates, merges."""

import pandas as pd
import pytest

import cartera
from cartera.cli import main
from cartera.datasets import messy_book

pytest.importorskip("splink")


@pytest.fixture(scope="module")
def messy():
    return messy_book(3000, seed=3)


@pytest.fixture(scope="module")
def cleaned(messy):
    return cartera.clean(
        messy.tables["customers"], transactions=messy.tables["transactions"], policy={"last_day": "2025-12-31"}
    )


def test_cleaning_finds_exactly_the_rows_made_bad(messy, cleaned):
    dropped = cleaned.quarantine[cleaned.quarantine["action"] == "dropped"]
    found = dropped[["table", "row", "reason"]].sort_values(["table", "row"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(found, messy.bad_rows.reset_index(drop=True), check_dtype=False)
    assert cleaned.book.rows()["returns"] > 0  # refunds are returns, not bad rows


def test_duplicates_against_the_known_truth(messy, cleaned):
    pairs = cartera.find_duplicates(cleaned.book)
    truth = {frozenset(p) for p in zip(messy.duplicates["duplicate"], messy.duplicates["original"], strict=True)}
    found = {frozenset(p) for p in zip(pairs["customer_l"], pairs["customer_r"], strict=True)}
    hits = len(truth & found)
    assert hits / len(found) >= 0.95
    assert hits / len(truth) >= 0.90
    assert (pairs["match_probability"] >= 0.9).all()
    assert pairs["match_probability"].is_monotonic_decreasing
    assert pairs["agreeing"].str.len().gt(0).all()
    pd.testing.assert_frame_equal(pairs, cartera.find_duplicates(cleaned.book))  # same book, same pairs


def hand_book() -> cartera.Book:
    customers = pd.DataFrame(
        {
            "id": ["ana", "ana2", "luis", "eva"],
            "name": ["Ana García", "Ana Garcia", "Luis Pérez", "Eva Ruiz"],
            "email": ["ana@x.es", "ana@x.es", None, "eva@x.es"],
            "phone": ["600111222", None, None, None],
            "updated": ["2025-06-01", None, "2019-01-01", "2025-01-01"],
        }
    )
    transactions = pd.DataFrame(
        {
            "customer": ["ana", "ana2", "ana2", "luis", "eva"],
            "day": ["2025-11-01", "2025-10-01", "2025-10-05", "2021-05-01", "2025-12-01"],
            "amount": [100.0, 40.0, -10.0, 5.0, 7.0],
        }
    )
    interactions = pd.DataFrame({"customer": ["ana2"], "day": ["2025-09-01"], "channel": ["call"]})
    referrals = pd.DataFrame({"referrer": ["ana", "ana"], "referred": ["ana2", "eva"], "day": ["2025-01-01"] * 2})
    return cartera.Book(customers, transactions=transactions, interactions=interactions, referrals=referrals)


def test_findings_with_their_reasons():
    found = cartera.hygiene(hand_book(), duplicates=False)
    rows = {(r.customer, r.finding): r.reason for r in found.findings.itertuples()}
    assert rows[("luis", "stale_customer")] == "no event since 2021-05-01 (over 2 years)"
    assert rows[("luis", "unreachable")].startswith("no email nor phone")
    assert rows[("luis", "stale_record")] == "contact data last updated 2019-01-01"
    assert rows[("ana2", "stale_record")] == "never updated"
    assert {c for c, f in rows if f == "stale_customer"} == {"luis"}
    assert found.incomplete.loc[:, "phone"].mul(found.incomplete["customers"]).sum() == 3  # three without a phone
    assert hand_book().table("customers")["reachable"].tolist() == [True, True, False, True]


def test_merging_keeps_every_event_under_the_survivor():
    book = hand_book()
    merges = pd.DataFrame({"customer": ["ana2"], "into": ["ana"]})
    merged, mapping = cartera.merge_duplicates(book, merges)
    assert list(merged.customer_ids) == ["ana", "luis", "eva"]
    assert merged.rows()["transactions"] + merged.rows()["returns"] == 5
    assert merged.rows()["interactions"] == 1
    assert merged.rows()["referrals"] == 1  # ana → ana2 became a self-referral: the one event not carried
    assert mapping.to_dict("records") == [{"customer": "ana2", "into": "ana", "referrals_dropped": 1}]
    value = cartera.value(merged, as_of="2025-12-31")
    assert value.loc["ana", "monetary"] == 130.0 and value.loc["ana", "returns"] == 1
    assert merged.table("customers").loc["ana", "phone"] == "600111222"
    with pytest.raises(KeyError, match=r"merges.into row 0 \(value 'nobody'\): not a customer of the book"):
        cartera.merge_duplicates(book, pd.DataFrame({"customer": ["ana2"], "into": ["nobody"]}))


def test_proposed_merges_keep_the_customer_with_most_events(cleaned):
    found = cartera.hygiene(cleaned.book)
    assert not found.merges["customer"].duplicated().any()
    assert set(found.merges["customer"]).isdisjoint(found.merges["into"])
    merged, _ = cartera.merge_duplicates(cleaned.book, found.merges)
    before, after = cleaned.book.rows(), merged.rows()
    assert after["customers"] == before["customers"] - len(found.merges)
    assert after["transactions"] + after["returns"] == before["transactions"] + before["returns"]
    # Every customer is in the merged book or was folded into one of it, exactly once.
    kept = set(merged.customer_ids)
    assert kept.isdisjoint(found.merges["customer"]) and set(found.merges["into"]) <= kept
    assert len(kept) + len(found.merges) == len(cleaned.book.customer_ids)


def test_book_frames_give_the_same_book():
    book = hand_book()
    frames = book.frames()
    again = cartera.Book(frames.pop("customers"), **frames)
    pd.testing.assert_frame_equal(cartera.value(again), cartera.value(book))
    assert again.rows() == book.rows()


def test_cartera_hygiene_writes_findings_and_the_merged_book(tmp_path, capsys, messy):
    data = tmp_path / "data"
    data.mkdir()
    for name, frame in messy.tables.items():
        frame.to_csv(data / f"{name}.csv", index=False)
    out = tmp_path / "hygiene"
    assert main(["hygiene", "--data", str(data), "--out", str(out), "--merge"]) == 0
    printed = capsys.readouterr().out
    assert "duplicate_pairs" in printed and "merged:" in printed
    for name in ("findings", "incomplete", "duplicates", "merges", "quarantine", "id_mapping"):
        assert (out / f"{name}.csv").exists(), name
    merges = pd.read_csv(out / "merges.csv", dtype=str)
    assert len(merges) >= 0.9 * len(messy.duplicates)
    # The merged book reads back as any folder of tables does, every event kept.
    merged = cartera.job.read_tables(out / "book")
    cleaned = cartera.job.clean_tables(data).book
    assert len(merged.customer_ids) == len(cleaned.customer_ids) - len(merges)
    assert merged.rows()["transactions"] + merged.rows()["returns"] == (
        cleaned.rows()["transactions"] + cleaned.rows()["returns"]
    )
