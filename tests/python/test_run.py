"""`cartera run` end to end: the user's tables in a folder, results and report out."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cartera import POTENTIAL_COLUMNS
from cartera.cli import main

from .conftest import write_book


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_book(tmp_path_factory.mktemp("data"), 1500, 15, seed=9)


def test_run_writes_every_result_and_the_report(data, tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["run", "--data", str(data), "--out", str(out), "-q"]) == 0
    assert capsys.readouterr().out.startswith("cartera run: 1,500 customers in ")
    written = {path.name for path in out.iterdir()}
    assert {
        "value.csv",
        "potential.csv",
        "stages.csv",
        "segments.csv",
        "alerts.csv",
        "assignment.csv",
        "managers.csv",
        "contacts.csv",
        "unmet.csv",
        "plan_customers.csv",
        "referrals.csv",
        "show_room.csv",
        "report.html",
        "config.json",
    } <= written
    assignment = pd.read_csv(out / "assignment.csv", index_col=0)
    assert len(assignment) == 1500 and assignment["reason"].notna().all()
    future = pd.read_csv(out / "potential.csv", index_col=0)
    assert len(future) == 1500 and list(future.columns) == list(POTENTIAL_COLUMNS)
    assert json.loads((out / "config.json").read_text())["job"]["days"] == 28


def test_the_potential_section_chooses_the_model_of_purchases(data, tmp_path):
    config = tmp_path / "policy.toml"
    config.write_text('[potential]\nmodel = "pareto_nbd"\nhorizon_days = 180\n')
    out = tmp_path / "results"
    assert main(["run", "--data", str(data), "--out", str(out), "--config", str(config), "-q"]) == 0
    future = pd.read_csv(out / "potential.csv", index_col=0)
    assert len(future) == 1500 and future["p_alive"].dropna().between(0, 1).all()
    assert json.loads((out / "config.json").read_text())["potential"]["model"] == "pareto_nbd"
    assert "Pareto/NBD and Gamma-Gamma fitted" in (out / "report.html").read_text()


def test_a_config_file_sets_the_policies(data, tmp_path):
    config = tmp_path / "policy.toml"
    config.write_text("[job]\ndays = 7\n\n[contact]\nmax_contacts = 1\n\n[assignment]\nmove_share = 0.1\n")
    out = tmp_path / "results"
    assert main(["run", "--data", str(data), "--out", str(out), "--config", str(config), "-q"]) == 0
    contacts = pd.read_csv(out / "contacts.csv", parse_dates=["day"])
    assert contacts["day"].max() - contacts["day"].min() <= pd.Timedelta(days=6)
    assert contacts.groupby("customer").size().max() == 1
    effective = json.loads((out / "config.json").read_text())
    assert effective["contact"]["max_contacts"] == 1 and effective["assignment"]["move_share"] == 0.1


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("missing_column", "transactions.amount: missing required column; the frame has customer, day"),
        ("unknown_customer", "transactions.customer row 0 (value 'nobody'): unknown id, not in customers"),
        ("bad_config", "config."),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(data, tmp_path, capsys, broken, message):
    folder = tmp_path / "data"
    folder.mkdir()
    for path in data.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    arguments = ["run", "--data", str(folder), "--out", str(tmp_path / "results")]
    sales = pd.read_csv(folder / "transactions.csv")
    if broken == "missing_column":
        sales.drop(columns="amount").to_csv(folder / "transactions.csv", index=False)
    elif broken == "unknown_customer":
        sales.loc[0, "customer"] = "nobody"
        sales.to_csv(folder / "transactions.csv", index=False)
        arguments.append("--strict")  # cleaning (the default) would quarantine the row
    else:
        (tmp_path / "policy.toml").write_text("[contact]\nmax_contacts = = 2\n")
        arguments += ["--config", str(tmp_path / "policy.toml")]
    assert main(arguments) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cartera: error: ") and message in err[0]
    assert not (tmp_path / "results").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".results")] == []


def test_results_never_overwrite_a_folder(data, tmp_path, capsys):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "keep.txt").write_text("mine")
    assert main(["run", "--data", str(data), "--out", str(tmp_path / "results")]) == 2
    assert "exists and is not an empty folder" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "results").iterdir()] == ["keep.txt"]


@pytest.mark.parametrize(
    ("step", "rows", "column"),
    [
        ("value", 1500, "monetary"),
        ("stages", 1500, "stage"),
        ("segment", 1500, "tier"),
        ("assign", 1500, "reason"),
        ("plan", None, "purpose"),
    ],
)
def test_each_step_alone_writes_its_table(data, tmp_path, capsys, step, rows, column):
    out = tmp_path / f"{step}.csv"
    assert main([step, "--data", str(data), "-o", str(out)]) == 0
    frame = pd.read_csv(out)
    assert column in frame.columns
    assert rows is None or len(frame) == rows
    assert capsys.readouterr().out.startswith(f"cartera {step}: {len(frame):,} rows in ")
    assert main([step, "--data", str(data), "-o", str(out)]) == 2  # never overwrites
    assert "exists; results go to a new file" in capsys.readouterr().err


def test_report_on_a_folder_writes_only_the_report(data, tmp_path, capsys):
    config = tmp_path / "policy.toml"
    config.write_text("[job]\ntime_budgets = true\n", encoding="utf-8")
    page = tmp_path / "page.html"
    assert main(["report", "--data", str(data), "--config", str(config), "-o", str(page), "-v"]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"cartera report: {page}\n"
    # The bar followed the solver as it worked, with its gap once there was a bound.
    assert "assignment 0 s" in captured.err and ", gap " in captured.err
    assert "id='assignment'" in page.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html", "policy.toml"]


def test_the_summary_says_how_the_solve_ended_and_the_figures_really_used(data, tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    for path in data.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    managers = pd.read_csv(folder / "managers.csv")
    managers.assign(capacity=50, time_budget=2400.0).to_csv(folder / "managers.csv", index=False)
    assert main(["run", "--data", str(folder), "--out", str(tmp_path / "first")]) == 0
    out = capsys.readouterr().out
    assert "Team sizing (40 hours a period each, 50 customers at most)" in out
    assert "Realignment (auction, " in out and " s, optimal):" in out
    config = tmp_path / "policy.toml"
    config.write_text("[job]\ntime_budgets = true\ntime_limit = 0.0\n", encoding="utf-8")
    assert main(["run", "--data", str(folder), "--out", str(tmp_path / "second"), "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "s, stopped by the time limit: " in out and "optimal" not in out.split("Realignment")[1].splitlines()[0]
    assignment = pd.read_csv(tmp_path / "second" / "assignment.csv")
    assert set(assignment["reason"]) <= {
        "assigned",
        "no_candidate",
        "capacity_exhausted",
        "not_worth_it",
        "solve_stopped",
    }


def test_extra_columns_in_the_files_are_named_or_ignored_on_request(data, tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    for path in data.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    customers = pd.read_csv(folder / "customers.csv", dtype=str, keep_default_na=False)
    customers.assign(reachble="True", email="x@y").to_csv(folder / "customers.csv", index=False)
    assert main(["run", "--data", str(folder), "--out", str(tmp_path / "r1")]) == 2
    assert "customers.reachble: unknown column; did you mean 'reachable'?" in capsys.readouterr().err
    assert main(["run", "--data", str(folder), "--out", str(tmp_path / "r2"), "-q", "--ignore-extra-columns"]) == 0
