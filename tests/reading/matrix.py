"""Expected status per URL name, method and persona, for the reading app.

Columns: anonymous, staff, member, leader, secretary. POST is sent with no data. The activity of
the table is in its third phase (交流), with two books selected; the post is the member's own.
"""

from typing import Any

A = 302  # anonymous: to the sign-in page
EVERYONE_PAGE = (A, 200, 200, 200, 200)
EVERYONE_NO_POST = (A, 405, 405, 405, 405)
SECRETARY_PAGE = (A, 403, 403, 403, 200)
SECRETARY_FORM_POST = (A, 403, 403, 403, 200)  # invalid empty form shown again
LEADERS_PAGE = (A, 403, 403, 200, 200)
LEADERS_NO_POST = (A, 403, 403, 405, 405)
PARTY_PAGE = (A, 403, 200, 200, 200)  # party members (the leader and secretary are members too)
PARTY_NO_GET = (A, 403, 405, 405, 405)
PARTY_ACTION = (A, 403, 302, 302, 302)
EVERYONE_ACTION = (A, 302, 302, 302, 302)

EXPECTED: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    "reading:activity_list": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "reading:activity_create": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "reading:forum_current": {"GET": (A, 302, 302, 302, 302), "POST": EVERYONE_NO_POST},
    "reading:activity_detail": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "reading:activity_edit": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "reading:participant_list": {"GET": LEADERS_PAGE, "POST": LEADERS_NO_POST},
    "reading:activity_stats": {"GET": LEADERS_PAGE, "POST": LEADERS_NO_POST},
    # Phase 1 is over: the form sends people back to the tally with the reason.
    "reading:recommendation_edit": {"GET": PARTY_ACTION, "POST": PARTY_ACTION},
    "reading:recommendation_list": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "reading:recommendation_endorse": {"GET": PARTY_NO_GET, "POST": PARTY_ACTION},
    # Already selected: back to the activity.
    "reading:selection_create": {"GET": (A, 403, 403, 403, 302), "POST": (A, 403, 403, 403, 302)},
    "reading:purchase_list": {"GET": LEADERS_PAGE, "POST": LEADERS_NO_POST},
    "reading:purchase_create": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "reading:purchase_invoice": {"GET": (A, 403, 403, 200, 200), "POST": LEADERS_NO_POST},
    # Corrections: the secretary's forms (修改, 作废 with a reason); an empty POST is shown again.
    "reading:purchase_edit": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "reading:purchase_void": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "reading:distribution_void": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "reading:distribution_list": {"GET": LEADERS_PAGE, "POST": LEADERS_NO_POST},
    "reading:distribution_create": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    # The member's own hand-out: others get a 404.
    "reading:distribution_confirm": {"GET": PARTY_NO_GET, "POST": (A, 403, 302, 404, 404)},
    # The secretary marks 已领取 for a member who does not use the app.
    "reading:distribution_confirm_for": {
        "GET": (A, 403, 403, 403, 405),
        "POST": (A, 403, 403, 403, 302),
    },
    "reading:progress_list": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "reading:progress_update": {"GET": PARTY_NO_GET, "POST": PARTY_ACTION},
    "reading:reflection_list": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "reading:reflection_create": {"GET": PARTY_PAGE, "POST": PARTY_PAGE},
    "reading:comment_list": {"GET": LEADERS_PAGE, "POST": LEADERS_NO_POST},
    "reading:reflection_showcase": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "reading:reflection_publicity": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "reading:reflection_detail": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    # Only the author edits.
    "reading:reflection_edit": {"GET": (A, 403, 200, 403, 403), "POST": (A, 403, 200, 403, 403)},
    "reading:reflection_revisions": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "reading:comment_create": {"GET": EVERYONE_NO_POST, "POST": EVERYONE_ACTION},
    "reading:reflection_like": {"GET": EVERYONE_NO_POST, "POST": EVERYONE_ACTION},
    "reading:reflection_feature": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "reading:reflection_hide": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "reading:comment_hide": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
}


def url_kwargs(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Arguments for the patterns that take them, built from the personas in ctx."""
    from pathlib import Path

    from django.core.files.base import ContentFile

    from tests.reading.factories import (
        make_activity,
        make_comment,
        make_distribution,
        make_purchase,
        make_recommendation,
        make_reflection,
        select_books,
    )

    activity = make_activity(ctx["branch"], "discuss")
    recommendation = make_recommendation(activity, ctx["leader"])
    books = select_books(activity, ctx["secretary"])
    purchase = make_purchase(books[0])
    purchase.invoice.save("invoice.png", ContentFile(_PNG), save=True)
    handout = make_distribution(books[0], ctx["member"])
    post = make_reflection(activity, ctx["member"])
    comment = make_comment(post, ctx["staff"])
    a = {"pk": activity.pk}
    parent = {"activity_pk": activity.pk}
    return {
        **{f"reading:{name}": a for name in ("activity_detail", "activity_edit", "activity_stats")},
        **{
            f"reading:{name}": parent
            for name in (
                "participant_list",
                "recommendation_edit",
                "recommendation_list",
                "selection_create",
                "purchase_list",
                "purchase_create",
                "distribution_list",
                "distribution_create",
                "progress_list",
                "progress_update",
                "reflection_list",
                "reflection_create",
                "comment_list",
                "reflection_showcase",
                "reflection_publicity",
            )
        },
        "reading:recommendation_endorse": {"pk": recommendation.pk},
        "reading:purchase_invoice": {"pk": purchase.pk, "name": Path(purchase.invoice.name).name},
        "reading:distribution_confirm": {"pk": handout.pk},
        "reading:distribution_confirm_for": {"pk": handout.pk},
        "reading:purchase_edit": {"pk": purchase.pk},
        "reading:purchase_void": {"pk": purchase.pk},
        "reading:distribution_void": {"pk": handout.pk},
        **{
            f"reading:{name}": {"pk": post.pk}
            for name in (
                "reflection_detail",
                "reflection_edit",
                "reflection_revisions",
                "reflection_like",
                "reflection_feature",
                "reflection_hide",
            )
        },
        "reading:comment_create": {"reflection_pk": post.pk},
        "reading:comment_hide": {"pk": comment.pk},
    }


# A 1×1 PNG, enough for an invoice photo.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
