"""Expected status per URL name, method and persona, for the 先锋事迹 and 增收节支 pages (issue 12).

Columns: anonymous, staff, member, leader, secretary. POST is sent with no data. The campaign of
tests/campaign/matrix.py is running; the member holds a post and has a deed waiting for
confirmation (待确认, with a photo); the secretary recorded a confirmed deed (not 宣传, with a
photo) and one 增收节支 record.
"""

from typing import Any

from .matrix import (
    EVERYONE_NO_POST,
    EVERYONE_PAGE,
    LEADERS_NO_POST,
    LEADERS_PAGE,
    SECRETARY_FORM,
    SECRETARY_FORM_POST,
    SECRETARY_NO_POST,
    SECRETARY_POST,
    A,
)

NO_GET = (A, 405, 405, 405, 405)

EXPECTED: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    # Everyone of the branch reads the list (each sees the deeds may_see_deed allows).
    "campaign:deed_list": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    # The secretary, and a member on a post he holds now; the leader holds none.
    "campaign:deed_create": {"GET": (A, 403, 200, 403, 200), "POST": (A, 403, 200, 403, 200)},
    # The member's deed waiting for confirmation: staff do not know it exists.
    "campaign:deed_detail": {"GET": (A, 404, 200, 200, 200), "POST": EVERYONE_NO_POST},
    # Its author (until confirmed) and the secretary correct it; the leader reads it only.
    "campaign:deed_edit": {"GET": (A, 404, 200, 403, 200), "POST": (A, 404, 200, 403, 200)},
    "campaign:deed_confirm": SECRETARY_POST,
    "campaign:deed_return": {"GET": SECRETARY_NO_POST, "POST": SECRETARY_FORM_POST},
    # The secretary's confirmed deed.
    "campaign:deed_publicize": SECRETARY_POST,
    # A photo of the member's waiting deed: seen by whoever sees the deed.
    "campaign:deed_photo": {"GET": (A, 404, 200, 200, 200), "POST": NO_GET},
    # A photo of the secretary's confirmed deed: the member reads the deed but may not change it.
    "campaign:deed_photo_remove": {"GET": NO_GET, "POST": (A, 404, 403, 403, 302)},
    # 增收节支 records one by one: the secretary and leaders; the summary: everyone of the branch.
    "campaign:saving_list": {"GET": LEADERS_PAGE, "POST": LEADERS_NO_POST},
    "campaign:saving_create": SECRETARY_FORM,
    "campaign:saving_edit": SECRETARY_FORM,
    "campaign:saving_void": SECRETARY_FORM,
    "campaign:saving_summary": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
}
assert all(len(s) == 5 and s[0] == A for row in EXPECTED.values() for s in row.values())


def url_kwargs(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from campaign.models import Campaign
    from config.uploads import clean_image
    from tests.campaign.factories import (
        make_campaign,
        make_deed,
        make_holder,
        make_post,
        make_saving,
    )
    from tests.hardening.formfill import tiny_png

    secretary, member = ctx["secretary"], ctx["member"]
    campaign = Campaign.objects.filter(
        branch=ctx["branch"], status=Campaign.Status.ACTIVE
    ).first() or make_campaign(secretary)

    def photo():
        return [clean_image(SimpleUploadedFile("p.png", tiny_png(), "image/png"))]

    post = make_post(ctx["branch"], secretary, name="药品配送岗（事迹矩阵）")
    make_holder(post, member, secretary)
    waiting = make_deed(campaign, member, member, post=post, photos=photo())
    confirmed = make_deed(campaign, member, secretary, post=post, title="主动加班", photos=photo())
    entry = make_saving(campaign, secretary, post=post)

    def photo_kwargs(deed):
        stored = deed.photos.get()
        return {"pk": stored.pk, "name": Path(stored.photo.name).name}

    return {
        "campaign:deed_detail": {"pk": waiting.pk},
        "campaign:deed_edit": {"pk": waiting.pk},
        "campaign:deed_confirm": {"pk": waiting.pk},
        "campaign:deed_return": {"pk": waiting.pk},
        "campaign:deed_publicize": {"pk": confirmed.pk},
        "campaign:deed_photo": photo_kwargs(waiting),
        "campaign:deed_photo_remove": {"pk": confirmed.photos.get().pk},
        "campaign:saving_edit": {"pk": entry.pk},
        "campaign:saving_void": {"pk": entry.pk},
    }
