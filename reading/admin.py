"""The admin is the secretary's back office for looking things up, read-only: every change goes
through the pages and so through reading/services with its phase rules and audit trail."""

from django.contrib import admin

from config.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import (
    Comment,
    Distribution,
    Feature,
    Purchase,
    ReadingActivity,
    ReadingProgress,
    Recommendation,
    Reflection,
    Selection,
)


class SelectionInline(ReadOnlyTabularInline):
    model = Selection
    fields = ["order", "title", "author", "publisher", "isbn"]


@admin.register(ReadingActivity)
class ReadingActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "branch", "recommend_start", "discuss_end", "books_to_pick", "budget"]
    list_filter = ["branch"]
    search_fields = ["title"]
    inlines = [SelectionInline]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["title", "author", "member", "activity", "created_at"]
    list_filter = ["activity"]
    search_fields = ["title", "author", "member__full_name"]
    list_select_related = ["member", "activity"]


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyAdmin):
    list_display = ["selection", "quantity", "unit_price", "supplier", "purchased_on", "voided_at"]
    list_select_related = ["selection"]


@admin.register(Distribution)
class DistributionAdmin(ReadOnlyAdmin):
    list_display = ["selection", "member", "issued_on", "issued_by", "confirmed_at", "voided_at"]
    list_filter = ["selection__activity"]
    list_select_related = ["selection", "member", "issued_by"]


@admin.register(ReadingProgress)
class ReadingProgressAdmin(ReadOnlyAdmin):
    list_display = ["member", "selection", "status", "percent", "visible_to_members"]
    list_select_related = ["member", "selection"]


@admin.register(Reflection)
class ReflectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "author", "selection", "created_at", "hidden"]
    list_filter = ["activity", "hidden"]
    search_fields = ["title", "body", "author__full_name"]
    list_select_related = ["author", "selection"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["author", "reflection", "created_at", "hidden"]
    list_filter = ["hidden"]
    list_select_related = ["author", "reflection"]


@admin.register(Feature)
class FeatureAdmin(ReadOnlyAdmin):
    list_display = ["reflection", "featured_by", "created_at"]
    list_select_related = ["reflection", "featured_by"]
