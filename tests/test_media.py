"""Uploaded photos are served by the app (config/media.py) with the visibility of the object they
belong to, caching headers, and X-Accel-Redirect behind nginx; nothing serves MEDIA_ROOT as such."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import Resolver404, resolve
from PIL import Image

from campaign.models import Pledge, PledgeProgress
from members.models import Role, User
from tests.campaign.factories import make_campaign, make_pledge
from tests.conftest import client_for
from tests.factories import make_branch, make_person
from tests.reading.factories import make_activity, make_purchase, select_books


def _jpeg(colour="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()


def _entry(pledge, data=None) -> PledgeProgress:
    entry = PledgeProgress.objects.create(
        pledge=pledge, happened_on=dt.date(2011, 3, 1), content="配送到位", recorded_by=pledge.owner
    )
    entry.photo.save("photo.jpg", ContentFile(data or _jpeg()), save=True)
    return entry


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.fixture
def published(campaign, member):
    return make_pledge(campaign, member, status=Pledge.Status.PUBLISHED)


@pytest.fixture
def outsider(db):
    other = make_branch(name="另一个党支部")
    return make_person(other, (Role.SECRETARY, Role.MEMBER), username="other_secretary")


def test_a_photo_of_a_published_pledge_is_served_to_the_branch_with_caching_headers(
    staff_client, published
):
    data = _jpeg()
    entry = _entry(published, data)
    name = Path(entry.photo.name).name
    assert entry.photo.url == f"/campaign/progress/{entry.pk}/photo/{name}"
    response = staff_client.get(entry.photo.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{name}"'
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")

    again = staff_client.get(entry.photo.url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["Cache-Control"] == "private, max-age=86400"
    since = staff_client.get(entry.photo.url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304


def test_a_photo_of_an_unpublished_pledge_is_seen_only_by_who_sees_the_pledge(
    campaign, member, leader, staff, secretary, outsider
):
    draft = make_pledge(campaign, member, status=Pledge.Status.SUBMITTED)
    url = _entry(draft).photo.url
    assert client_for(member).get(url).status_code == 200
    assert client_for(secretary).get(url).status_code == 200
    # Exactly what the pledge page answers: a 404 for those who may not see the pledge.
    for person in (leader, staff, outsider):
        assert client_for(person).get(url).status_code == 404
        assert client_for(person).get(draft.get_absolute_url()).status_code == 404


def test_an_outsider_gets_404_even_for_a_published_pledge(published, outsider):
    assert client_for(outsider).get(_entry(published).photo.url).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, published):
    response = client.get(_entry(published).photo.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_wrong_name_a_missing_file_or_no_photo_is_404(member_client, published):
    entry = _entry(published)
    assert member_client.get(f"/campaign/progress/{entry.pk}/photo/other.jpg").status_code == 404
    bare = PledgeProgress.objects.create(pledge=published, happened_on=dt.date(2011, 3, 2))
    assert member_client.get(f"/campaign/progress/{bare.pk}/photo/x.jpg").status_code == 404
    url = entry.photo.url
    entry.photo.storage.delete(entry.photo.name)
    assert member_client.get(url).status_code == 404


def test_nothing_serves_media_root_as_such(member_client, published, settings):
    entry = _entry(published)
    for url in (f"/media/{entry.photo.name}", f"/{settings.MEDIA_URL}{entry.photo.name}"):
        assert member_client.get(url).status_code == 404
    with pytest.raises(Resolver404):
        resolve(f"/media/{entry.photo.name}")


def test_the_pledge_page_links_to_the_served_photo(member_client, published):
    entry = _entry(published)
    page = member_client.get(published.get_absolute_url()).content.decode()
    assert f'src="{entry.photo.url}"' in page and "/media/" not in page


def test_behind_nginx_the_view_checks_access_then_hands_over_with_x_accel_redirect(
    member_client, leader_client, campaign, member, settings
):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    draft = make_pledge(campaign, member)
    entry = _entry(draft)
    response = member_client.get(entry.photo.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{entry.photo.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert response["Content-Disposition"].startswith("inline")
    refused = leader_client.get(entry.photo.url)
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_an_invoice_is_served_to_leaders_only_by_the_same_mechanism(
    branch, secretary, leader_client, member_client, outsider, settings
):
    books = select_books(make_activity(branch, "read"), secretary)
    purchase = make_purchase(books[0])
    purchase.invoice.save("invoice.jpg", ContentFile(_jpeg("blue")), save=True)
    url = purchase.invoice.url
    assert url.startswith(f"/reading/purchases/{purchase.pk}/invoice/")
    response = leader_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert member_client.get(url).status_code == 403  # the purchases page is 403 for a member
    assert client_for(outsider).get(url).status_code == 404
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media"
    accel = leader_client.get(url)
    assert accel["X-Accel-Redirect"] == f"/protected-media/{purchase.invoice.name}"


def test_an_unsaved_object_has_no_photo_url(published):
    entry = PledgeProgress(pledge=published, happened_on=dt.date(2011, 3, 1))
    entry.photo.name = "pledges/2011/abc.jpg"
    with pytest.raises(ValueError):
        entry.photo.url  # noqa: B018


@pytest.mark.django_db
def test_the_demo_has_a_pledge_photo_that_members_see(settings):
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)  # no second file
    entries = PledgeProgress.objects.exclude(photo="")
    assert entries.count() == 1
    assert len(list((Path(settings.MEDIA_ROOT) / "pledges").rglob("*.jpg"))) == 1
    entry = entries.get()
    response = client_for(User.objects.get(username="staff")).get(entry.photo.url)
    assert response.status_code == 200
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.format == "JPEG" and image.size == (640, 480)


def test_the_upload_forms_send_files(member_client, secretary_client, published, branch, secretary):
    """The forms that take a photo are multipart: a form without it posts the file's name only."""
    page = member_client.get(f"/campaign/pledges/{published.pk}/progress/").content.decode()
    assert ' enctype="multipart/form-data"' in page
    books = select_books(make_activity(branch, "read"), secretary)
    activity = books[0].activity
    page = secretary_client.get(f"/reading/{activity.pk}/purchases/new/").content.decode()
    assert ' enctype="multipart/form-data"' in page
