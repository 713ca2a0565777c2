"""Reads for the 战斗堡垒 pages (vanguard posts, deeds, 增收节支, problems and rectification, the
leadership team's record): one function per page, keyword-only, a constant number of queries
whatever the data size (tests/campaign/test_fortress_selectors.py asserts it for 3 and 30 rows).

Money is summed by the database, exact to the cent on both databases (`money_sum`); counts and
sums of a list's rows are correlated subqueries on the foreign key's index (config.queries).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.utils import timezone

from config.queries import count_of
from members.models import Branch, Responsibility, Role, User

from .models import (
    Campaign,
    Decision,
    Deed,
    IntegrityRecord,
    Measure,
    PlaqueEvent,
    PostHolder,
    PostReview,
    PostReviewScore,
    Problem,
    Rectification,
    SavingRecord,
    VanguardPost,
)
from .models.vanguard import AMOUNT_PLACES, TOTAL_DIGITS, quarter_bounds, quarter_of
from .rules_fortress import reads_fortress, sees_internals, sees_rectification_internals

# --- Money, summed by the database ----------------------------------------------------------------

MONEY = models.DecimalField(max_digits=TOTAL_DIGITS, decimal_places=AMOUNT_PLACES)
CENT = Decimal(1).scaleb(-AMOUNT_PLACES)
ZERO = Decimal("0.00")
INCOME, SAVING = SavingRecord.Kind.INCOME, SavingRecord.Kind.SAVING


class MoneySum(models.Sum):
    """SUM of a money column, exact to the cent on both databases. PostgreSQL sums NUMERIC
    exactly. SQLite stores a decimal as a REAL and would add binary fractions (0.1 + 0.2), so there
    the cents are summed as integers (exact) and divided by 100 once at the end."""

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(expression, output_field=MONEY, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list]:
        clone = self.copy()
        (source,) = clone.get_source_expressions()[:1]
        cents = models.Func(
            source,
            template="CAST(ROUND(%(expressions)s * 100) AS INTEGER)",
            output_field=models.BigIntegerField(),
        )
        clone.set_source_expressions([cents, *clone.get_source_expressions()[1:]])
        sql, params = super(MoneySum, clone).as_sql(compiler, connection, **extra_context)
        return f"(({sql}) / 100.0)", params


class Money(models.Func):
    """A money expression read back as a Decimal to the cent (0.00 when there is nothing)."""

    template = "%(expressions)s"

    def __init__(self, expression: Any) -> None:
        super().__init__(Coalesce(expression, Value(0), output_field=MONEY), output_field=MONEY)

    def convert_value(self, value: Any, expression: Any, connection: Any) -> Decimal:
        if value is None:
            return ZERO
        if isinstance(value, float):
            # 15 significant digits: what a REAL holds of a sum of cents (SQLite).
            value = Decimal(repr(value))
        return Decimal(value).quantize(CENT)


def money_sum(*, kind: str | None = None, prefix: str = "") -> Money:
    """Σ amount (of one kind), for `aggregate`/`annotate` over saving records (`prefix`: the
    relation's name from another model, "saving_records__")."""
    condition = Q(**{f"{prefix}kind": kind}) if kind else None
    return Money(MoneySum(f"{prefix}amount", filter=condition))


def _sum_of(rows: QuerySet[SavingRecord], *, group: str) -> Money:
    """Σ amount of `rows` (filtered on an OuterRef through `group`), as a correlated subquery."""
    summed = rows.order_by().values(group).annotate(s=MoneySum("amount")).values("s")
    return Money(Subquery(summed, output_field=MONEY))


def saving_totals(*, records: QuerySet[SavingRecord]) -> dict[str, Any]:
    """{"income", "saving", "total", "n"} of valid (not voided) records: one query."""
    totals = (
        records.valid()
        .order_by()
        .aggregate(income=money_sum(kind=INCOME), saving=money_sum(kind=SAVING), n=Count("pk"))
    )
    return {**totals, "total": totals["income"] + totals["saving"]}


def _grouped(records: QuerySet[SavingRecord], *fields: str) -> QuerySet:
    return (
        records.values(*fields)
        .annotate(income=money_sum(kind=INCOME), saving=money_sum(kind=SAVING), n=Count("pk"))
        .annotate(total=Money(models.F("income") + models.F("saving")))
    )


def saving_summary(*, campaign: Campaign) -> dict[str, Any]:
    """The 增收节支 summary page: totals of the campaign, by post, by department, by quarter; four
    grouped queries, whatever the number of records. Voided records count nowhere."""
    records = SavingRecord.objects.valid().filter(campaign=campaign).order_by()
    by_quarter = _grouped(
        records.annotate(year=ExtractYear("happened_on"), quarter=ExtractQuarter("happened_on")),
        "year",
        "quarter",
    ).order_by("year", "quarter")
    return {
        "totals": saving_totals(records=records),
        "by_post": list(
            _grouped(records.filter(post__isnull=False), "post", "post__name").order_by(
                "post__order", "post__name", "post"
            )
        ),
        "by_department": list(
            _grouped(records, "department", "department__name").order_by(
                "department__order", "department__name", "department"
            )
        ),
        "by_quarter": list(by_quarter),
    }


def saving_list(*, campaign: Campaign) -> QuerySet[SavingRecord]:
    """The records one by one (secretary, leaders), voided ones included and marked."""
    return (
        SavingRecord.objects.filter(campaign=campaign)
        .select_related("post", "department", "verified_by", "recorded_by", "voided_by")
        .order_by("-happened_on", "-pk")
    )


# --- Posts --------------------------------------------------------------------------------------


def _current_holders(on: dt.date | None = None) -> Prefetch:
    return Prefetch(
        "holders",
        queryset=PostHolder.objects.current(on)
        .select_related("member__department")
        .order_by("starts_on", "pk"),
        to_attr="current_holders",
    )


def post_list(*, branch: Branch, campaign: Campaign | None = None) -> QuerySet[VanguardPost]:
    """Posts with their department, current holders (`current_holders`), 增收/节支 totals (of the
    campaign, or of all time), confirmed deeds and the latest quarter's stars (`last_stars`, of
    `last_review_year`/`last_review_quarter`). Two queries."""
    records = SavingRecord.objects.valid().filter(post=OuterRef("pk"))
    deeds = Deed.objects.confirmed().filter(post=OuterRef("pk"))
    if campaign is not None:
        records, deeds = records.filter(campaign=campaign), deeds.filter(campaign=campaign)
    latest = PostReview.objects.filter(post=OuterRef("pk")).order_by("-year", "-quarter")
    return (
        VanguardPost.objects.filter(branch=branch)
        .select_related("department")
        .prefetch_related(_current_holders())
        .annotate(
            income_total=_sum_of(records.filter(kind=INCOME), group="post"),
            saving_total=_sum_of(records.filter(kind=SAVING), group="post"),
            n_deeds=count_of(deeds, group="post"),
            last_stars=Subquery(latest.values("stars")[:1]),
            # The quarter of those stars, so that a page says which quarter they are of.
            last_review_year=Subquery(latest.values("year")[:1]),
            last_review_quarter=Subquery(latest.values("quarter")[:1]),
        )
        .annotate(total=Money(models.F("income_total") + models.F("saving_total")))
        .order_by("order", "name", "pk")
    )


def deed_visibility(*, user: User, branch_id: int) -> Q:
    """The deeds `user` may read, as a filter: the query form of rules_fortress.may_see_deed
    (tests hold the two to the same answer)."""
    if sees_internals(user, branch_id):
        return Q()
    if not reads_fortress(user, branch_id):
        return Q(pk__in=[])
    mine = Q(member=user) | Q(recorded_by=user)
    if user.has_role(Role.MEMBER):
        return mine | Q(status=Deed.Status.CONFIRMED)
    return mine | Q(status=Deed.Status.CONFIRMED, publicized=True)


def _deeds_for_list(deeds: QuerySet[Deed]) -> QuerySet[Deed]:
    return deeds.select_related(
        "campaign", "member__department", "post", "recorded_by"
    ).prefetch_related("tags", "photos")


def deed_list(
    *,
    campaign: Campaign,
    viewer: User,
    tag: str | None = None,
    post: VanguardPost | None = None,
    status: str | None = None,
    publicized: bool | None = None,
) -> QuerySet[Deed]:
    """The deeds `viewer` may read, newest first, with member, post, tags and photos: three
    queries for a page. Filters: a tag, a post, a status, 宣传 or not."""
    deeds = Deed.objects.filter(campaign=campaign).filter(
        deed_visibility(user=viewer, branch_id=campaign.branch_id)
    )
    if tag:
        deeds = deeds.filter(pk__in=Deed.objects.tagged(tag).values("pk"))
    if post is not None:
        deeds = deeds.filter(post=post)
    if status:
        deeds = deeds.filter(status=status)
    if publicized is not None:
        deeds = deeds.filter(publicized=publicized)
    return _deeds_for_list(deeds).order_by("-happened_on", "-pk")


def post_detail(
    *, post: VanguardPost, viewer: User, campaign: Campaign | None = None
) -> dict[str, Any]:
    """A post's page: its holders over time, its plaque history, its quarterly stars with the
    stars per 四优 item, the deeds `viewer` may read and the 增收节支 totals (also per quarter,
    `totals_by_quarter`). Eight queries when every part but the quarters is read, whatever the
    number of rows."""
    holders = list(
        post.holders.select_related("member__department", "assigned_by").order_by(
            "-starts_on", "-pk"
        )
    )
    today = timezone.localdate()
    records = SavingRecord.objects.filter(post=post)
    deeds = Deed.objects.filter(post=post).filter(
        deed_visibility(user=viewer, branch_id=post.branch_id)
    )
    if campaign is not None:
        records, deeds = records.filter(campaign=campaign), deeds.filter(campaign=campaign)
    return {
        "post": post,
        "holders": holders,
        "current_holders": [
            h for h in holders if h.starts_on <= today and (h.ends_on is None or h.ends_on >= today)
        ],
        "plaque_events": PlaqueEvent.objects.filter(post=post).select_related("by"),
        "reviews": post.reviews.select_related("reviewed_by", "campaign").prefetch_related(
            Prefetch("scores", queryset=PostReviewScore.objects.select_related("standard"))
        ),
        "deeds": _deeds_for_list(deeds).order_by("-happened_on", "-pk"),
        "totals": saving_totals(records=records),
        # 增收/节支 per quarter, newest first (one grouped query when read); voided ones left out.
        "totals_by_quarter": _grouped(
            records.valid()
            .order_by()
            .annotate(year=ExtractYear("happened_on"), quarter=ExtractQuarter("happened_on")),
            "year",
            "quarter",
        ).order_by("-year", "-quarter"),
    }


def posts_held_by(*, user: User) -> QuerySet[VanguardPost]:
    """The posts `user` holds now (the deed form's choices, the member's to-do)."""
    return VanguardPost.objects.filter(
        branch_id=user.branch_id,
        pk__in=PostHolder.objects.current().filter(member=user).values("post"),
    ).select_related("department")


def posts_to_review(
    *, campaign: Campaign, today: dt.date | None = None
) -> tuple[tuple[int, int] | None, QuerySet[VanguardPost]]:
    """The last finished quarter within the campaign and the hung posts without its stars yet
    (the secretary's to-do "a quarterly review to fill"). (None, no posts) when no such quarter."""
    today = today or timezone.localdate()
    year, quarter = quarter_of(today)
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    first, last = quarter_bounds(year, quarter)
    if last < campaign.starts_on or first > campaign.ends_on:
        return None, VanguardPost.objects.none()
    reviewed = PostReview.objects.filter(
        post__branch_id=campaign.branch_id, year=year, quarter=quarter
    ).values("post")
    posts = VanguardPost.objects.filter(
        branch_id=campaign.branch_id, plaque=VanguardPost.Plaque.HUNG
    ).exclude(pk__in=reviewed)
    return (year, quarter), posts.order_by("order", "name", "pk")


def deeds_to_confirm(*, campaign: Campaign) -> QuerySet[Deed]:
    """Members' deeds waiting for the secretary (待确认), oldest first."""
    return (
        Deed.objects.filter(campaign=campaign, status=Deed.Status.SUBMITTED)
        .select_related("member", "post")
        .order_by("created_at", "pk")
    )


# --- Problems and rectification ---------------------------------------------------------------


def problem_list(*, campaign: Campaign) -> QuerySet[Problem]:
    """Problems found, newest first, with the rectification item each became."""
    return (
        Problem.objects.filter(campaign=campaign)
        .select_related("rectification__responsible", "recorded_by")
        .order_by("-found_on", "-pk")
    )


def rectification_list(
    *,
    branch: Branch,
    viewer: User,
    campaign: Campaign | None = None,
    status: str | None = None,
    overdue_only: bool = False,
) -> QuerySet[Rectification]:
    """Rectification items, overdue first, then by deadline, each with `n_measures`,
    `avg_percent`, `min_percent` and `overdue`. The secretary and leaders get the items with their
    responsible leader and number of problems; everyone else the public face only (internal
    fields are not read: `Rectification.for_public`; show them through `public_face()`)."""
    items = Rectification.objects.filter(branch=branch)
    if campaign is not None:
        items = items.filter(campaign=campaign)
    if status:
        items = items.filter(status=status)
    if overdue_only:
        items = items.overdue()
    if sees_internals(viewer, branch.pk):
        items = (
            items.select_related("responsible", "campaign")
            .with_progress()
            .with_overdue()
            .annotate(
                n_problems=count_of(
                    Problem.objects.filter(rectification=OuterRef("pk")), group="rectification"
                )
            )
        )
    elif reads_fortress(viewer, branch.pk):
        items = items.for_public()
    else:
        return Rectification.objects.none()
    return items.order_by("-overdue", "deadline", "pk")


def rectification_detail(*, rectification: Rectification, viewer: User) -> dict[str, Any]:
    """An item's page. With the internals (secretary, leaders, the responsible person): its
    measures with owners and evidence, and the problems behind it; otherwise only `public`, the
    public face. Two queries."""
    if not sees_rectification_internals(viewer, rectification):
        public = Rectification.objects.for_public().get(pk=rectification.pk).public_face()
        return {"public": public, "internal": False}
    return {
        "rectification": rectification,
        "public": None,
        "internal": True,
        "measures": rectification.measures.select_related("owner").order_by("order", "pk"),
        "problems": rectification.problems.select_related("campaign").order_by("-found_on"),
    }


def public_faces(items: QuerySet[Rectification] | list[Rectification]) -> list[Any]:
    """The public faces of a page of items from `rectification_list` (no extra query)."""
    return [item.public_face() for item in items]


def rectification_stats(
    *, branch: Branch, campaign: Campaign | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """Counts per class and per status, one query: "open" (待整改 + 整改中), "fixed" (已整改 +
    已验收), "declined" (不予整改: closed, and not fixed), "overdue", "total", and "by_status"
    ({status: count} for every status)."""
    items = Rectification.objects.filter(branch=branch)
    if campaign is not None:
        items = items.filter(campaign=campaign)
    today = today or timezone.localdate()
    S = Rectification.Status
    counts = items.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=Rectification.OPEN_STATUSES)),
        fixed=Count("pk", filter=Q(status__in=Rectification.FIXED_STATUSES)),
        declined=Count("pk", filter=Q(status=S.DECLINED)),
        overdue=Count("pk", filter=Q(status__in=Rectification.OPEN_STATUSES, deadline__lt=today)),
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in S.values},
    )
    counts["by_status"] = {status: counts.pop(f"status_{status}") for status in S.values}
    return counts


def measures_due(
    *, user: User, within_days: int = 7, today: dt.date | None = None
) -> QuerySet[Measure]:
    """Measures not done, due within `within_days` (or overdue), on open items `user` is
    responsible for or owns: the leader's to-do "a measure due"."""
    today = today or timezone.localdate()
    return (
        Measure.objects.filter(
            Q(rectification__responsible=user) | Q(owner=user),
            rectification__branch_id=user.branch_id,
            rectification__status__in=Rectification.OPEN_STATUSES,
            percent__lt=100,
            deadline__lte=today + dt.timedelta(days=within_days),
        )
        .select_related("rectification")
        .order_by("deadline", "pk")
    )


# --- The leadership team ----------------------------------------------------------------------


def decision_list(*, branch: Branch) -> QuerySet[Decision]:
    """Decisions, newest first, with attendees (prefetched) and their number."""
    attendance = Decision.attendees.through.objects.filter(decision=OuterRef("pk"))
    return (
        Decision.objects.filter(branch=branch)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("attendees", queryset=User.objects.order_by("full_name", "pk")))
        .annotate(n_attendees=count_of(attendance, group="decision"))
        .order_by("-decided_on", "-pk")
    )


def integrity_list(*, branch: Branch) -> QuerySet[IntegrityRecord]:
    return (
        IntegrityRecord.objects.filter(branch=branch)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("participants", queryset=User.objects.order_by("full_name", "pk"))
        )
        .order_by("-held_on", "-pk")
    )


def responsibility_list(*, branch: Branch) -> QuerySet[Responsibility]:
    """一岗双责: each leader's business area and party-building and integrity duty."""
    return (
        Responsibility.objects.filter(leader__branch=branch, leader__is_active=True)
        .select_related("leader")
        .order_by("order", "pk")
    )
