"""Expected status per URL name, method and persona, for the 党员先锋岗 pages (issue 12).

Columns: anonymous, staff, member, leader, secretary. POST is sent with no data. The post is
hung, the member holds it; the campaign of tests/campaign/matrix.py is running.
"""

from typing import Any

from .matrix import EVERYONE_NO_POST, EVERYONE_PAGE, SECRETARY_FORM, A

EXPECTED: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    # Everyone of the branch reads the posts (staff included).
    "campaign:post_list": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "campaign:post_detail": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    # The secretary's forms: an empty POST shows the form again with its errors.
    "campaign:post_create": SECRETARY_FORM,
    "campaign:post_edit": SECRETARY_FORM,
    "campaign:post_plaque": SECRETARY_FORM,
    "campaign:post_assign": SECRETARY_FORM,
    "campaign:holder_release": SECRETARY_FORM,
    "campaign:post_review": SECRETARY_FORM,
}
assert all(len(s) == 5 and s[0] == A for row in EXPECTED.values() for s in row.values())


def url_kwargs(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from tests.campaign.factories import make_holder, make_post

    post = make_post(ctx["branch"], ctx["secretary"], name="药品配送岗（矩阵）")
    holder = make_holder(post, ctx["member"], ctx["secretary"])
    return {
        "campaign:post_detail": {"pk": post.pk},
        "campaign:post_edit": {"pk": post.pk},
        "campaign:post_plaque": {"pk": post.pk},
        "campaign:post_assign": {"pk": post.pk},
        "campaign:post_review": {"pk": post.pk},
        "campaign:holder_release": {"pk": holder.pk},
    }
