"""The admin for the secretary: read-only. Every change to the campaign has rules (phases, states,
the anonymity of the 群众评议, the audit trail) and goes through the pages and campaign/services.

Ballots, their marks and the turnout are deliberately absent: nobody browses them one by one, and
the turnout holds the sealed votes of open rounds. tests/hardening/test_admin_rules.py keeps it so.
"""

from django.contrib import admin

from config.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import (
    Campaign,
    EvaluationItem,
    EvaluationRound,
    Honour,
    LeaderReview,
    Nomination,
    Phase,
    Pledge,
    PledgeProgress,
    Standard,
    StandardSet,
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
