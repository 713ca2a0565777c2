"""Issue 9, point 9 (reading side): headings and quotes render, excerpts lose list markers, no
《《》》, the nav's 读书论坛 and the home page follow the live activity, the secretary marks 已领取,
and the phase badge follows the dates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from members.models import AuditEntry
from reading import services
from reading.models import ReadingActivity
from reading.tasks import tasks_for
from reading.text import plain_excerpt, render_markdown

from .factories import make_activity, make_distribution, make_recommendation, select_books

# --- Markdown ---------------------------------------------------------------------------------


def test_headings_and_quotes_render():
    html = render_markdown("## 我的体会\n正文第一段\n> 引自原书的一句话\n# 大标题\n### 小节")
    assert "<h3>我的体会</h3>" in html and "<h3>大标题</h3>" in html and "<h4>小节</h4>" in html
    assert "<blockquote>" in html and "引自原书的一句话" in html
    assert "##" not in html and "&gt;" not in html


def test_full_width_quote_and_switching_list_kinds():
    html = render_markdown("＞ 全角引号\n\n- 一\n- 二\n1. 甲\n2. 乙")
    assert "<blockquote>" in html
    assert "<ul>" in html and "<ol>" in html and "1. 甲" not in html


def test_headings_are_still_sanitized():
    html = render_markdown('## <script>alert(1)</script>\n<h1 onclick="x">t</h1>')
    assert "<script" not in html and "<h1" not in html and "&lt;h1 onclick" in html


def test_excerpts_drop_list_and_heading_markers():
    text = "## 体会\n- 第一点\n- 第二点\n1. 甲\n2. 乙\n> 引文 共 3.5 分"
    assert plain_excerpt(text) == "体会 第一点 第二点 甲 乙 引文 共 3.5 分"


def test_book_title_never_doubles_the_brackets(branch, member, client):
    rendered = Template("{% load reading_tags %}{{ t|book_title }}").render(
        Context({"t": "《责任胜于能力》"})
    )
    assert rendered == "《责任胜于能力》"
    activity = make_activity(branch, "recommend")
    first = make_recommendation(activity, member, title="责任胜于能力", author="作者甲")
    other = make_recommendation(
        activity, make_person_like(member), title="《责任胜于能力》", author="甲"
    )
    assert first and other
    client.force_login(member)
    html = client.get(reverse("reading:recommendation_list", args=[activity.pk])).content.decode()
    assert "《《" not in html and "》》" not in html


def make_person_like(member):
    from tests.factories import make_person

    return make_person(member.branch)


# --- The live activity: nav and home -----------------------------------------------------------


def _overlapping(branch):
    """A in its discussion phase, B (newer) started recommending already."""
    live = make_activity(branch, "discuss", title="第一期")
    new = make_activity(branch, "recommend", title="第二期")
    return live, new


def test_the_nav_forum_goes_to_the_open_forum(branch, member, member_client):
    live, new = _overlapping(branch)
    response = member_client.get(reverse("reading:forum_current"))
    assert response.url == reverse("reading:reflection_list", args=[live.pk])
    assert ReadingActivity.objects.forum_for(branch) == live


def test_the_nav_forum_after_the_discussion_and_before_the_first(branch, member_client):
    assert member_client.get(reverse("reading:forum_current")).url == reverse(
        "reading:activity_list"
    )
    upcoming = make_activity(branch, "recommend", title="还没到交流")
    assert ReadingActivity.objects.forum_for(branch) == upcoming
    done = make_activity(branch, "finished", title="上一期")
    assert ReadingActivity.objects.forum_for(branch) == done


def test_home_keeps_the_live_activity_and_the_new_ones_tasks(branch, member, member_client):
    live, new = _overlapping(branch)
    select_books(live, member)
    assert ReadingActivity.objects.current_for(branch) == live
    texts = [t.text for t in tasks_for(user=member)]
    assert "发表读后感" in texts
    assert any(t.startswith("推荐一本好书") and "第二期" in t for t in texts)
    html = member_client.get(reverse("home")).content.decode()
    assert "第一期" in html


# --- 已领取 for members who do not use the app ----------------------------------------------


@pytest.fixture
def handout(branch, secretary, member):
    activity = make_activity(branch, "read")
    book = select_books(activity, secretary)[0]
    return make_distribution(book, member, issued_by=secretary)


def test_the_secretary_marks_a_handout_received(handout, secretary, secretary_client):
    page = reverse("reading:distribution_list", args=[handout.selection.activity_id])
    assert "代为确认" in secretary_client.get(page).content.decode()
    url = reverse("reading:distribution_confirm_for", args=[handout.pk])
    response = secretary_client.post(url, {"next": page})
    assert response.status_code == 302 and response.url == page
    handout.refresh_from_db()
    assert handout.confirmed_at is not None
    entry = AuditEntry.objects.get(action="代为确认领取图书")
    assert entry.actor == secretary and handout.member.full_name in entry.detail
    html = secretary_client.get(page).content.decode()
    assert "代为确认" not in html and "已领取" in html
    with pytest.raises(ValidationError, match="已经确认领取过"):
        services.distribution_confirm_for(distribution=handout, by=secretary)


def test_only_the_organiser_marks_for_others(handout, leader, leader_client, member_client):
    url = reverse("reading:distribution_confirm_for", args=[handout.pk])
    assert leader_client.post(url).status_code == 403
    assert member_client.post(url).status_code == 403
    with pytest.raises(ValidationError):
        services.distribution_confirm_for(distribution=handout, by=leader)
    page = reverse("reading:distribution_list", args=[handout.selection.activity_id])
    assert "代为确认" not in leader_client.get(page).content.decode()


def test_another_branch_gets_404(handout):
    from members.models import Role
    from tests.conftest import client_for
    from tests.factories import make_branch, make_person

    stranger = make_person(make_branch(name="别的支部"), (Role.SECRETARY, Role.MEMBER))
    url = reverse("reading:distribution_confirm_for", args=[handout.pk])
    assert client_for(stranger).post(url).status_code == 404


# --- The phase badge follows the dates ------------------------------------------------------


def test_choosing_books_early_does_not_move_the_badge(branch, secretary, member):
    activity = make_activity(branch, "recommend")
    select_books(activity, secretary)
    assert activity.phase == ReadingActivity.Phase.RECOMMEND
    assert activity.phase_label == "第一阶段：推荐好书"
    assert not activity.recommending_open and activity.books_chosen_or_due
    with pytest.raises(ValidationError, match="推荐阶段已结束"):
        services.require_phase(activity=activity, action="endorse")
    today = timezone.localdate()
    assert activity.phase_on(activity.read_start) == ReadingActivity.Phase.READ
    assert activity.phase_on(today) == ReadingActivity.Phase.RECOMMEND
    assert activity.phase_on(activity.recommend_end + dt.timedelta(days=1)) == "read"


def test_after_an_early_choice_members_confirm_books_not_recommend(branch, secretary, member):
    activity = make_activity(branch, "recommend")
    book = select_books(activity, secretary)[0]
    make_distribution(book, member)
    texts = [t.text for t in tasks_for(user=member)]
    assert any(t.startswith("确认已领取") for t in texts)
    assert not any(t.startswith("推荐一本好书") for t in texts)
