"""Type stubs of the compiled module cartera._core (use the cartera package instead)."""

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

__version__: str
NO_DAY: int
SYNTHETIC_DEFAULTS: dict[str, Any]

class InvalidInputError(ValueError):
    table: str
    column: str
    row: int | None
    value: str

class UnknownIdError(KeyError, InvalidInputError): ...

class TypeMismatchError(TypeError):
    table: str
    column: str
    row: int | None
    value: str

class Book:
    def __init__(
        self,
        customers: Any,
        managers: Any = None,
        transactions: Any = None,
        interactions: Any = None,
        complaints: Any = None,
        referrals: Any = None,
        campaigns: Any = None,
        profile: Any = None,
        people: Any = None,
    ) -> None: ...
    @property
    def customer_count(self) -> int: ...
    @property
    def manager_count(self) -> int: ...
    @property
    def first_day(self) -> int | None: ...
    @property
    def last_day(self) -> int | None: ...
    @property
    def has_products(self) -> bool: ...
    def customer_ids(self) -> list[str]: ...
    def manager_ids(self) -> list[str]: ...
    def table(self, name: str) -> dict[str, Any]:
        """Columns as read-only arrays; categorical ones as (categories, codes)."""
    def rows(self) -> dict[str, int]: ...

class ValuePolicy:
    fields: ClassVar[tuple[str, ...]]
    window_days: int
    recent_days: int
    usual_periods: int
    margin_rate: float
    channel_costs: dict[str, float]
    other_channel_cost: float
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> ValuePolicy: ...

def compute_value(book: Book, as_of: int, policy: ValuePolicy, threads: int = 0) -> dict[str, npt.NDArray[Any]]: ...
def compute_repeat_summary(
    book: Book, as_of: int, unit_days: float = 1.0, threads: int = 0
) -> dict[str, npt.NDArray[Any]]: ...

_Texts = tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8], npt.NDArray[np.uint8]]

def text_positions(
    values: _Texts, labels: _Texts, table: str, column: str, labels_table: str
) -> npt.NDArray[np.int32]: ...
def repeated_rows(columns: list[Any], keep: Any, table: str) -> npt.NDArray[np.int64]: ...
def read_iso_days(values: _Texts, table: str, column: str) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]: ...
def read_numbers(values: _Texts, table: str, column: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]: ...
def fit_bg_nbd(
    frequency: Any,
    recency: Any,
    T: Any,
    penalizer: float,
    max_iterations: int,
    tolerance: float,
    threads: int,
    weight: Any = None,
) -> dict[str, Any]: ...
def bg_nbd_log_likelihood(params: list[float], frequency: Any, recency: Any, T: Any, weight: Any = None) -> float: ...
def bg_nbd_p_alive(
    params: list[float], frequency: Any, recency: Any, T: Any, threads: int
) -> npt.NDArray[np.float64]: ...
def bg_nbd_expected_purchases(
    params: list[float], frequency: Any, recency: Any, T: Any, horizon: float, threads: int
) -> npt.NDArray[np.float64]: ...
def fit_pareto_nbd(
    frequency: Any,
    recency: Any,
    T: Any,
    penalizer: float,
    max_iterations: int,
    tolerance: float,
    threads: int,
    weight: Any = None,
) -> dict[str, Any]: ...
def pareto_nbd_log_likelihood(
    params: list[float], frequency: Any, recency: Any, T: Any, weight: Any = None
) -> float: ...
def pareto_nbd_p_alive(
    params: list[float], frequency: Any, recency: Any, T: Any, threads: int
) -> npt.NDArray[np.float64]: ...
def pareto_nbd_expected_purchases(
    params: list[float], frequency: Any, recency: Any, T: Any, horizon: float, threads: int
) -> npt.NDArray[np.float64]: ...
def pareto_nbd_discounted_purchases(
    params: list[float],
    frequency: Any,
    recency: Any,
    T: Any,
    period: float,
    periods: int,
    discount_rate: float,
    threads: int,
) -> npt.NDArray[np.float64]: ...
def bg_nbd_discounted_purchases(
    params: list[float],
    frequency: Any,
    recency: Any,
    T: Any,
    period: float,
    periods: int,
    discount_rate: float,
    threads: int,
) -> npt.NDArray[np.float64]: ...
def fit_gamma_gamma(
    frequency: Any, monetary_value: Any, penalizer: float, max_iterations: int, tolerance: float, weight: Any = None
) -> dict[str, Any]: ...
def gamma_gamma_log_likelihood(
    params: list[float], frequency: Any, monetary_value: Any, weight: Any = None
) -> float: ...
def gamma_gamma_expected_spend(
    params: list[float], frequency: Any, monetary_value: Any, threads: int
) -> npt.NDArray[np.float64]: ...

class GrowthPolicy:
    fields: ClassVar[tuple[str, ...]]
    peer_quantile: float
    offers: int
    min_lift: float
    min_share: float
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> GrowthPolicy: ...

def growth_potential(
    spend: Any, group: Any, group_names: list[str], policy: GrowthPolicy, peer_spend: Any = None
) -> dict[str, Any]: ...
def peer_spends(spend: Any, group: Any, groups: int, policy: GrowthPolicy) -> npt.NDArray[np.float64]: ...
def product_holders(book: Book, group: Any, groups: int) -> dict[str, Any]: ...
def next_products(
    book: Book, group: Any, group_names: list[str], policy: GrowthPolicy, holders: dict[str, Any] | None = None
) -> dict[str, Any]: ...
def synthetic_book(
    customers: int,
    managers: int,
    seed: int,
    end: int,
    history_days: int,
    transactions_per_customer: float,
    interactions_per_customer: float,
    threads: int = 0,
) -> Book: ...
def synthetic_behaviours(customers: int, seed: int) -> npt.NDArray[np.uint8]: ...

STAGES: list[str]
CRITERIA: list[str]

class StagePolicy:
    fields: ClassVar[tuple[str, ...]]
    window_days: int
    grace_days: int
    contactar: dict[str, Any]
    relacionar: dict[str, Any]
    intimar: dict[str, Any]
    confiar: dict[str, Any]
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> StagePolicy: ...
    @staticmethod
    def from_json(source: Any) -> StagePolicy:
        """Added by cartera.stages: a policy from JSON text or a JSON file's path."""

class StageHistory:
    @property
    def days(self) -> list[int]: ...
    def stages(self) -> npt.NDArray[np.uint8]: ...
    def changes(self) -> dict[str, npt.NDArray[Any]]: ...
    def time_in_stage(self) -> dict[str, npt.NDArray[Any]]: ...
    def highest_stage(self) -> npt.NDArray[np.uint8]: ...

def compute_stages(
    book: Book, as_of: int, policy: StagePolicy, relationship: str = "customer", threads: int = 0
) -> dict[str, Any]: ...
def compute_pair_stages(
    book: Book, customers: Any, managers: Any, as_of: int, policy: StagePolicy, threads: int = 0
) -> dict[str, Any]: ...
def interaction_pairs(book: Book, as_of: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]: ...
def explain_stage(
    book: Book, customer: int, as_of: int, policy: StagePolicy, relationship: str = "customer"
) -> str: ...
def compute_stage_history(
    book: Book, days: Any, policy: StagePolicy, relationship: str = "customer", threads: int = 0
) -> StageHistory: ...
def count_ladder(
    stages: Any, managers: Any, manager_count: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]: ...
def count_transitions(before: Any, after: Any) -> tuple[npt.NDArray[np.int64], list[float]]: ...

SCORE_DEFAULTS: dict[str, Any]
RFM_SEGMENTS: list[tuple[str, str]]
ALERTS: list[str]

def check_score_policy(
    variables: list[dict[str, Any]], tiers: Any, cuts: Any, quantile_cuts: bool, reason_variables: int
) -> None: ...
def score_fit(
    columns: dict[str, Any],
    rows: int,
    variables: list[dict[str, Any]],
    tiers: Any,
    cuts: Any,
    quantile_cuts: bool,
    reason_variables: int,
) -> dict[str, Any]: ...
def score_apply(
    columns: dict[str, Any],
    rows: int,
    variables: list[dict[str, Any]],
    tiers: Any,
    cuts: Any,
    quantile_cuts: bool,
    reason_variables: int,
    fitted: dict[str, Any],
) -> dict[str, Any]: ...
def score_fit_apply(
    columns: dict[str, Any],
    rows: int,
    variables: list[dict[str, Any]],
    tiers: Any,
    cuts: Any,
    quantile_cuts: bool,
    reason_variables: int,
) -> tuple[dict[str, Any], dict[str, Any]]: ...
def classify_abc(values: Any, a: float, b: float) -> dict[str, Any]: ...
def pareto_curve(values: Any) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def rfm_fit(
    recency: Any, frequency: Any, monetary: Any, bins: int, segments: list[tuple[str, str]], default_segment: str
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def rfm_fit_apply(
    recency: Any, frequency: Any, monetary: Any, bins: int, segments: list[tuple[str, str]], default_segment: str
) -> tuple[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]], dict[str, Any]]: ...
def rfm_apply(
    recency: Any,
    frequency: Any,
    monetary: Any,
    bins: int,
    segments: list[tuple[str, str]],
    default_segment: str,
    fitted: Any,
) -> dict[str, Any]: ...
def apply_rules(columns: dict[str, Any], rows: int, rules: list[tuple[str, str]], default: str) -> dict[str, Any]: ...
def condition_columns(text: str) -> list[str]: ...
def kmeans_fit(
    points: Any,
    clusters: int,
    restarts: int,
    max_iterations: int,
    tolerance: float,
    seed: int,
    standardise: bool,
    threads: int = 0,
) -> dict[str, Any]: ...
def kmeans_predict(
    points: Any, centres: Any, mean: Any, scale: Any, threads: int = 0
) -> tuple[npt.NDArray[np.int32], float]: ...

class AlertPolicy:
    fields: ClassVar[tuple[str, ...]]
    mvc_share: float
    below_zero_by_share: bool
    below_zero_share: float
    declining_trend: float
    declining_valuable_only: bool
    complaint_days: int
    lapsed_days: int
    growing_trend: float
    growing_min_purchases: int
    valuable_share: float
    false_discovery_rate: float
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> AlertPolicy: ...

def compute_alerts(
    book: Book,
    as_of: int,
    value_policy: ValuePolicy,
    policy: AlertPolicy,
    valuable: Any = None,
    value: dict[str, Any] | None = None,
    threads: int = 0,
    scope: dict[str, Any] | None = None,
) -> dict[str, Any]: ...
def alert_rate_terms(
    book: Book, as_of: int, value_policy: ValuePolicy, value: dict[str, Any] | None = None
) -> dict[str, np.ndarray]: ...
def alert_rate_prior(count: float, rates: float, squares: float, noise: float) -> tuple[float, float]: ...
def alert_rate_tests(
    book: Book,
    as_of: int,
    value_policy: ValuePolicy,
    policy: AlertPolicy,
    valuable: Any,
    rate_shape: float,
    rate_rate: float,
    value: dict[str, Any] | None = None,
) -> dict[str, np.ndarray]: ...
def false_discovery_cutoff(p: Sequence[float], tests: float, q: float) -> float: ...

class CampaignPolicy:
    fields: ClassVar[tuple[str, ...]]
    response_days: int
    follow_up_days: int
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> CampaignPolicy: ...

CAMPAIGN_OUTCOMES: list[str]

def measure_campaigns(book: Book, as_of: int, policy: CampaignPolicy, manager: Any = None) -> dict[str, Any]: ...
def choose_questions(
    book: Book,
    manager: Any,
    customer: Any,
    day: Any,
    bank: list[tuple[Any, ...]],
    tier: Any,
    stage: Any,
    per_contact: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]: ...
def profile_completeness(
    book: Book, as_of: int, bank: list[tuple[Any, ...]], tier: Any, stage: Any
) -> npt.NDArray[np.float64]: ...

class PeoplePolicy:
    fields: ClassVar[tuple[str, ...]]
    min_people: int
    window_days: int
    min_interactions: int
    stale_days: int
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> PeoplePolicy: ...

PEOPLE_FINDINGS: list[str]

def find_people_issues(book: Book, as_of: int, valuable: Any, policy: PeoplePolicy) -> dict[str, Any]: ...
def pair_people(book: Book, manager: Any, customer: Any) -> npt.NDArray[np.int64]: ...

class ReadinessPolicy:
    fields: ClassVar[tuple[str, ...]]
    interaction_days: int
    mvc_share: float
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> ReadinessPolicy: ...

def measure_readiness(
    book: Book,
    as_of: int,
    value: dict[str, Any],
    stage: Any,
    policy: ReadinessPolicy,
    preferred: Any = None,
    planned: Any = None,
) -> dict[str, Any]: ...

class ComplaintPolicy:
    fields: ClassVar[tuple[str, ...]]
    response_days: int
    stay_days: int
    valuable_share: float
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> ComplaintPolicy: ...

def complaint_indicator(
    book: Book,
    as_of: int,
    value: Any,
    valuable: Any,
    policy: ComplaintPolicy,
    manager: Any,
) -> dict[str, Any]: ...

class AssignmentPolicy:
    fields: ClassVar[tuple[str, ...]]
    same_region: bool
    max_candidates: int
    distance_weight: float
    fit_weight: float
    continuity: dict[str, float]
    leave_out_weight: float
    leave_out_floor: float
    lock_manual: bool
    move_budget: int
    move_share: float
    band_tolerance: float
    band_penalty: float
    value_band_tolerance: float
    value_band_penalty: float
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> AssignmentPolicy: ...

class AssignmentProblem:
    """Columns are read-only views of the C++ problem; from_pairs, from_dense and solve are added by cartera.assignment."""

    fields: ClassVar[tuple[str, ...]]
    @property
    def offsets(self) -> npt.NDArray[np.int64]: ...
    @property
    def manager(self) -> npt.NDArray[np.int32]: ...
    @property
    def cost(self) -> npt.NDArray[np.float64]: ...
    @property
    def leave_out(self) -> npt.NDArray[np.float64]: ...
    @property
    def capacity(self) -> npt.NDArray[np.int64]: ...
    @property
    def workload(self) -> npt.NDArray[np.float64] | None: ...
    @property
    def time_budget(self) -> npt.NDArray[np.float64] | None: ...
    @property
    def band_low(self) -> npt.NDArray[np.int64] | None: ...
    @property
    def band_high(self) -> npt.NDArray[np.int64] | None: ...
    band_penalty: float
    @property
    def value(self) -> npt.NDArray[np.float64] | None: ...
    @property
    def value_low(self) -> npt.NDArray[np.float64] | None: ...
    @property
    def value_high(self) -> npt.NDArray[np.float64] | None: ...
    value_penalty: float
    @property
    def fixed_cost(self) -> npt.NDArray[np.float64] | None: ...
    @property
    def pinned(self) -> npt.NDArray[np.int32] | None: ...
    @property
    def current(self) -> npt.NDArray[np.int32] | None: ...
    move_budget: int
    @property
    def customers(self) -> int: ...
    @property
    def managers(self) -> int: ...
    @property
    def arcs(self) -> int: ...
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def capacity_only(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...
    def replace(self, **changes: Any) -> AssignmentProblem: ...
    @classmethod
    def from_pairs(
        cls,
        customer: Any,
        manager: Any,
        cost: Any,
        *,
        leave_out: Any,
        capacity: Any,
        workload: Any = None,
        **limits: Any,
    ) -> AssignmentProblem: ...
    @classmethod
    def from_dense(cls, cost: Any, *, leave_out: Any, capacity: Any, **limits: Any) -> AssignmentProblem: ...
    def solve(
        self,
        solver: str = "auto",
        *,
        time_limit: float = 60.0,
        gap_limit: float = 1e-4,
        iterations: int = 1000,
        seed: int = 0,
        cost_scale: float = 1000.0,
        progress: Any = None,
    ) -> AssignmentResult: ...

class AssignmentResult:
    """Columns are read-only views of the C++ result; reason is added by cartera.assignment."""

    @property
    def manager(self) -> npt.NDArray[np.int32]: ...
    @property
    def cost(self) -> npt.NDArray[np.float64]: ...
    @property
    def load(self) -> npt.NDArray[np.int64]: ...
    @property
    def time(self) -> npt.NDArray[np.float64]: ...
    @property
    def reason_codes(self) -> npt.NDArray[np.uint8]: ...
    @property
    def reason(self) -> Any: ...
    @property
    def value(self) -> npt.NDArray[np.float64] | None: ...
    @property
    def objective(self) -> float: ...
    @property
    def bound(self) -> float: ...
    @property
    def gap(self) -> float: ...
    @property
    def moves(self) -> int: ...
    @property
    def solver(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def stopped_by(self) -> str: ...
    @property
    def seconds(self) -> float: ...
    @property
    def iterations(self) -> int: ...
    @property
    def searches(self) -> int: ...

def solve_assignment(
    problem: AssignmentProblem,
    solver: str = "auto",
    cost_scale: float = 1000.0,
    time_limit: float = 60.0,
    gap_limit: float = 1e-4,
    iterations: int = 1000,
    seed: int = 0,
    progress: Any = None,
) -> AssignmentResult: ...
def assignment_solvers() -> list[str]: ...
def build_realignment(
    customers: dict[str, Any],
    managers: dict[str, Any],
    policy: AssignmentPolicy,
    forbidden_customer: Any = None,
    forbidden_manager: Any = None,
    given: dict[str, Any] | None = None,
) -> AssignmentProblem: ...
def route(
    customers: dict[str, Any],
    managers: dict[str, Any],
    policy: AssignmentPolicy,
    load: Any,
    time: Any = None,
    forbidden_customer: Any = None,
    forbidden_manager: Any = None,
) -> dict[str, Any]: ...
def preview_assignment(current: Any, proposed: Any, value: Any, managers: int) -> dict[str, Any]: ...
def read_orlibrary_gap(path: str) -> AssignmentProblem: ...

CONTACT_PURPOSES: list[str]
PLAN_STATUSES: list[str]

class ContactPolicy:
    fields: ClassVar[tuple[str, ...]]
    minutes: dict[str, float]
    tiers: list[str]
    cadence: dict[str, dict[str, dict[str, Any]]]
    period_days: int
    max_contacts: int
    follow_up_days: int
    preference_days: int
    working_days: list[str]
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> ContactPolicy: ...
    def workload(self, tier: str, stage: str) -> float: ...

def plan_contacts(
    book: Book,
    manager: Any,
    tier: Any,
    stage: Any,
    time_budget: Any,
    preferred: Any,
    max_contacts: Any,
    alerts: dict[str, Any] | None,
    campaigns: tuple[Any, Any] | None,
    campaign_policy: tuple[CampaignPolicy, Any] | None,
    start: int,
    days: int,
    policy: ContactPolicy,
) -> dict[str, Any]: ...
def preferred_channels(book: Book, as_of: int, policy: ContactPolicy) -> npt.NDArray[np.int32]: ...
def size_team(
    tier: Any, stage: Any, policy: ContactPolicy, budget: float, capacity: int, team: int
) -> dict[str, Any]: ...

STRUCTURES: list[str]

class ReferralPolicy:
    fields: ClassVar[tuple[str, ...]]
    damping: float
    tolerance: float
    max_iterations: int
    decay: float
    def __init__(self, **fields: Any) -> None: ...
    def validate(self) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(fields: dict[str, Any]) -> ReferralPolicy: ...

def analyse_referrals(
    book: Book, value: Any, policy: ReferralPolicy, manager: Any, managers: int, satisfied: Any, per_portfolio: int
) -> dict[str, Any]: ...
def classify_structures(
    columns: dict[str, Any],
    rows: int,
    providers: str,
    peer: str,
    many_providers: float,
    rules: list[tuple[str, str]],
    manager: Any,
    managers: int,
) -> dict[str, Any]: ...
