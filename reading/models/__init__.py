"""Models of the reading activity, split by phase; import them from here."""

from .activity import Endorsement, ReadingActivity, Recommendation, Selection
from .forum import Comment, Feature, Like, Reflection, Revision
from .supply import Distribution, Purchase, ReadingProgress

__all__ = [
    "Comment",
    "Distribution",
    "Endorsement",
    "Feature",
    "Like",
    "Purchase",
    "ReadingActivity",
    "ReadingProgress",
    "Recommendation",
    "Reflection",
    "Revision",
    "Selection",
]
