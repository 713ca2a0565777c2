"""Expected status per URL name, method and persona for 查找问题 → 整改 (issue 12).

Columns: anonymous, staff, member, leader, secretary. The leader is the responsible leader of the
one item (整改中, one measure with an evidence photo); two problems wait to be rectified. Problems
are the secretary's and the leaders'; items are read by everyone of the branch (staff and members
the public face); measures and their photos only by those who see the item's internals.
"""

from typing import Any

A = 302  # anonymous: to the sign-in page
EVERYONE_PAGE = (A, 200, 200, 200, 200)
EVERYONE_NO_POST = (A, 405, 405, 405, 405)
LEADERS_PAGE = (A, 403, 403, 200, 200)
LEADERS_NO_POST = (A, 403, 403, 405, 405)
SECRETARY_PAGE = (A, 403, 403, 403, 200)
SECRETARY_FORM = {"GET": SECRETARY_PAGE, "POST": SECRETARY_PAGE}  # the empty form, with errors
LEADERS_READ = {"GET": LEADERS_PAGE, "POST": LEADERS_NO_POST}
EVERYONE_READ = {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST}
# The responsible leader and the secretary; staff and members do not know measures exist (404).
MEASURE_FORM = {"GET": (A, 404, 404, 200, 200), "POST": (A, 404, 404, 200, 200)}

EXPECTED: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    "campaign:problem_list": LEADERS_READ,
    "campaign:problem_create": SECRETARY_FORM,
    "campaign:problem_detail": LEADERS_READ,
    "campaign:problem_edit": SECRETARY_FORM,
    "campaign:problem_rectify": SECRETARY_FORM,
    "campaign:rectification_list": EVERYONE_READ,
    "campaign:rectification_detail": EVERYONE_READ,
    "campaign:rectification_edit": SECRETARY_FORM,
    # POST without a target status: "请选择要进行的操作" and back to the item.
    "campaign:rectification_transition": {
        "GET": EVERYONE_NO_POST,
        "POST": (A, 403, 403, 302, 302),
    },
    # Staff and members read the item's public face, but add no measure.
    "campaign:measure_create": {"GET": (A, 403, 403, 200, 200), "POST": (A, 403, 403, 200, 200)},
    "campaign:measure_edit": MEASURE_FORM,
    "campaign:measure_progress": MEASURE_FORM,
    # The evidence photo is internal: the item's internal view's readers only.
    "campaign:measure_photo": {"GET": (A, 404, 404, 200, 200), "POST": EVERYONE_NO_POST},
}


def url_kwargs(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The objects of the table, in the campaign the other tables run (made if there is none)."""
    from django.core.files.base import ContentFile

    from campaign import services
    from campaign.models import Campaign
    from tests.campaign.factories import (
        make_campaign,
        make_measure,
        make_problem,
        make_rectification,
    )
    from tests.reading.matrix import _PNG

    secretary, leader, member = ctx["secretary"], ctx["leader"], ctx["member"]
    campaign = Campaign.objects.filter(
        branch=ctx["branch"], status=Campaign.Status.ACTIVE
    ).first() or make_campaign(secretary)
    item = make_rectification(campaign, secretary, leader, title="压缩配送成本")
    measure = make_measure(item, leader, member, content="优化配送线路")
    services.measure_progress(measure=measure, percent=50, evidence_note="已试行", by=leader)
    measure.evidence_photo.save("evidence.png", ContentFile(_PNG), save=True)
    problem = item.problems.get()
    for title in ("群众反映送货不及时", "库存周转偏慢"):
        make_problem(campaign, secretary, title=title, source="masses")
    return {
        "campaign:problem_detail": {"pk": problem.pk},
        "campaign:problem_edit": {"pk": problem.pk},
        "campaign:rectification_detail": {"pk": item.pk},
        "campaign:rectification_edit": {"pk": item.pk},
        "campaign:rectification_transition": {"pk": item.pk},
        "campaign:measure_create": {"rectification_pk": item.pk},
        "campaign:measure_edit": {"pk": measure.pk},
        "campaign:measure_progress": {"pk": measure.pk},
        "campaign:measure_photo": {
            "pk": measure.pk,
            "name": measure.evidence_photo.name.split("/")[-1],
        },
    }
