"""The admin for the secretary. Ballots are deliberately absent: nobody browses them one by one."""

from django.contrib import admin

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


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 0


@admin.register(StandardSet)
class StandardSetAdmin(admin.ModelAdmin):
    list_display = ["name", "applies_to", "branch", "order"]
    list_filter = ["branch", "applies_to"]
    inlines = [StandardInline]


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "branch", "starts_on", "ends_on", "status", "current_phase"]
    list_filter = ["branch", "status"]
    inlines = [PhaseInline]
    # State changes go through the app's pages (services with a transition map).
    readonly_fields = ["status", "current_phase"]


class ProgressInline(admin.TabularInline):
    model = PledgeProgress
    extra = 0
    readonly_fields = ["recorded_by"]


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "campaign", "scope", "status", "verdict", "deadline"]
    list_filter = ["campaign", "scope", "status", "verdict"]
    search_fields = ["owner__full_name", "goal"]
    list_select_related = ["owner", "standard", "campaign"]
    readonly_fields = ["status", "verdict", "approved_by"]
    inlines = [ProgressInline]


@admin.register(LeaderReview)
class LeaderReviewAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "subject", "rating", "reviewed_on", "campaign"]
    list_filter = ["campaign", "rating"]
    list_select_related = ["reviewer", "subject", "campaign"]


class ItemInline(admin.TabularInline):
    model = EvaluationItem
    extra = 0


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "starts_on", "ends_on", "status", "threshold"]
    list_filter = ["campaign", "status"]
    readonly_fields = ["status", "opened_on", "closed_on"]
    inlines = [ItemInline]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "campaign", "status"]
    list_filter = ["campaign", "kind", "status"]
    readonly_fields = ["status"]


@admin.register(Honour)
class HonourAdmin(admin.ModelAdmin):
    list_display = ["title", "person", "branch", "awarded_on", "awarding_body"]
    list_filter = ["branch"]
