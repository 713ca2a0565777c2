"""Phase 1: one recommendation per member, seconds (附议), the tally and the selection."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from members.models import AuditEntry, Role
from reading import selectors, services
from reading.models import Endorsement, Recommendation, Selection
from reading.rules import is_participant
from tests.factories import make_branch, make_person

from .factories import make_activity, make_members, make_recommendation

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

REASON = "这本书讲工作态度和责任心，对党员干部立足岗位、发挥作用很有启发。"


def recommend(activity, member, **kw):
    data = {
        "title": "你在为谁工作",
        "author": "陈安之",
        "publisher": "中国长安出版社",
        "isbn": "",
        "reason": REASON,
        **kw,
    }
    return services.recommendation_save(activity=activity, by=member, **data)


def test_a_member_recommends_and_edits_in_place(branch, member):
    activity = make_activity(branch, "recommend")
    first = recommend(activity, member)
    second = recommend(activity, member, title="责任胜于能力", author="孙学敏")
    assert first.pk == second.pk
    assert Recommendation.objects.get().title == "责任胜于能力"


def test_one_recommendation_per_member_is_a_database_constraint(branch, member):
    activity = make_activity(branch, "recommend")
    make_recommendation(activity, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_recommendation(activity, member)


@pytest.mark.parametrize(
    "phase, message",
    [("upcoming", "推荐阶段尚未开始"), ("read", "推荐阶段已结束"), ("discuss", "推荐阶段已结束")],
)
def test_recommending_outside_phase_1_is_refused(branch, member, phase, message):
    activity = make_activity(branch, phase)
    with pytest.raises(ValidationError, match=message):
        recommend(activity, member)
    assert not Recommendation.objects.exists()


def test_recommending_after_the_selection_is_refused_even_before_the_end_date(
    branch, secretary, member, leader
):
    activity = make_activity(branch, "recommend", books_to_pick=1)
    rec = make_recommendation(activity, leader)
    services.activity_select_books(
        activity=activity, recommendations=[rec], note="支委会决定", by=secretary
    )
    activity.refresh_from_db()
    with pytest.raises(ValidationError, match="推荐阶段已结束"):
        recommend(activity, member)


def test_staff_cannot_recommend(branch, staff):
    activity = make_activity(branch, "recommend")
    with pytest.raises(ValidationError, match="只有本支部党员"):
        recommend(activity, staff)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("reason", "太短了", "至少写 20 个字"),
        ("isbn", "978-0-306-40615-8", "校验位不正确"),
        ("title", "  ", "请填写书名"),
    ],
)
def test_bad_input_is_refused_at_the_field(branch, member, field, value, message):
    activity = make_activity(branch, "recommend")
    with pytest.raises(ValidationError) as exc:
        recommend(activity, member, **{field: value})
    assert message in " ".join(exc.value.message_dict[field])


def test_the_isbn_is_stored_without_hyphens(branch, member):
    rec = recommend(make_activity(branch, "recommend"), member, isbn="978-0-306-40615-7")
    assert rec.isbn == "9780306406157"


def test_the_view_keeps_input_and_saves_nothing_on_a_short_reason(member_client, branch):
    activity = make_activity(branch, "recommend")
    url = reverse("reading:recommendation_edit", args=[activity.pk])
    response = member_client.post(
        url, {"title": "我的书", "author": "某人", "publisher": "某社", "reason": "太短"}
    )
    assert response.status_code == 200
    assert "推荐理由至少写 20 个字" in response.content.decode()
    assert "我的书" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_the_view_saves_and_goes_to_the_tally(member_client, branch, member):
    activity = make_activity(branch, "recommend")
    url = reverse("reading:recommendation_edit", args=[activity.pk])
    response = member_client.post(
        url,
        {
            "title": "《你在为谁工作》",
            "author": "陈安之",
            "publisher": "长安",
            "isbn": "0-306-40615-2",
            "reason": REASON,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("reading:recommendation_list", args=[activity.pk])
    assert Recommendation.objects.get().member == member


def test_an_outsider_branch_activity_is_a_404(member_client):
    other = make_activity(make_branch(), "recommend")
    assert (
        member_client.get(reverse("reading:recommendation_list", args=[other.pk])).status_code
        == 404
    )
    url = reverse("reading:recommendation_edit", args=[other.pk])
    assert member_client.get(url).status_code == 404


# --- Seconds (附议) ---


def test_members_second_up_to_three_others_but_not_their_own(branch, member):
    activity = make_activity(branch, "recommend")
    others = [make_recommendation(activity, m) for m in make_members(branch, 4)]
    own = make_recommendation(activity, member)
    with pytest.raises(ValidationError, match="不能附议自己的推荐"):
        services.endorsement_add(recommendation=own, by=member)
    for rec in others[:3]:
        services.endorsement_add(recommendation=rec, by=member)
    with pytest.raises(ValidationError, match="最多附议 3 条"):
        services.endorsement_add(recommendation=others[3], by=member)
    with pytest.raises(ValidationError, match="已经附议过"):
        services.endorsement_add(recommendation=others[0], by=member)
    services.endorsement_remove(recommendation=others[0], by=member)
    services.endorsement_add(recommendation=others[3], by=member)
    assert Endorsement.objects.filter(member=member).count() == 3


def test_seconding_after_phase_1_is_refused(branch, member, leader):
    activity = make_activity(branch, "read")
    rec = make_recommendation(activity, leader)
    with pytest.raises(ValidationError, match="推荐阶段已结束"):
        services.endorsement_add(recommendation=rec, by=member)


def test_the_endorse_view_seconds_and_withdraws(member_client, branch, leader):
    activity = make_activity(branch, "recommend")
    rec = make_recommendation(activity, leader)
    url = reverse("reading:recommendation_endorse", args=[rec.pk])
    assert member_client.post(url).status_code == 302
    assert rec.endorsements.count() == 1
    member_client.post(url, {"withdraw": "1"})
    assert rec.endorsements.count() == 0


# --- The tally ---


def test_the_tally_groups_same_isbn_or_same_normalized_title_and_author(branch):
    activity = make_activity(branch, "recommend")
    a, b, c, d, e = make_members(branch, 5)
    make_recommendation(activity, a, title="你在为谁工作", author="陈安之")
    make_recommendation(activity, b, title="《你在为谁 工作》", author="陈安之 著")
    make_recommendation(activity, c, title="为谁工作", author="陈", isbn="0306406152")
    make_recommendation(activity, d, title="你在为谁工作！", author="陈安之", isbn="9780306406157")
    make_recommendation(activity, e, title="责任胜于能力", author="孙学敏")
    groups = selectors.recommendation_tally(activity=activity)
    assert [g.count for g in groups] == [4, 1]
    assert groups[0].isbn


def test_the_tally_page_shows_counts_seconds_and_reasons(member_client, branch, leader, member):
    activity = make_activity(branch, "recommend")
    rec = make_recommendation(activity, leader, title="你在为谁工作", reason=REASON + "甲")
    make_recommendation(
        activity, make_members(branch, 1)[0], title="《你在为谁工作》", author=rec.author
    )
    Endorsement.objects.create(recommendation=rec, member=member)
    html = member_client.get(
        reverse("reading:recommendation_list", args=[activity.pk])
    ).content.decode()
    assert "2 人推荐 · 1 人附议" in html
    assert REASON + "甲" in html


def test_the_tally_shows_a_few_recommendations_per_book_and_opens_the_book(
    member_client, branch, django_assert_num_queries
):
    """A company's activity has dozens of recommendations per book: the tally shows the first
    TALLY_SHOWN of each with 查看全部; ?book= shows that book alone with all of them."""
    activity = make_activity(branch, "recommend")
    people = make_members(branch, selectors.TALLY_SHOWN + 2)
    recs = [
        make_recommendation(
            activity, p, title="你在为谁工作", author="陈安之", reason=f"{REASON}第{i}条"
        )
        for i, p in enumerate(people)
    ]
    url = reverse("reading:recommendation_list", args=[activity.pk])
    html = member_client.get(url).content.decode()
    n = len(recs)
    assert f"{n} 人推荐" in html
    assert f"查看全部 {n} 条推荐" in html
    assert f"?book={recs[0].pk}#book-{recs[0].pk}" in html
    assert all(f"{REASON}第{i}条" in html for i in range(selectors.TALLY_SHOWN))
    assert f"{REASON}第{n - 1}条" not in html

    book = member_client.get(url, {"book": recs[0].pk}).content.decode()
    assert all(f"{REASON}第{i}条" in book for i in range(n))
    assert "查看全部" not in book
    assert "返回全部书目" in book
    # A recommendation's own link opens its book, where it is shown.
    assert recs[-1].get_absolute_url() == f"{url}?book={recs[-1].pk}#rec-{recs[-1].pk}"
    assert (
        f'id="rec-{recs[-1].pk}"' in member_client.get(url, {"book": recs[-1].pk}).content.decode()
    )
    # The same queries whatever the number of recommendations shown.
    with django_assert_num_queries(_tally_queries(member_client, url, {"book": recs[0].pk})):
        member_client.get(url)


def _tally_queries(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    return len(captured)


# --- Selection ---


def test_the_secretary_selects_books_which_closes_phase_1(branch, secretary, member, leader):
    activity = make_activity(branch, "recommend")
    recs = [
        make_recommendation(activity, member, title="《你在为谁工作》"),
        make_recommendation(activity, leader, title="责任胜于能力"),
    ]
    services.activity_select_books(
        activity=activity, recommendations=recs, note="支委会研究决定", by=secretary
    )
    activity.refresh_from_db()
    # Selecting closes recommending, but the phase (and its badge) still follows the dates.
    assert activity.is_selected and not activity.recommending_open
    assert activity.phase == activity.Phase.RECOMMEND and activity.books_chosen_or_due
    with pytest.raises(ValidationError, match="推荐阶段已结束"):
        services.require_phase(activity=activity, action="recommend")
    assert list(Selection.objects.values_list("title", flat=True)) == [
        "你在为谁工作",
        "责任胜于能力",
    ]
    assert AuditEntry.objects.filter(action="选定读书书目").exists()
    with pytest.raises(ValidationError, match="不能重复选定"):
        services.activity_select_books(
            activity=activity, recommendations=recs, note="再选", by=secretary
        )


def test_the_number_of_books_must_match(branch, secretary, member):
    activity = make_activity(branch, "recommend", books_to_pick=2)
    rec = make_recommendation(activity, member)
    with pytest.raises(ValidationError, match="须选定 2 本书"):
        services.activity_select_books(
            activity=activity, recommendations=[rec], note="决定", by=secretary
        )
    assert not Selection.objects.exists()


def test_the_select_view_requires_a_decision_note(secretary_client, branch, member, leader):
    activity = make_activity(branch, "recommend")
    recs = [make_recommendation(activity, p) for p in (member, leader)]
    url = reverse("reading:selection_create", args=[activity.pk])
    response = secretary_client.post(url, {"books": [r.pk for r in recs], "note": ""})
    assert response.status_code == 200 and not Selection.objects.exists()
    response = secretary_client.post(url, {"books": [r.pk for r in recs], "note": "支委会决定"})
    assert response.status_code == 302 and Selection.objects.count() == 2
    html = secretary_client.get(reverse("reading:activity_detail", args=[activity.pk])).content
    assert "支委会决定" in html.decode()


def test_only_the_secretary_selects(member_client, leader_client, branch):
    activity = make_activity(branch, "recommend")
    for client in (member_client, leader_client):
        assert (
            client.get(reverse("reading:selection_create", args=[activity.pk])).status_code == 403
        )


def test_a_leader_who_is_also_a_member_takes_part(branch):
    leader = make_person(branch, (Role.LEADER, Role.MEMBER))
    assert is_participant(make_activity(branch), leader)


def test_hostile_recommendation_text_is_escaped_on_the_tally(member_client, branch, leader):
    activity = make_activity(branch, "recommend")
    make_recommendation(
        activity,
        leader,
        title="<script>alert(1)</script>",
        reason="<img src=x onerror=alert(1)> " + REASON,
    )
    html = member_client.get(
        reverse("reading:recommendation_list", args=[activity.pk])
    ).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
