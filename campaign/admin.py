"""The admin for the secretary: read-only. Every change to the campaign has rules (phases, states,
the anonymity of the 群众评议, the audit trail) and goes through the pages and campaign/services.

Ballots, their marks and the turnout are deliberately absent: nobody browses them one by one, and
the turnout holds the sealed votes of open rounds. tests/hardening/test_admin_rules.py keeps it so.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import (
    Campaign,
    Decision,
    Deed,
    DeedPhoto,
    DeedTag,
    EvaluationItem,
    EvaluationRound,
    Honour,
    IntegrityRecord,
    LeaderReview,
    Measure,
    Nomination,
    Phase,
    PlaqueEvent,
    Pledge,
    PledgeProgress,
    PostHolder,
    PostReview,
    PostReviewScore,
    Problem,
    Rectification,
    SavingRecord,
    Standard,
    StandardSet,
    VanguardPost,
)


class StandardInline(ReadOnlyTabularInline):
    model = Standard


@admin.register(StandardSet)
class StandardSetAdmin(ReadOnlyAdmin):
    """Edited on the standards page (standard_set_update, standard_save)."""

    list_display = ["name", "applies_to", "branch", "order"]
    list_filter = ["branch", "applies_to"]
    inlines = [StandardInline]


class PhaseInline(ReadOnlyTabularInline):
    model = Phase


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "branch", "starts_on", "ends_on", "status", "current_phase"]
    list_filter = ["branch", "status"]
    inlines = [PhaseInline]


class ProgressInline(ReadOnlyTabularInline):
    model = PledgeProgress


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "campaign", "scope", "status", "verdict", "deadline"]
    list_filter = ["campaign", "scope", "status", "verdict"]
    search_fields = ["owner__full_name", "goal"]
    list_select_related = ["owner", "standard", "campaign"]
    inlines = [ProgressInline]


@admin.register(LeaderReview)
class LeaderReviewAdmin(ReadOnlyAdmin):
    list_display = ["reviewer", "subject", "rating", "reviewed_on", "campaign"]
    list_filter = ["campaign", "rating"]
    list_select_related = ["reviewer", "subject", "campaign"]


class ItemInline(ReadOnlyTabularInline):
    model = EvaluationItem


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "campaign", "starts_on", "ends_on", "status", "threshold"]
    list_filter = ["campaign", "status"]
    inlines = [ItemInline]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "campaign", "status"]
    list_filter = ["campaign", "kind", "status"]


@admin.register(Honour)
class HonourAdmin(ReadOnlyAdmin):
    list_display = ["title", "person", "branch", "awarded_on", "awarding_body"]
    list_filter = ["branch"]


# --- 战斗堡垒 (campaign/services/vanguard.py, rectification.py, leadership.py) -----------------


class PostHolderInline(ReadOnlyTabularInline):
    model = PostHolder


class PlaqueEventInline(ReadOnlyTabularInline):
    model = PlaqueEvent


@admin.register(VanguardPost)
class VanguardPostAdmin(ReadOnlyAdmin):
    list_display = ["name", "department", "plaque", "plaque_on", "branch"]
    list_filter = ["branch", "plaque"]
    list_select_related = ["department", "branch"]
    inlines = [PostHolderInline, PlaqueEventInline]


class PostReviewScoreInline(ReadOnlyTabularInline):
    model = PostReviewScore


@admin.register(PostReview)
class PostReviewAdmin(ReadOnlyAdmin):
    list_display = ["post", "year", "quarter", "stars", "reviewed_on"]
    list_filter = ["campaign", "year", "quarter"]
    list_select_related = ["post"]
    inlines = [PostReviewScoreInline]


class DeedTagInline(ReadOnlyTabularInline):
    model = DeedTag


class DeedPhotoInline(ReadOnlyTabularInline):
    """The stored name only: the photo itself is served by campaign:deed_photo to whoever may see
    the deed, not linked from here."""

    model = DeedPhoto
    fields = ["stored_name", "caption", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("照片"))
    def stored_name(self, obj: DeedPhoto) -> str:
        return obj.photo.name


@admin.register(Deed)
class DeedAdmin(ReadOnlyAdmin):
    list_display = ["title", "member", "post", "happened_on", "status", "publicized"]
    list_filter = ["campaign", "status", "publicized"]
    search_fields = ["title", "member__full_name"]
    list_select_related = ["member", "post"]
    inlines = [DeedTagInline, DeedPhotoInline]


@admin.register(SavingRecord)
class SavingRecordAdmin(ReadOnlyAdmin):
    list_display = ["item", "kind", "amount", "post", "department", "happened_on", "voided_at"]
    list_filter = ["campaign", "kind"]
    list_select_related = ["post", "department"]


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["title", "source", "area", "found_on", "rectification"]
    list_filter = ["campaign", "source", "area"]
    list_select_related = ["rectification"]


class MeasureInline(ReadOnlyTabularInline):
    model = Measure
    exclude = ["evidence_photo"]  # served by campaign:measure_photo, not linked from here


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "responsible", "deadline", "status", "branch"]
    list_filter = ["branch", "status"]
    list_select_related = ["responsible", "branch"]
    inlines = [MeasureInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["topic", "decided_on", "method", "branch"]
    list_filter = ["branch", "method"]


@admin.register(IntegrityRecord)
class IntegrityRecordAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "held_on", "branch"]
    list_filter = ["branch", "kind"]
