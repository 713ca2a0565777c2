"""Expected status per URL name, method and persona for the 领导班子 pages (issue 12).

Columns: anonymous, staff, member, leader, secretary. POST is sent with no data. The secretary
records decisions and integrity records; the leaders and party members read them; staff may not.
"""

from typing import Any

A = 302  # anonymous: to the sign-in page
READERS_PAGE = (A, 403, 200, 200, 200)
READERS_NO_POST = (A, 403, 405, 405, 405)
READERS = {"GET": READERS_PAGE, "POST": READERS_NO_POST}
# The empty form is shown again with its errors.
SECRETARY_FORM = {"GET": (A, 403, 403, 403, 200), "POST": (A, 403, 403, 403, 200)}

EXPECTED: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    "campaign:decision_list": READERS,
    "campaign:decision_create": SECRETARY_FORM,
    "campaign:decision_detail": READERS,
    "campaign:decision_edit": SECRETARY_FORM,
    "campaign:integrity_list": READERS,
    "campaign:integrity_create": SECRETARY_FORM,
    "campaign:integrity_edit": SECRETARY_FORM,
}


def url_kwargs(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from campaign import services
    from campaign.models import IntegrityRecord
    from tests.campaign.factories import FORTRESS_DAY, make_decision

    secretary, leader = ctx["secretary"], ctx["leader"]
    decision = make_decision(ctx["branch"], secretary, [secretary, leader])
    entry = services.integrity_create(
        branch=ctx["branch"],
        data={
            "kind": IntegrityRecord.Kind.STUDY,
            "held_on": FORTRESS_DAY,
            "title": "学习《廉政准则》",
        },
        participants=[secretary, leader],
        by=secretary,
    )
    return {
        "campaign:decision_detail": {"pk": decision.pk},
        "campaign:decision_edit": {"pk": decision.pk},
        "campaign:integrity_edit": {"pk": entry.pk},
    }
