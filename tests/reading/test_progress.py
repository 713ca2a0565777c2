"""Phase 2: one progress row per member and book, updated in place; privacy; who is behind."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from reading import services
from reading.models import ReadingProgress

from .factories import make_activity, make_members, select_books


@pytest.fixture
def books(branch, secretary):
    return select_books(make_activity(branch, "read"), secretary)


def update(book, member, status="reading", percent=40, visible=True):
    return services.progress_update(
        selection=book, by=member, status=status, percent=percent, visible_to_members=visible
    )


def test_progress_is_updated_in_place(books, member):
    update(books[0], member, "reading", 30)
    update(books[0], member, "reading", 70)
    update(books[0], member, "finished", 10)
    row = ReadingProgress.objects.get()
    assert (row.status, row.percent) == ("finished", 100)


def test_one_row_per_member_and_book_is_a_database_constraint(books, member):
    ReadingProgress.objects.create(selection=books[0], member=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReadingProgress.objects.create(selection=books[0], member=member)


def test_not_started_means_zero_and_100_means_finished(books, member):
    assert update(books[0], member, "not_started", 50).percent == 0
    assert update(books[0], member, "reading", 100).status == "finished"


def test_progress_outside_phases_2_and_3_is_refused(branch, secretary, member):
    activity = make_activity(branch, "finished")
    book = select_books(activity, secretary)[0]
    with pytest.raises(ValidationError, match="不能登记阅读进度"):
        update(book, member)


def test_the_update_view(member_client, books, member):
    url = reverse("reading:progress_update", args=[books[0].activity_id])
    prefix = f"s{books[0].pk}"
    response = member_client.post(
        url, {"selection": books[0].pk, f"{prefix}-status": "reading", f"{prefix}-percent": "45"}
    )
    assert response.status_code == 302
    row = ReadingProgress.objects.get()
    assert (row.member, row.percent, row.visible_to_members) == (member, 45, False)


def test_an_invalid_percent_saves_nothing(member_client, books):
    url = reverse("reading:progress_update", args=[books[0].activity_id])
    prefix = f"s{books[0].pk}"
    member_client.post(
        url, {"selection": books[0].pk, f"{prefix}-status": "reading", f"{prefix}-percent": "140"}
    )
    assert not ReadingProgress.objects.exists()


def test_private_progress_is_hidden_from_other_members_but_not_the_secretary(
    books, member_client, secretary_client, branch
):
    shy, open_ = make_members(branch, 2)
    update(books[0], shy, "reading", 37, visible=False)
    update(books[0], open_, "reading", 63, visible=True)
    url = reverse("reading:progress_list", args=[books[0].activity_id])
    html = member_client.get(url).content.decode()
    assert "63%" in html and "37%" not in html
    html = secretary_client.get(url).content.decode()
    assert "63%" in html and "37%" in html and "未公开" in html


def test_the_secretary_sees_who_is_behind(books, secretary_client, branch):
    ahead, behind = make_members(branch, 2)
    for book in books:
        update(book, ahead, "finished", 100)
    url = reverse("reading:progress_list", args=[books[0].activity_id]) + "?show=behind"
    html = secretary_client.get(url).content.decode()
    assert behind.full_name in html and ahead.full_name not in html


def test_no_reading_time_and_no_ranking_on_the_page(books, member_client, branch):
    a, b = make_members(branch, 2)
    update(books[0], a, "reading", 10)
    update(books[0], b, "reading", 90)
    html = member_client.get(reverse("reading:progress_list", args=[books[0].activity_id])).content
    html = html.decode()
    assert "排名" not in html.replace("不排名", "") and "时长" not in html.replace(
        "不统计阅读时长", ""
    )
