"""Expected status per URL name, method and persona, for the campaign app.

Columns: anonymous, staff, member, leader, secretary. POST is sent with no data. The campaign of
the table is running; the member has a draft, a submitted, an approved and a published pledge;
one round is a draft, one open (everyone invited), one closed; one nomination is reported.
"""

from typing import Any

A = 302  # anonymous: to the sign-in page
EVERYONE_PAGE = (A, 200, 200, 200, 200)
EVERYONE_NO_POST = (A, 405, 405, 405, 405)
SECRETARY_PAGE = (A, 403, 403, 403, 200)
SECRETARY_FORM_POST = (A, 403, 403, 403, 200)  # the empty form is shown again with its errors
SECRETARY_NO_POST = (A, 403, 403, 403, 405)
SECRETARY_ACTION = (A, 403, 403, 403, 302)
LEADERS_PAGE = (A, 403, 403, 200, 200)
LEADERS_NO_POST = (A, 403, 403, 405, 405)
PARTY_PAGE = (A, 403, 200, 200, 200)
SECRETARY = {"GET": SECRETARY_PAGE, "POST": SECRETARY_NO_POST}
SECRETARY_FORM = {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST}
SECRETARY_POST = {"GET": SECRETARY_NO_POST, "POST": SECRETARY_ACTION}

EXPECTED: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    "campaign:my_campaign": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "campaign:standard_list": SECRETARY,
    "campaign:standards_install": SECRETARY_POST,
    "campaign:standard_set_edit": SECRETARY_FORM,
    "campaign:standard_create": SECRETARY_FORM,
    "campaign:standard_edit": SECRETARY_FORM,
    "campaign:campaign_list": SECRETARY,
    "campaign:campaign_create": SECRETARY_FORM,
    "campaign:campaign_detail": SECRETARY,
    "campaign:campaign_edit": SECRETARY_FORM,
    "campaign:campaign_start": SECRETARY_POST,
    "campaign:campaign_finish": SECRETARY_POST,
    "campaign:phase_edit": SECRETARY_FORM,
    "campaign:phase_set_current": SECRETARY_POST,
    "campaign:pledge_wall": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "campaign:pledge_create": {"GET": PARTY_PAGE, "POST": PARTY_PAGE},
    "campaign:pledge_queue": SECRETARY,
    "campaign:pledge_publish_all": SECRETARY_POST,
    "campaign:pledge_missing": SECRETARY,
    # A published pledge: everyone of the branch reads it.
    "campaign:pledge_detail": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    # The member's own draft: the leader does not even see it (404), the secretary may not edit.
    "campaign:pledge_edit": {"GET": (A, 403, 200, 404, 403), "POST": (A, 403, 200, 404, 403)},
    "campaign:pledge_submit": {"GET": (A, 403, 405, 405, 405), "POST": (A, 403, 302, 404, 403)},
    "campaign:pledge_approve": SECRETARY_POST,
    "campaign:pledge_return": {"GET": SECRETARY_NO_POST, "POST": SECRETARY_FORM_POST},
    "campaign:pledge_publish": SECRETARY_POST,
    "campaign:pledge_judge": SECRETARY_FORM,
    # 践诺 on the member's published pledge: only the member.
    "campaign:progress_add": {"GET": (A, 403, 200, 403, 403), "POST": (A, 403, 200, 403, 403)},
    # A 践诺 photo of the published pledge: whoever reads the pledge sees it (tests/test_media.py).
    "campaign:progress_photo": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    # Correcting that 践诺 entry: the member who recorded it edits; he or the secretary voids it.
    "campaign:progress_edit": {"GET": (A, 403, 200, 403, 403), "POST": (A, 403, 200, 403, 403)},
    "campaign:progress_void": {"GET": (A, 403, 200, 403, 200), "POST": (A, 403, 200, 403, 200)},
    "campaign:review_list": {"GET": LEADERS_PAGE, "POST": LEADERS_NO_POST},
    "campaign:review_create": {"GET": LEADERS_PAGE, "POST": LEADERS_PAGE},
    "campaign:review_coverage": {"GET": LEADERS_PAGE, "POST": LEADERS_NO_POST},
    # The leader's comment on the member: only he edits it; he or the secretary voids it.
    "campaign:review_edit": {"GET": (A, 403, 403, 200, 403), "POST": (A, 403, 403, 200, 403)},
    "campaign:review_void": {"GET": LEADERS_PAGE, "POST": LEADERS_PAGE},
    "campaign:round_list": SECRETARY,
    "campaign:round_create": SECRETARY_FORM,
    "campaign:round_detail": SECRETARY,
    "campaign:round_edit": SECRETARY_FORM,
    "campaign:round_open": SECRETARY_POST,
    "campaign:round_close": SECRETARY_POST,
    "campaign:round_results": SECRETARY,
    # Everyone is invited to the open round (the secretary, leader and member are members).
    "campaign:round_vote": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "campaign:ballot_cast": {"GET": EVERYONE_PAGE, "POST": EVERYONE_PAGE},
    "campaign:nomination_list": SECRETARY,
    "campaign:nomination_create": SECRETARY_FORM,
    "campaign:nomination_detail": SECRETARY,
    "campaign:nomination_recommend": SECRETARY_POST,
    "campaign:nomination_report": SECRETARY_POST,
    "campaign:nomination_withdraw": SECRETARY_POST,
    "campaign:nomination_decline": SECRETARY_POST,
    "campaign:nomination_award": SECRETARY_FORM,
    "campaign:nomination_dates_edit": SECRETARY_FORM,
    "campaign:honour_list": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
}


def url_kwargs(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Arguments for the patterns that take them, built from the personas in ctx."""
    import datetime as dt
    from pathlib import Path

    from django.core.files.base import ContentFile

    from campaign import services
    from campaign.models import Nomination, Pledge, PledgeProgress, StandardSet
    from tests.campaign.factories import make_campaign, make_pledge, make_review, make_round
    from tests.reading.matrix import _PNG

    secretary, member = ctx["secretary"], ctx["member"]
    campaign = make_campaign(secretary)
    standard_set = StandardSet.objects.get(branch=ctx["branch"], code="siyou")
    items = list(standard_set.items.all())
    S = Pledge.Status
    published = make_pledge(campaign, member, status=S.PUBLISHED, standard=items[0])
    draft = make_pledge(campaign, member, status=S.DRAFT, standard=items[1])
    submitted = make_pledge(campaign, member, status=S.SUBMITTED, standard=items[2])
    approved = make_pledge(campaign, member, status=S.APPROVED, standard=items[3])
    draft_round = make_round(campaign, secretary, open_=False)
    open_round = make_round(campaign, secretary)
    closed_round = make_round(campaign, secretary)
    services.round_close(round_=closed_round, by=secretary)
    nomination = services.nomination_create(
        campaign=campaign,
        kind=Nomination.Kind.EXCELLENT_MEMBER,
        nominee=member,
        reason="配送零差错",
        pledges=[],
        reviews=[],
        results=[],
        by=secretary,
    )
    reported = services.nomination_create(
        campaign=campaign,
        kind=Nomination.Kind.SIYOU_MEMBER,
        nominee=member,
        reason="四优",
        pledges=[],
        reviews=[],
        results=[],
        by=secretary,
    )
    services.nomination_recommend(nomination=reported, on=dt.date(2011, 1, 5), by=secretary)
    services.nomination_report(nomination=reported, on=dt.date(2011, 1, 8), by=secretary)
    branch_subject = open_round.subjects.get(is_branch=True)
    entry = PledgeProgress.objects.create(
        pledge=published, happened_on=dt.date(2011, 1, 6), content="送货上门", recorded_by=member
    )
    entry.photo.save("photo.png", ContentFile(_PNG), save=True)
    review = make_review(campaign, ctx["leader"], member)
    return {
        "campaign:standard_set_edit": {"pk": standard_set.pk},
        "campaign:standard_create": {"standard_set_pk": standard_set.pk},
        "campaign:standard_edit": {"pk": items[0].pk},
        "campaign:campaign_detail": {"pk": campaign.pk},
        "campaign:campaign_edit": {"pk": campaign.pk},
        "campaign:campaign_start": {"pk": campaign.pk},
        "campaign:campaign_finish": {"pk": campaign.pk},
        "campaign:phase_edit": {"pk": campaign.phases.first().pk},
        "campaign:phase_set_current": {"pk": campaign.phases.last().pk},
        "campaign:pledge_detail": {"pk": published.pk},
        "campaign:pledge_edit": {"pk": draft.pk},
        "campaign:pledge_submit": {"pk": draft.pk},
        "campaign:pledge_approve": {"pk": submitted.pk},
        "campaign:pledge_return": {"pk": submitted.pk},
        "campaign:pledge_publish": {"pk": approved.pk},
        "campaign:pledge_judge": {"pk": published.pk},
        "campaign:progress_add": {"pk": published.pk},
        "campaign:progress_photo": {"pk": entry.pk, "name": Path(entry.photo.name).name},
        "campaign:progress_edit": {"pk": entry.pk},
        "campaign:progress_void": {"pk": entry.pk},
        "campaign:review_edit": {"pk": review.pk},
        "campaign:review_void": {"pk": review.pk},
        "campaign:round_detail": {"pk": open_round.pk},
        "campaign:round_edit": {"pk": draft_round.pk},
        "campaign:round_open": {"pk": draft_round.pk},
        "campaign:round_close": {"pk": open_round.pk},
        "campaign:round_results": {"pk": closed_round.pk},
        "campaign:round_vote": {"pk": open_round.pk},
        "campaign:ballot_cast": {"subject_pk": branch_subject.pk},
        "campaign:nomination_detail": {"pk": nomination.pk},
        "campaign:nomination_recommend": {"pk": nomination.pk},
        "campaign:nomination_report": {"pk": nomination.pk},
        "campaign:nomination_withdraw": {"pk": nomination.pk},
        "campaign:nomination_decline": {"pk": reported.pk},
        "campaign:nomination_award": {"pk": reported.pk},
        "campaign:nomination_dates_edit": {"pk": reported.pk},
    }
