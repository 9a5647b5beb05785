"""cartera: customer portfolio management.

Build a :class:`Book` from pandas DataFrames (or :func:`synthetic_book`), then compute
each customer's :func:`value`, place them on the relationship ladder with :func:`stages`,
segment them (:func:`segment`, :func:`alerts`), follow their complaints
(:func:`complaint_indicator`), give each the right manager with
:func:`assign`, plan each manager's contacts with :func:`plan_contacts` and size the team
with :func:`team_size`; :func:`relationship_structure` and :func:`referrals` tell who
customers are with us and who they bring. Every result is a DataFrame indexed by the customer's id, with one row for
every customer.
"""

from __future__ import annotations

from . import datasets, plot
from ._core import InvalidInputError, TypeMismatchError, UnknownIdError, __version__
from .alerts import ALERTS, AlertPolicy, alerts
from .assignment import (
    CHANGES,
    REASONS,
    SOLVE_STATUSES,
    Assignment,
    AssignmentPolicy,
    AssignmentProblem,
    Preview,
    Solution,
    assign,
    assignment_solvers,
    preview,
    read_orlibrary_gap,
    route,
)
from .bg_nbd import BGNBD
from .book import TABLES, Book
from .campaigns import CAMPAIGN_OUTCOMES, CampaignPolicy, campaign_responses, campaign_summary
from .cleaning import Cleaned, CleaningPolicy, clean
from .complaints import ComplaintPolicy, complaint_indicator, complaint_totals
from .contact_plan import PURPOSES, STATUSES, ContactPlan, ContactPolicy, plan_contacts
from .drip_dialogue import QUESTION_BANK, profile_completeness, read_question_bank
from .gamma_gamma import GammaGamma
from .growth import GrowthPolicy, growth, next_products
from .hygiene import Hygiene, find_duplicates, hygiene, merge_duplicates
from .kmeans import KMeans
from .pareto_nbd import ParetoNBD
from .people import PEOPLE_FINDINGS, PeoplePolicy, people_findings
from .potential import POTENTIAL_COLUMNS, PotentialPolicy, potential
from .readiness import READINESS_QUESTIONS, READINESS_STEPS, Readiness, ReadinessPolicy, book_readiness, readiness
from .referrals import ReferralPolicy, Referrals, referrals
from .rules import Rules
from .segmentation import (
    RFM,
    SegmentPolicy,
    TierScorer,
    Variable,
    abc,
    pareto_curve,
    segment,
    subsegments,
)
from .stages import (
    CRITERIA,
    STAGES,
    StageHistory,
    StagePolicy,
    conversion,
    explain,
    ladder,
    pair_stages,
    stage_history,
    stages,
    transitions,
)
from .structure import STRUCTURES, Structures, relationship_structure
from .synthetic import synthetic_behaviours, synthetic_book
from .team_sizing import TeamSize, team_size
from .value import ValuePolicy, repeat_summary, value

__all__ = [
    "BGNBD",
    "GammaGamma",
    "ParetoNBD",
    "QUESTION_BANK",
    "profile_completeness",
    "read_question_bank",
    "GrowthPolicy",
    "PEOPLE_FINDINGS",
    "PeoplePolicy",
    "people_findings",
    "POTENTIAL_COLUMNS",
    "PotentialPolicy",
    "ALERTS",
    "AlertPolicy",
    "Assignment",
    "AssignmentPolicy",
    "AssignmentProblem",
    "CHANGES",
    "Preview",
    "REASONS",
    "SOLVE_STATUSES",
    "Solution",
    "assign",
    "assignment_solvers",
    "preview",
    "read_orlibrary_gap",
    "route",
    "Book",
    "Cleaned",
    "CleaningPolicy",
    "clean",
    "CAMPAIGN_OUTCOMES",
    "CampaignPolicy",
    "campaign_responses",
    "campaign_summary",
    "ComplaintPolicy",
    "complaint_indicator",
    "complaint_totals",
    "Hygiene",
    "find_duplicates",
    "hygiene",
    "merge_duplicates",
    "ContactPlan",
    "ContactPolicy",
    "PURPOSES",
    "READINESS_QUESTIONS",
    "READINESS_STEPS",
    "Readiness",
    "ReadinessPolicy",
    "book_readiness",
    "readiness",
    "ReferralPolicy",
    "Referrals",
    "STATUSES",
    "STRUCTURES",
    "Structures",
    "TeamSize",
    "plan_contacts",
    "referrals",
    "relationship_structure",
    "team_size",
    "CRITERIA",
    "STAGES",
    "StageHistory",
    "StagePolicy",
    "InvalidInputError",
    "KMeans",
    "RFM",
    "Rules",
    "SegmentPolicy",
    "TABLES",
    "TierScorer",
    "TypeMismatchError",
    "UnknownIdError",
    "ValuePolicy",
    "Variable",
    "__version__",
    "abc",
    "alerts",
    "conversion",
    "datasets",
    "explain",
    "ladder",
    "pair_stages",
    "pareto_curve",
    "plot",
    "stage_history",
    "stages",
    "subsegments",
    "transitions",
    "growth",
    "next_products",
    "potential",
    "repeat_summary",
    "segment",
    "synthetic_behaviours",
    "synthetic_book",
    "value",
]
