"""The book cut by customer, for the engines (:mod:`cartera.dask`, :mod:`cartera.spark`).

Every table is split into partitions by a hash of its customer, so that a partition holds
some customers and all of their events: the per-customer steps then run on each partition
as a small :class:`cartera.Book`, and give what the whole book gives. The global fits
(the score's percentiles and tier cuts, the RFM bins) merge each partition's summary: the
sorted values the single-machine fit keeps, so that the merged model is the same model.

Two columns ride along every table: ``_bucket``, the customer's partition, and ``_row``,
the row's place in its input table, which restores the input order inside a partition
(the customers' order breaks ties; the events' order fixes the order of sums).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import _convert, _core
from . import _potential_partitions as potential_parts
from .alerts import AlertPolicy, alert_frame
from .book import Book
from .segmentation import RFM, SegmentPolicy
from .stages import STAGES, StagePolicy, stages
from .value import ValuePolicy, _value_columns, repeat_summary, value

BUCKET = "_bucket"
ROW = "_row"
INTERNAL = (BUCKET, ROW)

#: Per table, the column that names the customer it belongs to.
CUSTOMER_KEY: dict[str, str] = {
    "customers": "id",
    "transactions": "customer",
    "interactions": "customer",
    "complaints": "customer",
    "referrals": "referrer",
    "campaigns": "customer",
    "profile": "customer",
    "people": "customer",
}
#: The tables the per-customer steps read; managers go whole to every partition.
PARTITIONED: tuple[str, ...] = tuple(CUSTOMER_KEY)
#: The event columns whose days set the book's last day (as cartera.Book counts them).
LAST_DAY_COLUMNS: dict[str, str] = {
    "transactions": "day",
    "interactions": "day",
    "complaints": "opened",
    "referrals": "day",
    "profile": "learned",
}


def buckets(ids: pd.Series, partitions: int) -> np.ndarray:
    """Each id's partition: a hash of its value that is the same in every process and run."""
    return (pd.util.hash_pandas_object(ids, index=False).to_numpy() % np.uint64(partitions)).astype(np.int64)


def check_table(table: str, columns: Iterable[str]) -> None:
    """Raises ``ValueError`` naming the table when its customer column is missing or an
    internal column name is taken."""
    columns = list(columns)
    key = CUSTOMER_KEY[table]
    if key not in columns:
        raise _core.InvalidInputError(
            f"{table}.{key}: missing required column (the engines need it as a column); "
            f"the table has {', '.join(map(str, columns))}"
        )
    taken = [c for c in INTERNAL if c in columns]
    if taken:
        raise _core.InvalidInputError(f"{table}.{taken[0]}: the engines keep this column name for themselves")


def partition_book(parts: Mapping[str, pd.DataFrame | None], managers: pd.DataFrame | None, number: int) -> Book:
    """The book of one partition: its customers, their events and every manager.

    A customer referred by one of the partition's customers may live in another partition:
    such customers join this book with no events of their own (they come last, and the
    results keep the partition's own customers only)."""
    frames: dict[str, Any] = {}
    for table in PARTITIONED:
        part = parts.get(table)
        frames[table] = None if part is None else part.sort_values(ROW, kind="stable").drop(columns=list(INTERNAL))
    customers = frames["customers"]
    assert customers is not None
    referrals = frames["referrals"]
    if referrals is not None and "referred" in referrals.columns:
        elsewhere = pd.Index(referrals["referred"].dropna().unique()).difference(customers["id"], sort=False)
        if len(elsewhere):
            # Their fields copy a customer of the partition's: valid, and never read.
            ghosts = customers.iloc[np.zeros(len(elsewhere), dtype=np.int64)].assign(id=elsewhere.to_numpy())
            frames["customers"] = pd.concat([customers, ghosts], ignore_index=True)
    try:
        return Book(frames.pop("customers"), managers=managers, **frames)
    except _core.UnknownIdError as error:
        if "not in customers" not in str(error):
            raise
        raise _core.UnknownIdError(
            f"{error.args[0] if error.args else error} (in partition {number}: each event must be in its customer's "
            "partition; the engine's Book partitions every table by customer unless told the tables already are)"
        ) from None


def _with_keys(frame: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """A per-customer frame of the partition, with the customers' bucket and row."""
    ordered = customers.sort_values(ROW, kind="stable")
    out = frame.iloc[: len(ordered)].copy()
    out[BUCKET] = ordered[BUCKET].to_numpy()
    out[ROW] = ordered[ROW].to_numpy()
    return out


def _given(given: pd.DataFrame | None, book: Book, count: int, step: str) -> pd.DataFrame:
    """The per-customer figures an engine gives a step, in the partition book's order."""
    if given is None:
        raise _core.InvalidInputError(f"engine step {step!r} needs the figures of the whole book")
    customers = book.customer_ids[:count]
    absent = ~customers.isin(given.index)
    if absent.any():
        row = int(np.flatnonzero(absent)[0])
        raise _core.InvalidInputError(
            f"{step}: no figures for customer {customers[row]!r} in its partition; give a frame computed from "
            "this book's results (the same partitions)"
        )
    return given.reindex(customers)


def _flags(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype=bool).astype(np.uint8)


def _alert_steps(
    book: Book, step: str, as_of: int, options: Mapping[str, Any], given: pd.DataFrame | None, count: int
) -> pd.DataFrame:
    """The three passes of the alerts on a part of a book (see docs/scale.md)."""
    value_policy = options.get("value_policy") or ValuePolicy()
    frame = value(book, as_of, policy=value_policy)
    computed = _value_columns(book, frame)
    if step == "alert_inputs":
        terms = _core.alert_rate_terms(book._core, as_of, value_policy, value=computed)
        for name, column in terms.items():
            frame[f"rate_{name}"] = column
        return frame
    figures = _given(given, book, count, step)
    # Customers of other partitions (referred ones) are never valuable nor flagged here.
    pad = len(book.customer_ids) - count
    valuable = np.concatenate([_flags(figures["valuable"]), np.zeros(pad, np.uint8)])
    policy = options.get("policy") or AlertPolicy()
    shape, rate = options["rate_prior"]
    if step == "alert_tests":
        tests = _core.alert_rate_tests(book._core, as_of, value_policy, policy, valuable, shape, rate, value=computed)
        return pd.DataFrame({f"p_{name}": p for name, p in tests.items()}, index=book.customer_ids)
    scope = {
        "rate_shape": shape,
        "rate_rate": rate,
        **{f"{family}_cutoff": options["cutoffs"][family] for family in ("growing", "declining", "lapsed")},
        "percentile": np.concatenate([figures["percentile"].to_numpy(dtype=np.float64), np.zeros(pad)]),
        "mvc": np.concatenate([_flags(figures["mvc"]), np.zeros(pad, np.uint8)]),
        "valuable": valuable,
    }
    if "bottom" in figures.columns:
        scope["bottom"] = np.concatenate([_flags(figures["bottom"]), np.zeros(pad, np.uint8)])
    raw = _core.compute_alerts(book._core, as_of, value_policy, policy, None, computed, 0, scope)
    rows = alert_frame(book, raw)
    return rows[rows["customer"].isin(book.customer_ids[:count])]


def _stage_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A stages frame with its labels as categories fixed for every partition."""
    for column in ("stage", "reached", "blocking"):
        if column in frame.columns and isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    for column in ("stage", "reached"):
        if column in frame.columns:
            frame[column] = pd.Categorical(frame[column], categories=list(STAGES), ordered=True)
    if "reason" in frame.columns:
        frame["reason"] = frame["reason"].astype(object)
    return frame


def customer_steps(
    parts: Mapping[str, pd.DataFrame | None],
    managers: pd.DataFrame | None,
    number: int,
    step: str,
    as_of: int,
    options: Mapping[str, Any],
    given: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One per-customer step (``value``, ``repeat_summary``, ``stages``, or ``segment_inputs``:
    the value and the stage) on one partition, indexed by customer, with the internal columns.

    The alerts' passes (``alert_inputs``, ``alert_tests``, ``alerts``) read what the whole
    book gave the earlier ones: ``given``, indexed by customer, and ``options``' rate prior
    and cutoffs. ``alerts`` gives one row per alert, with its customer's internal columns.
    So do the potential's (``potential_inputs``; ``product_holders``, the partition's counts
    of holders, not per customer; ``potential``: see :mod:`cartera._potential_partitions`)."""
    customers = parts["customers"]
    assert customers is not None
    book = partition_book(parts, managers, number)
    if step == "product_holders":
        return potential_parts.holder_counts(book, _given(given, book, len(customers), step), options["groups"])
    if step.startswith("alert"):
        frame = _alert_steps(book, step, as_of, options, given, len(customers))
        if step == "alerts":
            ordered = customers.sort_values(ROW, kind="stable").set_index("id")
            keys = ordered.reindex(frame["customer"].to_numpy())
            return frame.assign(**{BUCKET: keys[BUCKET].to_numpy(), ROW: keys[ROW].to_numpy()})
        return _with_keys(frame, customers)
    if step == "value":
        frame = value(book, as_of, policy=options.get("policy") or ValuePolicy())
    elif step == "repeat_summary":
        frame = repeat_summary(book, as_of, unit=options.get("unit", "D"))
    elif step == "segment_inputs":
        frame = value(book, as_of, policy=options.get("value_policy") or ValuePolicy())
        ladder = stages(book, as_of, policy=options.get("stage_policy") or StagePolicy())
        frame["stage"] = pd.Categorical(ladder["stage"].astype(object), categories=list(STAGES), ordered=True)
    elif step == "potential_inputs":
        frame = potential_parts.inputs(book, as_of, options)
    elif step == "potential":
        frame = potential_parts.apply(book, _given(given, book, len(customers), step), options)
    elif step == "stages":
        frame = _stage_frame(
            stages(
                book,
                as_of,
                policy=options.get("policy") or StagePolicy(),
                relationship=options.get("relationship", "customer"),
            )
        )
    else:
        raise _core.InvalidInputError(f"engine step {step!r}: no such per-customer step")
    return _with_keys(frame, customers)


def last_day(parts: Mapping[str, pd.DataFrame | None]) -> float:
    """The partition's last event day, as cartera.Book counts it (NaN without events)."""
    days = [
        int(_convert.days(part[column], table, column).max())
        for table, column in LAST_DAY_COLUMNS.items()
        if (part := parts.get(table)) is not None and column in part.columns and len(part)
    ]
    return float(max(days)) if days else math.nan


def job_config(config: Any, managers: pd.DataFrame | None) -> Any:
    """The configuration of an engine's job (the defaults when None), refused when there
    are no managers."""
    from .job import Config

    config = config or Config()
    if managers is None or not len(managers):
        raise _core.InvalidInputError("managers: the book has no managers; give a managers table")
    return config


# The segment's global fits, from mergeable summaries.


def segment_policy(policy: SegmentPolicy | Mapping[str, Any] | None) -> SegmentPolicy:
    """A segment policy from what a caller gives: None (the defaults), a policy or its fields."""
    if policy is None:
        return SegmentPolicy()
    return policy if isinstance(policy, SegmentPolicy) else SegmentPolicy.from_dict(policy)


#: The alerts' rate tests, each with its own false discovery cutoff on the whole book.
RATE_TESTS = ("growing", "declining", "lapsed_valuable")


def rate_test_cutoffs(tested: Mapping[str, tuple[int, Iterable[float]]], rate: float) -> dict[str, float]:
    """Benjamini–Hochberg's cutoff of each rate test on the whole book, from each test's
    count of customers tested and its p-values at or below the false discovery ``rate``
    (the only ones the cutoff can be)."""
    return {
        test.split("_")[0]: _core.false_discovery_cutoff([float(p) for p in small], float(count), rate)
        for test, (count, small) in tested.items()
    }


def alert_figures(
    inputs: pd.DataFrame, ranks: list[pd.DataFrame], policy: Any, count: int, valuable: pd.Series | None
) -> pd.DataFrame:
    """Per customer of a partition, what the alerts read from the whole book of ``count``
    customers, from the customers' places in its orders (``ranks``: ``_row`` and
    ``<column>_order``, 1 = first): the value percentile, the top ``mvc_share`` by spend, the
    bottom ``below_zero_share`` by contribution, and valuable (``valuable``, or the top
    ``valuable_share`` by lifetime spend), as the single machine flags them."""
    rows = inputs[ROW].to_numpy()
    orders = {}
    for frame in ranks:
        column = next(c for c in frame.columns if c.endswith("_order"))
        orders[column] = frame.set_index(ROW)[column].reindex(rows).to_numpy(dtype=np.float64)

    def top(share: float, order: np.ndarray) -> np.ndarray:
        return order <= math.ceil(share * count)

    lifetime = orders["lifetime_monetary_order"]
    out = pd.DataFrame(
        {
            "percentile": 1.0 - lifetime / count if count else lifetime,
            "mvc": top(policy.mvc_share, orders["monetary_order"]) & (inputs["monetary"].to_numpy() > 0),
        },
        index=inputs.index,
    )
    if "contribution_order" in orders:
        out["bottom"] = top(policy.below_zero_share, orders["contribution_order"])
    if valuable is None:
        out["valuable"] = top(policy.valuable_share, lifetime) & (inputs["lifetime_monetary"].to_numpy() > 0)
    else:
        flags = valuable.reindex(inputs.index)
        if flags.isna().any():
            missing = flags.index[flags.isna().to_numpy()][0]
            raise _core.InvalidInputError(f"alerts.valuable: no value for customer {missing!r}; give one per customer")
        out["valuable"] = flags.to_numpy(dtype=bool)
    return out


#: The columns :func:`cartera.segment` adds, in its order, after the value's and the stage.
SEGMENT_COLUMNS = (
    "score",
    "rank",
    "tier",
    "tier_reason",
    "abc",
    "abc_rank",
    "r",
    "f",
    "m",
    "rfm",
    "rfm_segment",
    "cluster",
)


def segment_columns(columns: Iterable[str]) -> list[str]:
    """Columns in :func:`cartera.segment`'s order (the engine's own left out)."""
    columns = list(columns)
    head = [c for c in columns if c not in SEGMENT_COLUMNS and c not in INTERNAL]
    return head + [c for c in SEGMENT_COLUMNS if c in columns]


def score_summary(values: pd.DataFrame, policy: SegmentPolicy) -> dict[str, Any]:
    """What one partition adds to the score's fit: per variable, the sorted values the
    single-machine fit keeps (percentile: all but NaN; z_score: the finite ones, whose
    mean and deviation are sums in sorted order), or the finite values' count, min and max
    (min_max)."""
    scorer = policy.scorer()
    variables, *_ = scorer._policy()
    summary: dict[str, Any] = {"variables": []}
    for variable in variables:
        column = values[variable["column"]].to_numpy(dtype=np.float64)
        if variable["scale"] == "percentile":
            summary["variables"].append({"sorted": np.sort(column[~np.isnan(column)])})
        elif variable["scale"] == "z_score":
            summary["variables"].append({"sorted": np.sort(column[np.isfinite(column)])})
        else:
            finite = column[np.isfinite(column)]
            summary["variables"].append(
                {
                    "count": len(finite),
                    "low": float(finite.min()) if len(finite) else math.inf,
                    "high": float(finite.max()) if len(finite) else -math.inf,
                }
            )
    return summary


def merge_score_summaries(summaries: list[dict[str, Any]], policy: SegmentPolicy) -> dict[str, Any]:
    """The score model of the whole book from its partitions' summaries, without the tier
    thresholds (they need the scores: :func:`score_thresholds`): the single-machine model,
    exactly."""
    variables, *_ = policy.scorer()._policy()
    model: dict[str, list[Any]] = {"location": [], "spread": [], "low": [], "high": [], "sorted": []}
    for v, variable in enumerate(variables):
        parts = [s["variables"][v] for s in summaries]
        if variable["scale"] == "percentile":
            model["sorted"].append(np.sort(np.concatenate([p["sorted"] for p in parts])))
            model["location"].append(0.0)
            model["spread"].append(1.0)
            model["low"].append(0.0)
            model["high"].append(0.0)
            continue
        if variable["scale"] == "z_score":
            finite = np.sort(np.concatenate([p["sorted"] for p in parts]))
            count = len(finite)
            low, high = (float(finite[0]), float(finite[-1])) if count else (0.0, 0.0)
        else:
            count = sum(p["count"] for p in parts)
            low = min((p["low"] for p in parts), default=math.inf)
            high = max((p["high"] for p in parts), default=-math.inf)
        location, spread = 0.0, 1.0
        if count and variable["scale"] == "min_max":
            location, spread = low, high - low
        elif count:
            # Sums in sorted order, one value after another (cumsum's order), as the single
            # machine adds them: the same mean and deviation to the last bit.
            location = float(np.cumsum(finite)[-1]) / count
            spread = math.sqrt(float(np.cumsum((finite - location) * (finite - location))[-1]) / count)
        model["location"].append(location)
        model["spread"].append(spread if spread > 0 and math.isfinite(spread) else 1.0)
        model["low"].append(low if count else 0.0)
        model["high"].append(high if count else 0.0)
        model["sorted"].append(np.zeros(0))
    return model


def scores(values: pd.DataFrame, policy: SegmentPolicy, model: Mapping[str, Any]) -> np.ndarray:
    """The customers' scores under the whole book's model (thresholds not needed)."""
    scorer = policy.scorer()
    scorer.model_ = dict(model)
    return scorer.predict(values.drop(columns=[c for c in INTERNAL if c in values.columns]))["score"].to_numpy()


def score_counts(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A partition's distinct scores and how many customers have each: the summary the
    tier thresholds merge."""
    return np.unique(scores, return_counts=True)


def score_thresholds(counts: list[tuple[np.ndarray, np.ndarray]], policy: SegmentPolicy) -> list[float]:
    """The tier cuts of the whole book from every partition's :func:`score_counts`, by the
    single-machine rule: the lowest score with at least ``cut`` of the customers strictly
    below it (+inf when none)."""
    if not policy.quantile_cuts:
        return [float(c) for c in policy.cuts]
    values = np.concatenate([c[0] for c in counts]) if counts else np.zeros(0)
    weights = np.concatenate([c[1] for c in counts]) if counts else np.zeros(0, dtype=np.int64)
    distinct, inverse = np.unique(values, return_inverse=True)
    totals = np.bincount(inverse, weights=weights, minlength=len(distinct)).astype(np.int64)
    below = np.concatenate([[0], np.cumsum(totals)[:-1]])
    total = int(totals.sum())
    thresholds = []
    for cut in policy.cuts:
        at = math.ceil(float(cut) * float(total))
        qualifying = np.flatnonzero(below >= at) if at < total else np.zeros(0, dtype=np.int64)
        thresholds.append(float(distinct[qualifying[0]]) if len(qualifying) else math.inf)
    return thresholds


def rfm_summary(values: pd.DataFrame, bins: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What one partition adds to the RFM fit: its sorted recency, frequency and monetary."""
    return RFM(bins=bins).fit(values).fitted_


def merge_rfm_summaries(summaries: list[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The RFM model of the whole book: every partition's sorted values, merged."""
    recency, frequency, monetary = (np.sort(np.concatenate([s[k] for s in summaries])) for k in range(3))
    return recency, frequency, monetary


def apply_segments(
    values: pd.DataFrame,
    policy: SegmentPolicy,
    score_model: Mapping[str, Any],
    rfm_model: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
) -> pd.DataFrame:
    """The segment columns of customers (the value and stage of :func:`customer_steps`'
    ``segment_inputs``) under the whole book's models, but for the ranks and ABC classes,
    which need the whole book's order (the engine adds them)."""
    scorer = policy.scorer()
    scorer.model_ = dict(score_model)
    frame = values.drop(columns=[c for c in INTERNAL if c in values.columns])
    tiers = scorer.predict(frame)
    out = frame.copy()
    out["score"] = tiers["score"].to_numpy()
    out["tier"] = pd.Categorical(tiers["tier"].astype(object), categories=list(policy.tiers), ordered=True)
    out["tier_reason"] = tiers["reason"].astype(object).to_numpy()
    if rfm_model is not None:
        rfm = RFM(bins=policy.rfm_bins)
        rfm.fitted_ = rfm_model
        scores = rfm.predict(frame)
        for column in ("r", "f", "m", "rfm"):
            out[column] = scores[column].to_numpy()
        labels = list(dict.fromkeys([label for label, _ in rfm._rules()] + [rfm.default_segment]))
        out["rfm_segment"] = pd.Categorical(scores["segment"].astype(object), categories=labels)
    for column in INTERNAL:
        if column in values.columns:
            out[column] = values[column].to_numpy()
    return out


def abc_classes(sorted_values: pd.DataFrame, total: float, before: float, policy: SegmentPolicy) -> pd.DataFrame:
    """ABC classes of a run of customers in the whole book's order (highest value first,
    ties by customer order), ``before`` being the share held by those ahead of the run."""
    a, b = policy.abc_cuts or (0.80, 0.95)
    v = sorted_values["monetary"].to_numpy(dtype=np.float64)
    share = np.where((v > 0) & (total > 0), v / total if total > 0 else 0.0, 0.0)
    cumulative = before + np.cumsum(share)
    ahead = cumulative - share
    code = np.where(share <= 0, 2, np.where(ahead < a, 0, np.where(ahead < b, 1, 2)))
    return pd.DataFrame(
        {
            "abc": pd.Categorical.from_codes(code, categories=["A", "B", "C"], ordered=True),
            "share": share,
            "cumulative": cumulative,
        },
        index=sorted_values.index,
    )


# The assignment, region by region.


def assignment_inputs(
    customers: pd.DataFrame, segments: pd.DataFrame, stage_with_manager: pd.Series, config: Any
) -> pd.DataFrame:
    """A partition's customers as the assignment takes them (see
    :func:`cartera.job.assignment_customers`), with ``region`` always there (missing: one
    region for all)."""
    from .job import assignment_customers

    table = customers.drop(columns=[c for c in INTERNAL if c in customers.columns]).set_index("id")
    frame = assignment_customers(table, segments, stage_with_manager.reindex(segments.index), config)
    if "region" not in frame.columns:
        frame["region"] = None
    frame["region"] = frame["region"].astype(object)
    frame["manager"] = frame["manager"].astype(object) if "manager" in frame.columns else None
    frame["segment"] = pd.Categorical(
        frame["segment"].astype(object), categories=list(config.segments.tiers), ordered=True
    )
    frame["stage"] = pd.Categorical(frame["stage"].astype(object), categories=list(STAGES), ordered=True)
    return frame


def priced_by_clv(segments: pd.DataFrame, future: pd.DataFrame) -> pd.DataFrame:
    """A partition's segments with ``monetary`` replaced by the lifetime value, as
    :func:`cartera.run_job` prices customers under ``job.worth = "clv"`` (who never bought
    has no lifetime value to forecast: 0)."""
    return segments.assign(monetary=future["clv"].reindex(segments.index).fillna(0.0).to_numpy())


def decomposes(config: Any, managers: pd.DataFrame | None, customers_have_regions: bool) -> bool:
    """Whether the assignment splits into independent regions: only managers of a
    customer's region are candidates, and both tables say the region."""
    return bool(
        config.assignment.same_region and customers_have_regions and managers is not None and "region" in managers
    )


def solve_regions(
    inputs: pd.DataFrame, managers: pd.DataFrame | None, config: Any, by_region: bool
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The assignment of the customers of some regions, each region solved alone with its
    managers (or all as one, without ``by_region``): one row per customer (``manager``,
    ``reason``, ``cost``, ``value``, ``current``, ``change``, ``region``), and each
    solve's figures."""
    from .assignment import assign
    from .job import assignment_managers

    table = (managers if managers is not None else pd.DataFrame({"id": []})).set_index("id")
    pool = assignment_managers(table, config)
    # A partition without customers (fewer regions than partitions) still gives its columns.
    groups = inputs.groupby("region", dropna=False, sort=True) if by_region and len(inputs) else [(None, inputs)]
    rows, figures = [], []
    for region, customers in groups:
        own = customers.drop(columns=["region"]) if not by_region or "region" not in pool else customers
        if by_region and "region" in pool:
            same = pool["region"].isna() if pd.isna(region) else pool["region"] == region
            chosen = pool[same.to_numpy()]
        else:
            chosen = pool
        result = assign(
            own,
            chosen,
            policy=config.assignment,
            solver=config.job["solver"],
            time_limit=float(config.job["time_limit"]),
        )
        rows.append(result.assignments.assign(region=customers["region"].to_numpy()))
        if not len(customers):
            continue
        figures.append(
            {
                "region": region,
                "customers": len(customers),
                "managers": len(chosen),
                "objective": result.objective,
                "bound": result.bound,
                "moves": result.moves,
                "status": result.status,
                "seconds": result.seconds,
            }
        )
    out = pd.concat(rows)
    for column in ("manager", "reason", "current", "change", "region"):
        out[column] = out[column].astype(object)
    return out, figures


# The job, step by step, on any engine.

#: The steps of an engine's job, as its ``progress`` names them.
JOB_STEPS = ("segments", "stages", "alerts", "potential", "assignment")


@dataclass(frozen=True)
class Engine:
    """What an engine's job is made of: its per-customer functions, the potential measured
    against the peers of each tier, the segments with ``monetary`` replaced by the
    potential's lifetime value (``job.worth = "clv"``), the assignment by region, the customers a tier makes
    valuable, and ``settle``, which computes frames and keeps them in the cluster (the next
    steps start from them)."""

    segment: Callable[..., Any]
    stages: Callable[..., Any]
    alerts: Callable[..., Any]
    potential_by_tier: Callable[[Any, Any, Any, Any], Any]
    priced_by_clv: Callable[[Any, Any], Any]
    assignment: Callable[..., tuple[Any, pd.DataFrame]]
    valuable: Callable[[Any, list[str]], Any]
    value_of: Callable[[Any], Any]
    settle: Callable[..., tuple[Any, ...]]


def run_job(
    engine: Engine,
    book: Any,
    config: Any,
    timings: dict[str, float] | None,
    progress: Callable[[str], Any] | None,
) -> dict[str, Any]:
    """The job's frames on an engine (the fields of its ``Results``). With ``timings`` each
    step is computed before the next begins, and its seconds recorded; ``progress`` is
    called with each step's name (:data:`JOB_STEPS`) as it finishes."""
    config = job_config(config, book.managers)
    as_of = config.job["as_of"]
    clock = time.perf_counter()

    def done(step: str, *frames: Any) -> tuple[Any, ...]:
        nonlocal clock
        if timings is not None:
            frames = engine.settle(*frames)
            timings[step] = time.perf_counter() - clock
        if progress is not None:
            progress(step)
        clock = time.perf_counter()
        return frames

    # The segments feed the alerts and the assignment: computed once, kept.
    (segments,) = engine.settle(
        engine.segment(book, as_of, policy=config.segments, value_policy=config.value, stage_policy=config.stages)
    )
    done("segments")
    ladder, with_manager = done(
        "stages",
        engine.stages(book, as_of, policy=config.stages),
        engine.stages(book, as_of, policy=config.stages, relationship="current_manager"),
    )
    valuable = engine.valuable(segments, config.segments.valuable_tiers())
    (to_act,) = done(
        "alerts", engine.alerts(book, as_of, policy=config.alerts, value_policy=config.value, valuable=valuable)
    )
    # As cartera.run_job: a book too small or too new for the models runs the rest.
    skipped: dict[str, str] = {}
    try:
        (future,) = done("potential", engine.potential_by_tier(book, as_of, segments, config))
    except _core.InvalidInputError as error:
        future, skipped["potential"] = None, str(error)
        done("potential")
    priced = segments
    if config.job["worth"] == "clv":
        if future is None:
            raise _core.InvalidInputError(f"config.job.worth = 'clv' needs the potential: {skipped['potential']}")
        priced = engine.priced_by_clv(segments, future)
    assignment, regions = engine.assignment(book, priced, with_manager, config)
    (assignment,) = done("assignment", assignment)
    return {
        "value": engine.value_of(segments),
        "stages": ladder,
        "segments": segments,
        "alerts": to_act,
        "potential": future,
        "assignment": assignment,
        "regions": regions,
        "skipped": skipped,
    }
