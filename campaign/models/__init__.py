"""Campaign models, split by concern; import them from `campaign.models`."""

from .campaigns import Campaign, CampaignQuerySet, Phase
from .evaluation import (
    Ballot,
    BallotMark,
    EvaluationItem,
    EvaluationRound,
    EvaluationSubject,
    EvaluationTurnout,
    satisfaction_rate,
)
from .honours import Honour, Nomination
from .pledges import Pledge, PledgeProgress
from .reviews import LeaderReview
from .standards import Standard, StandardSet

__all__ = [
    "Ballot",
    "BallotMark",
    "Campaign",
    "CampaignQuerySet",
    "EvaluationItem",
    "EvaluationRound",
    "EvaluationSubject",
    "EvaluationTurnout",
    "Honour",
    "LeaderReview",
    "Nomination",
    "Phase",
    "Pledge",
    "PledgeProgress",
    "Standard",
    "StandardSet",
    "satisfaction_rate",
]
