"""The 战斗堡垒 reads run a constant number of queries: the same for 3 rows as for 30 (posts with
holders and totals, a post's page, deeds, the 增收节支 summary, rectification items with their
measures' progress, decisions), with everything a page shows of each row read."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from campaign import selectors_fortress as selectors
from campaign import services
from config.uploads import clean_image
from members.models import Role, User
from tests.factories import make_branch, make_department, make_person

from .factories import (
    FORTRESS_DAY,
    make_campaign,
    make_decision,
    make_deed,
    make_holder,
    make_measure,
    make_post,
    make_rectification,
    make_saving,
)

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")


def photo():
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 0)).save(buf, "PNG")
    return clean_image(SimpleUploadedFile("p.png", buf.getvalue(), "image/png"))


def world(n: int) -> dict[str, Any]:
    """A branch with n of everything: posts (two holders each), deeds (tags, a photo), 增收节支
    records per post and department, reviews, rectification items with two measures, decisions."""
    branch = make_branch()
    secretary = make_person(branch, (Role.SECRETARY, Role.MEMBER))
    leader = make_person(branch, (Role.LEADER, Role.MEMBER))
    staff = make_person(branch, (Role.STAFF,))
    campaign = make_campaign(secretary)
    items = list(campaign.member_standards.items.all())
    posts = []
    for i in range(n):
        post = make_post(branch, secretary, department=make_department(branch))
        posts.append(post)
        members = [make_person(branch, (Role.MEMBER,)) for _ in range(2)]
        for person in members:
            make_holder(post, person, secretary)
        deed = make_deed(
            campaign, members[0], secretary, post=post, tags=["urgent", "praise"], photos=[photo()]
        )
        services.deed_publicize(deed=deed, publicized=True, by=secretary)
        make_deed(campaign, members[1], members[1], post=post)  # 待确认
        make_saving(campaign, secretary, post=post, kind="income", amount=f"{i + 1}.10")
        make_saving(campaign, secretary, department=post.department, amount="0.20")
        services.post_review_save(
            post=post,
            campaign=campaign,
            year=2011,
            quarter=2 + i % 3,
            stars=4,
            note="",
            item_stars={items[0]: 4, items[1]: 5},
            by=secretary,
        )
        item = make_rectification(campaign, secretary, leader, title=f"整改{i}")
        for owner in members:
            make_measure(item, leader, owner)
        make_decision(branch, secretary, [secretary, leader, *members])
    busy(posts[0], n, campaign=campaign, secretary=secretary, items=items)
    return {
        "branch": branch,
        "campaign": campaign,
        **{
            key: as_signed_in(person)
            for key, person in (("secretary", secretary), ("leader", leader), ("staff", staff))
        },
        "post": posts[0],
    }


def busy(post, n: int, *, campaign, secretary, items) -> None:
    """The post whose page is read gets n former holders, n more deeds, n plaque cycles and up to
    9 quarterly reviews (the campaign's quarters)."""
    for i in range(n):
        former = make_person(post.branch, (Role.MEMBER,))
        holder = make_holder(post, former, secretary, starts_on=FORTRESS_DAY)
        services.post_release(holder=holder, ends_on=FORTRESS_DAY, by=secretary)
        make_deed(campaign, former, secretary, post=post, tags=["service"], photos=[photo()])
        day = FORTRESS_DAY + dt.timedelta(days=i + 1)
        services.post_remove_plaque(post=post, on=day, reason="整改", by=secretary)
        services.post_hang_plaque(post=post, on=day, by=secretary)
    quarters = [(2010, 3), (2010, 4), (2011, 1), (2011, 3), (2011, 4), (2012, 1), (2012, 2)]
    for year, quarter in quarters[: n - 1]:
        services.post_review_save(
            post=post,
            campaign=campaign,
            year=year,
            quarter=quarter,
            stars=3,
            note="",
            item_stars={items[2]: 3},
            by=secretary,
        )


def as_signed_in(person: User) -> User:
    """The viewer as a request has it: members.backends.RoleBackend loads the branch and roles."""
    return User.objects.select_related("branch").prefetch_related("groups").get(pk=person.pk)


def read_posts(w: dict[str, Any]) -> int:
    posts = list(selectors.post_list(branch=w["branch"], campaign=w["campaign"]))
    for post in posts:
        _ = (post.department.name, post.total, post.n_deeds, post.last_stars)
        _ = [(h.member.full_name, h.member.department) for h in post.current_holders]
    return len(posts)


def read_post_page(w: dict[str, Any]) -> int:
    page = selectors.post_detail(post=w["post"], viewer=w["secretary"], campaign=w["campaign"])
    rows = [(h.member.full_name, h.member.department, h.assigned_by) for h in page["holders"]]
    rows += [(e.action, e.by) for e in page["plaque_events"]]
    rows += [
        (r.stars, [(s.standard.name, s.stars) for s in r.scores.all()]) for r in page["reviews"]
    ]
    rows += [
        (d.member.department, d.post.name, d.tag_labels, [p.photo.name for p in d.photos.all()])
        for d in page["deeds"]
    ]
    return len(rows)


def read_deeds(viewer_key: str) -> Callable[[dict[str, Any]], int]:
    def read(w: dict[str, Any]) -> int:
        deeds = list(selectors.deed_list(campaign=w["campaign"], viewer=w[viewer_key]))
        for deed in deeds:
            _ = (deed.member.department, deed.post.name, deed.tag_labels, list(deed.photos.all()))
        return len(deeds)

    return read


def read_summary(w: dict[str, Any]) -> int:
    summary = selectors.saving_summary(campaign=w["campaign"])
    return len(summary["by_post"]) + len(summary["by_department"])


def read_savings(w: dict[str, Any]) -> int:
    entries = list(selectors.saving_list(campaign=w["campaign"]))
    for entry in entries:
        _ = (entry.post, entry.department.name, entry.verified_by.full_name)
    return len(entries)


def read_rectifications(w: dict[str, Any]) -> int:
    items = list(selectors.rectification_list(branch=w["branch"], viewer=w["leader"]))
    for item in items:
        _ = (item.responsible.full_name, item.n_measures, item.avg_percent, item.overdue)
    selectors.rectification_stats(branch=w["branch"])
    return len(items)


def read_public_rectifications(w: dict[str, Any]) -> int:
    items = selectors.rectification_list(branch=w["branch"], viewer=w["staff"])
    faces = selectors.public_faces(items)
    assert all(len(face.measures) == 2 for face in faces)
    return len(faces)


def read_problems(w: dict[str, Any]) -> int:
    problems = list(selectors.problem_list(campaign=w["campaign"]))
    for problem in problems:
        _ = (problem.rectification.title, problem.rectification.responsible.full_name)
    return len(problems)


def read_decisions(w: dict[str, Any]) -> int:
    decisions = list(selectors.decision_list(branch=w["branch"]))
    for decision in decisions:
        assert decision.n_attendees == len([p.full_name for p in decision.attendees.all()]) == 4
    return len(decisions)


READS = {
    "post_list": (read_posts, 2),
    "post_detail": (read_post_page, 8),
    "deed_list_secretary": (read_deeds("secretary"), 3),
    "deed_list_staff": (read_deeds("staff"), 3),
    "saving_summary": (read_summary, 4),
    "saving_list": (read_savings, 1),
    "rectification_list": (read_rectifications, 2),
    "rectification_public": (read_public_rectifications, 2),
    "problem_list": (read_problems, 1),
    "decision_list": (read_decisions, 2),
}


def count(read: Callable[[dict[str, Any]], int], w: dict[str, Any]) -> tuple[int, int]:
    """(queries, rows read)."""
    with CaptureQueriesContext(connection) as ctx:
        rows = read(w)
    return len(ctx.captured_queries), rows


@pytest.mark.django_db
def test_same_queries_for_3_and_30_rows(settings, tmp_path):
    """Every read, on a world of 3 and one of 30 (built once in this test's own transaction:
    33 posts with photos take a while)."""
    settings.MEDIA_ROOT = tmp_path
    small, large = world(3), world(30)
    for name, (read, expected) in READS.items():
        (small_queries, small_rows), (large_queries, large_rows) = (
            count(read, small),
            count(read, large),
        )
        assert 0 < small_rows < large_rows, f"{name}: the large world must show more rows"
        assert (small_queries, large_queries) == (expected, expected), name
