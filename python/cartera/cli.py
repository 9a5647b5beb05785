"""The ``cartera`` command line."""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__, engines
from ._memory import keep_freed_memory
from .assignment import Assignment, AssignmentPolicy
from .book import Book
from .cleaning import CleaningPolicy
from .complaints import complaint_totals
from .contact_plan import ContactPlan
from .hygiene import hygiene, merge_duplicates
from .job import (
    STEPS,
    Config,
    clean_tables,
    contact_plan,
    read_config,
    read_frames,
    read_tables,
    realign,
    run_job,
    segments_and_alerts,
)
from .readiness import READINESS_QUESTIONS, book_readiness, readiness
from .referrals import Referrals
from .report import Results, render_report, write_page, write_report
from .stages import STAGES, stages
from .store import PortfolioStore, StoreError
from .synthetic import synthetic_book
from .team_sizing import TeamSize
from .value import value

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    book = synthetic_book(args.customers, args.managers, seed=args.seed)
    built = time.perf_counter()
    config = Config()
    config.assignment = AssignmentPolicy(move_share=0.2)
    if args.engine:
        return _demo_on_engine(args, book, config)
    timings: dict[str, float] = {}
    with _steps_bar(args) as bar:
        results = run_job(book, config, timings=timings, progress=bar.step, solver_progress=bar.solving)
    if args.report:
        write_report(
            args.report, results, title=f"cartera demo: a synthetic bank of {len(book.customer_ids):,} customers"
        )
    if args.quiet:
        where = f"; report: {args.report}" if args.report else ""
        print(f"cartera demo: {len(book.customer_ids):,} customers in {time.perf_counter() - started:.1f} s{where}")
        return 0
    rows = book.rows()
    print(f"cartera {__version__} demo: a synthetic bank (seed {args.seed})")
    print(
        f"  book: {rows['customers']:,} customers, {rows['managers']:,} managers, {rows['transactions']:,} transactions, "
        f"{rows['interactions']:,} interactions, {rows['complaints']:,} complaints, {rows['referrals']:,} referrals"
    )
    _print_results(book, results, config, timings, generated=built - started)
    if args.report:
        print()
        print(f"Report: {args.report}")
    return 0


def _demo_on_engine(args: argparse.Namespace, book: Book, config: Config) -> int:
    """The demo's book as a folder of Parquet tables, run as `cartera run --engine` runs one."""
    # The engine first: without it the error names the extra to install, not Parquet's.
    importlib.import_module(f"cartera.{args.engine}")
    out = _new_folder(args.out, "results")
    with tempfile.TemporaryDirectory(prefix="cartera-demo-") as folder:
        for table, frame in book.frames().items():
            if len(frame):
                frame.to_parquet(Path(folder) / f"{table}.parquet", index=False)
        figures = engines.run(args.engine, folder, out, config, scheduler=args.scheduler)
    print(
        f"cartera demo --engine {args.engine}: {figures['customers']:,} customers, {figures['alerts']:,} alerts, "
        f"{figures['regions']:,} regions assigned in {figures['seconds']:.1f} s; results in {out}/"
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    """The main job on the user's tables; results are written only when every step worked."""
    if args.engine:
        return _run_on_engine(args)
    if args.db:
        return _run_in_store(args)
    started = time.perf_counter()
    out = _new_folder(args.out, "results")
    config = _config_of(args)
    book, quarantine = _book_of(args, config.clean)
    timings: dict[str, float] = {}
    with _steps_bar(args) as bar:
        results = run_job(
            book,
            config,
            timings=timings,
            progress=bar.step,
            solver_progress=bar.solving,
            readiness_answers=_readiness_answers(args.readiness),
        )
    results.quarantine = quarantine
    # Everything is written to a folder beside the target, then renamed: a failure leaves
    # no half-written results.
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        _write_results(staging, results, config)
        write_report(staging / "report.html", results, title=f"cartera run: {args.data}")
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    left_out = "" if quarantine is None else f", {int((quarantine['action'] == 'dropped').sum()):,} rows left out"
    if args.quiet:
        print(
            f"cartera run: {len(book.customer_ids):,} customers in {time.perf_counter() - started:.1f} s"
            f"{left_out}; results in {out}"
        )
        return 0
    if quarantine is not None:
        _print_quarantine(quarantine)
    _print_results(book, results, config, timings, generated=None)
    print()
    print(f"Results and report: {out}")
    return 0


def _run_on_engine(args: argparse.Namespace) -> int:
    """The job on Dask or Spark: --data's tables, as they are, to partitioned Parquet."""
    if not args.data:
        raise ValueError("engine: --engine runs on --data's tables (a folder), not on a database")
    out = _new_folder(args.out, "results")
    figures = engines.run(args.engine, args.data, out, _config_of(args), scheduler=args.scheduler)
    print(
        f"cartera run --engine {args.engine}: {figures['customers']:,} customers, {figures['alerts']:,} alerts, "
        f"{figures['regions']:,} regions assigned in {figures['seconds']:.1f} s; results in {out}/"
    )
    return 0


def _new_folder(path: str, what: str) -> Path:
    """--out as a folder that does not exist yet or is empty: nothing already there is overwritten."""
    out = Path(path)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"out: {out} exists and is not an empty folder; {what} go to a new one")
    return out


def _book_of(args: argparse.Namespace, policy: CleaningPolicy | None = None) -> tuple[Book, pd.DataFrame | None]:
    """The book of --data: cleaned by the [clean] policy (with the quarantine of what was
    left out), or with --strict refused at the first bad value."""
    if args.strict:
        return read_tables(args.data, extra_columns=_extra(args)), None
    cleaned = clean_tables(args.data, extra_columns=_extra(args), policy=policy)
    return cleaned.book, cleaned.quarantine


def _print_quarantine(quarantine: pd.DataFrame) -> None:
    dropped = quarantine[quarantine["action"] == "dropped"]
    if quarantine.empty:
        print("Data: every row used")
        return
    print(f"Data: {len(dropped):,} rows left out, {len(quarantine) - len(dropped):,} values cleared (quarantine.csv)")
    counts = quarantine.groupby(["table", "action", "reason"], observed=True).size()
    for (table, action, reason), count in counts.items():
        print(f"  {table}: {count:,} {action}, {reason}")
    print()


def _extra(args: argparse.Namespace) -> str:
    """What to do with columns the book's tables do not have: the --ignore-extra-columns flag."""
    return "ignore" if getattr(args, "ignore_extra_columns", False) else "error"


def _config_of(args: argparse.Namespace) -> Config:
    """The configuration file's policies (or the defaults), with --as-of applied."""
    config = read_config(args.config) if args.config else Config()
    if args.as_of:
        config.job["as_of"] = args.as_of
    return config


class _Progress:
    """The job's progress on a tqdm bar: a step per tick, and the assignment solver's figures
    while it runs (it can take a minute on a large book)."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar

    def step(self, name: str) -> None:
        self._bar.set_postfix_str(name)
        self._bar.update(1)

    def solving(self, figures: dict[str, float]) -> None:
        objective, bound = figures.get("objective", math.inf), figures.get("bound", -math.inf)
        known = math.isfinite(objective) and math.isfinite(bound) and objective != 0
        gap = f", gap {(objective - bound) / abs(objective):.2%}" if known else ""
        self._bar.set_postfix_str(f"assignment {figures.get('seconds', 0.0):.0f} s{gap}")


@contextmanager
def _steps_bar(args: argparse.Namespace) -> Iterator[_Progress]:
    """A progress bar over the job's steps on standard error: shown on a terminal, or
    always with --verbose; never with --quiet."""
    from tqdm import tqdm

    shown = not args.quiet and (args.verbose or sys.stderr.isatty())
    with tqdm(total=len(STEPS), desc="cartera", unit="step", disable=not shown, file=sys.stderr, leave=False) as bar:
        yield _Progress(bar)


def _run_in_store(args: argparse.Namespace) -> int:
    """The job on the book in a database: read, run and saved in one transaction that holds
    the book (a second run waits for this one)."""
    started = time.perf_counter()
    config = _config_of(args)
    store = PortfolioStore(args.db, wait=args.wait)
    timings: dict[str, float] = {}
    with store.session() as connection:
        began = datetime.now(timezone.utc)
        book = store.read_book(connection)
        with _steps_bar(args) as bar:
            results = run_job(book, config, timings=timings, progress=bar.step, solver_progress=bar.solving)
        page = render_report(results, title=f"cartera run of {began:%Y-%m-%d %H:%M} UTC: {args.db}")
        run = store.save_run(results, config.to_dict(), began, report=page, connection=connection)
    if args.report:
        write_page(args.report, page)
    if args.quiet:
        print(
            f"cartera run {run}: {len(book.customer_ids):,} customers in {time.perf_counter() - started:.1f} s; saved in {args.db}"
        )
        return 0
    _print_results(book, results, config, timings, generated=None)
    print()
    print(f"Run {run} saved in {args.db}" + (f"; report: {args.report}" if args.report else ""))
    return 0


def _step(args: argparse.Namespace) -> int:
    """One step of the job alone, on a folder of tables, to one CSV file."""
    config = _config_of(args)
    book = read_tables(args.data, extra_columns=_extra(args))
    as_of = config.job["as_of"]
    if args.command == "value":
        frame = value(book, as_of, policy=config.value)
    elif args.command == "stages":
        frame = stages(book, as_of, policy=config.stages)
    else:
        customer_stages = stages(book, as_of, policy=config.stages)
        segments, to_act = segments_and_alerts(book, config, value(book, as_of, policy=config.value), customer_stages)
        if args.command == "segment":
            frame = segments
        else:
            assignment = realign(book, segments, config)
            frame = (
                assignment.assignments
                if args.command == "assign"
                else contact_plan(book, assignment, segments, customer_stages, to_act, config).contacts
            )
    out = Path(args.out)
    if out.exists():
        raise ValueError(f"out: {out} exists; results go to a new file")
    frame.to_csv(out, index=args.command not in ("plan",))
    print(f"cartera {args.command}: {len(frame):,} rows in {out}")
    return 0


def _hygiene(args: argparse.Namespace) -> int:
    """The hygiene findings of a folder of tables, as CSV files; with --merge, the merged book."""
    out = _new_folder(args.out, "findings")
    book, quarantine = _book_of(args)
    found = hygiene(
        book,
        as_of=args.as_of,
        stale_years=args.stale_years,
        duplicates=not args.no_duplicates,
        threshold=args.threshold,
    )
    out.mkdir(parents=True, exist_ok=True)
    found.findings.to_csv(out / "findings.csv", index=False)
    found.incomplete.to_csv(out / "incomplete.csv")
    found.duplicates.to_csv(out / "duplicates.csv", index=False)
    found.merges.to_csv(out / "merges.csv", index=False)
    if quarantine is not None:
        quarantine.to_csv(out / "quarantine.csv", index=False)
    print(f"cartera hygiene: {len(book.customer_ids):,} customers")
    for name, count in found.counts().items():
        print(f"  {name}: {count:,}")
    if args.merge:
        merged, mapping = merge_duplicates(book, found.merges)
        mapping.to_csv(out / "id_mapping.csv", index=False)
        folder = out / "book"
        folder.mkdir()
        for table, frame in merged.frames().items():
            frame.to_csv(folder / f"{table}.csv", index=False)
        print(f"  merged: {len(mapping):,} customers folded into others; the merged book is in {folder}")
    print(f"Findings: {out}")
    return 0


def _import(args: argparse.Namespace) -> int:
    """Loads a folder of tables into the book's database: the book replaced, or with
    --append the day's feed added to it."""
    frames = read_frames(args.data)
    PortfolioStore(args.db, wait=args.wait).import_tables(frames, append=args.append, extra_columns=_extra(args))
    done = "appended to" if args.append else "into"
    print(f"cartera import: {', '.join(f'{name} {len(frame):,}' for name, frame in frames.items())} {done} {args.db}")
    return 0


def _report(args: argparse.Namespace) -> int:
    """A run's report from the database, or the report of the job on a folder of tables
    (nothing else written)."""
    out = Path(args.out)
    if args.db and (args.config or args.as_of):
        raise ValueError(
            "report: --config and --as-of go with --data; a saved run keeps the report it was written with"
        )
    if args.data and args.number is not None:
        raise ValueError("report: --run goes with --db")
    if args.db:
        page = PortfolioStore(args.db).report(args.number)
    else:
        config = _config_of(args)
        book = read_tables(args.data, extra_columns=_extra(args))
        with _steps_bar(args) as bar:
            results = run_job(book, config, progress=bar.step, solver_progress=bar.solving)
        page = render_report(results, title=f"cartera report: {args.data}")
    write_page(out, page)
    if not args.quiet:
        print(f"cartera report: {out}")
    return 0


def _history(args: argparse.Namespace) -> int:
    """The runs so far, or what one of them moved."""
    store = PortfolioStore(args.db)
    if args.number is not None:
        print(store.moved(args.number).to_string(index=False))
        return 0
    runs = store.history()
    if runs.empty:
        print(f"cartera history: no runs in {args.db} yet")
        return 0
    shown = [
        "started",
        "as_of",
        "customers",
        "assigned",
        "moved",
        "kept",
        "newly_assigned",
        "left_out",
        "objective",
        "gap",
        "status",
        "contacts",
    ]
    print(runs[[c for c in shown if c in runs.columns]].to_string())
    return 0


#: The result tables whose rows are not customers (or managers): written without an index.
_WITHOUT_INDEX = (
    "alerts",
    "complaints",
    "campaign_responses",
    "contacts",
    "unmet",
    "show_room",
    "quarantine",
    "people_findings",
)


def _write_results(folder: Path, results: Results, config: Config) -> None:
    """One CSV per result table, and the configuration that produced them."""
    assert results.assignment is not None and results.plan is not None and results.referrals is not None
    tables = {
        "value": results.value,
        "potential": results.potential,
        "stages": results.stages,
        "segments": results.segments,
        "alerts": results.alerts,
        "complaints": results.complaints,
        "campaigns": results.campaigns,
        "campaign_responses": results.campaign_responses,
        "assignment": results.assignment.assignments,
        "managers": results.assignment.managers.join(
            results.plan.managers[["reached", "coverage", "budget", "planned", "demand"]]
        ),
        "contacts": results.plan.contacts,
        "unmet": results.plan.unmet,
        "plan_customers": results.plan.customers,
        "referrals": results.referrals.customers,
        "show_room": results.referrals.show_room,
        "readiness": None if results.readiness is None else results.readiness.steps,
        "profile": None if results.profile is None else results.profile.to_frame(),
        "people_findings": results.people,
        "quarantine": results.quarantine,
    }
    for name, frame in tables.items():
        if frame is not None:
            frame.to_csv(
                folder / f"{name}.csv",
                index=name not in _WITHOUT_INDEX,
            )
    (folder / "config.json").write_text(
        json.dumps(config.to_dict(), indent=2, ensure_ascii=False, default=str), encoding="utf-8"
    )


def _print_results(
    book: Book, results: Results, config: Config, timings: dict[str, float], *, generated: float | None
) -> None:
    assert results.value is not None and results.stages is not None and results.ladder is not None
    assert results.segments is not None and results.alerts is not None and results.assignment is not None
    assert results.plan is not None and results.team is not None and results.referrals is not None
    as_of = "-" if results.as_of is None else results.as_of.date()
    made = "" if generated is None else f"generated in {generated:.2f} s, "
    print(
        f"  as of {as_of}: {made}value in {timings['value']:.3f} s, stages in {timings['stages']:.3f} s, "
        f"segments and alerts in {timings['segments']:.3f} s"
    )
    print()
    _print_value_summary(results.value)
    print()
    _print_ladder_summary(book, results.ladder, results.stages)
    print()
    _print_segments(results.segments, results.alerts, config.segments.valuable_tiers())
    print()
    if results.complaints is not None and len(results.complaints):
        _print_complaints(results.complaints)
        print()
    if results.campaigns is not None and len(results.campaigns):
        _print_campaigns(results.campaigns)
        print()
    _print_realignment(results.assignment)
    print()
    _print_contact_plan(results.plan, timings["plan"])
    print()
    _print_team(results.team)
    print()
    _print_referrals(results.referrals)


def _readiness_answers(path: str | None) -> pd.DataFrame | None:
    if path is None:
        return None
    try:
        return pd.read_csv(path, dtype={"respondent": str, "question": str})
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise ValueError(f"answers: {path} cannot be read as CSV ({error})") from None


def _readiness(args: argparse.Namespace) -> int:
    """The questionnaire scored, beside the book's own readiness when --data is given."""
    if args.questions:
        READINESS_QUESTIONS.to_csv(sys.stdout)
        return 0
    if args.answers is None and args.data is None:
        raise ValueError("readiness: give the answers, --data, or both (--questions prints the questionnaire)")
    measured = None
    if args.data is not None:
        book = clean_tables(args.data, extra_columns=_extra(args)).book
        measured = book_readiness(book, args.as_of)
    scored = readiness(_readiness_answers(args.answers), measured=measured)
    pd.set_option("display.width", 160)
    print("IDIC readiness by step (answers 1 to 5; measured: the book's share):")
    print(scored.steps.round(2).to_string())
    if args.answers is not None:
        print()
        print("The personalisation gap by area:")
        print(scored.areas.round(2).to_string())
    if args.out:
        out = _new_folder(args.out, "results")
        out.mkdir(parents=True, exist_ok=True)
        scored.steps.to_csv(out / "steps.csv")
        scored.areas.to_csv(out / "areas.csv")
        scored.questions.to_csv(out / "questions.csv")
        if measured is not None:
            measured.to_csv(out / "measured.csv")
    return 0


def _config(args: argparse.Namespace) -> int:
    """The documented defaults of every policy (and of the job), as one JSON document."""
    print(json.dumps(Config().to_dict(), indent=2, ensure_ascii=False))
    return 0


def _print_realignment(plan: Assignment) -> None:
    print(f"Realignment ({plan.solver}, {plan.seconds:.2f} s, {plan.outcome()}):")
    changes = plan.assignments["change"].value_counts(sort=False)
    print("  " + ", ".join(f"{change.replace('_', ' ')} {count:,}" for change, count in changes.items()))
    reasons = plan.assignments["reason"].value_counts(sort=False).drop("assigned")
    reasons = reasons[reasons > 0]
    print(
        "  without a manager: "
        + (", ".join(f"{reason.replace('_', ' ')} {count:,}" for reason, count in reasons.items()) or "nobody")
    )
    load = plan.managers["load"] / plan.managers["capacity"].where(plan.managers["capacity"] > 0)
    print(f"  managers' load: median {load.median():.0%} of capacity, {int((load >= 1).sum()):,} full")


def _print_contact_plan(contacts: ContactPlan, seconds: float) -> None:
    print(f"Contact plan, {contacts.days} days from {contacts.start.date()} ({seconds:.2f} s):")
    purposes = contacts.contacts["purpose"].value_counts(sort=False)
    print(
        f"  {len(contacts.contacts):,} contacts: "
        + ", ".join(f"{p.replace('_', ' ')} {n:,}" for p, n in purposes.items())
    )
    managed = contacts.managers[contacts.managers["portfolio"] > 0]
    if len(managed):
        used = managed["planned"].sum() / managed["budget"].sum() if managed["budget"].sum() > 0 else 0.0
        print(
            f"  portfolios reached proactively: median {managed['coverage'].median():.0%}; {used:.0%} of the managers' time used"
        )
    unmet = contacts.unmet["reason"].value_counts(sort=False)
    print("  did not fit: " + ", ".join(f"{r.replace('_', ' ')} {n:,}" for r, n in unmet.items()))
    channels = contacts.contacts["channel"].value_counts(sort=False)
    print("  by channel: " + ", ".join(f"{c} {n:,}" for c, n in channels.items()))


def _print_team(size: TeamSize) -> None:
    print(
        f"Team sizing ({size.budget / 60:,.0f} hours a period each, {size.capacity:,} customers at most): {size.managers_needed:,} managers needed "
        f"({size.managers_by_time:,} by time, {size.managers_by_capacity:,} by capacity); "
        f"the {size.team:,} there are serve {size.customer_coverage:.0%} of customers in full"
    )
    for tier, row in size.tiers.iloc[::-1].iterrows():
        print(
            f"  {tier:<10} {row['minutes_per_customer']:6.1f} minutes a customer; at most {int(row['largest_portfolio']):>3} per portfolio"
        )


def _print_referrals(network: Referrals) -> None:
    brought = int(network.customers["referred_by"].notna().sum())
    longest = int(network.customers["generation"].max()) if len(network.customers) else 0
    print(
        f"Referrals: {brought:,} customers brought by others, chains up to {longest} steps; "
        f"{len(network.show_room):,} show-room customers across the portfolios"
    )


def _print_segments(segments: pd.DataFrame, to_act: pd.DataFrame, valuable: list[str]) -> None:
    print("Segments:")
    tiers = segments.groupby("tier", observed=False)["monetary"].agg(["size", "sum"])
    total = tiers["sum"].sum()
    for tier, row in tiers.iloc[::-1].iterrows():
        share = row["sum"] / total if total > 0 else 0.0
        print(f"  {tier:<10} {int(row['size']):>10,} customers, {share:6.1%} of the year's revenue")
    abc = segments["abc"].value_counts().sort_index()
    print("  ABC: " + ", ".join(f"{cls} {count:,}" for cls, count in abc.items()))
    top_rfm = segments["rfm_segment"].value_counts().head(4)
    print("  RFM: " + ", ".join(f"{name} {count:,}" for name, count in top_rfm.items()))
    print(f"Moments of truth ({', '.join(valuable)} {'counts' if len(valuable) == 1 else 'count'} as valuable):")
    counts = to_act["alert"].value_counts(sort=False)
    urgent = int(to_act["urgent"].sum())
    for kind, count in counts.items():
        extra = f" ({urgent:,} urgent)" if kind == "valuable_complainer" else ""
        print(f"  {kind:<20} {count:>8,}{extra}")
    if len(to_act):
        first = to_act.iloc[0]
        print(f"  first to call: {first['customer']} ({first['alert']}): {first['reason']}")


def _print_complaints(indicator: pd.DataFrame) -> None:
    overall = complaint_totals(indicator, by=None).iloc[0]

    def share(column: str) -> str:
        return "-" if pd.isna(overall[column]) else f"{overall[column]:.0%}"

    print(
        f"Complaints: {int(overall['complaints']):,}, {share('first_contact_share')} solved at the first contact "
        f"({share('first_contact_share_by_value')} by value), valuable customers' in time {share('valuable_in_time_share')}, "
        f"{share('stayed_share')} bought again afterwards (complaints.csv, per manager and month)"
    )


def _print_campaigns(summary: pd.DataFrame) -> None:
    print(
        f"Campaigns: {len(summary):,}, {int(summary['contacts'].sum()):,} contacts, "
        f"{int(summary['responded'].sum()):,} responded; followed up {int(summary['followed_up'].sum()):,}, "
        f"nobody followed up {int(summary['missed'].sum()):,}, due now {int(summary['follow_up_due'].sum()):,} "
        "(in the plan; campaigns.csv, campaign_responses.csv)"
    )


def _print_ladder_summary(book: Book, table: pd.DataFrame, customer_stages: pd.DataFrame) -> None:
    overall = table.loc["all"]
    print("The relationship ladder: how many customers stand at each stage?")
    for stage in STAGES:
        print(f"  {stage:<13} {int(overall[stage]):>10,}  {overall[stage] / overall['customers']:6.1%}")
    portfolios = table.iloc[: len(book.manager_ids)]  # the managers' rows, without "no manager" and "all"
    portfolios = portfolios[portfolios["customers"] > 0]
    if len(portfolios):
        print(
            f"  portfolios really held (share at intimar or confiar): median {portfolios['real_share'].median():.0%}, "
            f"best {portfolios['real_share'].max():.0%}, worst {portfolios['real_share'].min():.0%}"
        )
    held = int(customer_stages["held"].sum())
    print(f"  customers kept at their stage by the grace period (cooling off): {held:,}")
    blocking = customer_stages["reason"].value_counts().head(3)
    print("  most common reasons:")
    for reason, count in blocking.items():
        print(f"    {count:>8,}  {reason}")


def _print_value_summary(values: pd.DataFrame) -> None:
    ranked = values["monetary"].sort_values(ascending=False)
    total = ranked.sum()
    top_share = ranked.iloc[: max(1, len(ranked) // 5)].sum() / total if total > 0 else 0.0
    active = int((values["frequency"] > 0).sum())
    below_zero = int((values["contribution"] < 0).sum())
    declining = int(((values["recent"] > 0) & (values["trend"] < 0.4)).sum())
    print("Customer value (last 365 days):")
    print(f"  customers who bought in the last year: {active:,} of {len(values):,}")
    print(f"  revenue in the last year: {total:,.0f}; the top 20 % of customers bring {top_share:.0%}")
    print(f"  contribution below zero (cost to serve above margin): {below_zero:,} customers")
    print(f"  active customers buying under 40 % of their usual: {declining:,}")
    summary = values[["recency", "frequency", "monetary", "margin", "cost_to_serve", "contribution", "trend"]]
    finite = summary.replace([float("inf")], float("nan"))
    print()
    print(finite.describe(percentiles=[0.5, 0.9]).T.to_string(float_format=lambda x: f"{x:,.2f}"))


def _add_wait(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--wait",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="with --db: how long to wait for another run or import holding the book (default 600)",
    )


def _add_engine(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--engine",
        choices=engines.ENGINES,
        help="run the job on Dask or Spark (pip install 'cartera[dask]' or 'cartera[spark]'): partitioned Parquet out",
    )
    command.add_argument(
        "--scheduler",
        default="local",
        metavar="ADDRESS",
        help="with --engine: a Dask scheduler's address or a Spark master URL (default: a local cluster)",
    )


def _add_extra_columns(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--ignore-extra-columns",
        action="store_true",
        help="leave out the columns a table does not have (default: they are an error, naming the column meant)",
    )


# Long on purpose: the whole command line in one place, read from top to bottom as `cartera
# --help` shows it.
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cartera", description="Customer portfolio management.")
    parser.add_argument("--version", action="version", version=f"cartera {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the main job on the built-in synthetic bank")
    demo.add_argument("--customers", type=int, default=100_000, help="customers in the synthetic book (default 100000)")
    demo.add_argument("--managers", type=int, default=1_000, help="managers in the synthetic book (default 1000)")
    demo.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    demo.add_argument(
        "--report",
        default="cartera-report.html",
        metavar="PATH",
        help="where to write the HTML report (default cartera-report.html; '' for none)",
    )
    demo.add_argument("-q", "--quiet", action="store_true", help="print one line instead of the summary")
    demo.add_argument(
        "-v", "--verbose", action="store_true", help="show the progress of the steps even when not on a terminal"
    )
    _add_engine(demo)
    demo.add_argument(
        "--out",
        default="cartera-demo-results",
        metavar="FOLDER",
        help="with --engine: a new folder for the results (default cartera-demo-results)",
    )
    demo.set_defaults(run=_demo)
    run = commands.add_parser("run", help="run the main job on your own tables and write results and report")
    source = run.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--data",
        metavar="FOLDER",
        help="a folder with customers, managers, transactions, interactions, complaints, referrals (.csv or .parquet)",
    )
    source.add_argument(
        "--db",
        metavar="URL",
        help="the book in a database (a SQLite file, or any SQLAlchemy URL); the run is saved there",
    )
    run.add_argument(
        "--report",
        default="cartera-report.html",
        metavar="PATH",
        help="with --db: where to write the report ('' for none)",
    )
    _add_wait(run)
    _add_extra_columns(run)
    run.add_argument(
        "--strict",
        action="store_true",
        help="with --data: fail on the first bad row instead of leaving it out (quarantine.csv)",
    )
    run.add_argument("--config", metavar="FILE", help="policies as TOML or JSON (see `cartera config --defaults`)")
    run.add_argument(
        "--out",
        default="cartera-results",
        metavar="FOLDER",
        help="a new folder for the results (default cartera-results)",
    )
    run.add_argument("--as-of", metavar="DATE", help="evaluate as of this day (default: the last event in the data)")
    run.add_argument(
        "--readiness",
        metavar="ANSWERS",
        help="the readiness questionnaire's answers (CSV: respondent, question, current, preferred)",
    )
    run.add_argument("-q", "--quiet", action="store_true", help="print one line instead of the summary")
    run.add_argument(
        "-v", "--verbose", action="store_true", help="show the progress of the steps even when not on a terminal"
    )
    _add_engine(run)
    run.set_defaults(run=_run)
    steps = {
        "value": "each customer's value (RFM, margin, trend, cost to serve, contribution)",
        "stages": "each customer's stage on the relationship ladder, with the reason",
        "segment": "tiers, ABC and RFM segments",
        "assign": "the realignment: each customer's manager, or why none",
        "plan": "the contact plan after the realignment",
    }
    for name, text in steps.items():
        step = commands.add_parser(name, help=text)
        step.add_argument("--data", required=True, metavar="FOLDER", help="the tables, as for `cartera run --data`")
        step.add_argument("--config", metavar="FILE", help="policies as TOML or JSON")
        step.add_argument(
            "--as-of", metavar="DATE", help="evaluate as of this day (default: the last event in the data)"
        )
        step.add_argument("-o", "--out", required=True, metavar="FILE", help="the CSV file to write (must not exist)")
        _add_extra_columns(step)
        step.set_defaults(run=_step)
    tidy = commands.add_parser(
        "hygiene", help="stale, unreachable and incomplete customers and probable duplicates; --merge applies merges"
    )
    tidy.add_argument("--data", required=True, metavar="FOLDER", help="the tables, as for `cartera run --data`")
    tidy.add_argument("--out", default="cartera-hygiene", metavar="FOLDER", help="a new folder for the findings")
    tidy.add_argument("--as-of", metavar="DATE", help="judge on this day (default: the last event in the data)")
    tidy.add_argument("--stale-years", type=float, default=2.0, help="no event for this long: stale (default 2)")
    tidy.add_argument("--no-duplicates", action="store_true", help="skip the search for duplicate customers")
    tidy.add_argument(
        "--threshold", type=float, default=0.9, help="match probability of a probable duplicate (default 0.9)"
    )
    tidy.add_argument(
        "--merge", action="store_true", help="also write the book with the proposed merges applied, and the id mapping"
    )
    tidy.add_argument("--strict", action="store_true", help="fail on the first bad row instead of leaving it out")
    _add_extra_columns(tidy)
    tidy.set_defaults(run=_hygiene)
    load = commands.add_parser("import", help="load a folder of tables into the book's database (the book replaced)")
    load.add_argument("--data", required=True, metavar="FOLDER", help="the tables, as for `cartera run --data`")
    _add_extra_columns(load)
    _add_wait(load)
    load.add_argument(
        "--append",
        action="store_true",
        help="add to the book instead: events appended, customers and managers inserted or updated by id",
    )
    load.add_argument(
        "--db", default="cartera.db", metavar="URL", help="a SQLite file or SQLAlchemy URL (default cartera.db)"
    )
    load.set_defaults(run=_import)
    history = commands.add_parser("history", help="the runs saved in the book's database, and what they moved")
    history.add_argument(
        "--db", default="cartera.db", metavar="URL", help="a SQLite file or SQLAlchemy URL (default cartera.db)"
    )
    history.add_argument("--run", type=int, dest="number", metavar="N", help="list the customers run N moved")
    history.set_defaults(run=_history)
    report = commands.add_parser(
        "report", help="write the HTML report of a saved run, or of the job on a folder of tables"
    )
    origin = report.add_mutually_exclusive_group(required=True)
    origin.add_argument("--db", metavar="URL", help="the book's database: the report saved with a run")
    origin.add_argument("--data", metavar="FOLDER", help="a folder of tables: run the job and write only its report")
    report.add_argument("--run", type=int, dest="number", metavar="N", help="with --db: the run (default the last)")
    report.add_argument("--config", metavar="FILE", help="with --data: policies as TOML or JSON")
    report.add_argument("--as-of", metavar="DATE", help="with --data: evaluate as of this day")
    _add_extra_columns(report)
    report.add_argument(
        "-o",
        "--out",
        default="cartera-report.html",
        metavar="PATH",
        help="where to write it (default cartera-report.html)",
    )
    report.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    report.add_argument(
        "-v", "--verbose", action="store_true", help="show the progress of the steps even when not on a terminal"
    )
    report.set_defaults(run=_report)
    ready = commands.add_parser(
        "readiness", help="score the IDIC readiness questionnaire, beside what a book shows (--data)"
    )
    ready.add_argument("answers", nargs="?", help="the answers (CSV: respondent, question, current, preferred)")
    ready.add_argument(
        "--data", metavar="FOLDER", help="the tables of the book to measure, as for `cartera run --data`"
    )
    ready.add_argument("--as-of", metavar="DATE", help="with --data: measure as of this day")
    ready.add_argument("--questions", action="store_true", help="write the questionnaire (CSV) to stdout and stop")
    ready.add_argument("--out", metavar="FOLDER", help="a new folder for steps.csv, areas.csv and questions.csv")
    _add_extra_columns(ready)
    ready.set_defaults(run=_readiness)
    config = commands.add_parser("config", help="print the documented defaults of every policy (JSON)")
    config.add_argument("--defaults", action="store_true", required=True, help="print the defaults")
    config.set_defaults(run=_config)
    return parser


def _one_line(message: str) -> str:
    """An error as one line, whatever the values it quotes hold."""
    return " / ".join(part.strip() for part in message.splitlines() if part.strip())


#: The extra of cartera that brings each optional module.
_EXTRAS = {
    "sqlalchemy": "db",
    "psycopg": "postgresql",
    "pyarrow": "parquet",
    "dask": "dask",
    "distributed": "dask",
    "pyspark": "spark",
}


def _missing_module(error: ModuleNotFoundError) -> str:
    """What to install for a module a command needs and does not find."""
    name = (error.name or "").split(".")[0]
    if name in _EXTRAS:
        return f"this command needs {name}: pip install 'cartera[{_EXTRAS[name]}]'"
    return f"{error}; reinstall cartera with its dependencies (pip install cartera)" if name else str(error)


def command() -> int:
    """The ``cartera`` command: :func:`main` in a process that keeps the memory it frees."""
    keep_freed_memory()
    return main()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except ModuleNotFoundError as error:
        print(f"cartera: error: {_missing_module(error)}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, KeyError, ImportError, StoreError) as error:
        print(f"cartera: error: {_one_line(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`cartera demo | head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
