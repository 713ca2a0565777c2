"""Campaign models, split by concern; import them from `campaign.models`."""

from .campaigns import Campaign, CampaignQuerySet, Phase
from .care import CareVisit, IllnessReport
from .evaluation import (
    Ballot,
    BallotMark,
    EvaluationItem,
    EvaluationRound,
    EvaluationSubject,
    EvaluationTurnout,
    satisfaction_rate,
)
from .feedback import Feedback, FeedbackDrop, FeedbackNote, SatisfactionRating
from .honours import Honour, Nomination
from .leadership import Decision, IntegrityRecord
from .pledges import Pledge, PledgeProgress
from .rectification import (
    Measure,
    Problem,
    PublicMeasure,
    PublicRectification,
    Rectification,
)
from .reviews import LeaderReview
from .standards import Standard, StandardSet
from .vanguard import (
    Deed,
    DeedPhoto,
    DeedTag,
    PlaqueEvent,
    PostHolder,
    PostReview,
    PostReviewScore,
    SavingRecord,
    VanguardPost,
)

__all__ = [
    "Ballot",
    "BallotMark",
    "Campaign",
    "CampaignQuerySet",
    "Decision",
    "Deed",
    "CareVisit",
    "Feedback",
    "FeedbackDrop",
    "FeedbackNote",
    "IllnessReport",
    "SatisfactionRating",
    "DeedPhoto",
    "DeedTag",
    "EvaluationItem",
    "EvaluationRound",
    "EvaluationSubject",
    "EvaluationTurnout",
    "Honour",
    "IntegrityRecord",
    "LeaderReview",
    "Measure",
    "Nomination",
    "Phase",
    "PlaqueEvent",
    "Pledge",
    "PledgeProgress",
    "PostHolder",
    "PostReview",
    "PostReviewScore",
    "Problem",
    "PublicMeasure",
    "PublicRectification",
    "Rectification",
    "SavingRecord",
    "Standard",
    "StandardSet",
    "VanguardPost",
    "satisfaction_rate",
]
