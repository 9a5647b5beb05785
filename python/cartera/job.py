"""The main job: value, stages, segments and alerts, the complaint indicator, the day after
each campaign, assignment, contact plan (with the drip dialogue's questions), team sizing,
referrals, IDIC readiness and the people at the account on one book, with every policy from
one configuration. ``cartera demo`` and ``cartera run`` share it; from Python, :func:`run_job` returns the results and
:func:`read_config` reads a configuration file."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from . import _convert, _core

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, from PyPI
    import tomli as tomllib
from .alerts import AlertPolicy, alerts
from .assignment import AssignmentPolicy, assign
from .book import TABLES, TEXT_COLUMNS, Book
from .campaigns import CampaignPolicy, campaign_responses, campaign_summary
from .cleaning import Cleaned, CleaningPolicy, clean
from .complaints import ComplaintPolicy, complaint_indicator
from .contact_plan import ContactPolicy, plan_contacts
from .drip_dialogue import profile_completeness, read_question_bank
from .growth import GrowthPolicy
from .hygiene import hygiene
from .people import PeoplePolicy, people_findings
from .potential import PotentialPolicy, potential
from .readiness import ReadinessPolicy, book_readiness, readiness
from .referrals import ReferralPolicy, referrals
from .report import Results
from .segmentation import SegmentPolicy, segment
from .stages import STAGES, StagePolicy, ladder, stages
from .team_sizing import team_size
from .value import ValuePolicy, value

__all__ = [
    "STEPS",
    "Config",
    "contact_plan",
    "read_config",
    "read_frames",
    "read_tables",
    "realign",
    "run_job",
    "segments_and_alerts",
    "SECTIONS",
]

#: The configuration's sections: one per policy, and ``job`` for the run itself.
SECTIONS: tuple[str, ...] = (
    "job",
    "clean",
    "value",
    "potential",
    "growth",
    "stages",
    "segments",
    "alerts",
    "complaints",
    "campaigns",
    "assignment",
    "contact",
    "referrals",
    "readiness",
    "people",
)

_JOB_DEFAULTS: dict[str, Any] = {
    "as_of": None,  # the book's last event day
    "days": 28,  # contact plan horizon
    "manager_minutes": 4800.0,  # per period, for managers without a time_budget
    "solver": "auto",
    "time_limit": 60.0,
    # Assign under the managers' time budgets too, each customer taking the contact
    # policy's minutes for their tier and stage (a generalized assignment: slower).
    "time_budgets": False,
    # What a customer is worth to the assignment (the price of leaving them without a
    # manager): "monetary", the window's revenue net of returns, or "clv", the lifetime
    # value the [potential] models give over their horizon.
    "worth": "monetary",
    # The language of the drip dialogue's questions in the contact plan: "en" or "es".
    "language": "en",
    # The drip dialogue's question bank: a CSV file (cartera.read_question_bank), or the default.
    "question_bank": None,
}


def _job_field(name: str, value: Any) -> Any:
    """A [job] field checked: its type, and its range."""
    where = f"job.{name}"
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "as_of":
        if value is not None:
            _convert.day_number(value, f"config.{where}")
        return value
    if name == "time_budgets":
        if not isinstance(value, bool):
            raise _core.TypeMismatchError(_convert.located("config", where, None, value, "expected true or false"))
        return value
    if name == "question_bank":
        if value is not None and not isinstance(value, str):
            raise _core.TypeMismatchError(_convert.located("config", where, None, value, "expected a file name"))
        return value
    if name == "language":
        if value not in ("en", "es"):
            raise _convert.invalid("config", where, None, value, "expected 'en' or 'es'")
        return value
    if name == "worth":
        if value not in ("monetary", "clv"):
            raise _convert.invalid("config", where, None, value, "expected 'monetary' or 'clv'")
        return value
    if name == "solver":
        names = ["auto", *_core.assignment_solvers()]
        if value not in names:
            raise _convert.invalid("config", where, None, value, f"no such solver; the solvers are {', '.join(names)}")
        return value
    if not number:
        raise _core.TypeMismatchError(_convert.located("config", where, None, value, "expected a number"))
    if name == "days" and (value != int(value) or value < 1):
        raise _convert.invalid("config", where, None, value, "must be a whole number of days >= 1")
    if name in ("manager_minutes", "time_limit") and not (value >= 0 and value < float("inf")):
        raise _convert.invalid("config", where, None, value, "must be finite and >= 0")
    return value


@dataclass
class Config:
    """Every policy of the job, with the documented defaults for what a file leaves out."""

    job: dict[str, Any] = field(default_factory=lambda: dict(_JOB_DEFAULTS))
    clean: CleaningPolicy = field(default_factory=CleaningPolicy)
    value: Any = field(default_factory=ValuePolicy)
    potential: PotentialPolicy = field(default_factory=PotentialPolicy)
    growth: Any = field(default_factory=GrowthPolicy)
    stages: Any = field(default_factory=StagePolicy)
    segments: SegmentPolicy = field(default_factory=SegmentPolicy)
    alerts: Any = field(default_factory=AlertPolicy)
    complaints: Any = field(default_factory=ComplaintPolicy)
    campaigns: Any = field(default_factory=CampaignPolicy)
    assignment: Any = field(default_factory=AssignmentPolicy)
    contact: Any = field(default_factory=ContactPolicy)
    referrals: Any = field(default_factory=ReferralPolicy)
    readiness: Any = field(default_factory=ReadinessPolicy)
    people: Any = field(default_factory=PeoplePolicy)

    @classmethod
    def from_dict(cls, fields: Mapping[str, Any]) -> Config:
        unknown = [name for name in fields if name not in SECTIONS]
        if unknown:
            raise _convert.invalid(
                "config", str(unknown[0]), None, None, f"unknown section; the sections are {', '.join(SECTIONS)}"
            )
        for name, section in fields.items():
            if not isinstance(section, Mapping):
                raise _core.TypeMismatchError(
                    _convert.located("config", str(name), None, section, "expected a section: a table of fields")
                )
        job = dict(_JOB_DEFAULTS)
        for name, setting in dict(fields.get("job", {})).items():
            if name not in job:
                raise _convert.invalid(
                    "config", f"job.{name}", None, None, f"unknown field; the fields are {', '.join(job)}"
                )
            job[name] = _job_field(str(name), setting)
        policies: dict[str, Any] = {
            "clean": CleaningPolicy,
            "value": ValuePolicy,
            "potential": PotentialPolicy,
            "growth": GrowthPolicy,
            "stages": StagePolicy,
            "segments": SegmentPolicy,
            "alerts": AlertPolicy,
            "complaints": ComplaintPolicy,
            "campaigns": CampaignPolicy,
            "assignment": AssignmentPolicy,
            "contact": ContactPolicy,
            "referrals": ReferralPolicy,
            "readiness": ReadinessPolicy,
            "people": PeoplePolicy,
        }
        made = {name: kind.from_dict(dict(fields.get(name, {}))) for name, kind in policies.items()}
        config = cls(job=job, **made)
        config.check()
        return config

    def check(self) -> None:
        """Raises ``ValueError`` when sections disagree: every tier the segments give needs
        its cadence in the contact policy."""
        served = self.contact.to_dict()["tiers"]
        missing = [tier for tier in self.segments.tiers if tier not in served]
        if missing:
            raise _convert.invalid(
                "config",
                "contact.tiers",
                None,
                served,
                f"has no cadence for the tier {missing[0]!r} of [segments]; name the same tiers in both sections",
            )

    def to_dict(self) -> dict[str, Any]:
        return {"job": dict(self.job)} | {name: getattr(self, name).to_dict() for name in SECTIONS[1:]}


def read_config(path: str | PathLike[str]) -> Config:
    """A configuration from a TOML or JSON file (by its extension); errors name the file."""
    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as error:
        raise _convert.invalid("config", str(path), None, None, f"cannot be read: {error.strerror}") from None
    try:
        fields = tomllib.loads(text.decode("utf-8")) if path.suffix == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _convert.invalid(
            "config", str(path), None, None, f"is not valid {'TOML' if path.suffix == '.toml' else 'JSON'}: {error}"
        ) from None
    if not isinstance(fields, dict):
        raise _convert.invalid("config", str(path), None, None, "must hold an object of sections")
    return Config.from_dict(fields)


def read_tables(folder: str | PathLike[str], *, ids: str = "text", extra_columns: str = "error") -> Book:
    """A book from a folder of tables, one file each: ``customers``, ``managers``,
    ``transactions``, ``interactions``, ``complaints``, ``referrals`` as ``.csv`` or
    ``.parquet`` (missing tables are empty; at least one must be there). Ids and labels are
    text, exactly as written (see :func:`read_frames`); a column that is not part of its
    table is an error unless ``extra_columns="ignore"``."""
    frames = read_frames(folder, ids=ids)
    return Book(
        frames.get("customers"),
        **{t: frames[t] for t in TABLES if t != "customers" and t in frames},
        extra_columns=extra_columns,
    )


def clean_tables(
    folder: str | PathLike[str],
    *,
    ids: str = "text",
    extra_columns: str = "error",
    policy: CleaningPolicy | Mapping[str, Any] | None = None,
) -> Cleaned:
    """The tables of a folder (as :func:`read_tables` finds them) cleaned by
    :func:`cartera.clean`: the book of what can be used, and the quarantine of the rest."""
    frames = read_frames(folder, ids=ids)
    return clean(
        frames.get("customers"),
        **{t: frames[t] for t in TABLES if t != "customers" and t in frames},
        extra_columns=extra_columns,
        policy=policy,
    )


#: The cells pandas reads as missing by default; in id and label columns only an empty cell is.
_MISSING_WORDS = [
    "",
    "#N/A",
    "#N/A N/A",
    "#NA",
    "-1.#IND",
    "-1.#QNAN",
    "-NaN",
    "-nan",
    "1.#IND",
    "1.#QNAN",
    "<NA>",
    "N/A",
    "NA",
    "NULL",
    "NaN",
    "None",
    "n/a",
    "nan",
    "null",
]


def _unreadable(table: str, path: Path, kind: str, error: Exception) -> _core.InvalidInputError:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return _core.InvalidInputError(f"{table}: {path.name} cannot be read as {kind} ({reason})")


def _read_csv(path: Path, table: str, ids: str) -> pd.DataFrame:
    try:
        if ids == "as_stored":
            frame = pd.read_csv(path)
        else:
            text = TEXT_COLUMNS[table]
            header = pd.read_csv(path, nrows=0).columns
            missing = {str(c): [""] if c in text else _MISSING_WORDS for c in header}
            frame = pd.read_csv(
                path, dtype={c: str for c in text if c in header}, keep_default_na=False, na_values=missing
            )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError, OverflowError) as error:
        raise _unreadable(table, path, "CSV", error) from None
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas takes the first row's extra fields as an index: a header name is missing.
        raise _core.InvalidInputError(
            f"{table}: {path.name} row 0 has more fields than its header ({len(frame.columns)} names)"
        )
    return frame


def _as_text(values: pd.Series) -> pd.Series:
    """A Parquet column of ids or labels as text: whole numbers without a decimal point."""
    if values.dtype.kind in "iu":
        return values.astype(str).astype(object)
    if values.dtype.kind == "f":
        whole = values.dropna()
        if (whole == whole.round()).all():
            return values.map(lambda v: v if pd.isna(v) else str(int(v))).astype(object)
        return values.map(lambda v: v if pd.isna(v) else str(v)).astype(object)
    return values.map(
        lambda v: v if v is None or (isinstance(v, float) and pd.isna(v)) or isinstance(v, str) else str(v)
    ).astype(object)


def _read_parquet(path: Path, table: str, ids: str) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path)
    except ImportError:
        raise ImportError(f"reading {path.name} needs pyarrow: pip install 'cartera[parquet]'") from None
    except Exception as error:  # pyarrow's errors for a file that is not Parquet, or broken
        raise _unreadable(table, path, "Parquet", error) from None
    if ids == "text":
        for column in TEXT_COLUMNS[table]:
            if column in frame.columns and not isinstance(frame[column].dtype, pd.CategoricalDtype):
                frame[column] = _as_text(frame[column])
    return frame


def read_frames(folder: str | PathLike[str], *, ids: str = "text") -> dict[str, pd.DataFrame]:
    """The tables of a folder as read_tables finds them, unchecked.

    With ``ids="text"`` (the default) the columns that hold ids and labels (customer and
    manager ids, region, product, channel) are text exactly as written: ``000123`` stays
    ``000123``, and only an empty cell is missing (``NA`` is an id like any other); the
    other columns are read as pandas reads them. ``ids="as_stored"`` leaves every column to
    pandas' inference (CSV) or the file's types (Parquet)."""
    if ids not in ("text", "as_stored"):
        raise _convert.invalid("data", "ids", None, ids, "expected 'text' or 'as_stored'")
    folder = Path(folder)
    if not folder.is_dir():
        raise _convert.invalid("data", str(folder), None, None, "is not a folder")
    frames: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        for suffix in (".csv", ".parquet"):
            path = folder / f"{table}{suffix}"
            if path.exists():
                frames[table] = _read_csv(path, table, ids) if suffix == ".csv" else _read_parquet(path, table, ids)
                break
    if not frames:
        raise _convert.invalid(
            "data", str(folder), None, None, f"holds none of the tables ({', '.join(f'{t}.csv' for t in TABLES)})"
        )
    return frames


def realign(
    book: Book,
    segments: pd.DataFrame,
    config: Config,
    *,
    stages_with_manager: pd.DataFrame | None = None,
    worth: pd.Series | None = None,
    progress: Callable[[dict[str, float]], Any] | None = None,
) -> Any:
    """Every customer to the best eligible manager, worth keeping by the year's revenue
    (or by ``worth``, indexed by customer: the lifetime value of :func:`cartera.potential`).

    ``segments`` is the frame of :func:`cartera.segment` (tier, stage with the company,
    monetary): the tier picks eligible managers and, with time budgets, tier × stage the
    contact policy's minutes. Continuity is priced by the stage reached *with the current
    manager*, ``stages_with_manager`` (:func:`cartera.stages` with
    ``relationship="current_manager"``; computed under ``config.stages`` when not given).
    ``progress`` receives the solver's figures now and then (see :func:`cartera.assign`)."""
    if stages_with_manager is None:
        stages_with_manager = stages(book, config.job["as_of"], policy=config.stages, relationship="current_manager")
    customers = assignment_customers(
        book.table("customers"),
        segments,
        stages_with_manager["stage"].reindex(book.customer_ids),
        config,
        None if worth is None else worth.reindex(book.customer_ids),
    )
    managers = assignment_managers(book.table("managers"), config)
    return assign(
        customers,
        managers,
        policy=config.assignment,
        solver=config.job["solver"],
        time_limit=float(config.job["time_limit"]),
        progress=progress,
    )


def assignment_customers(
    customer_table: pd.DataFrame,
    segments: pd.DataFrame,
    stage_with_manager: pd.Series,
    config: Config,
    worth: pd.Series | None = None,
) -> pd.DataFrame:
    """The customers as :func:`cartera.assign` takes them (the same index as ``segments``):
    worth (the window's revenue, or ``worth``), tier, the stage reached with the current
    manager, region and current manager, and with time budgets the contact policy's minutes
    for their tier and stage."""
    customers = pd.DataFrame(
        {
            # Net of returns monetary may be negative; leaving such a customer out costs nothing.
            "value": (segments["monetary"] if worth is None else worth).clip(lower=0),
            "segment": segments["tier"],
            "stage": stage_with_manager,
        },
        index=segments.index,
    )
    for column in ("region", "manager"):
        if column in customer_table.columns:
            customers[column] = customer_table[column].reindex(segments.index)
    if config.job["time_budgets"]:
        workload = {(t, s): config.contact.workload(t, s) for t in segments["tier"].cat.categories for s in STAGES}
        customers["workload"] = [workload[(t, s)] for t, s in zip(segments["tier"], segments["stage"], strict=True)]
    return customers


def assignment_managers(manager_table: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The managers as :func:`cartera.assign` takes them: region, capacity (100 when not
    given) and, with time budgets, minutes per period."""
    managers = manager_table[[c for c in ("region", "capacity") if c in manager_table.columns]]
    if "capacity" not in managers.columns:
        managers = managers.assign(capacity=100)
    if config.job["time_budgets"]:
        managers = managers.assign(time_budget=_minutes(manager_table, config))
    return managers


def _minutes(manager_table: pd.DataFrame, config: Config) -> pd.Series:
    """Each manager's minutes per period: the managers table's, or the job's default."""
    budgets = manager_table.get("time_budget")
    minutes = float(config.job["manager_minutes"])
    return pd.Series(minutes, index=manager_table.index) if budgets is None else budgets.fillna(minutes)


def _budgets(book: Book, config: Config) -> pd.Series:
    return _minutes(book.table("managers"), config)


def _usual_budget(book: Book, config: Config) -> float:
    """The managers' usual minutes per period (the median of those who have any), or the
    job's manager_minutes when none has."""
    budgets = _budgets(book, config)
    positive = budgets[budgets > 0]
    return float(positive.median()) if len(positive) else float(config.job["manager_minutes"])


def _capacity(book: Book) -> int:
    """The managers' usual capacity (the median of those with room), or the default 100."""
    capacity = book.table("managers").get("capacity")
    room = capacity[capacity > 0] if capacity is not None else pd.Series([], dtype=float)
    return int(room.median()) if len(room) else 100


def segments_and_alerts(
    book: Book, config: Config, values: pd.DataFrame, customer_stages: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tiers, ABC and RFM under ``config.segments``, and the moments of truth, on the value
    and ladder already computed (the tiers of ``config.segments.valuable_tiers()`` are the
    valuable ones)."""
    as_of = config.job["as_of"]
    segments = segment(book, as_of, policy=config.segments, value=values, stages=customer_stages)
    valuable = segments["tier"].isin(config.segments.valuable_tiers())
    to_act = alerts(book, as_of, policy=config.alerts, value_policy=config.value, value=values, valuable=valuable)
    return segments, to_act


def contact_plan(
    book: Book,
    assignment: Any,
    segments: pd.DataFrame,
    customer_stages: pd.DataFrame,
    to_act: pd.DataFrame,
    config: Config,
) -> Any:
    """The contact plan of the horizon after the job's evaluation day."""
    as_of = config.job["as_of"]
    start = None if as_of is None else pd.Timestamp(as_of) + pd.Timedelta(days=1)
    return plan_contacts(
        book,
        assignment,
        _budgets(book, config),
        tier=segments,
        stage=customer_stages,
        alerts=to_act,
        campaign_policy=config.campaigns,
        language=config.job["language"],
        question_bank=_question_bank(config),
        start=start,
        days=int(config.job["days"]),
        policy=config.contact,
    )


def _question_bank(config: Config) -> pd.DataFrame | None:
    path = config.job["question_bank"]
    return None if path is None else read_question_bank(path)


def _potential(
    book: Book, config: Config, values: pd.DataFrame, tiers: pd.Series
) -> tuple[pd.DataFrame | None, dict[str, str]]:
    """The customers' potential, growth measured against the peers of their tier, or why
    the book cannot give it (too few repeat purchases for the models): a small or new book
    still runs the rest of the job."""
    try:
        as_of = config.job["as_of"]
        return (
            potential(
                book, as_of, by=tiers, spend=values["monetary"], policy=config.potential, growth_policy=config.growth
            ),
            {},
        )
    except _core.InvalidInputError as error:
        return None, {"potential": str(error)}


#: The job's steps, in order, as run_job reports them.
STEPS: tuple[str, ...] = (
    "value",
    "stages",
    "segments",
    "complaints",
    "campaigns",
    "potential",
    "assignment",
    "plan",
    "referrals",
    "readiness",
    "hygiene",
)


def run_job(
    book: Book,
    config: Config | None = None,
    *,
    timings: dict[str, float] | None = None,
    progress: Callable[[str], Any] | None = None,
    solver_progress: Callable[[dict[str, float]], Any] | None = None,
    readiness_answers: pd.DataFrame | None = None,
) -> Results:
    """Runs every step on the book; ``timings`` (when given) receives seconds per step,
    ``progress`` is called with each step's name (:data:`STEPS`) as it finishes, and
    ``solver_progress`` with the assignment solver's figures while it runs.
    ``readiness_answers`` (the readiness questionnaire's answers, see
    :func:`cartera.readiness`) sets what people believe beside what the book shows."""
    config = config or Config()
    as_of = config.job["as_of"]
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        if timings is not None:
            timings[step] = time.perf_counter() - clock
        if progress is not None:
            progress(step)
        clock = time.perf_counter()

    if len(book.manager_ids) == 0:
        raise _core.InvalidInputError("managers: the book has no managers; give a managers table")
    values = value(book, as_of, policy=config.value)
    lap("value")
    customer_stages = stages(book, as_of, policy=config.stages)
    with_manager = stages(book, as_of, policy=config.stages, relationship="current_manager")
    lap("stages")
    segments, to_act = segments_and_alerts(book, config, values, customer_stages)
    lap("segments")
    # The valuable tiers' complaints, in the portfolios as they stand before the realignment.
    complaints = complaint_indicator(
        book,
        as_of,
        value=values["monetary"],
        valuable=segments["tier"].isin(config.segments.valuable_tiers()),
        policy=config.complaints,
    )
    lap("complaints")
    # The day after each campaign, in the portfolios as they stand: who responded, and who
    # followed them up (the plan then follows up, under the new portfolios, those still due).
    responses = campaign_responses(book, as_of, policy=config.campaigns)
    lap("campaigns")
    future, skipped = _potential(book, config, values, segments["tier"])
    lap("potential")
    worth = None
    if config.job["worth"] == "clv":
        if future is None:
            raise _core.InvalidInputError(f"config.job.worth = 'clv' needs the potential: {skipped['potential']}")
        worth = future["clv"].fillna(0.0)  # who never bought has no lifetime value to forecast
    assignment = realign(
        book, segments, config, stages_with_manager=with_manager, worth=worth, progress=solver_progress
    )
    lap("assignment")
    plan = contact_plan(book, assignment, segments, customer_stages, to_act, config)
    known = profile_completeness(
        book, as_of, tier=segments, stage=customer_stages, question_bank=_question_bank(config)
    )
    lap("plan")
    team = team_size(
        segments,
        customer_stages,
        budget=_usual_budget(book, config),
        capacity=_capacity(book),
        team=len(book.manager_ids),
        policy=config.contact,
    )
    network = referrals(book, manager=assignment, policy=config.referrals)
    lap("referrals")
    measured = book_readiness(
        book,
        as_of,
        stages=customer_stages,
        value=values,
        plan=plan,
        contact_policy=config.contact,
        policy=config.readiness,
    )
    ready = readiness(readiness_answers, measured=measured)
    lap("readiness")
    accounts = people_findings(
        book, as_of, valuable=segments["tier"].isin(config.segments.valuable_tiers()), policy=config.people
    )
    # Duplicates need a linkage model of their own: `cartera hygiene` looks for them.
    tidy = hygiene(book, as_of=as_of, duplicates=False, tiers=segments["tier"])
    lap("hygiene")
    return Results(
        customers=len(book.customer_ids),
        managers=len(book.manager_ids),
        as_of=book.last_day if as_of is None else pd.Timestamp(as_of),
        value=values,
        potential=future,
        skipped=skipped,
        stages=customer_stages,
        ladder=ladder(book, customer_stages),
        segments=segments,
        alerts=to_act,
        complaints=complaints,
        campaigns=campaign_summary(responses),
        campaign_responses=responses,
        assignment=assignment,
        plan=plan,
        team=team,
        referrals=network,
        hygiene=tidy,
        readiness=ready,
        profile=known,
        people=accounts,
    )
