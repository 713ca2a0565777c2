"""Phase 3, the 读书论坛: reflections (读后感), revisions, comments, likes and features (精华)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.queries import count_of
from members.models import TimeStampedModel, User

from ..rules import moderates
from .activity import ReadingActivity, Selection


class ReflectionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ReflectionQuerySet:
        """THE rule for posts, used by the post's page, every list and every count of posts: posts
        of the user's branch; a hidden one only for its author and the secretary."""
        mine = self.filter(activity__branch_id=user.branch_id)
        if moderates(user):
            return mine
        return mine.filter(Q(hidden=False) | Q(author=user))

    def for_forum(self, viewer: User) -> ReflectionQuerySet:
        """The list page: author, book, feature and the two counters in one query. The comment
        count is of the comments the viewer sees on the post's own page.

        The counters are correlated subqueries, each served by its foreign key's index and
        computed only for the rows of the page. Counting over joins instead (COUNT(DISTINCT …)
        over comments × likes, grouped by every column) cost seconds a page at 20,000 posts.
        """
        comments = Comment.objects.filter(reflection=OuterRef("pk")).shown_to(viewer)
        likes = Like.objects.filter(reflection=OuterRef("pk"))
        return self.select_related("author", "author__department", "selection").annotate(
            comment_count=count_of(comments, group="reflection"),
            like_count=count_of(likes, group="reflection"),
            is_featured=Exists(Feature.objects.published().filter(reflection=OuterRef("pk"))),
        )


class Reflection(TimeStampedModel):
    """读后感: stored exactly as written; rendered as limited, sanitized markdown."""

    activity = models.ForeignKey(
        ReadingActivity,
        on_delete=models.CASCADE,
        related_name="reflections",
        verbose_name=_("读书活动"),
    )
    selection = models.ForeignKey(
        Selection, on_delete=models.PROTECT, related_name="reflections", verbose_name=_("书目")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reflections",
        verbose_name=_("作者"),
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    excerpt = models.TextField(_("摘抄"), blank=True)
    excerpt_page = models.PositiveIntegerField(_("摘抄页码"), null=True, blank=True)
    hidden = models.BooleanField(_("已隐藏"), default=False)
    hidden_reason = models.CharField(_("隐藏原因"), max_length=200, blank=True)
    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("隐藏人"),
    )

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("读后感")
        verbose_name_plural = _("读后感")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excerpt_page__isnull=True) | Q(excerpt_page__gte=1),
                name="reading_reflection_excerpt_page_positive",
            ),
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""),
                name="reading_reflection_hidden_has_reason",
            ),
        ]
        indexes = [
            # Forum list: one activity's posts, newest first, in exactly the list's order (the
            # pk breaks ties): SQLite then steps over a deep page's OFFSET in the index instead of
            # sorting, and computing the counters of, every earlier post (63 ms → 4 ms for page
            # 166 of 20,000 posts).
            models.Index(
                fields=["activity", "-created_at", "-id"], name="reading_reflection_recent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reading:reflection_detail", args=[self.pk])


class RevisionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> RevisionQuerySet:
        """THE rule for revisions: those of a post the user may see; revisions sealed when the post
        was hidden (its text before the hide) only for the secretary."""
        of_visible = self.filter(reflection__in=Reflection.objects.visible_to(user))
        if moderates(user):
            return of_visible
        return of_visible.filter(sealed=False)


class Revision(models.Model):
    """The text of a reflection before one edit; every edit keeps one."""

    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("读后感")
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    excerpt = models.TextField(_("摘抄"), blank=True)
    excerpt_page = models.PositiveIntegerField(_("摘抄页码"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    created_at = models.DateTimeField(_("修改时间"), auto_now_add=True)
    # Set on every revision a post has when it is hidden: what it said before a hide stays with
    # the secretary, also after the post is restored.
    sealed = models.BooleanField(
        _("仅支部书记可见"),
        default=False,
        help_text=_("读后感被隐藏时，此前的修改记录只留给支部书记查看。"),
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("修改记录")
        verbose_name_plural = _("修改记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} @ {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("reading:reflection_revisions", args=[self.reflection_id])


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> CommentQuerySet:
        """THE rule for comments, used by the post's page, the comment list and every count: those
        on a post the user may see; a hidden one only for its writer and the secretary."""
        on_visible = self.filter(reflection__in=Reflection.objects.visible_to(user))
        return on_visible.shown_to(user)

    def shown_to(self, user: User) -> CommentQuerySet:
        """The comment's own part of the rule, for comments of a post already known to be
        visible: a hidden comment only for its writer and the secretary."""
        if moderates(user):
            return self
        return self.filter(Q(hidden=False) | Q(author=user))


class Comment(TimeStampedModel):
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="comments", verbose_name=_("读后感")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reflection_comments",
        verbose_name=_("评论人"),
    )
    body = models.TextField(_("评论"))
    hidden = models.BooleanField(_("已隐藏"), default=False)
    hidden_reason = models.CharField(_("隐藏原因"), max_length=200, blank=True)
    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("隐藏人"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("评论")
        verbose_name_plural = _("评论")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""),
                name="reading_comment_hidden_has_reason",
            ),
        ]
        indexes = [
            # Counting the comments a person sees (CommentQuerySet.shown_to) from the index
            # alone, without reading the rows: 19 → 6 ms for an activity's 30,000 comments.
            models.Index(fields=["reflection", "hidden", "author"], name="reading_comment_shown"),
        ]

    def __str__(self) -> str:
        return f"{self.author}：{self.body[:20]}"

    def get_absolute_url(self) -> str:
        return self.reflection.get_absolute_url() + f"#comment-{self.pk}"


class Like(models.Model):
    """点赞: one per person and reflection, shown as a count only."""

    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="likes", verbose_name=_("读后感")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reflection_likes",
        verbose_name=_("点赞人"),
    )
    created_at = models.DateTimeField(_("点赞时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("点赞")
        verbose_name_plural = _("点赞")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "person"], name="reading_like_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} 👍 {self.reflection}"


class FeatureQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> FeatureQuerySet:
        """Features of posts the user may see: on show, and for the secretary and the post's
        author also those waiting for review."""
        of_visible = self.filter(reflection__in=Reflection.objects.visible_to(user))
        return of_visible.shown_to(user)

    def shown_to(self, user: User) -> FeatureQuerySet:
        """The feature's own part of the rule, for the feature of a post already known to be
        visible (the post's page): one in review only for the secretary and the author."""
        if moderates(user):
            return self
        return self.filter(Q(status=Feature.Status.PUBLISHED) | Q(reflection__author=user))

    def published(self) -> FeatureQuerySet:
        """On show (精华推荐, 宣传, the 精华 badge): confirmed and the post not hidden."""
        return self.filter(status=Feature.Status.PUBLISHED, reflection__hidden=False)


class Feature(TimeStampedModel):
    """精华推荐: the secretary's pick, with the reason given (推荐理由).

    PUBLISHED → REVIEW when the author edits the post (the reason was written for the old text);
    REVIEW → PUBLISHED when the secretary confirms it again. Hiding the post or 取消精华 deletes it.
    """

    class Status(models.TextChoices):
        PUBLISHED = "published", _("展示中")
        REVIEW = "review", _("待复核")

    reflection = models.OneToOneField(
        Reflection, on_delete=models.CASCADE, related_name="feature", verbose_name=_("读后感")
    )
    reason = models.TextField(_("推荐理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("推荐人"),
    )

    objects = FeatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("精华推荐")
        verbose_name_plural = _("精华推荐")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["published", "review"]),
                name="reading_feature_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"精华：{self.reflection}"

    def get_absolute_url(self) -> str:
        return reverse("reading:reflection_showcase", args=[self.reflection.activity_id])

    @property
    def in_review(self) -> bool:
        return self.status == self.Status.REVIEW
