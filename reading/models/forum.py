"""Phase 3, the 读书论坛: reflections (读后感), revisions, comments, likes and features (精华)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import TimeStampedModel

from .activity import ReadingActivity, Selection


class ReflectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReflectionQuerySet:  # noqa: ANN001 - a User
        """Hidden posts stay visible to their author and to the secretary, nobody else."""
        if user.has_perm("reading.manage_reading"):
            return self
        return self.filter(Q(hidden=False) | Q(author=user))

    def for_forum(self) -> ReflectionQuerySet:
        """The list page: author, book, feature and the two counters in one query."""
        visible_comments = Count("comments", filter=Q(comments__hidden=False), distinct=True)
        return self.select_related("author", "author__department", "selection").annotate(
            comment_count=visible_comments,
            like_count=Count("likes", distinct=True),
            is_featured=Exists(Feature.objects.filter(reflection=OuterRef("pk"))),
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
            # Forum list: one activity's posts, newest first.
            models.Index(fields=["activity", "-created_at"], name="reading_reflection_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reading:reflection_detail", args=[self.pk])


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

    class Meta:
        verbose_name = _("修改记录")
        verbose_name_plural = _("修改记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} @ {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("reading:reflection_revisions", args=[self.reflection_id])


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


class Feature(TimeStampedModel):
    """精华推荐: the secretary's pick, with the reason given (推荐理由)."""

    reflection = models.OneToOneField(
        Reflection, on_delete=models.CASCADE, related_name="feature", verbose_name=_("读后感")
    )
    reason = models.TextField(_("推荐理由"))
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("推荐人"),
    )

    class Meta:
        verbose_name = _("精华推荐")
        verbose_name_plural = _("精华推荐")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"精华：{self.reflection}"

    def get_absolute_url(self) -> str:
        return reverse("reading:showcase", args=[self.reflection.activity_id])
