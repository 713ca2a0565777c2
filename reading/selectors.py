"""Reads for the pages of the reading activity: each runs a fixed number of queries.

Keyword-only like the services; selectors import no services (shared predicates: reading/rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from config.queries import count_of
from members.models import User

from .models import (
    Comment,
    Distribution,
    Endorsement,
    Feature,
    Purchase,
    ReadingActivity,
    ReadingProgress,
    Recommendation,
    Reflection,
    Revision,
    Selection,
)
from .models.supply import money
from .text import isbn13, normalize_author, normalize_text

# --- People -------------------------------------------------------------------------------------


def participants(*, activity: ReadingActivity) -> QuerySet[User]:
    """The branch's party members (User.objects.party_members), by name."""
    return (
        User.objects.party_members(activity.branch)
        .select_related("department")
        .order_by("full_name", "pk")
    )


def participants_overview(
    *, activity: ReadingActivity, show: str = "", viewer: User
) -> QuerySet[User]:
    """Each member with his or her recommendation, hand-outs, finished books and posts; books and
    posts counted as the viewer may see them (private progress counts for the secretary only)."""
    mine = Recommendation.objects.filter(activity=activity, member=OuterRef("pk"))
    in_activity = Q(
        book_distributions__selection__activity=activity,
        book_distributions__voided_at__isnull=True,
    )
    finished = ReadingProgress.objects.visible_to(viewer).filter(
        selection__activity=activity, status=ReadingProgress.Status.FINISHED
    )
    posts = Reflection.objects.visible_to(viewer).filter(activity=activity)
    people = participants(activity=activity).annotate(
        recommended_title=Subquery(mine.values("title")[:1]),
        issued=Count("book_distributions", filter=in_activity, distinct=True),
        confirmed=Count(
            "book_distributions",
            filter=in_activity & Q(book_distributions__confirmed_at__isnull=False),
            distinct=True,
        ),
        finished=Count("reading_progress", filter=Q(reading_progress__in=finished), distinct=True),
        posts=Count("reflections", filter=Q(reflections__in=posts), distinct=True),
    )
    if show == "recommended":
        people = people.filter(recommended_title__isnull=False)
    elif show == "not_recommended":
        people = people.filter(recommended_title__isnull=True)
    elif show == "posted":
        people = people.filter(posts__gt=0)
    return people


# --- Phase 1: the tally -------------------------------------------------------------------------


# Recommendations shown per book on the tally; 查看全部 opens the book with all of them. A
# company's activity has hundreds of recommendations of a dozen books: the page listed them all.
TALLY_SHOWN = 3


@dataclass
class BookGroup:
    """Recommendations of the same book (same ISBN, or same title and author once normalized).

    `shown`: the recommendations the page shows, with their member and 附议 (tally_details)."""

    recommendations: list[Recommendation] = field(default_factory=list)
    selected: bool = False
    shown: list[Recommendation] = field(default_factory=list)

    @property
    def first(self) -> Recommendation:
        return self.recommendations[0]

    @property
    def count(self) -> int:
        return len(self.recommendations)

    @property
    def seconds(self) -> int:
        return sum(r.endorsement_count for r in self.recommendations)

    @property
    def isbn(self) -> str:
        return next((r.isbn for r in self.recommendations if r.isbn), "")

    @property
    def more(self) -> int:
        """Recommendations of the book not shown on the tally."""
        return self.count - len(self.shown)

    def holds(self, pk: int) -> bool:
        return any(r.pk == pk for r in self.recommendations)


def _group_keys(rec: Recommendation) -> list[str]:
    keys = [f"t:{normalize_text(rec.title)}|{normalize_author(rec.author)}"]
    if rec.isbn:
        keys.append(f"i:{isbn13(rec.isbn)}")
    return keys


def group_recommendations(*, recommendations: list[Recommendation]) -> list[list[Recommendation]]:
    """Union-find over the keys, so an ISBN match and a title match join one group."""
    parent = list(range(len(recommendations)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[str, int] = {}
    for i, rec in enumerate(recommendations):
        for key in _group_keys(rec):
            if key in seen:
                parent[root(i)] = root(seen[key])
            else:
                seen[key] = i
    groups: dict[int, list[Recommendation]] = {}
    for i, rec in enumerate(recommendations):
        groups.setdefault(root(i), []).append(rec)
    return list(groups.values())


def recommendation_tally(*, activity: ReadingActivity, details: bool = True) -> list[BookGroup]:
    """Every recommendation of the activity grouped into books, most recommended first.

    details=False reads only what grouping and the book's heading need (no member, reason or
    附议 rows): the page then reads those for the recommendations it shows (tally_details)."""
    endorsements = count_of(
        Endorsement.objects.filter(recommendation=OuterRef("pk")), group="recommendation"
    )
    rows = (
        Recommendation.objects.filter(activity=activity)
        .annotate(endorsement_count=endorsements)
        .order_by("created_at", "pk")
    )
    if details:
        rows = rows.select_related("member").prefetch_related(
            Prefetch("endorsements", queryset=Endorsement.objects.select_related("member"))
        )
    else:
        rows = rows.defer("reason")
    recommendations = list(rows)
    selected_ids = set(
        Selection.objects.filter(activity=activity).values_list("recommendation_id", flat=True)
    )
    groups = [
        BookGroup(
            recommendations=recs,
            selected=any(r.pk in selected_ids for r in recs),
            shown=recs if details else [],
        )
        for recs in group_recommendations(recommendations=recommendations)
    ]
    # Most recommended first: the committee reads it top-down. Ties by title.
    groups.sort(key=lambda g: (-g.count, -g.seconds, normalize_text(g.first.title)))
    return groups


def tally_details(groups: list[BookGroup], *, everything: bool = False) -> None:
    """Read, for the books on the page, the recommendations it shows (the first TALLY_SHOWN of
    each, or all with `everything`) with their member and 附议, in one query and a prefetch."""
    wanted = [
        r.pk
        for g in groups
        for r in (g.recommendations if everything else g.recommendations[:TALLY_SHOWN])
    ]
    full = (
        Recommendation.objects.filter(pk__in=wanted)
        .select_related("member")
        .prefetch_related(
            Prefetch("endorsements", queryset=Endorsement.objects.select_related("member"))
        )
        .in_bulk()
    )
    for g in groups:
        g.shown = [full[r.pk] for r in g.recommendations if r.pk in full]


def endorsed_ids(*, activity: ReadingActivity, user: User) -> set[int]:
    return set(
        Endorsement.objects.filter(member=user, recommendation__activity=activity).values_list(
            "recommendation_id", flat=True
        )
    )


# --- Purchases and hand-out ---------------------------------------------------------------------


def purchases(*, activity: ReadingActivity) -> dict[str, Any]:
    """Every purchase, 作废 ones too (shown struck through); the totals count the valid ones and
    are computed by the database."""
    rows = list(
        Purchase.objects.filter(selection__activity=activity)
        .select_related("selection", "recorded_by", "voided_by")
        .order_by("selection__order", "purchased_on", "pk")
    )
    valid = Purchase.objects.filter(selection__activity=activity).valid()
    per_book: dict[int, dict[str, Any]] = {}
    for s in activity.selections.all():
        per_book[s.pk] = {"selection": s, "copies": 0, "cost": Decimal("0.00")}
    sums = (
        valid.order_by()
        .values("selection")
        .annotate(copies=Sum("quantity"), cost=Sum(Purchase.COST))
    )
    for n in sums:
        per_book[n["selection"]].update(copies=n["copies"], cost=money(n["cost"]))
    total = valid.cost()
    return {
        "rows": rows,
        "books": list(per_book.values()),
        "total": total,
        "copies": sum(b["copies"] for b in per_book.values()),
        "remaining": activity.budget - total,
        "over_budget": total > activity.budget,
        "overrun": total - activity.budget,
        "voided": sum(1 for p in rows if p.is_voided),
    }


@dataclass
class DistributionRow:
    member: User
    cells: list[tuple[Selection, Distribution | None]]


def distribution_people(*, activity: ReadingActivity, show: str = "") -> QuerySet[User]:
    """Members for the hand-out list (发放台账 page), filtered by what is missing."""
    books = activity.selections.count()
    # Correlated counts on the hand-out table's member index: a join over every member's
    # hand-outs of every activity, grouped, cost 33 ms at company size.
    mine = Distribution.objects.filter(member=OuterRef("pk"), selection__activity=activity).valid()
    people = participants(activity=activity).annotate(
        issued=count_of(mine, group="member"),
        confirmed=count_of(mine.filter(confirmed_at__isnull=False), group="member"),
    )
    if show == "not_issued":
        people = people.filter(issued__lt=books)
    elif show == "unconfirmed":
        people = people.filter(Q(issued__lt=books) | Q(confirmed__lt=books))
    elif show == "issued":
        people = people.filter(issued__gt=0)
    elif show == "confirmed":
        people = people.filter(confirmed__gt=0)
    return people


def distribution_rows(*, activity: ReadingActivity, people: list[User]) -> list[DistributionRow]:
    """One cell per member and book: the valid hand-out, else the latest 作废 one (or None). The
    cell's hand-out carries the other 作废 ones of that member and book in `voided_also`."""
    selections = list(activity.selections.all())
    found: dict[tuple[int, int], list[Distribution]] = {}
    for d in (
        Distribution.objects.filter(selection__activity=activity, member__in=people)
        .select_related("issued_by", "voided_by")
        .order_by(F("voided_at").desc(nulls_first=True), "-pk")
    ):
        found.setdefault((d.member_id, d.selection_id), []).append(d)
    for shown, *others in found.values():
        shown.voided_also = others
    return [
        DistributionRow(
            member=p,
            cells=[(s, found.get((p.pk, s.pk), [None])[0]) for s in selections],
        )
        for p in people
    ]


def my_distributions(*, activity: ReadingActivity, user: User) -> list[Distribution]:
    """The member's hand-outs, 作废 ones too (with their reason) after the valid one."""
    return list(
        Distribution.objects.filter(selection__activity=activity, member=user)
        .select_related("selection", "issued_by")
        .order_by("selection__order", F("voided_at").desc(nulls_first=True), "-pk")
    )


# --- Phase 2: progress --------------------------------------------------------------------------


def expected_percent(*, activity: ReadingActivity) -> int:
    """Where a reader would be if reading evenly through phase 2 (100 once it is over)."""
    today = timezone.localdate()
    if today <= activity.read_start:
        return 0
    if today >= activity.read_end:
        return 100
    days = (activity.read_end - activity.read_start).days or 1
    return int(100 * (today - activity.read_start).days / days)


@dataclass
class ProgressRow:
    member: User
    cells: list[tuple[Selection, ReadingProgress | None, bool]]  # (book, progress, behind)

    @property
    def behind(self) -> bool:
        return any(behind for _s, _p, behind in self.cells)


def progress_rows(
    *,
    activity: ReadingActivity,
    people: list[User],
    viewer: User,
) -> list[ProgressRow]:
    """Progress per member and book, as the viewer may see it (ReadingProgress.visible_to): a row
    kept private is shown as not shared."""
    selections = list(activity.selections.all())
    found = {
        (p.member_id, p.selection_id): p
        for p in ReadingProgress.objects.visible_to(viewer).filter(
            selection__activity=activity, member__in=people
        )
    }
    pace = expected_percent(activity=activity)
    rows = []
    for person in people:
        cells = []
        for s in selections:
            progress = found.get((person.pk, s.pk))
            behind = (progress.percent if progress else 0) < pace
            cells.append((s, progress, behind))
        rows.append(ProgressRow(member=person, cells=cells))
    return rows


def progress_people(
    *, activity: ReadingActivity, show: str = "", viewer: User, books: int | None = None
) -> QuerySet[User]:
    """Members filtered by finished books, counting only the progress the viewer may see.
    `books`: the activity's number of chosen books, when the caller has counted them already."""
    if books is None:
        books = activity.selections.count()
    seen = ReadingProgress.objects.visible_to(viewer).filter(
        selection__activity=activity, status=ReadingProgress.Status.FINISHED
    )
    finished = count_of(seen.filter(member=OuterRef("pk")), group="member")
    people = participants(activity=activity).annotate(finished_books=finished)
    if show == "finished":
        people = people.filter(finished_books__gte=books, finished_books__gt=0)
    elif show == "not_finished":
        people = people.filter(finished_books__lt=books)
    return people


# --- Phase 3: forum -----------------------------------------------------------------------------


def forum(
    *,
    activity: ReadingActivity,
    viewer: User,
    q: str = "",
    selection: int | None = None,
    featured: bool = False,
) -> QuerySet[Reflection]:
    """The 读书论坛 list; `q`: words a post must all contain, each in its title, body, excerpt or
    author's name, letter case ignored.

    Each word is one OR of the post's own columns, so that PostgreSQL answers every branch from
    an index and combines them (BitmapOr): the trigram indexes of migration 0007 and the author's
    foreign key. So the authors are looked up first, as ids: one query for all the words, among
    the branch's people (a join to the users or a subquery in the OR left PostgreSQL one filter
    on every post of the activity).

    A word without letter case (中文, digits) is matched case-sensitively: UPPER() changes only
    letters with case, so the posts are the same, and PostgreSQL no longer upper-cases every
    post's text it reads (6 µs a post: 20 ms of an activity's 3,300 posts for a two-character
    word, which no trigram index serves, against 5 ms for the plain LIKE)."""
    posts = Reflection.objects.filter(activity=activity).visible_to(viewer).for_forum(viewer)
    words = [(word, _caseless(word)) for word in q.split()]
    people: list[tuple[int, str]] = []
    if words:
        named = Q()
        for word, caseless in words:
            named |= Q(**{f"full_name__{'holds' if caseless else 'icontains'}": word})
        people = list(
            User.objects.filter(named, branch_id=activity.branch_id)
            .order_by()
            .values_list("pk", "full_name")
        )
    for word, caseless in words:
        lookup = "holds" if caseless else "icontains"  # holds: config/queries.py
        if caseless:
            authors = [pk for pk, name in people if word in name]
        else:
            authors = [pk for pk, name in people if word.upper() in name.upper()]
        posts = posts.filter(
            Q(**{f"title__{lookup}": word})
            | Q(**{f"body__{lookup}": word})
            | Q(**{f"excerpt__{lookup}": word})
            | Q(author_id__in=authors)
        )
    if selection:
        posts = posts.filter(selection_id=selection)
    if featured:
        posts = posts.filter(is_featured=True)
    return posts.order_by("-created_at", "-pk")


def _caseless(word: str) -> bool:
    """Whether a word has no letter with case (中文, digits): matched without UPPER()."""
    return word.upper() == word == word.lower()


def forum_ids(posts: QuerySet[Reflection], *, searched: bool) -> QuerySet | list[int]:
    """What the forum paginates: the ids of `posts`, in the list's order.

    Without a search, a query (the page's count and OFFSET come from the activity's index).
    With one, the list of every match, read at once: the count and the page's LIMIT would each
    read the activity's posts again, and a word found in few posts (most words) has LIMIT read
    them all."""
    ids = posts.values_list("pk", flat=True)
    return list(ids) if searched else ids


# What a post's card on the forum shows (reading/_reflection_item.html): the rest of the post,
# its author's record and the book's are not read.
CARD_FIELDS = (
    "title",
    "body",
    "hidden",
    "created_at",
    "author__full_name",
    "author__department__name",
    "selection__title",
)


def forum_page(page: Page, *, viewer: User) -> Page:
    """A page of the forum paginated over post ids (forum_ids), with the page's posts then read
    with their author, book and counters. PostgreSQL computes every selected column of the rows
    an OFFSET skips: paginating the annotated list made page 166 of 20,000 posts three times
    slower than page 1."""
    ids = list(page.object_list)
    posts = Reflection.objects.filter(pk__in=ids).for_forum(viewer).only(*CARD_FIELDS).in_bulk()
    page.object_list = [posts[pk] for pk in ids if pk in posts]
    return page


def reflection_comments(*, reflection: Reflection, viewer: User) -> list[Comment]:
    """The comments of a post the viewer may see (fetched through access.get_reflection_for_user):
    only the comments' own rule applies, not the post's again."""
    return list(
        Comment.objects.filter(reflection=reflection)
        .shown_to(viewer)
        .select_related("author", "author__department")
    )


def reflection_revisions(*, reflection: Reflection, viewer: User) -> QuerySet[Revision]:
    return Revision.objects.filter(reflection=reflection).visible_to(viewer)


def showcase(*, activity: ReadingActivity, viewer: User) -> QuerySet[Reflection]:
    """Posts whose 精华 is on show: confirmed by the secretary and not waiting for review.

    The same rows as `Feature.objects.visible_to(viewer).published()` (a published feature is
    visible to everyone who sees its post), as a plain join: the nested IN (…) of that queryset
    cost a scan of every post and feature at 20,000 posts."""
    return (
        Reflection.objects.filter(
            activity=activity, hidden=False, feature__status=Feature.Status.PUBLISHED
        )
        .visible_to(viewer)
        .for_forum(viewer)
        .select_related("feature", "feature__featured_by")
        .order_by("-feature__created_at", "-pk")
    )


def features_in_review(*, activity: ReadingActivity, viewer: User) -> list[Feature]:
    """精华 the author edited since it was featured: off the showcase until confirmed again."""
    return list(
        Feature.objects.visible_to(viewer)
        .filter(reflection__activity=activity, status=Feature.Status.REVIEW)
        .select_related("reflection", "reflection__author")
        .order_by("-updated_at", "-pk")
    )


def _comments_of(*, activity: ReadingActivity, viewer: User) -> QuerySet[Comment]:
    """The comments the viewer sees on one activity's posts: Comment.visible_to's rule, with the
    posts narrowed to the activity first (the branch's every post made the database walk every
    comment of every activity: 61 ms → a few at 200,000 comments)."""
    posts = Reflection.objects.filter(activity=activity).visible_to(viewer).values("pk")
    return Comment.objects.filter(reflection__in=posts).shown_to(viewer)


def activity_comments(*, activity: ReadingActivity, viewer: User) -> QuerySet[Comment]:
    return (
        _comments_of(activity=activity, viewer=viewer)
        .select_related("author", "reflection")
        .order_by("-created_at", "-pk")
    )


# --- Statistics ---------------------------------------------------------------------------------


def activity_stats(*, activity: ReadingActivity, viewer: User) -> dict[str, Any]:
    """The numbers of one activity, each counting what the viewer sees on the list it links to."""
    people = participants(activity=activity)
    total_people = people.count()
    # Three counts of the activity's own rows in one statement.
    phase1 = (
        ReadingActivity.objects.filter(pk=activity.pk)
        .annotate(
            books=count_of(Selection.objects.filter(activity=OuterRef("pk")), group="activity"),
            recommended=count_of(
                Recommendation.objects.filter(activity=OuterRef("pk")), group="activity"
            ),
            seconds=count_of(
                Endorsement.objects.filter(recommendation__activity=OuterRef("pk")),
                group="recommendation__activity",
            ),
        )
        .values("books", "recommended", "seconds")
        .get()
    )
    books = phase1["books"]
    bought = (
        Purchase.objects.filter(selection__activity=activity)
        .valid()
        .aggregate(copies=Sum("quantity"), cost=Sum(Purchase.COST))
    )
    handed = (
        Distribution.objects.filter(selection__activity=activity)
        .valid()
        .aggregate(issued=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)))
    )
    finished = progress_people(activity=activity, show="finished", viewer=viewer, books=books)
    finished_people = finished.count() if books else 0
    # 精华 on show: a published feature of a post that is not hidden (Feature.published), among
    # the posts the viewer sees; the one-to-one join adds no rows.
    on_show = Q(feature__status=Feature.Status.PUBLISHED, hidden=False)
    posts = (
        Reflection.objects.filter(activity=activity)
        .visible_to(viewer)
        .aggregate(
            n=Count("pk"),
            n_hidden=Count("pk", filter=Q(hidden=True)),
            authors=Count("author", distinct=True),
            featured=Count("pk", filter=on_show),
        )
    )
    comments = _comments_of(activity=activity, viewer=viewer).aggregate(
        n=Count("pk"), hidden=Count("pk", filter=Q(hidden=True))
    )
    return {
        "people": total_people,
        "recommended": phase1["recommended"],
        "seconds": phase1["seconds"],
        "books": books,
        "copies": bought["copies"] or 0,
        "cost": money(bought["cost"]),
        "budget": activity.budget,
        "expected_handouts": total_people * books,
        "issued": handed["issued"],
        "confirmed": handed["confirmed"],
        "finished_people": finished_people,
        "finished_pairs": ReadingProgress.objects.visible_to(viewer)
        .filter(selection__activity=activity, status=ReadingProgress.Status.FINISHED)
        .count(),
        "posts": posts["n"],
        "hidden_posts": posts["n_hidden"],
        "authors": posts["authors"],
        "comments": comments["n"],
        "hidden_comments": comments["hidden"],
        "featured": posts["featured"],
    }
