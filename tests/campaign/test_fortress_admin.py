"""The 战斗堡垒 records in the admin: read-only (their changes go through the services and the audit
trail), every list and change page opens, and photos are not linked from there."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaign import services
from campaign.models import (
    Decision,
    Deed,
    IntegrityRecord,
    PostReview,
    Problem,
    Rectification,
    SavingRecord,
    VanguardPost,
)
from config.uploads import clean_image

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

MODELS = [
    VanguardPost,
    PostReview,
    Deed,
    SavingRecord,
    Problem,
    Rectification,
    Decision,
    IntegrityRecord,
]


def photo():
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 90)).save(buf, "JPEG")
    return clean_image(SimpleUploadedFile("p.jpg", buf.getvalue(), "image/jpeg"))


@pytest.fixture
def rows(branch, secretary, leader, member):
    campaign = make_campaign(secretary)
    post = make_post(branch, secretary)
    make_holder(post, member, secretary)
    items = list(campaign.member_standards.items.all())
    services.post_review_save(
        post=post,
        campaign=campaign,
        year=2011,
        quarter=2,
        stars=4,
        note="",
        item_stars={items[0]: 4},
        by=secretary,
    )
    make_deed(campaign, member, secretary, post=post, photos=[photo()])
    make_saving(campaign, secretary, post=post)
    item = make_rectification(campaign, secretary, leader)
    measure = make_measure(item, leader, member)
    services.measure_progress(measure=measure, percent=50, evidence_photo=photo(), by=leader)
    make_decision(branch, secretary, [secretary, leader])
    services.integrity_create(
        branch=branch,
        data={"kind": "study", "held_on": FORTRESS_DAY, "title": "学习《若干规定》"},
        participants=[leader],
        by=secretary,
    )


def url(model, view, *args):
    return reverse(f"admin:campaign_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_secretary_reads_but_cannot_write(rows, secretary_client, model):
    obj = model.objects.get()
    assert secretary_client.get(url(model, "changelist")).status_code == 200
    page = secretary_client.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert "/media/" not in html  # uploads are served by their object's view only
    if model is Deed:
        stored = obj.photos.get().photo.name
        assert stored in html and f'href="{stored}' not in html
    for response in (
        secretary_client.get(url(model, "add")),
        secretary_client.post(url(model, "change", obj.pk), {}),
        secretary_client.post(url(model, "delete", obj.pk), {"post": "yes"}),
    ):
        assert response.status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()
