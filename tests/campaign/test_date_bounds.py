"""Dates are bounded to 2000-01-01 … ten years from today (config.dates), in forms and services.

9999-12-31 (a common "长期" placeholder) as a campaign's end date used to be a 500: laying out the
four phases added days to it (OverflowError).
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaign import services
from campaign.forms import CampaignForm, PhaseForm, RoundForm, StepForm
from campaign.models import Campaign
from config.dates import DATE_MIN, date_max
from reading import services as reading_services
from reading.forms import ActivityForm
from tests.reading.factories import make_activity, phase_dates, select_books

from .factories import make_campaign

pytestmark = pytest.mark.django_db


def test_date_max_is_ten_years_ahead_even_from_29_february():
    assert date_max(dt.date(2024, 2, 29)) == dt.date(2034, 2, 28)
    assert date_max(dt.date(2024, 5, 16)) == dt.date(2034, 5, 16)


def test_a_campaign_ending_9999_12_31_is_a_message_not_a_500(secretary_client, secretary):
    response = secretary_client.post(
        "/campaign/campaigns/new/",
        {"name": "长期活动", "starts_on": "2024-01-01", "ends_on": "9999-12-31"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["ends_on"]
    assert errors and "须在 2000年1月1日 至" in errors[0] and "结束日期" in errors[0]
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("day", [dt.date(9999, 12, 31), dt.date(1999, 12, 31)])
def test_the_service_refuses_out_of_range_dates_too(secretary, branch, day):
    starts, ends = (dt.date(2024, 1, 1), day) if day.year > 2000 else (day, dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.campaign_create(
            branch=branch, name="x", starts_on=starts, ends_on=ends, by=secretary
        )
    assert "2000年1月1日" in str(caught.value)
    assert not Campaign.objects.exists()


def test_every_campaign_date_form_is_bounded(secretary):
    campaign = make_campaign(secretary)
    far = "9999-12-31"
    forms = [
        CampaignForm({"name": "x", "starts_on": "2024-01-01", "ends_on": far}),
        PhaseForm({"name": "x", "starts_on": "2024-01-01", "ends_on": far}),
        RoundForm(
            {"name": "x", "starts_on": "1999-01-01", "ends_on": "2024-01-01", "threshold": 80},
            branch=secretary.branch,
        ),
        StepForm({"on": far}),
    ]
    for form in forms:
        assert not form.is_valid()
        assert any("须在 2000年1月1日 至" in m for e in form.errors.values() for m in e), (
            form.errors
        )
    widget = StepForm()["on"]
    assert f'min="{DATE_MIN:%Y-%m-%d}"' in str(widget)
    assert f'max="{date_max():%Y-%m-%d}"' in str(widget)
    assert campaign.phases.count() == 4


def test_single_dates_are_refused_by_the_services(secretary, branch, member):
    campaign = make_campaign(secretary)
    with pytest.raises(ValidationError) as caught:
        services.review_create(
            campaign=campaign,
            by=secretary,
            subject=member,
            rating="good",
            comment="好",
            reviewed_on=dt.date(1900, 1, 1),
        )
    assert "reviewed_on" in caught.value.message_dict
    activity = make_activity(branch, "read")
    selection = select_books(activity, secretary)[0]
    with pytest.raises(ValidationError) as caught:
        reading_services.purchase_record(
            selection=selection,
            quantity=1,
            unit_price=1,
            supplier="新华书店",
            purchased_on=dt.date(9999, 12, 31),
            by=secretary,
        )
    assert "purchased_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        reading_services.distribution_issue(
            selection=selection, members=[member], issued_on=dt.date(1990, 1, 1), by=secretary
        )
    assert "issued_on" in caught.value.message_dict


def test_reading_activity_dates_are_bounded(secretary, branch):
    data = {"title": "读书", "books_to_pick": 2, "budget": "100", **phase_dates("recommend")}
    data["discuss_end"] = dt.date(9999, 12, 31)
    form = ActivityForm({k: str(v) for k, v in data.items()})
    assert not form.is_valid()
    assert "须在 2000年1月1日 至" in form.errors["discuss_end"][0]
    with pytest.raises(ValidationError) as caught:
        reading_services.activity_create(branch=branch, by=secretary, data=data)
    assert "discuss_end" in caught.value.message_dict
    assert timezone.localdate() <= date_max()
