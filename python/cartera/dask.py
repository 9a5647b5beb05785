"""cartera on Dask: the book as Dask DataFrames, partitioned by customer, and the
per-customer steps run where the data is, under the same names as :mod:`cartera`.

>>> import cartera.dask as cd                       # doctest: +SKIP
>>> book = cd.Book(customers, transactions=tx, interactions=ix, managers=managers)
>>> cd.value(book).compute()                       # doctest: +SKIP

Every table of the book is shuffled once by a hash of its customer, so that each partition
holds some customers with all their events (``partitioned=True`` says the tables already
are, partition ``k`` of every table holding the same customers: each event out of its
customer's partition is then an error). The steps give, customer by customer, what the
single-machine functions give on the same book; the segment's global fits are merged from
each partition's summary (see ``docs/scale.md``). Installed with ``pip install 'cartera[dask]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any, ClassVar

try:
    import dask
    import dask.dataframe as dd
except ModuleNotFoundError as missing:
    raise ModuleNotFoundError(
        f"cartera.dask needs Dask: pip install 'cartera[dask]' ({missing})", name=missing.name
    ) from None
import numpy as np
import pandas as pd

from . import _cluster_partitions as clusters_
from . import _convert, _core
from . import _partitions as parts_
from . import _potential_partitions as potential_parts
from ._partitions import BUCKET, INTERNAL, ROW
from ._potential_partitions import GROUP
from .alerts import AlertPolicy
from .growth import as_growth_policy
from .job import Config
from .kmeans import KMeans
from .potential import PotentialPolicy, as_potential_policy
from .segmentation import CLUSTER_COLUMNS, SegmentPolicy
from .stages import StagePolicy
from .value import ValuePolicy

__all__ = ["Book", "Results", "alerts", "potential", "repeat_summary", "run_job", "segment", "stages", "value"]


def _as_dask(frame: Any, table: str, npartitions: int | None) -> dd.DataFrame:
    if isinstance(frame, dd.DataFrame):
        return frame
    if isinstance(frame, pd.DataFrame):
        return dd.from_pandas(frame, npartitions=npartitions or 1, sort=False)
    raise _core.TypeMismatchError(
        _convert.located(table, "frame", None, type(frame).__name__, "expected a Dask or pandas DataFrame")
    )


def _shared(value: Any) -> Any:
    """``value`` for many tasks: sent to every worker once when a distributed client runs
    them (a model of the whole book is as large as its customers), else in the graph."""
    try:
        from distributed import get_client

        client = get_client()
    except (ModuleNotFoundError, ValueError):  # ValueError: no client
        return dask.delayed(value, pure=True)
    # In a list: scatter would send a dict's values one by one, under its keys as names.
    (future,) = client.scatter([value], broadcast=True, hash=False)
    return dask.delayed(future)


def _numbered(frame: dd.DataFrame) -> dd.DataFrame:
    """The frame with ``_row``, each row's place in the table (one pass to count rows)."""
    lengths = frame.map_partitions(len).compute()
    offsets = np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64))[:-1]])

    def number(part: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
        start = int(offsets[partition_info["number"]]) if partition_info else 0
        return part.assign(**{ROW: np.arange(start, start + len(part), dtype=np.int64)})

    meta = frame._meta.assign(**{ROW: np.zeros(0, dtype=np.int64)})
    return frame.map_partitions(number, meta=meta)


class Book:
    """The customer book on Dask: the tables of :class:`cartera.Book`, as Dask (or pandas)
    DataFrames with the same columns, ids in columns (``id`` for customers, ``customer``
    for events, ``referrer`` for referrals).

    Parameters
    ----------
    customers : DataFrame
        Needed: on an engine the customers are not found from the events.
    managers : DataFrame, optional
        Small: it goes whole to every partition.
    transactions, interactions, complaints, referrals, campaigns, profile, people : DataFrame, optional
    npartitions : int, optional
        How many partitions of customers; by default the customers frame's.
    partitioned : bool
        The tables are already partitioned by customer, partition ``k`` of each holding
        the events of the customers in partition ``k`` of ``customers``: no shuffle.
    """

    def __init__(
        self,
        customers: dd.DataFrame | pd.DataFrame,
        *,
        managers: dd.DataFrame | pd.DataFrame | None = None,
        transactions: dd.DataFrame | pd.DataFrame | None = None,
        interactions: dd.DataFrame | pd.DataFrame | None = None,
        complaints: dd.DataFrame | pd.DataFrame | None = None,
        referrals: dd.DataFrame | pd.DataFrame | None = None,
        campaigns: dd.DataFrame | pd.DataFrame | None = None,
        profile: dd.DataFrame | pd.DataFrame | None = None,
        people: dd.DataFrame | pd.DataFrame | None = None,
        npartitions: int | None = None,
        partitioned: bool = False,
    ) -> None:
        given = {
            "customers": customers,
            "transactions": transactions,
            "interactions": interactions,
            "complaints": complaints,
            "referrals": referrals,
            "campaigns": campaigns,
            "profile": profile,
            "people": people,
        }
        if customers is None:
            raise _convert.invalid("customers", "frame", None, None, "an engine's book needs its customers table")
        tables = {t: _as_dask(f, t, npartitions) for t, f in given.items() if f is not None}
        for table, frame in tables.items():
            parts_.check_table(table, frame.columns)
        count = npartitions or tables["customers"].npartitions
        if partitioned:
            uneven = [t for t, f in tables.items() if f.npartitions != tables["customers"].npartitions]
            if uneven:
                raise _convert.invalid(
                    uneven[0], "partitions", None, tables[uneven[0]].npartitions, "must match the customers' partitions"
                )
            tables = {t: _numbered(f).map_partitions(_own_bucket) for t, f in tables.items()}
        else:
            tables = {t: _bucketed(_numbered(f), parts_.CUSTOMER_KEY[t], count) for t, f in tables.items()}
        self._tables = tables
        self._managers = managers.compute() if isinstance(managers, dd.DataFrame) else managers
        self._last_day: float | None = None

    @property
    def npartitions(self) -> int:
        return int(self._tables["customers"].npartitions)

    @property
    def managers(self) -> pd.DataFrame | None:
        """The managers table (whole, as every partition gets it)."""
        return self._managers

    def table(self, name: str) -> dd.DataFrame | None:
        """One table as partitioned by customer (without the engine's own columns), or None."""
        frame = self._tables.get(name)
        return None if frame is None else frame.drop(columns=list(INTERNAL))

    def persist(self) -> Book:
        """Keeps the partitioned tables in the cluster's memory (every step then starts there)."""
        self._tables = dict(zip(self._tables, dask.persist(*self._tables.values()), strict=True))
        return self

    @property
    def last_day(self) -> pd.Timestamp | None:
        """The last day of any event, as :attr:`cartera.Book.last_day`."""
        if self._last_day is None:
            days = self._map(_partition_last_day, meta=pd.DataFrame({"day": pd.Series([], dtype=np.float64)}))
            self._last_day = float(days["day"].max().compute())
        return None if np.isnan(self._last_day) else pd.Timestamp(_convert.dates(np.array([self._last_day]))[0])

    def _as_of(self, as_of: Any) -> int:
        if as_of is not None:
            return _convert.day_number(as_of, "as_of")
        day = self.last_day
        if day is None:
            raise _core.InvalidInputError("as_of: the book has no events; give the date explicitly")
        return _convert.day_number(day, "as_of")

    def _map(self, kernel: Any, *args: Any, meta: pd.DataFrame) -> dd.DataFrame:
        """``kernel(parts, managers, number, *args)`` on every partition of every table at once."""
        names = list(self._tables)

        def run(*frames: Any, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
            number = partition_info["number"] if partition_info else 0
            tables = dict(zip(names, frames[: len(names)], strict=True))
            managers, *rest = frames[len(names) :]
            return kernel(tables, managers, number, *rest)

        managers = None if self._managers is None else _shared(self._managers)
        return dd.map_partitions(run, *self._tables.values(), managers, *args, meta=meta, align_dataframes=False)

    def _meta_parts(self) -> dict[str, pd.DataFrame]:
        return {t: f._meta for t, f in self._tables.items()}

    def _step(
        self, step: str, as_of: Any, options: Mapping[str, Any], given: dd.DataFrame | None = None
    ) -> dd.DataFrame:
        """A per-customer step on every partition, with the engine's columns kept; ``given``,
        per-customer figures of the same partitions, goes with each."""
        day = self._as_of(as_of)
        meta_given = None if given is None else given._meta
        meta = parts_.customer_steps(self._meta_parts(), self._managers, 0, step, day, options, meta_given)
        extra = () if given is None else (given,)
        return self._map(_customer_step, step, day, dict(options), *extra, meta=meta)

    def __repr__(self) -> str:
        tables = ", ".join(self._tables)
        return f"cartera.dask.Book(partitions={self.npartitions}, tables: {tables})"


def _own_bucket(part: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    return part.assign(**{BUCKET: np.int64(partition_info["number"] if partition_info else 0)})


def _to_buckets(frame: dd.DataFrame, count: int) -> dd.DataFrame:
    """The rows of bucket k moved to partition k (of ``count``): a range partitioning by
    bucket, so that every partition gets its own bucket and frames moved apart line up."""
    placed = frame.set_index(BUCKET, divisions=tuple(range(count + 1)))
    return placed.reset_index()[list(frame.columns)]


def _bucketed(frame: dd.DataFrame, key: str, count: int) -> dd.DataFrame:
    """The table shuffled so that each customer's rows share one partition of ``count``."""
    meta = frame._meta.assign(**{BUCKET: np.zeros(0, dtype=np.int64)})
    with_bucket = frame.map_partitions(lambda p: p.assign(**{BUCKET: parts_.buckets(p[key], count)}), meta=meta)
    return _to_buckets(with_bucket, count)


def _partition_last_day(parts: Mapping[str, pd.DataFrame | None], managers: Any, number: int) -> pd.DataFrame:
    return pd.DataFrame({"day": [parts_.last_day(parts)]})


def _customer_step(
    parts: Mapping[str, pd.DataFrame | None],
    managers: Any,
    number: int,
    step: str,
    day: int,
    options: Mapping[str, Any],
    given: pd.DataFrame | None = None,
) -> pd.DataFrame:
    return parts_.customer_steps(parts, managers, number, step, day, options, given)


def _public(frame: dd.DataFrame) -> dd.DataFrame:
    return frame.drop(columns=list(INTERNAL))


def value(book: Book, as_of: Any = None, *, policy: ValuePolicy | None = None) -> dd.DataFrame:
    """:func:`cartera.value` on every partition: one row per customer, indexed by id."""
    return _public(book._step("value", as_of, {"policy": policy}))


def repeat_summary(book: Book, as_of: Any = None, *, unit: str | float = "D") -> dd.DataFrame:
    """:func:`cartera.repeat_summary` on every partition: one row per customer."""
    return _public(book._step("repeat_summary", as_of, {"unit": unit}))


def stages(
    book: Book, as_of: Any = None, *, policy: StagePolicy | None = None, relationship: str = "customer"
) -> dd.DataFrame:
    """:func:`cartera.stages` on every partition: one row per customer."""
    return _public(book._step("stages", as_of, {"policy": policy, "relationship": relationship}))


def segment(
    book: Book,
    as_of: Any = None,
    *,
    policy: SegmentPolicy | Mapping[str, Any] | None = None,
    value_policy: ValuePolicy | None = None,
    stage_policy: StagePolicy | None = None,
    clusters: KMeans | None = None,
    cluster_columns: Sequence[str] = CLUSTER_COLUMNS,
) -> dd.DataFrame:
    """:func:`cartera.segment` of the whole book: tiers, ABC classes, RFM scores and (with
    ``clusters``) needs-based clusters.

    The score's percentiles, the tier cuts and the RFM bins are fitted on the whole book
    from each partition's summary (its sorted values and distinct scores), so that every
    label is the single-machine one; the ranks and ABC classes follow the whole book's
    order, from a sort by value (ties by the customers' order). ``clusters``, a
    ``KMeans(init="k-means||")``, is fitted in place on the whole book from the partitions'
    sums, as on one machine (a fitted one is applied as it is)."""
    policy = parts_.segment_policy(policy)
    (values,) = dask.persist(
        book._step("segment_inputs", as_of, {"value_policy": value_policy, "stage_policy": stage_policy})
    )
    value_parts = values.to_delayed()
    summaries = dask.compute(
        [dask.delayed(parts_.score_summary)(p, policy) for p in value_parts],
        [dask.delayed(parts_.rfm_summary)(p, policy.rfm_bins) for p in value_parts],
    )
    model = parts_.merge_score_summaries(summaries[0], policy)
    model["thresholds"] = [np.inf] * len(policy.cuts)
    rfm_model = parts_.merge_rfm_summaries(summaries[1])
    shared_model = _shared(model)
    counts = dask.compute(
        [dask.delayed(_score_counts)(p, policy, shared_model) for p in value_parts],
    )[0]
    model["thresholds"] = parts_.score_thresholds(counts, policy)
    meta = parts_.apply_segments(values._meta, policy, model, rfm_model)
    labelled = values.map_partitions(
        parts_.apply_segments,
        policy,
        _shared(model),
        _shared(rfm_model),
        meta=meta,
    ).persist()
    ranks = _global_ranks(labelled, policy, book.npartitions)
    meta = labelled._meta.assign(rank=np.zeros(0, np.int64))
    if policy.abc_cuts is not None:
        meta = meta.assign(
            abc=pd.Categorical([], categories=["A", "B", "C"], ordered=True), abc_rank=np.zeros(0, np.int64)
        )
    out = dd.map_partitions(_with_ranks, labelled, ranks, meta=meta[_segment_columns(meta)], align_dataframes=False)
    if clusters is not None:
        (out,) = dask.persist(out)
        fill = clusters_.fit(_partitions_of(out), clusters, cluster_columns)
        meta = clusters_.with_clusters(out._meta, cluster_columns, fill, clusters)
        out = out.map_partitions(clusters_.with_clusters, cluster_columns, fill, clusters, meta=meta)
    return _public(out)


def _partitions_of(frame: dd.DataFrame) -> clusters_.Partitions:
    """Runs a function on every partition of a computed frame, in the cluster."""
    parts = frame.to_delayed()
    return lambda work: list(dask.compute([dask.delayed(work)(p) for p in parts])[0])


def _score_counts(values: pd.DataFrame, policy: SegmentPolicy, model: dict[str, Any]) -> tuple[Any, Any]:
    return parts_.score_counts(parts_.scores(values, policy, model))


def _ordered(frame: dd.DataFrame, column: str, highest_first: bool = True) -> dd.DataFrame:
    """The frame sorted by ``column``, highest first (or lowest), ties by the customers'
    order, with ``_order`` (1 = first) counted over the whole book."""
    keys = frame[[ROW, BUCKET, column]].assign(_key=-frame[column] if highest_first else frame[column])
    ranked = keys.sort_values(["_key", ROW]).persist()
    lengths = ranked.map_partitions(len).compute()
    offsets = np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64))[:-1]])

    def order(part: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
        start = int(offsets[partition_info["number"]]) if partition_info else 0
        return part.assign(_order=np.arange(start + 1, start + len(part) + 1, dtype=np.int64))

    return ranked.map_partitions(order, meta=ranked._meta.assign(_order=np.zeros(0, np.int64)))


def _global_ranks(labelled: dd.DataFrame, policy: SegmentPolicy, count: int) -> dd.DataFrame:
    """Per customer (``_row``, ``_bucket``), the score's rank and the ABC class and rank,
    shuffled back to the book's partitions."""
    by_score = _ordered(labelled, "score")[[ROW, BUCKET, "_order"]].rename(columns={"_order": "rank"})
    if policy.abc_cuts is None:
        return _to_buckets(by_score, count)
    by_value = _ordered(labelled, "monetary").persist()
    monetary = by_value["monetary"]
    total = float(monetary.where(monetary > 0, 0.0).sum().compute())
    sums = by_value.map_partitions(
        lambda p: pd.Series(
            [float(np.where(p["monetary"] > 0, p["monetary"], 0.0).sum() / total) if total > 0 else 0.0]
        )
    ).compute()
    before = np.concatenate([[0.0], np.cumsum(np.asarray(sums, dtype=np.float64))[:-1]])

    def classes(part: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
        ahead = float(before[partition_info["number"]]) if partition_info else 0.0
        abc = parts_.abc_classes(part, total, ahead, policy)
        return pd.DataFrame({ROW: part[ROW], BUCKET: part[BUCKET], "abc": abc["abc"], "abc_rank": part["_order"]})

    meta = pd.DataFrame(
        {
            ROW: np.zeros(0, np.int64),
            BUCKET: np.zeros(0, np.int64),
            "abc": pd.Categorical([], categories=["A", "B", "C"], ordered=True),
            "abc_rank": np.zeros(0, np.int64),
        }
    )
    by_abc = by_value.map_partitions(classes, meta=meta)
    both = by_score.merge(by_abc.drop(columns=[BUCKET]), on=ROW)
    return _to_buckets(both, count)


def _segment_columns(frame: pd.DataFrame) -> list[str]:
    """The columns in :func:`cartera.segment`'s order, the engine's own last."""
    return parts_.segment_columns(frame.columns) + list(INTERNAL)


def _with_ranks(labelled: pd.DataFrame, ranks: pd.DataFrame) -> pd.DataFrame:
    found = ranks.set_index(ROW).reindex(labelled[ROW].to_numpy())
    out = labelled.assign(rank=found["rank"].to_numpy(dtype=np.int64))
    if "abc" in found.columns:
        out = out.assign(
            abc=pd.Categorical(found["abc"], categories=["A", "B", "C"], ordered=True),
            abc_rank=found["abc_rank"].to_numpy(dtype=np.int64),
        )
    return out[_segment_columns(out)]


def alerts(
    book: Book,
    as_of: Any = None,
    *,
    policy: AlertPolicy | None = None,
    value_policy: ValuePolicy | None = None,
    valuable: dd.Series | None = None,
) -> dd.DataFrame:
    """:func:`cartera.alerts` of the whole book: one row per customer and alert, most
    urgent first (``customer``, ``alert``, ``priority``, ``urgent``, ``reason``).

    In three passes over the partitions: the customers' value and purchase rates (the
    book's rate prior is their sum; the value percentile and the top and bottom shares come
    from sorts of the whole book), the rate tests' p-values (Benjamini–Hochberg's cutoff of
    each test is found on the whole book), and the alerts. ``valuable`` (booleans by
    customer) must come from this book's results, as ``cd.segment(book)["tier"] ==
    "Premium"``; by default the top ``policy.valuable_share`` by lifetime spend."""
    policy = policy or AlertPolicy()
    day = book._as_of(as_of)
    options: dict[str, Any] = {"value_policy": value_policy, "policy": policy}
    (inputs,) = dask.persist(book._step("alert_inputs", day, options))
    sums = inputs[[f"rate_{t}" for t in ("counted", "rate", "square", "noise")]].sum().compute()
    options["rate_prior"] = _core.alert_rate_prior(*(float(s) for s in sums))
    (figures,) = dask.persist(_alert_figures(inputs, policy, book.npartitions, valuable))
    tests = book._step("alert_tests", day, options, figures)
    q = policy.false_discovery_rate
    p_values = [tests[f"p_{test}"] for test in parts_.RATE_TESTS]
    found = dask.compute(*[(p.count(), p[p <= q]) for p in p_values])
    options["cutoffs"] = parts_.rate_test_cutoffs(dict(zip(parts_.RATE_TESTS, found, strict=True)), q)
    (rows,) = dask.persist(book._step("alerts", day, options, figures))
    # Sorted where the rows are: a sort's divisions must be measured before its graph is built.
    ordered = rows.assign(_key=-rows["priority"]).sort_values(["_key", ROW]).persist()
    return ordered.drop(columns=["_key", *INTERNAL])


def _alert_figures(
    inputs: dd.DataFrame, policy: AlertPolicy, partitions: int, valuable: dd.Series | None
) -> dd.DataFrame:
    """Per customer, what the alerts read from the whole book: the value percentile, the
    most valuable and bottom shares, and who is valuable."""
    count = int(inputs.shape[0].compute())
    columns = [("lifetime_monetary", True), ("monetary", True)]
    if policy.below_zero_by_share:
        columns.append(("contribution", False))
    ranked = [
        _ordered(inputs, column, highest)[[ROW, BUCKET, "_order"]]
        .rename(columns={"_order": f"{column}_order"})
        .pipe(_to_buckets, partitions)
        for column, highest in columns
    ]
    given = () if valuable is None else (valuable.to_frame("valuable"),)
    if valuable is not None and valuable.npartitions != inputs.npartitions:
        raise _convert.invalid(
            "alerts", "valuable", None, valuable.npartitions, "must come from this book's results (the same partitions)"
        )
    meta = parts_.alert_figures(inputs._meta, [r._meta for r in ranked], policy, count, None)
    return dd.map_partitions(
        _figures, inputs, len(ranked), policy, count, *ranked, *given, meta=meta, align_dataframes=False
    )


def _figures(inputs: pd.DataFrame, ranks: int, policy: AlertPolicy, count: int, *frames: pd.DataFrame) -> pd.DataFrame:
    given = frames[ranks]["valuable"] if len(frames) > ranks else None
    return parts_.alert_figures(inputs, list(frames[:ranks]), policy, count, given)


def potential(
    book: Book,
    as_of: Any = None,
    *,
    horizon: float | None = None,
    by: dd.Series | None = None,
    spend: dd.Series | None = None,
    policy: PotentialPolicy | Mapping[str, Any] | None = None,
    growth_policy: Any = None,
    value_policy: ValuePolicy | None = None,
) -> dd.DataFrame:
    """:func:`cartera.potential` of the whole book: per customer ``p_alive``,
    ``expected_purchases``, ``expected_spend``, ``clv``, ``growth_potential``,
    ``share_of_wallet``, ``growth_reason`` and ``next_products``.

    BG/NBD and Gamma-Gamma are fitted once, on the whole book's distinct histories and
    spends counted across the partitions (their likelihood is the customers' own); the
    peers' spend is each group's order statistic in the book sorted by spend, and the
    products' holders are added up; then every partition forecasts its customers. ``by``
    (groups) and ``spend`` (by customer) must come from this book's results, as
    ``cd.segment(book)["tier"]``; ``spend`` defaults to the window's, under
    ``value_policy``. The models' parameters are in each computed partition's (and the
    computed frame's) ``attrs["models"]``."""
    policy = as_potential_policy(policy, horizon)
    growth_policy = as_growth_policy(growth_policy)
    day = book._as_of(as_of)
    names = _group_names(by)
    base = book._step("potential_inputs", day, {"value_policy": value_policy})
    given = [s for s in (by, spend) if s is not None]
    for series in given:
        if series.npartitions != base.npartitions:
            raise _convert.invalid(
                "potential",
                str(series.name),
                None,
                series.npartitions,
                "must come from this book's results (the same partitions)",
            )
    meta = potential_parts.with_groups(base._meta, names, None, None)
    (inputs,) = dask.persist(
        dd.map_partitions(
            potential_parts.with_groups,
            base,
            names,
            by,
            spend,
            meta=meta,
            align_dataframes=False,
        )
    )
    buyers = inputs[inputs["purchased"]]
    repeat = inputs[(inputs["frequency"] > 0) & (inputs["monetary_value"] > 0)]
    histories, spends = dask.compute(
        buyers.groupby(list(potential_parts.HISTORY)).size().rename("weight").reset_index(),
        repeat.groupby(["frequency", "monetary_value"]).size().rename("weight").reset_index(),
    )
    models = potential_parts.fit(histories, spends, policy)
    groups = len(names)
    options: dict[str, Any] = {
        "policy": policy,
        "growth_policy": growth_policy,
        "names": names,
        "models": models,
        "peer_spend": _peer_spends(inputs, groups, growth_policy.peer_quantile),
    }
    counts = book._step("product_holders", day, {"groups": groups}, inputs).compute()
    options["holders"] = potential_parts.holders(counts, groups)
    return _public(book._step("potential", day, options, inputs))


def _group_names(by: dd.Series | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by.dtype, pd.CategoricalDtype) and by.cat.known:
        return [str(c) for c in by.cat.categories]
    return potential_parts.group_names(by.dropna().unique().compute())


def _peer_spends(inputs: dd.DataFrame, groups: int, quantile: float) -> list[float]:
    """Each group's peer spend, the whole book's last, from the book sorted by spend."""
    ranked = inputs[[GROUP, "spend"]].sort_values("spend").persist()
    parts = ranked.to_delayed()
    counts = pd.concat(
        dask.compute([dask.delayed(potential_parts.group_counts)(p, k, groups) for k, p in enumerate(parts)])[0]
    )
    plan = potential_parts.peer_plan(counts, groups, quantile)
    wanted = potential_parts.wanted_places(counts, plan)
    picked = dask.compute([dask.delayed(potential_parts.pick)(parts[k], w, groups) for k, w in wanted.items()])[0]
    return potential_parts.peer_spends(pd.concat(picked, ignore_index=True), plan, groups)


@dataclass
class Results:
    """The job on Dask: per-customer frames of the same partitions (``value``, ``stages``,
    ``segments``, ``potential``, ``assignment``), the ``alerts`` most urgent first, and
    ``regions``, the figures of each region's assignment solve; ``skipped`` says why a step
    gave nothing (``potential`` is None when the book cannot support its models).
    :meth:`to_parquet` writes them out."""

    value: dd.DataFrame
    stages: dd.DataFrame
    segments: dd.DataFrame
    alerts: dd.DataFrame
    potential: dd.DataFrame | None
    assignment: dd.DataFrame
    regions: pd.DataFrame
    skipped: dict[str, str]

    FRAMES: ClassVar[tuple[str, ...]] = ("value", "stages", "segments", "alerts", "potential", "assignment")

    def to_parquet(self, folder: str | PathLike[str]) -> dict[str, Path]:
        """Each frame as a folder of Parquet files (one per partition), and regions.csv."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = {}
        for name in self.FRAMES:
            frame = getattr(self, name)
            if frame is None:
                continue
            frame = frame if name == "alerts" else frame.reset_index()
            # Text columns are objects in the frames' metadata, which Arrow cannot type.
            text = {c: "string" for c, kind in frame.dtypes.items() if pd.api.types.is_object_dtype(kind)}
            frame.astype(text).to_parquet(folder / name, write_index=False, overwrite=True)
            written[name] = folder / name
        self.regions.to_csv(folder / "regions.csv", index=False)
        written["regions"] = folder / "regions.csv"
        return written


def run_job(
    book: Book,
    config: Config | None = None,
    *,
    timings: dict[str, float] | None = None,
    progress: Callable[[str], Any] | None = None,
) -> Results:
    """The job's per-customer steps where the data is, the whole book's fits merged from
    the partitions, and the assignment solved region by region as parallel tasks: value,
    stages (with the company and with the current manager), segments, alerts and
    assignment, as :func:`cartera.run_job` computes them (docs/scale.md says what differs:
    the assignment's soft bands and move budget hold per region).

    ``timings`` (when given) receives seconds per step, each step computed in the cluster
    before the next begins; ``progress`` is called with each step's name as it finishes."""
    return Results(**parts_.run_job(_ENGINE, book, config, timings, progress))


def _settled(*frames: dd.DataFrame) -> tuple[dd.DataFrame, ...]:
    """The frames computed and kept in the cluster's memory (waited for)."""
    kept = dask.persist(*frames)
    try:
        from distributed import futures_of, wait
    except ModuleNotFoundError:  # without distributed, persist has computed them already
        return tuple(kept)
    wait([future for frame in kept for future in futures_of(frame)])
    return tuple(kept)


def _value_of(segments: dd.DataFrame) -> dd.DataFrame:
    # The segments begin with the value's columns, then the stage.
    columns = list(segments.columns)
    return segments[columns[: columns.index("stage")]]


def _assignment(
    book: Book, segments: dd.DataFrame, with_manager: dd.DataFrame, config: Config
) -> tuple[dd.DataFrame, pd.DataFrame]:
    customers = book.table("customers")
    assert customers is not None
    meta = parts_.assignment_inputs(customers._meta, segments._meta, with_manager._meta["stage"], config)
    inputs = dd.map_partitions(
        parts_.assignment_inputs,
        customers,
        segments,
        with_manager["stage"],
        config,
        meta=meta,
        align_dataframes=False,
    )
    by_region = parts_.decomposes(config, book.managers, "region" in customers.columns)
    if by_region:
        regions = int(inputs["region"].nunique(dropna=False).compute())
        # Each region's customers in one partition, so that a task solves whole regions.
        parts = inputs.shuffle(on="region", npartitions=max(1, min(regions, book.npartitions))).to_delayed()
    else:
        parts = [dask.delayed(pd.concat)(inputs.to_delayed())]
    managers = _shared(book.managers)
    solved = [dask.delayed(parts_.solve_regions, nout=2)(p, managers, config, by_region) for p in parts]
    figures = dask.compute([s[1] for s in solved])[0]
    rows_meta = parts_.solve_regions(meta, book.managers, config, False)[0]
    rows = dd.from_delayed([s[0] for s in solved], meta=rows_meta, verify_meta=False)
    return rows, pd.DataFrame([f for part in figures for f in part])


_ENGINE = parts_.Engine(
    segment=segment,
    stages=stages,
    alerts=alerts,
    potential_by_tier=lambda book, as_of, segments, config: potential(
        book,
        as_of,
        by=segments["tier"],
        spend=segments["monetary"],
        policy=config.potential,
        growth_policy=config.growth,
    ),
    priced_by_clv=lambda segments, future: dd.map_partitions(
        parts_.priced_by_clv, segments, future, meta=segments._meta, align_dataframes=False
    ),
    assignment=_assignment,
    valuable=lambda segments, tiers: segments["tier"].isin(tiers),
    value_of=_value_of,
    settle=_settled,
)
