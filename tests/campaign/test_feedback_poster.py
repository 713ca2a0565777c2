"""The secretary's printable QR poster for staff feedback (issue 13): who may open it, the QR code
(inline SVG) of the absolute address of the branch's feedback form, the text, and no inline
style or script (CSP)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from campaign.views.feedback_board import qr_inline_svg

pytestmark = pytest.mark.django_db

POSTER = reverse("campaign:feedback_poster")


def _send_path(branch) -> str:
    return reverse("campaign:feedback_send", args=[branch.pk])


def test_only_the_secretary_prints_the_poster(personas):
    for role in ("staff", "member", "leader"):
        assert personas[role].get(POSTER).status_code == 403, role
    assert personas["anonymous"].get(POSTER).status_code == 302
    assert personas["secretary"].get(POSTER).status_code == 200


def test_the_qr_code_is_the_absolute_address_of_the_branch_form(secretary_client, branch):
    response = secretary_client.get(POSTER)
    url = f"http://testserver{_send_path(branch)}"
    assert response.context["url"] == url
    html = response.content.decode()
    assert str(qr_inline_svg(url)) in html  # the code itself, made on the server
    assert html.count("<svg") == 1
    assert f'<span class="poster-url">{url}</span>' in html  # written out for typing
    assert "alert-warning" not in html  # a host phones can open


def test_site_url_wins_over_the_request(secretary_client, branch, settings):
    settings.SITE_URL = "https://dangjian.example.com/"
    response = secretary_client.get(POSTER)
    url = f"https://dangjian.example.com{_send_path(branch)}"
    assert response.context["url"] == url
    assert str(qr_inline_svg(url)) in response.content.decode()


def test_a_local_only_address_is_flagged_on_screen(secretary, branch):
    client = Client(headers={"host": "127.0.0.1"})
    client.force_login(secretary)
    html = client.get(POSTER).content.decode()
    assert "别人的手机打不开" in html
    assert re.search(r'<div class="no-print">.*alert-warning.*</div>\s*<article', html, re.S)


def test_the_address_opens_the_form_signed_out(client, secretary, branch):
    response = client.get(_send_path(branch))
    assert response.status_code == 200
    assert "完全匿名" in response.content.decode()


def test_the_poster_says_what_to_send_and_the_three_modes(secretary_client, branch):
    html = secretary_client.get(POSTER).content.decode()
    for text in (
        "意见建议 · 扫码反映",
        branch.name,
        "食堂伙食、福利待遇、工作环境",
        "<strong>实名</strong>",
        "<strong>对外匿名</strong>",
        "<strong>完全匿名</strong>：不记录身份，凭回执码查询结果",
        "整改公示",
    ):
        assert text in html, text


def test_printable_without_inline_style_or_script(secretary_client):
    html = secretary_client.get(POSTER).content.decode()
    assert '<link rel="stylesheet" href="/static/css/poster.css">' in html
    assert re.search(r"<button[^>]*data-print", html)  # static/js/app.js prints on click
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)  # every script is a file


def test_the_css_prints_one_a4_sheet():
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/poster.css"), encoding="utf-8").read()
    assert "@media print" in css and "size: A4" in css
