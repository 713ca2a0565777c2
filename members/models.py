from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .validators import phone_validator


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class Branch(TimeStampedModel):
    """党支部. Every campaign record belongs to one branch."""

    name = models.CharField(_("支部名称"), max_length=100)
    parent_org = models.CharField(_("所属单位"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("党支部")
        verbose_name_plural = _("党支部")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(TimeStampedModel):
    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="departments", verbose_name=_("党支部")
    )
    name = models.CharField(_("部门名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "name"], name="members_department_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Roles are Django groups named by these values; see members/roles.py."""

    SECRETARY = "secretary", _("支部书记/支委")
    LEADER = "leader", _("领导班子成员")
    MEMBER = "member", _("党员")
    STAFF = "staff", _("群众")


class UserQuerySet(models.QuerySet):
    def in_branch(self, branch: Branch | None) -> UserQuerySet:
        return self.filter(branch=branch)

    def with_role(self, role: str) -> UserQuerySet:
        return self.filter(groups__name=role)

    def named(self, username: str) -> UserQuerySet:
        """The account with this sign-in name in any case (`XT0202` is `xt0202`).

        Compares LOWER() on both sides in the database, as the unique constraint
        `members_user_unique_username_ci` does (and can use its index); not `iexact`, whose
        LIKE pattern SQLite refuses for long hostile input.
        """
        return self.alias(username_ci=Lower("username")).filter(
            username_ci=Lower(models.Value(username, output_field=models.CharField()))
        )

    def active(self) -> UserQuerySet:
        return self.filter(is_active=True)

    def party_members(self, branch: Branch | None) -> UserQuerySet:
        """Active people of the branch with the member role: they pledge, read and are evaluated.

        The one definition of "the branch's party members"; a person is in the member group at
        most once, so this yields one row per person.
        """
        return self.in_branch(branch).active().with_role(Role.MEMBER)

    def for_list(self) -> UserQuerySet:
        return self.select_related("department").prefetch_related("groups")


class PeopleManager(UserManager.from_queryset(UserQuerySet)):
    def get_by_natural_key(self, username: str | None) -> User:
        """Sign-in names are case-insensitive: `xt0202` signs in the account `XT0202`.

        Django's ModelBackend, createsuperuser and the admin's sign-in all ask here; the
        constraint `members_user_unique_username_ci` keeps the match to one account.
        """
        return self.named(username or "").get()


USERNAME_TAKEN = _("这个登录名已被使用（登录名不区分大小写）。")


class User(AbstractUser):
    """One account per person. Sign-in name is `username` (工号 for imported people)."""

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class PoliticalStatus(models.TextChoices):
        PARTY_MEMBER = "party_member", _("中共党员")
        PROBATIONARY = "probationary", _("中共预备党员")
        ACTIVIST = "activist", _("入党积极分子")
        LEAGUE_MEMBER = "league_member", _("共青团员")
        MASSES = "masses", _("群众")

    # Political statuses that make a party member: the member role by default, a joining date.
    PARTY_STATUSES = frozenset({PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY})

    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("党支部"),
        null=True,
        blank=True,
    )
    full_name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("部门"),
        null=True,
        blank=True,
    )
    position = models.CharField(_("岗位"), max_length=50, blank=True)
    employee_no = models.CharField(_("工号"), max_length=30, blank=True)
    phone = models.CharField(_("手机"), max_length=11, blank=True, validators=[phone_validator])
    political_status = models.CharField(
        _("政治面貌"),
        max_length=20,
        choices=PoliticalStatus.choices,
        default=PoliticalStatus.MASSES,
    )
    joined_party_on = models.DateField(_("入党日期"), null=True, blank=True)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    objects = PeopleManager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["department__order", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "employee_no"],
                condition=~models.Q(employee_no=""),
                name="members_user_unique_employee_no",
            ),
            # Two accounts whose sign-in names differ only in case would be one sign-in name.
            models.UniqueConstraint(
                Lower("username"),
                name="members_user_unique_username_ci",
                violation_error_code="username_taken",
                violation_error_message=USERNAME_TAKEN,
            ),
        ]
        indexes = [
            # People list: filter by branch, ordered by name.
            models.Index(fields=["branch", "full_name"], name="members_user_branch_name"),
        ]
        permissions = [
            ("manage_people", _("管理人员、导入与重置密码")),
            ("view_directory", _("查看通讯录")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("members:person_detail", args=[self.pk])

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The role groups of this person; served from a prefetch when there is one."""
        return frozenset(group.name for group in self.groups.all())

    def has_role(self, role: str) -> bool:
        return role in self.role_names

    @property
    def is_secretary(self) -> bool:
        return self.has_role(Role.SECRETARY)

    @property
    def is_leader(self) -> bool:
        return self.has_role(Role.LEADER)

    @property
    def is_party_member(self) -> bool:
        return self.political_status in self.PARTY_STATUSES

    @property
    def role_labels(self) -> list[str]:
        names = self.role_names
        return [str(Role(value).label) for value in Role.values if value in names]


class Responsibility(TimeStampedModel):
    """领导班子分工: a leader's business area plus party/integrity duty (一岗双责)."""

    leader = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("领导")
    )
    title = models.CharField(_("职务"), max_length=50)
    business_area = models.CharField(_("业务分工"), max_length=200)
    party_duty = models.CharField(_("党建与廉政职责（一岗双责）"), max_length=200)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("领导班子分工")
        verbose_name_plural = _("领导班子分工")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.leader} · {self.title}"


class AuditEntry(models.Model):
    """Who changed what, when. Written by services through members.audit.record.

    It never names who cast an anonymous ballot or sent anonymous feedback: services for those
    record nothing about the person.
    """

    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        related_name="audit_entries",
        verbose_name=_("党支部"),
        null=True,
        blank=True,
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=50)
    object_type = models.CharField(_("对象类型"), max_length=50, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Audit page: one branch's entries, newest first.
            models.Index(fields=["branch", "-created_at"], name="members_audit_branch_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"
