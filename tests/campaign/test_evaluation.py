"""群众评议: anonymity of ballots, turnout, changing a ballot, the 5-ballot floor, the threshold."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign import selectors, services
from campaign.models import (
    Ballot,
    BallotMark,
    EvaluationRound,
    EvaluationSubject,
    EvaluationTurnout,
)
from members.models import AuditEntry, Role, User
from tests.factories import make_person

from .factories import all_levels, make_campaign, make_round

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

SAT, FAIR, BASIC, DIS = BallotMark.Level.values


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


def _staff(branch, n):
    return [make_person(branch, (Role.STAFF,)) for _ in range(n)]


@pytest.mark.django_db
def test_ballot_table_has_no_evaluator_and_no_time_at_all():
    for model in (Ballot, BallotMark):
        for field in model._meta.get_fields():
            assert not (field.is_relation and field.related_model is User), field
            # No date either: a ballot written on the day of a rare sign-in would name its voter.
            assert not isinstance(field, models.DateField | models.TimeField), field
        with connection.cursor() as cursor:
            columns = connection.introspection.get_table_description(cursor, model._meta.db_table)
        names = {c.name for c in columns}
        assert not any(n in names for n in ("evaluator_id", "user_id", "voter_id", "created_at"))
        assert not any("time" in str(c.type_code).lower() for c in columns), columns
    # The ballot's primary key is random, so its id does not tell the order of voting.
    assert isinstance(Ballot._meta.pk, models.UUIDField)


def test_turnout_knows_who_voted_but_not_which_ballot():
    fields = {f.name for f in EvaluationTurnout._meta.get_fields()}
    assert fields == {"id", "round", "evaluator", "subject", "has_voted", "sealed"}


def test_open_fixes_subjects_and_turnout(campaign, secretary, leader, member, staff):
    round_ = make_round(campaign, secretary)
    subjects = list(round_.subjects.all())
    assert sum(s.is_branch for s in subjects) == 1
    assert {s.person_id for s in subjects if s.person_id} == {secretary.pk, leader.pk, member.pk}
    # 4 evaluators × 4 subjects, minus the 3 members who do not evaluate themselves.
    assert round_.turnout.count() == 13
    assert not round_.turnout.filter(subject__person=staff).exists()
    assert not EvaluationTurnout.objects.filter(evaluator=member, subject__person=member).exists()


def _sealed(person, subject):
    return EvaluationTurnout.objects.get(evaluator=person, subject=subject).sealed


def test_a_vote_is_sealed_until_closing_and_can_be_changed(campaign, secretary, staff):
    round_ = make_round(campaign, secretary)
    subject = round_.subjects.get(is_branch=True)
    services.ballot_cast(subject=subject, by=staff, levels=all_levels(subject))
    turnout = EvaluationTurnout.objects.get(evaluator=staff, subject=subject)
    first = bytes(turnout.sealed)
    assert turnout.has_voted and not Ballot.objects.exists()
    # The same person changes it; the ciphertext is new (random nonce) and of the same length.
    services.ballot_cast(subject=subject, by=staff, levels=all_levels(subject, DIS))
    second = bytes(_sealed(staff, subject))
    assert second != first and len(second) == len(first)
    assert not Ballot.objects.exists()
    services.round_close(round_=round_, by=secretary)
    # Closing writes the ballot with the last choice and erases every sealed value.
    assert Ballot.objects.filter(subject=subject).count() == 1
    assert set(BallotMark.objects.values_list("level", flat=True)) == {DIS}
    assert not EvaluationTurnout.objects.filter(sealed__isnull=False).exists()
    # Voting leaves no trace in the audit trail.
    assert not AuditEntry.objects.filter(actor=staff).exists()


def test_sealed_votes_do_not_show_their_levels(campaign, secretary, branch):
    """Every vote of a kind seals to the same length; equal votes never look equal."""
    voters = _staff(branch, 4)
    round_ = make_round(campaign, secretary)
    subject = round_.subjects.get(is_branch=True)
    _vote(round_, subject, voters, [SAT, DIS, BASIC, SAT])
    sealed = [bytes(_sealed(v, subject)) for v in voters]
    assert len({len(s) for s in sealed}) == 1
    assert len(set(sealed)) == 4  # the two SAT votes differ too
    for value in sealed:
        assert not any(level.encode() in value for level in BallotMark.Level.values)


def test_a_vote_sealed_under_another_key_is_not_opened(campaign, secretary, staff, settings):
    round_ = make_round(campaign, secretary)
    subject = round_.subjects.get(is_branch=True)
    services.ballot_cast(subject=subject, by=staff, levels=all_levels(subject))
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-" + "x" * 50
    with pytest.raises(ValidationError, match="无法解封"):
        services.round_close(round_=round_, by=secretary)
    round_.refresh_from_db()
    assert round_.status == EvaluationRound.Status.OPEN and not Ballot.objects.exists()
    # The old key kept as a fallback opens it: nothing was lost.
    settings.SECRET_KEY_FALLBACKS = [old_key]
    services.round_close(round_=round_, by=secretary)
    assert Ballot.objects.filter(subject=subject).count() == 1


def test_a_sealed_vote_copied_to_another_row_does_not_open(campaign, secretary, branch):
    a, b = _staff(branch, 2)
    round_ = make_round(campaign, secretary)
    subject = round_.subjects.get(is_branch=True)
    services.ballot_cast(subject=subject, by=a, levels=all_levels(subject, DIS))
    services.ballot_cast(subject=subject, by=b, levels=all_levels(subject, SAT))
    # An insider with the database copies a's sealed value onto b's row: it no longer opens.
    EvaluationTurnout.objects.filter(evaluator=b, subject=subject).update(
        sealed=_sealed(a, subject)
    )
    with pytest.raises(ValidationError, match="无法解封"):
        services.round_close(round_=round_, by=secretary)


def test_incomplete_ballot_saves_nothing(campaign, secretary, staff):
    round_ = make_round(campaign, secretary)
    subject = round_.subjects.get(is_branch=True)
    levels = all_levels(subject)
    levels.popitem()
    with pytest.raises(ValidationError, match="请对每一项作出评价"):
        services.ballot_cast(subject=subject, by=staff, levels=levels)
    assert not Ballot.objects.exists()
    assert not EvaluationTurnout.objects.filter(has_voted=True).exists()


def test_only_invited_evaluators_vote(campaign, secretary, staff, branch, member):
    invited = _staff(branch, 1)[0]
    round_ = make_round(campaign, secretary, chosen=[invited])
    subject = round_.subjects.get(is_branch=True)
    with pytest.raises(ValidationError, match="不是这一对象的参评人员"):
        services.ballot_cast(subject=subject, by=staff, levels=all_levels(subject))
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("campaign:round_vote", args=[round_.pk])).status_code == 404
    assert client.get(reverse("campaign:ballot_cast", args=[subject.pk])).status_code == 404


def _vote(round_, subject, voters, levels_per_voter):
    for voter, level in zip(voters, levels_per_voter, strict=True):
        services.ballot_cast(subject=subject, by=voter, levels=all_levels(subject, level))


def test_five_ballot_floor_and_threshold(campaign, secretary, branch, member):
    voters = _staff(branch, 5)
    round_ = make_round(campaign, secretary)
    branch_subject = round_.subjects.get(is_branch=True)
    member_subject = round_.subjects.get(person=member)
    _vote(round_, branch_subject, voters, [SAT, FAIR, SAT, BASIC, FAIR])  # 80% -> not flagged
    _vote(round_, member_subject, voters[:4], [SAT, SAT, SAT, SAT])  # only 4 ballots
    services.round_close(round_=round_, by=secretary)
    branch_subject.refresh_from_db()
    member_subject.refresh_from_db()
    assert branch_subject.ballot_count == 5 and branch_subject.satisfaction == 80
    assert branch_subject.result_is_public and not branch_subject.needs_rectification
    assert member_subject.ballot_count == 4 and not member_subject.result_is_public
    assert not member_subject.needs_rectification


def test_threshold_is_configurable_per_round(campaign, secretary, branch):
    voters = _staff(branch, 5)
    round_ = make_round(campaign, secretary, threshold=90)
    subject = round_.subjects.get(is_branch=True)
    _vote(round_, subject, voters, [SAT, FAIR, SAT, BASIC, DIS])  # 60%
    services.round_close(round_=round_, by=secretary)
    subject.refresh_from_db()
    assert subject.satisfaction == 60 and subject.needs_rectification


def test_results_page_hides_thin_subjects_and_flags(
    secretary_client, campaign, secretary, branch, member
):
    voters = _staff(branch, 5)
    round_ = make_round(campaign, secretary)
    _vote(round_, round_.subjects.get(is_branch=True), voters, [DIS, DIS, SAT, DIS, BASIC])
    _vote(round_, round_.subjects.get(person=member), voters[:4], [SAT, SAT, SAT, SAT])
    secretary_client.post(reverse("campaign:round_close", args=[round_.pk]))
    html = secretary_client.get(
        reverse("campaign:round_results", args=[round_.pk])
    ).content.decode()
    assert "列入整改" in html and "20.0%" in html
    assert "不足 5 票，不公布" in html and "100.0%" not in html


def test_a_member_sees_only_his_own_result(client, campaign, secretary, branch, member, leader):
    voters = _staff(branch, 5)
    round_ = make_round(campaign, secretary)
    _vote(round_, round_.subjects.get(person=member), voters, [SAT, SAT, FAIR, BASIC, SAT])
    _vote(round_, round_.subjects.get(person=leader), voters, [DIS, DIS, DIS, DIS, DIS])
    services.round_close(round_=round_, by=secretary)
    client.force_login(member)
    assert client.get(reverse("campaign:round_results", args=[round_.pk])).status_code == 403
    html = client.get(reverse("campaign:my_campaign")).content.decode()
    assert "满意率 80.0%" in html and "0.0%" not in html.replace("80.0%", "")


def _form(subject, level):
    return {f"item_{pk}": lv for pk, lv in all_levels(subject, level).items()}


def test_voting_through_the_views_and_changing_from_any_device(campaign, secretary, staff):
    round_ = make_round(campaign, secretary)
    subject = round_.subjects.get(is_branch=True)
    client = Client()
    client.force_login(staff)
    url = reverse("campaign:ballot_cast", args=[subject.pk])
    response = client.post(url, _form(subject, SAT))
    assert response.status_code == 302
    # No cookie carries anything about the vote (only Django's own session and CSRF cookies).
    assert set(response.cookies) <= {"sessionid", "csrftoken"}
    # The same person on another device sees his or her choice and changes it.
    other = Client()
    other.force_login(staff)
    form = other.get(url).context["form"]
    assert {form[f"item_{pk}"].value() for pk in all_levels(subject)} == {SAT}
    assert other.post(url, _form(subject, DIS)).status_code == 302
    services.round_close(round_=round_, by=secretary)
    assert Ballot.objects.count() == 1
    assert set(BallotMark.objects.values_list("level", flat=True)) == {DIS}


def test_invalid_ballot_keeps_choices(campaign, secretary, staff):
    round_ = make_round(campaign, secretary)
    subject = round_.subjects.get(is_branch=True)
    client = Client()
    client.force_login(staff)
    first = next(iter(all_levels(subject)))
    response = client.post(
        reverse("campaign:ballot_cast", args=[subject.pk]), {f"item_{first}": SAT}
    )
    assert response.status_code == 200
    assert response.context["form"][f"item_{first}"].value() == SAT
    assert not Ballot.objects.exists()


def test_closed_round_takes_no_ballots(campaign, secretary, staff):
    round_ = make_round(campaign, secretary)
    services.round_close(round_=round_, by=secretary)
    subject = round_.subjects.get(is_branch=True)
    with pytest.raises(ValidationError, match="不在进行中"):
        services.ballot_cast(subject=subject, by=staff, levels=all_levels(subject))
    with pytest.raises(ValidationError, match="当前是"):
        services.round_open(round_=round_, by=secretary)


def test_round_items_are_five_for_the_branch_and_siyou_for_members(campaign, secretary):
    round_ = make_round(campaign, secretary, open_=False)
    branch_items = list(round_.items.filter(applies_to="branch").values_list("name", flat=True))
    assert branch_items == services.BRANCH_ITEMS
    assert list(round_.items.filter(applies_to="member").values_list("name", flat=True)) == [
        "政治素质优",
        "岗位技能优",
        "工作业绩优",
        "群众评价优",
    ]


def test_create_round_chosen_without_people_saves_nothing(secretary_client, campaign):
    data = {
        "name": "评议",
        "starts_on": "2010-12-20",
        "ends_on": "2010-12-31",
        "threshold": "80",
        "evaluator_scope": "chosen",
    }
    response = secretary_client.post(reverse("campaign:round_create"), data)
    assert response.status_code == 200 and "请至少指定一名参评人员" in response.content.decode()
    assert not EvaluationRound.objects.exists()


def test_open_and_close_are_audited_without_voters(campaign, secretary, staff):
    round_ = make_round(campaign, secretary)
    subject = round_.subjects.get(is_branch=True)
    services.ballot_cast(subject=subject, by=staff, levels=all_levels(subject))
    services.round_close(round_=round_, by=secretary)
    entries = AuditEntry.objects.all()
    assert {e.action for e in entries} >= {"开始群众评议", "结束群众评议"}
    assert not any(staff.full_name in (e.detail + e.object_repr) for e in entries)
    assert EvaluationSubject.objects.get(pk=subject.pk).ballot_count == 1


def test_a_shared_computer_gives_the_next_voter_nothing(campaign, secretary, branch):
    """Two people take turns on one office computer: neither sees nor overwrites the other's."""
    first, second = _staff(branch, 2)
    round_ = make_round(campaign, secretary)
    subject = round_.subjects.get(is_branch=True)
    url = reverse("campaign:ballot_cast", args=[subject.pk])
    browser = Client()
    browser.force_login(first)
    assert browser.post(url, _form(subject, DIS)).status_code == 302
    # A cookie an older version left behind is ignored, and sign-out clears it.
    browser.cookies[f"cx_ballot_{round_.pk}"] = "stale"
    response = browser.post(reverse("logout"))
    assert response.cookies[f"cx_ballot_{round_.pk}"]["max-age"] == 0

    browser.force_login(second)
    form = browser.get(url).context["form"]
    assert all(form[f"item_{pk}"].value() is None for pk in all_levels(subject))
    assert browser.post(url, _form(subject, SAT)).status_code == 302
    # The first person's vote is still his own: the second person's went to the second row.
    services.round_close(round_=round_, by=secretary)
    assert set(BallotMark.objects.values_list("level", flat=True)) == {DIS, SAT}
    assert Ballot.objects.filter(subject=subject).count() == 2


def test_after_a_ballot_the_voter_goes_on_to_the_next_person_not_yet_rated(
    campaign, secretary, staff
):
    """Issue 9 point 8: rating everyone on a phone is one form after another, not a trip back to
    the list each time; the last one leads back to the list."""
    round_ = make_round(campaign, secretary)
    client = Client()
    client.force_login(staff)
    rows = list(selectors.ballots_for(user=staff, round_=round_))
    assert len(rows) >= 2
    # The second person first: the next one is the third (or, if none, the first).
    first, second = rows[0].subject, rows[1].subject
    response = client.post(reverse("campaign:ballot_cast", args=[second.pk]), _form(second, SAT))
    expected_next = rows[2].subject if len(rows) > 2 else first
    assert response["Location"] == reverse("campaign:ballot_cast", args=[expected_next.pk])
    # Rating everyone else one after another, following the redirects.
    url = response["Location"]
    for _ in range(len(rows) - 1):
        subject_pk = int(url.rstrip("/").rsplit("/", 1)[1])
        subject = round_.subjects.get(pk=subject_pk)
        response = client.post(url, _form(subject, SAT))
        url = response["Location"]
    assert url == reverse("campaign:round_vote", args=[round_.pk])
    page = client.get(url)
    assert "全部评完" in page.content.decode()
    assert not round_.turnout.filter(evaluator=staff, has_voted=False).exists()


def test_closing_stores_each_items_counts_and_the_results_page_reads_them(
    secretary_client, campaign, secretary, branch, member, settings
):
    voters = _staff(branch, 5)
    round_ = make_round(campaign, secretary)
    subject = round_.subjects.get(person=member)
    _vote(round_, subject, voters, [SAT, SAT, FAIR, BASIC, DIS])
    services.round_close(round_=round_, by=secretary)
    subject.refresh_from_db()
    for item in round_.items.filter(applies_to="member"):
        assert subject.counts_of(item.pk) == [2, 1, 1, 1]
    # The page reads the stored counts: it never counts the ballots again, and shows one page
    # of subjects at a time.
    settings.PAGE_SIZE = 1
    order = list(selectors.round_results(round_=round_).values_list("pk", flat=True))
    assert len(order) > 2
    url = reverse("campaign:round_results", args=[round_.pk])
    with CaptureQueriesContext(connection) as ctx:
        response = secretary_client.get(url, {"page": order.index(subject.pk) + 1})
    assert not [q for q in ctx.captured_queries if "campaign_ballot" in q["sql"]]
    assert [s.pk for s in response.context["page"]] == [subject.pk]
    assert "2 / 1 / 1 / 1" in response.content.decode()
