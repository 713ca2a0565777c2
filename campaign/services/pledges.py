"""公开承诺: draft → submitted → approved (or returned) → published (亮诺) → judged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import audit
from members.models import Role, User

from ..models import Campaign, Pledge, PledgeProgress, Standard
from ._common import check_not_voided, check_transition, describe_changes, lock, mark_voided, record

S = Pledge.Status
PLEDGE_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.RETURNED: {S.SUBMITTED},
    S.SUBMITTED: {S.APPROVED, S.RETURNED},
    S.APPROVED: {S.PUBLISHED, S.RETURNED},
    S.PUBLISHED: {S.JUDGED},
    S.JUDGED: set(),
}
PLEDGE_FIELDS = ("standard", "goal", "tasks", "measures", "deadline")


def _move(pledge: Pledge, target: str) -> None:
    check_transition(
        current=pledge.status,
        target=target,
        transitions=PLEDGE_TRANSITIONS,
        labels=dict(S.choices),
        what=_("这条承诺"),
    )
    pledge.status = target


def _check_content(
    *, campaign: Campaign, scope: str, standard: Standard, deadline: dt.date
) -> None:
    chosen = campaign.standards_for(scope)
    if chosen is None or standard.standard_set_id != chosen.pk:
        raise ValidationError(
            {"standard": _("请选择本次活动规定的标准条目。")}, code="wrong_standard"
        )
    if not campaign.starts_on <= deadline <= campaign.ends_on:
        raise ValidationError(
            {
                "deadline": _("完成时限须在活动期间（%(start)s 至 %(end)s）。")
                % {"start": campaign.starts_on, "end": campaign.ends_on}
            },
            code="deadline_outside",
        )


def _check_unique(
    *,
    campaign: Campaign,
    scope: str,
    owner: User | None,
    standard: Standard,
    exclude_pk: int | None = None,
) -> None:
    same = Pledge.objects.filter(campaign=campaign, standard=standard)
    same = same.filter(owner=owner) if owner else same.filter(owner__isnull=True, scope=scope)
    if same.exclude(pk=exclude_pk).exists():
        raise ValidationError(
            {"standard": _("“%(item)s”已经有承诺了，请修改原来那条。") % {"item": standard.name}},
            code="duplicate",
        )


@transaction.atomic
def pledge_create(
    *,
    campaign: Campaign,
    scope: str,
    owner: User | None,
    data: dict[str, Any],
    by: User,
) -> Pledge:
    """A draft pledge of a member (owner) or of the branch / leadership team (owner None)."""
    if campaign.status != Campaign.Status.ACTIVE:
        raise ValidationError(_("活动不在进行中，不能作出承诺。"))
    if scope == Pledge.Scope.MEMBER:
        if (
            owner is None
            or owner.branch_id != campaign.branch_id
            or not owner.has_role(Role.MEMBER)
        ):
            raise ValidationError(_("只有本支部党员可以作出个人承诺。"))
    elif owner is not None:
        raise ValidationError(_("党组织和领导班子的承诺不属于个人。"))
    elif not Pledge.may_write(scope, by):
        raise ValidationError(
            _("领导班子的承诺由班子成员或支部书记起草，党支部的承诺由支部书记起草。"),
            code="forbidden",
        )
    _check_content(
        campaign=campaign, scope=scope, standard=data["standard"], deadline=data["deadline"]
    )
    _check_unique(campaign=campaign, scope=scope, owner=owner, standard=data["standard"])
    pledge = Pledge.objects.create(
        campaign=campaign, scope=scope, owner=owner, **{f: data[f] for f in PLEDGE_FIELDS}
    )
    record(by=by, action=_("起草公开承诺"), obj=pledge)
    return pledge


def pledge_check_editable(*, pledge: Pledge) -> None:
    """Only a draft or a returned pledge changes. Views call it before they show the form."""
    if not pledge.is_editable:
        raise ValidationError(
            _("这条承诺是“%(status)s”状态，只有草稿或已退回的承诺可以修改。")
            % {"status": pledge.get_status_display()},
            code="not_editable",
        )


@transaction.atomic
def pledge_update(*, pledge: Pledge, data: dict[str, Any], by: User) -> Pledge:
    pledge_check_editable(pledge=pledge)
    _check_content(
        campaign=pledge.campaign,
        scope=pledge.scope,
        standard=data["standard"],
        deadline=data["deadline"],
    )
    _check_unique(
        campaign=pledge.campaign,
        scope=pledge.scope,
        owner=pledge.owner,
        standard=data["standard"],
        exclude_pk=pledge.pk,
    )
    for field in PLEDGE_FIELDS:
        setattr(pledge, field, data[field])
    pledge.save()
    record(by=by, action=_("修改公开承诺"), obj=pledge)
    return pledge


@transaction.atomic
def pledge_submit(*, pledge: Pledge, by: User) -> Pledge:
    if pledge.campaign.status != Campaign.Status.ACTIVE:
        raise ValidationError(_("活动不在进行中，不能提交承诺。"))
    _move(pledge, S.SUBMITTED)
    pledge.submitted_on = timezone.localdate()
    pledge.return_reason = ""
    pledge.save(update_fields=["status", "submitted_on", "return_reason", "updated_at"])
    record(by=by, action=_("提交公开承诺"), obj=pledge)
    return pledge


def _is_own(pledge: Pledge, by: User) -> bool:
    return pledge.owner_id is not None and pledge.owner_id == by.pk


def _check_not_own(pledge: Pledge, *, by: User, message: str) -> None:
    """Nobody approves or judges his or her own pledge: another 支委 must."""
    if _is_own(pledge, by):
        raise ValidationError(message, code="own_pledge")


def pledge_actions(*, pledge: Pledge, by: User) -> frozenset[str]:
    """What `by` can do with the pledge now, read off PLEDGE_TRANSITIONS: the buttons a page shows.

    "edit", "submit", "record" (践诺) for the person who keeps the pledge; "approve", "return",
    "publish", "judge" for the secretary; "approve_by_other" and "judge_by_other" when the next
    step is the secretary's own pledge, which another 支委 must take.
    """
    targets = PLEDGE_TRANSITIONS[pledge.status]
    actions: set[str] = set()
    if pledge.may_edit(by):
        if S.SUBMITTED in targets:
            actions |= {"edit", "submit"}
        if pledge.takes_progress:
            actions.add("record")
    if by.has_perm("campaign.manage_campaign"):
        own = _is_own(pledge, by)
        for target, action in ((S.APPROVED, "approve"), (S.JUDGED, "judge")):
            if target in targets:
                actions.add(f"{action}_by_other" if own else action)
        for target, action in ((S.RETURNED, "return"), (S.PUBLISHED, "publish")):
            if target in targets:
                actions.add(action)
    return frozenset(actions)


@transaction.atomic
def pledge_approve(*, pledge: Pledge, by: User) -> Pledge:
    _check_not_own(pledge, by=by, message=_("不能审核自己的承诺，请由其他支委审核。"))
    _move(pledge, S.APPROVED)
    pledge.approved_by = by
    pledge.save(update_fields=["status", "approved_by", "updated_at"])
    record(by=by, action=_("审核通过公开承诺"), obj=pledge)
    return pledge


@transaction.atomic
def pledge_return(*, pledge: Pledge, reason: str, by: User) -> Pledge:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请写明退回原因，便于修改。")})
    _move(pledge, S.RETURNED)
    pledge.return_reason = reason
    pledge.approved_by = None
    pledge.save(update_fields=["status", "return_reason", "approved_by", "updated_at"])
    record(by=by, action=_("退回公开承诺"), obj=pledge, detail=reason)
    return pledge


@transaction.atomic
def pledge_publish(*, pledge: Pledge, by: User) -> Pledge:
    _move(pledge, S.PUBLISHED)
    pledge.published_on = timezone.localdate()
    pledge.save(update_fields=["status", "published_on", "updated_at"])
    record(by=by, action=_("亮诺"), obj=pledge)
    return pledge


@transaction.atomic
def pledge_publish_approved(*, campaign: Campaign, by: User) -> int:
    """Publish every approved pledge of the campaign at once (the 亮诺 meeting)."""
    pledges = list(
        Pledge.objects.filter(campaign=campaign, status=S.APPROVED).select_for_update(of=("self",))
    )
    for pledge in pledges:
        pledge_publish(pledge=pledge, by=by)
    return len(pledges)


@transaction.atomic
def pledge_judge(*, pledge: Pledge, verdict: str, note: str, by: User) -> Pledge:
    if verdict not in Pledge.Verdict.values:
        raise ValidationError({"verdict": _("请选择兑现情况。")})
    _check_not_own(pledge, by=by, message=_("不能评定自己承诺的兑现情况，请由其他支委评定。"))
    _move(pledge, S.JUDGED)
    pledge.verdict = verdict
    pledge.verdict_note = note.strip()
    pledge.judged_on = timezone.localdate()
    pledge.save(update_fields=["status", "verdict", "verdict_note", "judged_on", "updated_at"])
    record(by=by, action=_("评定承诺兑现情况"), obj=pledge, detail=pledge.get_verdict_display())
    return pledge


def _check_progress_date(*, pledge: Pledge, happened_on: dt.date) -> None:
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("日期不能晚于今天。")})
    if happened_on < pledge.campaign.starts_on:
        raise ValidationError({"happened_on": _("日期不能早于活动开始日期。")})


def progress_check_open(*, pledge: Pledge) -> None:
    """践诺 can be recorded on this pledge now. Views call it before they read an uploaded photo."""
    if not pledge.takes_progress:
        raise ValidationError(_("承诺亮诺后、评定之前才能记录践诺情况。"), code="not_published")


@transaction.atomic
def progress_add(
    *,
    pledge: Pledge,
    happened_on: dt.date,
    content: str,
    photo: UploadedFile | None,
    by: User,
) -> PledgeProgress:
    """践诺: only on a published pledge, dated within the campaign and not in the future."""
    progress_check_open(pledge=pledge)
    _check_progress_date(pledge=pledge, happened_on=happened_on)
    entry = PledgeProgress(pledge=pledge, happened_on=happened_on, content=content, recorded_by=by)
    if photo:
        entry.photo = photo
    entry.save()
    record(by=by, action=_("记录践诺"), obj=pledge)
    return entry


# --- Correcting 践诺: the author edits while the pledge is not yet judged; 作废 with a reason ---


def _is_author(entry: PledgeProgress, by: User) -> bool:
    """Who wrote the entry and still keeps the pledge (a member's own, the team's, the branch's)."""
    return entry.recorded_by_id == by.pk and entry.pledge.may_edit(by)


def progress_check_editable(*, entry: PledgeProgress, by: User) -> None:
    """The person who recorded the entry corrects it until the pledge is judged. Views call it
    before they read an uploaded photo."""
    if not _is_author(entry, by):
        raise ValidationError(
            _("只有记录人本人可以修改这条践诺记录；如有错误，可请支部书记作废。"),
            code="forbidden",
        )
    check_not_voided(entry, what=_("这条践诺记录"))
    if not entry.pledge.takes_progress:
        raise ValidationError(
            _("承诺已评定，践诺记录不能再修改；如有错误，请支部书记作废。"), code="judged"
        )


def progress_check_voidable(*, entry: PledgeProgress, by: User) -> None:
    """The author voids the entry until the pledge is judged; the secretary also afterwards, while
    the campaign runs (a judged pledge keeps its verdict; the voided entry shows why)."""
    pledge = entry.pledge
    secretary = by.is_secretary and by.branch_id == pledge.campaign.branch_id
    if not (secretary or _is_author(entry, by)):
        raise ValidationError(_("只有记录人本人或支部书记可以作废这条践诺记录。"), code="forbidden")
    check_not_voided(entry, what=_("这条践诺记录"))
    if pledge.campaign.status != Campaign.Status.ACTIVE:
        raise ValidationError(_("活动不在进行中，践诺记录不能再作废。"), code="campaign_closed")
    if not secretary and not pledge.takes_progress:
        raise ValidationError(_("承诺已评定，践诺记录只能由支部书记作废。"), code="judged")


def progress_corrections(*, entry: PledgeProgress, by: User) -> frozenset[str]:
    """What `by` may do to correct the entry now: "edit", "void" (the buttons a page shows)."""
    actions = set()
    for action, check in (("edit", progress_check_editable), ("void", progress_check_voidable)):
        try:
            check(entry=entry, by=by)
        except ValidationError:
            continue
        actions.add(action)
    return frozenset(actions)


@transaction.atomic
def progress_update(
    *,
    entry: PledgeProgress,
    happened_on: dt.date,
    content: str,
    photo: UploadedFile | None,
    by: User,
) -> PledgeProgress:
    """The author corrects date and text, and may replace the photo (the old file is deleted once
    the change is saved). The audit entry keeps old → new."""
    lock(entry)
    progress_check_editable(entry=entry, by=by)
    _check_progress_date(pledge=entry.pledge, happened_on=happened_on)
    content = content.strip()
    if not content:
        raise ValidationError({"content": _("请填写践诺情况。")})
    changes = [
        (_("日期"), entry.happened_on, happened_on),
        (_("践诺情况"), entry.content, content),
    ]
    if photo:
        changes.append((_("照片"), _("原照片") if entry.photo else "", _("新照片")))
    detail = describe_changes(changes)
    if not detail:
        return entry  # nothing changed: nothing to save or record
    old_photo = entry.photo.name if photo and entry.photo else ""
    entry.happened_on, entry.content = happened_on, content
    if photo:
        entry.photo = photo
    entry.save()
    if old_photo:
        storage = entry.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    audit.record(by=by, action=_("修改践诺记录"), obj=entry, detail=detail)
    return entry


@transaction.atomic
def progress_void(*, entry: PledgeProgress, reason: str, by: User) -> PledgeProgress:
    """作废: the entry stays on the pledge's page with the reason and counts no more."""
    lock(entry)
    progress_check_voidable(entry=entry, by=by)
    reason = mark_voided(entry, reason=reason, by=by)
    audit.record(
        by=by,
        action=_("作废践诺记录"),
        obj=entry,
        detail=_("作废原因：%(reason)s") % {"reason": reason},
    )
    return entry
