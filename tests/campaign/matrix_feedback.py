"""Expected status per URL name, method and persona, for the staff feedback pages (issue 13).

Columns: anonymous, staff, member, leader, secretary. POST is sent with no data. The staff member
sent one 对外匿名 item with a photo. The send and track pages open signed out (the canteen's QR
poster): a POST with no data shows the form again with its errors.
"""

from typing import Any

from .matrix import EVERYONE_NO_POST, EVERYONE_PAGE, LEADERS_PAGE, A

NO_GET = (A, 405, 405, 405, 405)

OPEN = (200, 200, 200, 200, 200)
# The sender and the handlers (secretary, leaders); a member may not know it exists.
SENDER_AND_HANDLERS = (A, 200, 404, 200, 200)

EXPECTED: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    "campaign:feedback_send": {"GET": OPEN, "POST": OPEN},
    "campaign:feedback_track": {"GET": OPEN, "POST": OPEN},
    "campaign:feedback_mine": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "campaign:feedback_detail": {"GET": SENDER_AND_HANDLERS, "POST": EVERYONE_NO_POST},
    "campaign:feedback_photo": {"GET": SENDER_AND_HANDLERS, "POST": EVERYONE_NO_POST},
    # The handlers' list: the secretary and leaders.
    "campaign:feedback_list": {"GET": LEADERS_PAGE, "POST": EVERYONE_NO_POST},
    "campaign:feedback_satisfaction": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    # Actions on the staff member's item, not yet accepted (待受理). POST only; an empty POST
    # shows the item again with the form's errors (200) to who may act, 403 to a reader who may
    # not, 404 to who may not know the item. Accepting and marking a duplicate: the secretary.
    "campaign:feedback_accept": {"GET": NO_GET, "POST": (A, 403, 404, 403, 200)},
    "campaign:feedback_duplicate": {"GET": NO_GET, "POST": (A, 403, 404, 403, 200)},
    # Not accepted yet: no leader is its handler, so only the secretary acts.
    "campaign:feedback_decline": {"GET": NO_GET, "POST": (A, 403, 404, 403, 200)},
    "campaign:feedback_note": {"GET": NO_GET, "POST": (A, 403, 404, 403, 200)},
    "campaign:feedback_redact": {"GET": NO_GET, "POST": (A, 403, 404, 403, 200)},
    # Only once accepted: nobody may yet.
    "campaign:feedback_reply": {"GET": NO_GET, "POST": (A, 403, 404, 403, 403)},
    "campaign:feedback_close": {"GET": NO_GET, "POST": (A, 403, 404, 403, 403)},
    "campaign:feedback_rectify": {"GET": NO_GET, "POST": (A, 403, 404, 403, 403)},
    # The sender rates once it is fixed: not yet (refused on the page, 200); others 403/404.
    "campaign:feedback_rate": {"GET": NO_GET, "POST": (A, 200, 404, 403, 403)},
}


def url_kwargs(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from campaign import services
    from config.uploads import clean_image
    from tests.hardening.formfill import tiny_png

    photo = clean_image(SimpleUploadedFile("p.png", tiny_png(), "image/png"))
    item, _code = services.feedback_send(
        branch=ctx["branch"],
        by=ctx["staff"],
        identity="handlers",
        data={"kind": "complaint", "category": "canteen", "text": "午饭的菜太咸"},
        photo=photo,
    )
    return {
        "campaign:feedback_send": {"branch": ctx["branch"].pk},
        "campaign:feedback_detail": {"pk": item.pk},
        "campaign:feedback_photo": {"pk": item.pk, "name": Path(item.photo.name).name},
        **{
            f"campaign:feedback_{action}": {"pk": item.pk}
            for action in (
                "accept",
                "duplicate",
                "decline",
                "note",
                "redact",
                "reply",
                "close",
                "rectify",
                "rate",
            )
        },
    }
