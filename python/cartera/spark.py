"""cartera on Apache Spark: the book as Spark DataFrames, grouped by customer, and the
per-customer steps run on the executors (``groupBy(...).applyInPandas``), under the same
names as :mod:`cartera`.

>>> import cartera.spark as cs                             # doctest: +SKIP
>>> spark = cs.session("local[2]")                       # or your cluster's session
>>> book = cs.Book(customers, transactions=tx, managers=managers)
>>> cs.value(book).show()                                # doctest: +SKIP

The tables travel together: every row goes, with its table's name, into one frame grouped
by a hash of its customer, so that a group holds some customers with all their events. A
group runs as a small :class:`cartera.Book` on an executor (its size is the book's divided
by ``npartitions``: choose it so that a group fits an executor's memory). The segment's
global fits count the distinct values of each variable on Spark and merge them on the
driver (see ``docs/scale.md``). Results are Spark DataFrames with a ``customer`` column
first; categories come as strings. Installed with ``pip install 'cartera[spark]'``.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any, ClassVar, cast

import numpy as np
import pandas as pd

try:
    from pyspark.sql import DataFrame, SparkSession, Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ModuleNotFoundError as missing:
    raise ModuleNotFoundError(
        f"cartera.spark needs PySpark: pip install 'cartera[spark]' ({missing})", name=missing.name
    ) from None

from . import _cluster_partitions as clusters_
from . import _convert, _core
from . import _partitions as parts_
from . import _potential_partitions as potential_parts
from ._partitions import BUCKET, INTERNAL, ROW
from ._potential_partitions import GROUP, HISTORY
from .alerts import AlertPolicy
from .growth import as_growth_policy
from .job import Config
from .kmeans import KMeans
from .potential import PotentialPolicy, as_potential_policy
from .segmentation import CLUSTER_COLUMNS, SegmentPolicy
from .stages import StagePolicy
from .value import ValuePolicy

__all__ = [
    "Book",
    "Results",
    "alerts",
    "potential",
    "repeat_summary",
    "run_job",
    "segment",
    "session",
    "stages",
    "value",
]

TABLE = "_table"
GIVEN = "given"


@contextmanager
def _conversions() -> Iterator[None]:
    """PySpark's conversions to and from pandas without its warnings about pandas 3 (that it
    is not fully supported; that it passes ``copy=``): the conversions cartera makes are tested."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
        warnings.filterwarnings("ignore", message="The copy keyword is deprecated")
        yield


def session(master: str = "local[2]", **config: str) -> SparkSession:
    """A Spark session for cartera: the executors run this Python (where cartera is
    installed), Arrow carries the partitions, the web UI is off. ``config`` adds Spark
    settings (``{"spark.executor.memory": "4g"}``); on a cluster, build your own session,
    its executors' ``PYSPARK_PYTHON`` a Python that has cartera."""
    # The driver launches its Python workers with PYSPARK_PYTHON (the session's settings
    # come too late for that): this Python, unless the user chose another.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName("cartera")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    for key, setting in config.items():
        builder = builder.config(key, setting)
    return builder.getOrCreate()


def _to_pandas(frame: DataFrame) -> pd.DataFrame:
    return cast(pd.DataFrame, frame.toPandas())


def _as_spark(frame: Any, table: str, spark: SparkSession) -> DataFrame:
    if isinstance(frame, DataFrame):
        return frame
    if isinstance(frame, pd.DataFrame):
        with _conversions():
            return spark.createDataFrame(frame)
    raise _core.TypeMismatchError(
        _convert.located(table, "frame", None, type(frame).__name__, "expected a Spark or pandas DataFrame")
    )


def _packed_name(table: str, column: str) -> str:
    return f"{table}__{column}"


_INTEGRAL = (T.ByteType, T.ShortType, T.IntegerType, T.LongType)


def _unpacked(
    group: pd.DataFrame, columns: Mapping[str, list[str]], integral: Mapping[str, list[str]]
) -> dict[str, Any]:
    """One group's rows back as the tables they came from, with their own columns (whole
    numbers as integers again: other tables' empty cells made them floats on the way)."""
    parts: dict[str, Any] = {}
    for table, names in columns.items():
        rows = group[group[TABLE] == table]
        part = pd.DataFrame({name: rows[_packed_name(table, name)].to_numpy() for name in names})
        for name in integral[table]:
            if part[name].notna().all():
                part[name] = part[name].astype(np.int64)
        part[BUCKET] = rows[BUCKET].to_numpy(dtype=np.int64)
        part[ROW] = rows[ROW].to_numpy(dtype=np.int64)
        parts[table] = part
    return parts


def _spark_type(dtype: Any) -> T.DataType:
    if pd.api.types.is_bool_dtype(dtype):
        return T.BooleanType()
    if pd.api.types.is_integer_dtype(dtype):
        return T.LongType()
    if pd.api.types.is_float_dtype(dtype):
        return T.DoubleType()
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return T.TimestampNTZType()
    return T.StringType()


def _for_spark(frame: pd.DataFrame) -> pd.DataFrame:
    """A pandas result with its index as the ``customer`` column and categories as text."""
    if "customer" in frame.columns:  # rows of their own (alerts), not one per customer
        out = frame.reset_index(drop=True)
    else:
        out = frame.reset_index(names="customer") if frame.index.name != "customer" else frame.reset_index()
    for column in out.columns:
        dtype = out[column].dtype
        if isinstance(dtype, pd.CategoricalDtype) or not (
            pd.api.types.is_bool_dtype(dtype)
            or pd.api.types.is_numeric_dtype(dtype)
            or pd.api.types.is_datetime64_any_dtype(dtype)
        ):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
            out[column] = out[column].map(lambda v: v if v is None else str(v)).astype(object)
    return out


def _schema(frame: pd.DataFrame) -> T.StructType:
    return T.StructType([T.StructField(str(c), _spark_type(frame[c].dtype), True) for c in frame.columns])


class Book:
    """The customer book on Spark: the tables of :class:`cartera.Book`, as Spark (or
    pandas) DataFrames with the same columns, ids in columns (``id`` for customers,
    ``customer`` for events, ``referrer`` for referrals).

    Parameters
    ----------
    customers : DataFrame
        Needed: on an engine the customers are not found from the events.
    managers : DataFrame, optional
        Small: it goes whole to every group.
    transactions, interactions, complaints, referrals, campaigns, profile, people : DataFrame, optional
    npartitions : int, optional
        How many groups of customers; by default one per core, or per 50 000 customers
        when there are more.
    spark : SparkSession, optional
        By default the active session.
    """

    @_conversions()
    def __init__(
        self,
        customers: DataFrame | pd.DataFrame,
        *,
        managers: DataFrame | pd.DataFrame | None = None,
        transactions: DataFrame | pd.DataFrame | None = None,
        interactions: DataFrame | pd.DataFrame | None = None,
        complaints: DataFrame | pd.DataFrame | None = None,
        referrals: DataFrame | pd.DataFrame | None = None,
        campaigns: DataFrame | pd.DataFrame | None = None,
        profile: DataFrame | pd.DataFrame | None = None,
        people: DataFrame | pd.DataFrame | None = None,
        npartitions: int | None = None,
        spark: SparkSession | None = None,
    ) -> None:
        if customers is None:
            raise _convert.invalid("customers", "frame", None, None, "an engine's book needs its customers table")
        spark = spark or SparkSession.getActiveSession()
        if spark is None:
            raise _core.InvalidInputError("spark: no active Spark session; start one (cartera.spark.session())")
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
        tables = {t: _as_spark(f, t, spark) for t, f in given.items() if f is not None}
        for table, frame in tables.items():
            parts_.check_table(table, frame.columns)
        # By default a group per core, or per 50 000 customers when there are more.
        count = npartitions or max(spark.sparkContext.defaultParallelism, -(-tables["customers"].count() // 50_000))
        self._spark = spark
        self._npartitions = count
        self._columns = {t: list(f.columns) for t, f in tables.items()}
        self._integral = {
            t: [x.name for x in f.schema.fields if isinstance(x.dataType, _INTEGRAL)] for t, f in tables.items()
        }
        self._meta = {t: _to_pandas(f.limit(0)) for t, f in tables.items()}
        packed = None
        for table, frame in tables.items():
            key = parts_.CUSTOMER_KEY[table]
            rows = frame.select(
                F.lit(table).alias(TABLE),
                F.pmod(F.xxhash64(F.col(key)), F.lit(count)).alias(BUCKET),
                F.monotonically_increasing_id().alias(ROW),
                *[F.col(c).alias(_packed_name(table, c)) for c in frame.columns],
            )
            packed = rows if packed is None else packed.unionByName(rows, allowMissingColumns=True)
        assert packed is not None
        self._packed = packed.repartition(count, BUCKET)
        self._customers = tables["customers"]  # as given, for the assignment's region and manager
        self._managers = _to_pandas(managers) if isinstance(managers, DataFrame) else managers
        self._last_day: float | None = None

    @property
    def npartitions(self) -> int:
        return self._npartitions

    @property
    def managers(self) -> pd.DataFrame | None:
        """The managers table (whole, as every group gets it)."""
        return self._managers

    def cache(self) -> Book:
        """Keeps the grouped tables in the executors' memory (every step then starts there)."""
        self._packed = self._packed.cache()
        return self

    @property
    def last_day(self) -> pd.Timestamp | None:
        """The last day of any event, as :attr:`cartera.Book.last_day`."""
        if self._last_day is None:
            meta = pd.DataFrame({"day": pd.Series([], dtype=np.float64)})
            days = self._apply(_last_day_of, meta)
            found = days.agg(F.max("day")).collect()[0][0]
            self._last_day = math.nan if found is None or math.isnan(found) else float(found)
        return None if math.isnan(self._last_day) else pd.Timestamp(_convert.dates(np.array([self._last_day]))[0])

    def _as_of(self, as_of: Any) -> int:
        if as_of is not None:
            return _convert.day_number(as_of, "as_of")
        day = self.last_day
        if day is None:
            raise _core.InvalidInputError("as_of: the book has no events; give the date explicitly")
        return _convert.day_number(day, "as_of")

    def _apply(self, kernel: Any, meta: pd.DataFrame, *args: Any, given: DataFrame | None = None) -> DataFrame:
        """``kernel(parts, managers, number, *args)`` on every group, as a Spark DataFrame.
        ``given`` (a per-customer result of this book, with the engine's columns) joins each
        group as the part ``"given"``, indexed by customer."""
        columns, integral, managers = dict(self._columns), dict(self._integral), self._managers
        packed = self._packed
        if given is not None:
            own = [c for c in given.columns if c not in INTERNAL]
            columns[GIVEN] = own
            integral[GIVEN] = [
                f.name for f in given.schema.fields if isinstance(f.dataType, _INTEGRAL) and f.name in own
            ]
            rows = given.select(
                F.lit(GIVEN).alias(TABLE),
                F.col(BUCKET),
                F.col(ROW),
                *[F.col(c).alias(_packed_name(GIVEN, c)) for c in own],
            )
            packed = packed.unionByName(rows, allowMissingColumns=True)

        def run(group: pd.DataFrame) -> pd.DataFrame:
            number = int(group[BUCKET].iloc[0]) if len(group) else 0
            parts = _unpacked(group, columns, integral)
            if GIVEN in parts:
                parts[GIVEN] = parts[GIVEN].drop(columns=list(INTERNAL)).set_index("customer")
            return kernel(parts, managers, number, *args)

        with _conversions():
            return packed.groupBy(BUCKET).applyInPandas(run, schema=_schema(meta))

    def _step(
        self, step: str, as_of: Any, options: Mapping[str, Any], given: tuple[DataFrame, pd.DataFrame] | None = None
    ) -> tuple[DataFrame, pd.DataFrame]:
        """A per-customer step on every group, with the engine's columns kept, and its
        columns as pandas gives them; ``given`` is a per-customer result and its columns."""
        day = self._as_of(as_of)
        meta_parts: dict[str, Any] = {
            t: m.assign(**{BUCKET: np.zeros(0, np.int64), ROW: np.zeros(0, np.int64)}) for t, m in self._meta.items()
        }
        meta_given = None if given is None else given[1].drop(columns=list(INTERNAL)).set_index("customer")
        meta = _for_spark(parts_.customer_steps(meta_parts, self._managers, 0, step, day, options, meta_given))
        frame = self._apply(_customer_step, meta, step, day, dict(options), given=None if given is None else given[0])
        return frame, meta

    def __repr__(self) -> str:
        return f"cartera.spark.Book(partitions={self._npartitions}, tables: {', '.join(self._columns)})"


def _last_day_of(parts: Mapping[str, Any], managers: Any, number: int) -> pd.DataFrame:
    return pd.DataFrame({"day": [parts_.last_day(parts)]})


def _customer_step(
    parts: dict[str, Any], managers: Any, number: int, step: str, day: int, options: Mapping[str, Any]
) -> pd.DataFrame:
    given = parts.pop(GIVEN, None)
    return _for_spark(parts_.customer_steps(parts, managers, number, step, day, options, given))


def _public(frame: DataFrame) -> DataFrame:
    return frame.drop(*INTERNAL)


def value(book: Book, as_of: Any = None, *, policy: ValuePolicy | None = None) -> DataFrame:
    """:func:`cartera.value` on every group: one row per customer."""
    return _public(book._step("value", as_of, {"policy": policy})[0])


def repeat_summary(book: Book, as_of: Any = None, *, unit: str | float = "D") -> DataFrame:
    """:func:`cartera.repeat_summary` on every group: one row per customer."""
    return _public(book._step("repeat_summary", as_of, {"unit": unit})[0])


def stages(
    book: Book, as_of: Any = None, *, policy: StagePolicy | None = None, relationship: str = "customer"
) -> DataFrame:
    """:func:`cartera.stages` on every group: one row per customer."""
    return _public(book._step("stages", as_of, {"policy": policy, "relationship": relationship})[0])


def _value_counts(frame: DataFrame, column: str, keep: str) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a column with their counts, counted on Spark: all but NaN
    (``keep="known"``) or the finite ones (``"finite"``), ascending."""
    values = F.col(column)
    wanted = ~F.isnan(values) & values.isNotNull()
    if keep == "finite":
        wanted = wanted & (F.abs(values) != F.lit(math.inf))
    counted = _to_pandas(frame.where(wanted).groupBy(column).count()).sort_values(column)
    return counted[column].to_numpy(dtype=np.float64), counted["count"].to_numpy(dtype=np.int64)


def _expanded(counts: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    return np.repeat(counts[0], counts[1])


def _score_model(values: DataFrame, policy: SegmentPolicy) -> dict[str, Any]:
    """The score model of the whole book, from each variable's distinct values: the
    single-machine model exactly, without its thresholds."""
    variables, *_ = policy.scorer()._policy()
    summaries = []
    for variable in variables:
        column = variable["column"]
        if variable["scale"] == "min_max":
            finite = F.when(F.abs(F.col(column)) != F.lit(math.inf), F.col(column))
            low, high, count = values.agg(F.min(finite), F.max(finite), F.count(finite)).collect()[0]
            summaries.append(
                {"count": int(count), "low": low if count else math.inf, "high": high if count else -math.inf}
            )
        else:
            keep = "known" if variable["scale"] == "percentile" else "finite"
            summaries.append({"sorted": _expanded(_value_counts(values, column, keep))})
    return parts_.merge_score_summaries([{"variables": summaries}], policy)


@_conversions()
def segment(
    book: Book,
    as_of: Any = None,
    *,
    policy: SegmentPolicy | Mapping[str, Any] | None = None,
    value_policy: ValuePolicy | None = None,
    stage_policy: StagePolicy | None = None,
    clusters: KMeans | None = None,
    cluster_columns: Sequence[str] = CLUSTER_COLUMNS,
) -> DataFrame:
    """:func:`cartera.segment` of the whole book: tiers, ABC classes, RFM scores and (with
    ``clusters``) needs-based clusters.

    The score's percentiles, the tier cuts and the RFM bins are fitted on the whole book
    from each variable's distinct values (counted on Spark), so that every label is the
    single-machine one; the ranks and ABC classes follow the whole book's order: the
    customers ahead of a value, plus the customers tied at it before in the customers' order.
    ``clusters``, a ``KMeans(init="k-means||")``, is fitted in place on the whole book from
    the partitions' sums, as on one machine (a fitted one is applied as it is)."""
    policy = parts_.segment_policy(policy)
    spark = book._spark
    inputs, meta = book._step("segment_inputs", as_of, {"value_policy": value_policy, "stage_policy": stage_policy})
    values = inputs.cache()
    model = _score_model(values, policy)
    model["thresholds"] = [math.inf] * len(policy.cuts)
    recency, frequency, monetary = (
        _expanded(_value_counts(values, c, "known")) for c in ("recency", "frequency", "monetary")
    )
    rfm_model = (recency, frequency, monetary)
    shared = spark.sparkContext.broadcast((model, rfm_model))

    def frames(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            yield batch.set_index("customer")

    scored_meta = pd.DataFrame({"customer": pd.Series([], dtype=object), "score": np.zeros(0)})

    def score(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        fitted, _ = shared.value
        for frame in frames(batches):
            yield pd.DataFrame({"customer": frame.index.astype(object), "score": parts_.scores(frame, policy, fitted)})

    counted = _to_pandas(values.mapInPandas(score, schema=_schema(scored_meta)).groupBy("score").count())
    model["thresholds"] = parts_.score_thresholds(
        [(counted["score"].to_numpy(dtype=np.float64), counted["count"].to_numpy(dtype=np.int64))], policy
    )
    shared = spark.sparkContext.broadcast((model, rfm_model))
    labelled_meta = _for_spark(parts_.apply_segments(meta.set_index("customer"), policy, model, rfm_model))

    def label(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        fitted, rfm = shared.value
        for frame in frames(batches):
            yield _for_spark(parts_.apply_segments(frame, policy, fitted, rfm))

    labelled = values.mapInPandas(label, schema=_schema(labelled_meta))
    ranked = _ranked(spark, labelled, policy)
    present = [*labelled_meta.columns, "rank"] + (["abc", "abc_rank"] if policy.abc_cuts is not None else [])
    out = ranked.select("customer", *[c for c in parts_.segment_columns(present) if c != "customer"])
    return out if clusters is None else _with_clusters(out.cache(), clusters, cluster_columns)


def _with_clusters(frame: DataFrame, clusters: KMeans, columns: Sequence[str]) -> DataFrame:
    fill = clusters_.fit(_partitions_of(frame), clusters, columns)
    shared = frame.sparkSession.sparkContext.broadcast((fill, clusters))

    def clustered(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        fill, fitted = shared.value
        for batch in batches:
            yield clusters_.with_clusters(batch, columns, fill, fitted)

    schema = T.StructType([*frame.schema.fields, T.StructField("cluster", T.IntegerType())])
    return frame.mapInPandas(clustered, schema=schema)


def _partitions_of(frame: DataFrame) -> clusters_.Partitions:
    """Runs a function on every batch of a frame's partitions, on the executors (a batch
    is a part of the book like any other: the summaries merge)."""

    def run(work: Callable[[pd.DataFrame], Any]) -> list[Any]:
        def each(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            for batch in batches:
                yield pd.DataFrame({"result": [pickle.dumps(work(batch.set_index("customer")))]})

        return [pickle.loads(row[0]) for row in frame.mapInPandas(each, schema="result binary").collect()]

    return run


def _ahead(
    spark: SparkSession, frame: DataFrame, column: str, highest_first: bool = True
) -> tuple[DataFrame, pd.DataFrame]:
    """Per distinct value of ``column`` (highest first, or lowest), how many customers are
    ahead of it, and the frame's rows numbered within their tie by the customers' order."""
    counted = _to_pandas(frame.groupBy(column).agg(F.count(F.lit(1)).alias("_tied")))
    counted = counted.sort_values(column, ascending=not highest_first, kind="stable").reset_index(drop=True)
    counted["_ahead"] = np.concatenate([[0], np.cumsum(counted["_tied"].to_numpy(dtype=np.int64))[:-1]])
    within = F.row_number().over(Window.partitionBy(column).orderBy(ROW))
    return frame.withColumn("_within", within), counted


def _ranked(spark: SparkSession, labelled: DataFrame, policy: SegmentPolicy) -> DataFrame:
    """The score's rank (1 = highest, ties by the customers' order) and, with ABC cuts, the
    ABC class, rank, share and cumulative share."""
    numbered, ahead = _ahead(spark, labelled, "score")
    table = spark.createDataFrame(ahead[["score", "_ahead"]])
    out = (
        numbered.join(F.broadcast(table), on="score")
        .withColumn("rank", (F.col("_ahead") + F.col("_within")).cast("long"))
        .drop("_ahead", "_within")
    )
    if policy.abc_cuts is None:
        return out
    a, b = policy.abc_cuts
    numbered, ahead = _ahead(spark, out, "monetary")
    v = ahead["monetary"].to_numpy(dtype=np.float64)
    total = float(np.sum(np.where(v > 0, v, 0.0) * ahead["_tied"].to_numpy()))
    share = np.where((v > 0) & (total > 0), v / total if total > 0 else 0.0, 0.0)
    ahead["_share"] = share
    ahead["_before"] = np.concatenate([[0.0], np.cumsum(share * ahead["_tied"].to_numpy())[:-1]])
    table = spark.createDataFrame(ahead[["monetary", "_ahead", "_share", "_before"]])
    before = F.col("_before") + (F.col("_within") - 1) * F.col("_share")
    code = F.when(F.col("_share") <= 0, "C").when(before < a, "A").when(before < b, "B").otherwise("C")
    return (
        numbered.join(F.broadcast(table), on="monetary")
        .withColumn("abc", code)
        .withColumn("abc_rank", (F.col("_ahead") + F.col("_within")).cast("long"))
        .drop("_ahead", "_within", "_share", "_before")
    )


@_conversions()
def alerts(
    book: Book,
    as_of: Any = None,
    *,
    policy: AlertPolicy | None = None,
    value_policy: ValuePolicy | None = None,
    valuable: DataFrame | None = None,
) -> DataFrame:
    """:func:`cartera.alerts` of the whole book: one row per customer and alert, most
    urgent first (``customer``, ``alert``, ``priority``, ``urgent``, ``reason``).

    In three passes over the groups: the customers' value and purchase rates (the book's
    rate prior is their sum; the value percentile and the top and bottom shares come from
    each value's place in the whole book), the rate tests' p-values (Benjamini–Hochberg's
    cutoff of each test is found on the whole book), and the alerts. ``valuable`` is a
    frame of ``customer`` and a boolean ``valuable`` (``cs.segment(book).select("customer",
    (F.col("tier") == "Premium").alias("valuable"))``); by default the top
    ``policy.valuable_share`` by lifetime spend."""
    policy = policy or AlertPolicy()
    spark = book._spark
    day = book._as_of(as_of)
    options: dict[str, Any] = {"value_policy": value_policy, "policy": policy}
    inputs, meta = book._step("alert_inputs", day, options)
    inputs = inputs.cache()
    sums = inputs.agg(*[F.sum(f"rate_{t}") for t in ("counted", "rate", "square", "noise")]).collect()[0]
    options["rate_prior"] = _core.alert_rate_prior(*(float(s or 0.0) for s in sums))
    count = inputs.count()
    columns = [("lifetime_monetary", True), ("monetary", True)]
    if policy.below_zero_by_share:
        columns.append(("contribution", False))
    ranked = inputs
    for column, highest in columns:
        numbered, ahead = _ahead(spark, ranked, column, highest)
        table = spark.createDataFrame(ahead[[column, "_ahead"]])
        ranked = (
            numbered.join(F.broadcast(table), on=column)
            .withColumn(f"{column}_order", (F.col("_ahead") + F.col("_within")).cast("long"))
            .drop("_ahead", "_within")
        )
    if valuable is not None:
        ranked = ranked.join(valuable.select("customer", F.col("valuable").cast("boolean")), on="customer", how="left")
    orders = [f"{column}_order" for column, _ in columns]
    kept = ["customer", BUCKET, ROW]

    def figures(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            frame = batch.set_index("customer")
            given = frame["valuable"] if "valuable" in frame.columns else None
            out = parts_.alert_figures(frame, [frame[[ROW, o]] for o in orders], policy, count, given)
            yield out.assign(**{BUCKET: frame[BUCKET].to_numpy(), ROW: frame[ROW].to_numpy()}).reset_index(
                names="customer"
            )

    sample = meta.set_index("customer").assign(**{o: np.zeros(0, np.int64) for o in orders})
    figures_meta = _for_spark(
        parts_.alert_figures(sample, [sample[[ROW, o]] for o in orders], policy, count, None)
        .assign(**{BUCKET: np.zeros(0, np.int64), ROW: np.zeros(0, np.int64)})
        .rename_axis("customer")
    )
    figured = ranked.select(
        *kept, "monetary", "lifetime_monetary", *orders, *(["valuable"] if valuable is not None else [])
    )
    given = (figured.mapInPandas(figures, schema=_schema(figures_meta)).cache(), figures_meta)
    tests, _ = book._step("alert_tests", day, options, given)
    q = policy.false_discovery_rate
    tested = {}
    for test in parts_.RATE_TESTS:
        p = F.col(f"p_{test}")
        count = tests.agg(F.count(F.when(~F.isnan(p), p))).collect()[0][0]  # NaN: not one of the tests
        tested[test] = (count, _to_pandas(tests.where(p <= q).select(p))[f"p_{test}"].to_numpy())
    options["cutoffs"] = parts_.rate_test_cutoffs(tested, q)
    rows, _ = book._step("alerts", day, options, given)
    return rows.orderBy(F.desc("priority"), F.asc(ROW)).select("customer", "alert", "priority", "urgent", "reason")


def potential(
    book: Book,
    as_of: Any = None,
    *,
    horizon: float | None = None,
    by: DataFrame | None = None,
    spend: DataFrame | None = None,
    policy: PotentialPolicy | Mapping[str, Any] | None = None,
    growth_policy: Any = None,
    value_policy: ValuePolicy | None = None,
) -> DataFrame:
    """:func:`cartera.potential` of the whole book: per customer ``p_alive``,
    ``expected_purchases``, ``expected_spend``, ``clv``, ``growth_potential``,
    ``share_of_wallet``, ``growth_reason`` and ``next_products``.

    BG/NBD and Gamma-Gamma are fitted once, on the whole book's distinct histories and
    spends counted by Spark (their likelihood is the customers' own); the peers' spend is
    each group's order statistic in the book sorted by spend, and the products' holders
    are added up; then every group of customers is forecast. ``by`` is a frame of
    ``customer`` and ``group`` (``cs.segment(book).select("customer",
    F.col("tier").alias("group"))``), ``spend`` one of ``customer`` and ``spend``; by
    default the window's spend, under ``value_policy``."""
    policy = as_potential_policy(policy, horizon)
    growth_policy = as_growth_policy(growth_policy)
    spark = book._spark
    day = book._as_of(as_of)
    inputs, meta = book._step("potential_inputs", day, {"value_policy": value_policy})
    if spend is not None:
        inputs = inputs.drop("spend").join(spend.select("customer", F.col("spend").cast("double")), "customer", "left")
        missing = inputs.where(F.col("spend").isNull()).select("customer").limit(1).collect()
        if missing:
            raise _convert.invalid("growth", "spend", None, missing[0][0], "no spend for this customer")
        inputs = inputs.withColumn("spend", F.greatest(F.col("spend"), F.lit(0.0)))
    names: list[str] = []
    if by is not None:
        by = by.select("customer", F.col("group").cast("string"))
        names = potential_parts.group_names(r[0] for r in by.select("group").distinct().collect())
        codes = spark.createDataFrame(
            [(name, code) for code, name in enumerate(names)], schema="group string, _group long"
        )
        inputs = inputs.join(by, "customer", "left").join(F.broadcast(codes), "group", "left").drop("group")
    groups = len(names)
    inputs = inputs.withColumn(GROUP, F.coalesce(F.col(GROUP), F.lit(groups)) if by is not None else F.lit(groups))
    inputs = inputs.withColumn(GROUP, F.col(GROUP).cast("long")).cache()
    weight = F.count(F.lit(1)).cast("double").alias("weight")
    histories = _to_pandas(inputs.where(F.col("purchased")).groupBy(*HISTORY).agg(weight))
    repeat = inputs.where((F.col("frequency") > 0) & (F.col("monetary_value") > 0))
    spends = _to_pandas(repeat.groupBy("frequency", "monetary_value").agg(weight))
    models = potential_parts.fit(histories, spends, policy)
    given = (inputs, meta.assign(**{GROUP: np.zeros(0, np.int64)}))
    options: dict[str, Any] = {
        "policy": policy,
        "growth_policy": growth_policy,
        "names": names,
        "models": models,
        "peer_spend": _peer_spends(inputs, groups, growth_policy.peer_quantile),
    }
    counts, _ = book._step("product_holders", day, {"groups": groups}, given)
    options["holders"] = potential_parts.holders(_to_pandas(counts.drop("customer")), groups)
    out, _ = book._step("potential", day, options, given)
    return _public(out)


def _peer_spends(inputs: DataFrame, groups: int, quantile: float) -> list[float]:
    """Each group's peer spend, the whole book's last, from the book sorted by spend: how
    many of each group every sorted partition holds places each order statistic."""
    ranked = inputs.select(GROUP, "spend").orderBy("spend").withColumn("_part", F.spark_partition_id()).cache()

    def counted(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            if len(batch):
                yield potential_parts.group_counts(batch, int(batch["_part"].iloc[0]), groups)

    found = ranked.mapInPandas(counted, schema="part long, group long, count long")
    counts = _to_pandas(found).groupby(["part", "group"], as_index=False)["count"].sum()
    plan = potential_parts.peer_plan(counts, groups, quantile)
    wanted = potential_parts.wanted_places(counts, plan)

    def picked(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        parts = [batch for batch in batches if len(batch)]
        if not parts:
            return
        frame = pd.concat(parts, ignore_index=True)  # one sorted partition
        if int(frame["_part"].iloc[0]) in wanted:
            yield potential_parts.pick(frame, wanted[int(frame["_part"].iloc[0])], groups)

    statistics = _to_pandas(ranked.mapInPandas(picked, schema="group long, place long, spend double"))
    ranked.unpersist()
    return potential_parts.peer_spends(statistics, plan, groups)


@dataclass
class Results:
    """The job on Spark: per-customer frames (``value``, ``stages``, ``segments``,
    ``potential``, ``assignment``), the ``alerts`` most urgent first, and ``regions``, the
    figures of each region's assignment solve; ``skipped`` says why a step gave nothing
    (``potential`` is None when the book cannot support its models). :meth:`to_parquet`
    writes them out."""

    value: DataFrame
    stages: DataFrame
    segments: DataFrame
    alerts: DataFrame
    potential: DataFrame | None
    assignment: DataFrame
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
            if frame is not None:
                frame.write.mode("overwrite").parquet(str(folder / name))
                written[name] = folder / name
        self.regions.to_csv(folder / "regions.csv", index=False)
        written["regions"] = folder / "regions.csv"
        return written


@_conversions()
def run_job(
    book: Book,
    config: Config | None = None,
    *,
    timings: dict[str, float] | None = None,
    progress: Callable[[str], Any] | None = None,
) -> Results:
    """The job's per-customer steps on the executors, the whole book's fits merged from the
    groups, and the assignment solved region by region (``groupBy("region")``): value,
    stages (with the company and with the current manager), segments, alerts and
    assignment, as :func:`cartera.run_job` computes them (docs/scale.md says what differs:
    the assignment's soft bands and move budget hold per region).

    ``timings`` (when given) receives seconds per step, each step computed and cached
    before the next begins; ``progress`` is called with each step's name as it finishes."""
    return Results(**parts_.run_job(_ENGINE, book, config, timings, progress))


def _settled(*frames: DataFrame) -> tuple[DataFrame, ...]:
    """The frames computed and cached on the executors."""
    cached = tuple(frame.cache() for frame in frames)
    for frame in cached:
        frame.count()
    return cached


def _value_of(segments: DataFrame) -> DataFrame:
    # The segments begin with the value's columns, then the stage.
    columns = segments.columns
    return segments.select(*columns[: columns.index("stage")])


def _assignment(
    book: Book, segments: DataFrame, with_manager: DataFrame, config: Config
) -> tuple[DataFrame, pd.DataFrame]:
    customers = book._customers
    joined = (
        segments.select("customer", "monetary", "tier", "stage")
        .join(with_manager.select("customer", F.col("stage").alias("_with_manager")), on="customer")
        .join(customers.withColumnRenamed("id", "customer"), on="customer")
    )
    has_regions = "region" in customers.columns
    by_region = parts_.decomposes(config, book.managers, has_regions)
    key = F.col("region") if by_region else F.lit(0)
    managers = book.managers
    sample = _to_pandas(joined.limit(0))
    meta_inputs = _inputs_of(sample, config)
    rows_meta = parts_.solve_regions(meta_inputs, managers, config, False)[0].rename_axis("customer").reset_index()
    rows_meta["_figures"] = pd.Series([], dtype=object)

    def solve(group: pd.DataFrame) -> pd.DataFrame:
        rows, figures = parts_.solve_regions(_inputs_of(group, config), managers, config, by_region)
        out = rows.rename_axis("customer").reset_index()
        out["_figures"] = None
        out.loc[0, "_figures"] = json.dumps(figures, default=str)
        return _for_spark(out.set_index("customer"))

    solved = (
        joined.groupBy(key.alias("_solve"))
        .applyInPandas(solve, schema=_schema(_for_spark(rows_meta.set_index("customer"))))
        .cache()
    )
    figures = [
        f
        for (text,) in solved.where(F.col("_figures").isNotNull()).select("_figures").collect()
        for f in json.loads(text)
    ]
    return solved.drop("_figures"), pd.DataFrame(figures)


def _inputs_of(frame: pd.DataFrame, config: Config) -> pd.DataFrame:
    """A group of joined rows (customer, segment columns, stage with the manager, the
    customers table's columns) as the assignment takes them."""
    table = frame.drop(columns=[c for c in ("monetary", "tier", "stage", "_with_manager") if c in frame.columns])
    segments = frame.set_index("customer")[["monetary", "tier", "stage"]]
    segments["tier"] = pd.Categorical(segments["tier"], categories=list(config.segments.tiers), ordered=True)
    return parts_.assignment_inputs(
        table.rename(columns={"customer": "id"}), segments, frame.set_index("customer")["_with_manager"], config
    )


_ENGINE = parts_.Engine(
    segment=segment,
    stages=stages,
    alerts=alerts,
    potential_by_tier=lambda book, as_of, segments, config: potential(
        book,
        as_of,
        by=segments.select("customer", F.col("tier").alias("group")),
        spend=segments.select("customer", F.col("monetary").alias("spend")),
        policy=config.potential,
        growth_policy=config.growth,
    ),
    priced_by_clv=lambda segments, future: segments.drop("monetary").join(
        future.select("customer", F.nanvl(F.coalesce(F.col("clv"), F.lit(0.0)), F.lit(0.0)).alias("monetary")),
        on="customer",
    ),
    assignment=_assignment,
    valuable=lambda segments, tiers: segments.select("customer", F.col("tier").isin(tiers).alias("valuable")),
    value_of=_value_of,
    settle=_settled,
)
