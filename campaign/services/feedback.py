"""Staff feedback: sending it in one of three identity modes, the drop box of 完全匿名 items and
their daily release, and the receipt code (see campaign/models/feedback.py for why).

A signed-in sender who chooses 完全匿名 is treated like a signed-out one: `feedback_send` does
not look at who is signed in for that mode, and writes nothing that names anyone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Branch, User

from .. import sealing
from ..models import Feedback, FeedbackDrop, FeedbackNote, Rectification, SatisfactionRating
from ..models.feedback import TEXT_MAX
from ..rules_feedback import handles
from ..rules_fortress import leads, manages_fortress
from ._common import check_transition, lock, record
from ._fortress import forbid, text

# Receipt codes: 20 symbols of Crockford's base32 (no I, L, O, U): 100 random bits, shown as
# five groups of four. Typed back, case, spaces, dashes and look-alikes (O→0, I/L→1) are forgiven.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 20
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_RECEIPT_SALT = b"chuangxian.campaign.feedback-receipt.v1"


def receipt_new() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def receipt_normalise(code: str) -> str | None:
    """The code's 20 symbols, or None when what was typed cannot be a receipt code."""
    plain = "".join(ch for ch in (code or "").upper() if ch.isalnum()).translate(_LOOKALIKES)
    if len(plain) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in plain):
        return None
    return plain


def _digest(secret: str, plain: str) -> str:
    key = hashlib.sha256(_RECEIPT_SALT + secret.encode()).digest()
    return hmac.new(key, plain.encode(), hashlib.sha256).hexdigest()


def receipt_digest(code: str) -> str:
    """What the database keeps of a receipt code: an HMAC under a key derived from SECRET_KEY,
    so that a copy of the database cannot even test a guessed code."""
    plain = receipt_normalise(code)
    if plain is None:
        raise ValueError("not a receipt code")
    return _digest(settings.SECRET_KEY, plain)


def _digests(code: str) -> list[str]:
    plain = receipt_normalise(code)
    if plain is None:
        return []
    return [_digest(s, plain) for s in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]


def receipt_lookup(code: str) -> Feedback | FeedbackDrop | None:
    """The item a receipt code follows: a released Feedback, a FeedbackDrop still waiting for
    its release, or None. The digest found is compared again in constant time."""
    digests = _digests(code)
    if not digests:
        return None
    for model in (Feedback, FeedbackDrop):
        found = model.objects.filter(receipt_digest__in=digests).first()
        if found is not None and any(hmac.compare_digest(found.receipt_digest, d) for d in digests):
            return found
    return None


# --- Sending --------------------------------------------------------------------------------


def _fields(data: Mapping[str, Any]) -> dict[str, str]:
    if data.get("kind") not in Feedback.Kind.values:
        raise ValidationError({"kind": _("请选择意见类型。")}, code="kind")
    if data.get("category") not in Feedback.Category.values:
        raise ValidationError({"category": _("请选择意见类别。")}, code="category")
    return {
        "kind": data["kind"],
        "category": data["category"],
        "text": text(data.get("text"), field="text", label=_("意见内容"), max_length=TEXT_MAX),
    }


def feedback_send(
    *,
    branch: Branch,
    by: User | None,
    identity: str,
    data: Mapping[str, Any],
    photo: UploadedFile | None = None,
    today: dt.date | None = None,
) -> tuple[Feedback | None, str | None]:
    """Send feedback. 实名 / 对外匿名: the signed-in sender's item, saved now: (item, None).
    完全匿名: sealed into the drop box until the day's release: (None, receipt code); `by` is
    ignored, nothing names the sender."""
    fields = _fields(data)
    today = today or timezone.localdate()
    if identity == Feedback.Identity.NONE:
        return None, _drop(branch=branch, fields=fields, photo=photo, today=today)
    if identity not in (Feedback.Identity.REAL, Feedback.Identity.HANDLERS):
        raise ValidationError({"identity": _("请选择身份方式。")}, code="identity")
    if by is None or not by.is_authenticated or by.branch_id != branch.pk:
        raise ValidationError(
            {"identity": _("实名或对外匿名提交需要先登录本支部的账号；未登录只能完全匿名提交。")},
            code="identity",
        )
    item = Feedback(
        branch=branch,
        identity=identity,
        sender=by,
        submitted_on=today,
        public_text=fields["text"],
        **fields,
    )
    if photo is not None:
        item.photo = photo
    item.full_clean(exclude=["photo"])
    item.save()
    return item, None


def _drop(
    *, branch: Branch, fields: dict[str, str], photo: UploadedFile | None, today: dt.date
) -> str:
    code = receipt_new()
    digest = receipt_digest(code)
    header = dict(fields)
    content = b""
    if photo is not None:
        header["photo_ext"] = photo.name.rsplit(".", 1)[-1].lower()
        photo.seek(0)
        content = photo.read()
    day = today.isoformat()
    FeedbackDrop.objects.create(
        branch=branch,
        day=today,
        receipt_digest=digest,
        sealed=sealing.seal_drop(
            branch_pk=branch.pk, day=day, digest=digest, header=header, photo=content
        ),
    )
    return code


# --- The daily release ----------------------------------------------------------------------


def feedback_release_due(today: dt.date | None = None) -> bool:
    return FeedbackDrop.objects.filter(day__lt=today or timezone.localdate()).exists()


def feedback_release(*, today: dt.date | None = None) -> int:
    """Write every drop of the days before `today` out as feedback, in an order shuffled by the
    CSPRNG, and delete the drops, in one transaction. Safe to call from several processes (the
    drops are locked; a second caller finds none). Returns how many were released."""
    today = today or timezone.localdate()
    with transaction.atomic():
        drops = list(FeedbackDrop.objects.select_for_update().filter(day__lt=today))
        if not drops:
            return 0
        secrets.SystemRandom().shuffle(drops)
        items = []
        for drop in drops:
            header, photo = sealing.unseal_drop(
                branch_pk=drop.branch_id,
                day=drop.day.isoformat(),
                digest=drop.receipt_digest,
                sealed=drop.sealed,
            )
            item = Feedback(
                branch_id=drop.branch_id,
                identity=Feedback.Identity.NONE,
                submitted_on=drop.day,
                receipt_digest=drop.receipt_digest,
                kind=header["kind"],
                category=header["category"],
                text=header["text"],
                public_text=header["text"],
            )
            if photo:
                item.photo = ContentFile(photo, name=f"photo.{header.get('photo_ext', 'jpg')}")
            items.append(item)
        FeedbackDrop.objects.filter(pk__in=[d.pk for d in drops]).delete()
        Feedback.objects.bulk_create(items, batch_size=500)
    transaction.on_commit(_scrub)
    return len(items)


def _scrub() -> None:
    """SQLite: secure_delete zeroed the deleted drops in the pages; checkpoint and truncate the
    WAL, which still holds the pages as they were. (PostgreSQL keeps the dead rows until it
    vacuums; they hold ciphertexts and dates only.)"""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# --- Handling (受理 → 整改 → 评价 → 办结) ------------------------------------------------------

F = Feedback.Status
FEEDBACK_TRANSITIONS: dict[str, set[str]] = {
    F.NEW: {F.ACCEPTED, F.DECLINED, F.DUPLICATE},
    # 整改 through a rectification item, or 办结 with an answer (a suggestion taken, a praise)
    F.ACCEPTED: {F.RECTIFYING, F.CLOSED, F.DECLINED},
    F.RECTIFYING: {F.FIXED, F.DECLINED},  # the item's rectification 已整改, or 不予整改
    F.FIXED: {F.CLOSED, F.RECTIFYING},  # 满意/基本满意, or 不满意 (reopened)
    F.CLOSED: set(),
    F.DECLINED: set(),
    F.DUPLICATE: set(),
}
REASON_MAX = 300


def _move(item: Feedback, target: str) -> None:
    check_transition(
        current=item.status,
        target=target,
        transitions=FEEDBACK_TRANSITIONS,
        labels=dict(F.choices),
        what=_("这条意见"),
    )
    item.status = target


def _check_handles(item: Feedback, by: User) -> None:
    if not handles(by, item):
        raise forbid(_("只有支部书记和负责处理的领导可以处理这条意见。"))


def feedback_actions(*, item: Feedback, by: User) -> frozenset[str]:
    """What `by` may do with the item now (the page offers these)."""
    if not handles(by, item):
        return frozenset()
    actions = {"note"}
    allowed = FEEDBACK_TRANSITIONS[item.status]
    secretary = manages_fortress(by, item.branch_id)
    if F.ACCEPTED in allowed and secretary:
        actions.add("accept")
    if F.DECLINED in allowed:
        actions.add("decline")
    if F.DUPLICATE in allowed and secretary:
        actions.add("duplicate")
    if item.status in (F.ACCEPTED, F.RECTIFYING, F.FIXED, F.CLOSED):
        actions.add("reply")
    if F.RECTIFYING in allowed and item.status == F.ACCEPTED:
        actions.add("rectify")
    if F.CLOSED in allowed and item.status == F.ACCEPTED:
        actions.add("close")
    if secretary and item.status not in (F.DECLINED, F.DUPLICATE):
        actions.add("redact")
    return frozenset(actions)


@transaction.atomic
def feedback_accept(
    *, item: Feedback, handler: User, by: User, on: dt.date | None = None
) -> Feedback:
    """受理: the secretary gives the item to a leader of the branch (or keeps it)."""
    lock(item)
    if not manages_fortress(by, item.branch_id):
        raise forbid(_("只有支部书记可以受理意见。"))
    if (
        handler is None
        or handler.branch_id != item.branch_id
        or not (leads(handler, item.branch_id) or manages_fortress(handler, item.branch_id))
    ):
        raise ValidationError({"handler": _("请选择本支部的一位领导或支部书记负责处理。")})
    _move(item, F.ACCEPTED)
    item.handler = handler
    item.accepted_on = on or timezone.localdate()
    item.save(update_fields=["status", "handler", "accepted_on"])
    record(by=by, action=_("受理意见"), obj=item, detail=_("负责领导：%s") % handler.full_name)
    return item


@transaction.atomic
def feedback_decline(*, item: Feedback, reason: str, by: User) -> Feedback:
    """不予采纳, with the reason the sender reads."""
    lock(item)
    _check_handles(item, by)
    reason = text(reason, field="reason", label=_("不予采纳原因"), max_length=REASON_MAX)
    _move(item, F.DECLINED)
    item.declined_reason = reason
    item.closed_on = timezone.localdate()
    item.save(update_fields=["status", "declined_reason", "closed_on"])
    record(by=by, action=_("不予采纳意见"), obj=item, detail=reason)
    return item


@transaction.atomic
def feedback_mark_duplicate(*, item: Feedback, of: Feedback | None, by: User) -> Feedback:
    """重复: the same matter as another item of the branch, which is handled instead."""
    lock(item)
    if not manages_fortress(by, item.branch_id):
        raise forbid(_("只有支部书记可以标记重复意见。"))
    if of is None or of.branch_id != item.branch_id or of.pk == item.pk:
        raise ValidationError({"of": _("请选择本支部的另一条意见。")})
    if of.status == F.DUPLICATE:
        raise ValidationError({"of": _("所选意见本身是重复意见，请选择它重复的那一条。")})
    _move(item, F.DUPLICATE)
    item.duplicate_of = of
    item.closed_on = timezone.localdate()
    item.save(update_fields=["status", "duplicate_of", "closed_on"])
    record(by=by, action=_("标记重复意见"), obj=item, detail=str(of.pk))
    return item


@transaction.atomic
def feedback_reply(*, item: Feedback, reply: str, by: User) -> Feedback:
    """The public answer (the sender and the board read it)."""
    lock(item)
    _check_handles(item, by)
    if item.status in (F.NEW, F.DECLINED, F.DUPLICATE):
        raise ValidationError(_("受理后才能公开答复。"), code="not_accepted")
    item.public_reply = text(reply, field="reply", label=_("公开答复"), max_length=TEXT_MAX)
    item.save(update_fields=["public_reply"])
    record(by=by, action=_("答复意见"), obj=item)
    return item


def feedback_note(*, item: Feedback, note: str, by: User) -> FeedbackNote:
    """An internal note (handlers only read them)."""
    _check_handles(item, by)
    body = text(note, field="note", label=_("内部备注"), max_length=TEXT_MAX)
    return FeedbackNote.objects.create(feedback=item, author=by, text=body)


@transaction.atomic
def feedback_redact(*, item: Feedback, public_text: str, by: User) -> Feedback:
    """The secretary's public copy of the text (a name taken out); the sender's words stay."""
    lock(item)
    if not manages_fortress(by, item.branch_id):
        raise forbid(_("只有支部书记可以修改公示内容。"))
    item.public_text = text(
        public_text, field="public_text", label=_("公示内容"), max_length=TEXT_MAX
    )
    item.save(update_fields=["public_text"])
    record(by=by, action=_("修改意见公示内容"), obj=item)
    return item


@transaction.atomic
def feedback_close(*, item: Feedback, reply: str, by: User) -> Feedback:
    """办结 without a rectification (a suggestion answered, a praise passed on): the answer is
    required, the sender reads it."""
    lock(item)
    _check_handles(item, by)
    item.public_reply = text(reply, field="reply", label=_("办结答复"), max_length=TEXT_MAX)
    _move(item, F.CLOSED)
    item.closed_on = timezone.localdate()
    item.save(update_fields=["status", "public_reply", "closed_on"])
    record(by=by, action=_("办结意见"), obj=item)
    return item


def _status_for(rectification: Rectification) -> str:
    R = Rectification.Status
    if rectification.status in (R.FIXED, R.ACCEPTED):
        return F.FIXED
    if rectification.status == R.DECLINED:
        return F.DECLINED
    return F.RECTIFYING


@transaction.atomic
def feedback_link(*, items: list[Feedback], rectification: Rectification, by: User) -> int:
    """Link accepted items to a rectification item (several to one): they follow its status
    from now on (整改中, 已整改 → 待评价)."""
    if rectification.branch_id is None or any(
        i.branch_id != rectification.branch_id for i in items
    ):
        raise ValidationError({"rectification": _("请选择本支部的整改事项。")})
    for item in items:
        lock(item)
        _check_handles(item, by)
        if item.status != F.ACCEPTED:
            raise ValidationError(
                _("只有已受理的意见可以列入整改，这条意见当前是“%(s)s”。")
                % {"s": item.get_status_display()},
                code="not_accepted",
            )
        item.rectification = rectification
        item.status = _status_for(rectification)
        if item.status == F.DECLINED:
            raise ValidationError(
                {"rectification": _("所选整改事项已决定不予整改，请选择其他整改事项。")}
            )
        item.save(update_fields=["rectification", "status"])
        record(by=by, action=_("意见列入整改"), obj=item, detail=str(rectification))
    return len(items)


@transaction.atomic
def feedback_rectify(*, item: Feedback, data: Mapping[str, Any], by: User) -> Rectification:
    """列入整改: link to `data["rectification"]`, or (the secretary) open a new rectification
    item from `data` (title, public_description, responsible, deadline) and link to it."""
    rectification = data.get("rectification")
    if rectification is None:
        from ..models import Campaign
        from .rectification import rectification_create

        campaign = Campaign.objects.filter(
            branch_id=item.branch_id, status=Campaign.Status.ACTIVE
        ).first()
        rectification = rectification_create(
            branch=item.branch, campaign=campaign, data=data, by=by
        )
    feedback_link(items=[item], rectification=rectification, by=by)
    return rectification


def follow_rectification(rectification: Rectification) -> int:
    """Bring the items linked to `rectification` in line with its status (called by the
    rectification services after each change): 已整改/已验收 → 已整改(待评价); 整改中 again →
    整改中; 不予整改 → 不予采纳 with its reason. Closed items stay closed."""
    target = _status_for(rectification)
    linked = Feedback.objects.filter(
        rectification=rectification, status__in=(F.RECTIFYING, F.FIXED)
    ).exclude(status=target)
    if target == F.DECLINED:
        return linked.update(
            status=F.DECLINED,
            declined_reason=(_("整改事项不予整改：%s") % rectification.decline_reason)[:REASON_MAX],
            closed_on=timezone.localdate(),
        )
    return linked.update(status=target)


# --- Satisfaction -----------------------------------------------------------------------------


@transaction.atomic
def feedback_rate(
    *, item: Feedback, level: str, comment: str = "", today: dt.date | None = None
) -> SatisfactionRating:
    """The sender's verdict on an item at 已整改(待评价). The caller has checked it is the sender
    (signed in for a named item, the receipt code for a 完全匿名 one); nothing of the rater is
    stored. 满意/基本满意 → 已办结; 不满意 → 整改中, its rectification item reopened."""
    lock(item)
    if level not in SatisfactionRating.Level.values:
        raise ValidationError({"level": _("请选择满意、基本满意或不满意。")})
    comment = text(comment, field="comment", label=_("评价说明"), max_length=300, required=False)
    if level == SatisfactionRating.Level.UNSATISFIED and not comment:
        raise ValidationError({"comment": _("选择不满意时，请写明哪里还不满意，便于继续整改。")})
    if item.status != F.FIXED:
        raise ValidationError(_("整改完成后才能评价。"), code="not_fixed")
    today = today or timezone.localdate()
    attempt = item.ratings.count() + 1
    rating = SatisfactionRating.objects.create(
        feedback=item, level=level, comment=comment, rated_on=today, attempt=attempt
    )
    if level in SatisfactionRating.SATISFIED_LEVELS:
        _move(item, F.CLOSED)
        item.closed_on = today
        item.save(update_fields=["status", "closed_on"])
    else:
        _move(item, F.RECTIFYING)
        item.save(update_fields=["status"])
        if item.rectification_id:
            from .rectification import rectification_reopen_for_feedback

            rectification_reopen_for_feedback(
                rectification=item.rectification,
                reason=_("群众评价不满意：%s") % comment,
            )
    # Not in the audit trail: an entry's time of day, next to a signed-in rater's session,
    # would say who rated a 完全匿名 item. The rating (dated, no rater) is the record.
    return rating
