"""The 宣传 text: title, the books, then each 精华 with its reason, a summary and the excerpt."""

import pytest

from members.models import Department
from reading import selectors, services
from reading.publicity import publicity_text

from .factories import make_activity, make_reflection, select_books

pytestmark = pytest.mark.django_db


def test_the_text_lists_the_books_and_each_featured_post(branch, member, secretary):
    activity = make_activity(branch, "discuss", title="第一期读书")
    books = select_books(activity, secretary)
    member.department = Department.objects.create(branch=branch, name="储运部")
    member.save()
    post = make_reflection(
        activity,
        member,
        books[0],
        title="把工作当成事业",
        body="**读了**这本书。",
        excerpt="摘抄的一句话",
        excerpt_page=12,
    )
    make_reflection(activity, member, books[1], title="没有设为精华")
    services.reflection_feature(reflection=post, reason="  联系岗位实际。 ", by=secretary)
    posts = list(selectors.showcase(activity=activity, viewer=secretary))

    text = publicity_text(activity=activity, selections=activity.selections.all(), posts=posts)

    assert text.splitlines() == [
        "【读书论坛·精华推荐】第一期读书",
        "",
        "本次共读：" + "、".join(str(b) for b in books),
        "",
        f"1. “把工作当成事业”——{member.full_name}（储运部，读{books[0]}）",
        "推荐理由：联系岗位实际。",
        "内容摘要：读了这本书。",
        "摘抄：摘抄的一句话（第12页）",
    ]


def test_without_books_or_posts_it_says_so(branch):
    activity = make_activity(branch, "recommend", title="第二期")
    text = publicity_text(activity=activity, selections=[], posts=[])
    assert text == "【读书论坛·精华推荐】第二期\n\n暂无精华读后感。"
