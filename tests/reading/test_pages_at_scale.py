"""Lists that a company fills with hundreds of rows show one page at a time, and build only the
rows of that page (issue 11): the 推荐书目 tally and the reading progress board."""

from django.urls import reverse

from .factories import make_activity, make_members, make_recommendation, select_books


def test_the_tally_shows_one_page_of_books_most_recommended_first(
    secretary_client, branch, settings
):
    settings.PAGE_SIZE = 2
    activity = make_activity(branch, "recommend")
    people = make_members(branch, 4)
    for person in people[:3]:
        make_recommendation(activity, person, title="你在为谁工作", author="陈安之")
    make_recommendation(activity, people[3], title="责任胜于能力", author="孙学敏")
    for n in range(3):
        make_recommendation(activity, make_members(branch, 1)[0], title=f"好书{n}", author="某")
    url = reverse("reading:recommendation_list", args=[activity.pk])
    first = secretary_client.get(url)
    assert [g.first.title for g in first.context["page"]][0] == "你在为谁工作"
    assert len(first.context["page"]) == 2
    assert "合并为 5 种书" in first.content.decode()
    last = secretary_client.get(url, {"page": 3})
    assert len(last.context["page"]) == 1


def test_the_progress_board_builds_only_the_rows_of_its_page(
    secretary_client, secretary, branch, settings
):
    settings.PAGE_SIZE = 2
    activity = make_activity(branch, "read")
    select_books(activity, secretary)
    make_members(branch, 4)
    url = reverse("reading:progress_list", args=[activity.pk])
    response = secretary_client.get(url)
    page = response.context["page"]
    assert page.paginator.count == 5  # four members and the secretary
    assert len(page.object_list) == 2
    assert all(len(row.cells) == 2 for row in page.object_list)
    # 进度落后 is known only from every row: that filter builds them all and pages the result.
    behind = secretary_client.get(url, {"show": "behind"}).context["page"]
    assert behind.paginator.count == 5 and len(behind.object_list) == 2
