"""The office network: `HOST=… make run`, and the address members open, shown to the secretary
on the home page with a server-rendered QR code (members/address.py)."""

import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from members.address import is_local_only, qr_svg
from tests.conftest import PASSWORD

LAN = "192.168.1.20:8000"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def lan(settings):
    settings.ALLOWED_HOSTS = ["192.168.1.20", "127.0.0.1", "localhost", "testserver"]


def test_the_secretary_sees_the_address_opened_with_its_qr_code(lan, secretary_client):
    page = secretary_client.get("/", HTTP_HOST=LAN).content.decode()
    assert "成员访问地址" in page
    assert 'href="http://192.168.1.20:8000/"' in page
    assert f'src="{reverse("members:address_qr")}"' in page
    assert "没有加密（http）" in page  # the trade-off of plain HTTP, said where it matters
    assert "DJANGO_SITE_URL" in page  # how to pin the address


def test_opened_as_127_0_0_1_the_page_says_how_to_find_the_network_address(secretary_client):
    page = secretary_client.get("/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "别人的手机打不开这个地址" in page
    assert "HOST=0.0.0.0 make run" in page and "ipconfig" in page and "hostname -I" in page
    assert reverse("members:address_qr") not in page  # no QR code of an address no phone opens


def test_site_url_wins_over_the_address_the_browser_used(settings, secretary_client):
    settings.SITE_URL = "https://dangjian.example.com/"
    page = secretary_client.get("/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert 'href="https://dangjian.example.com/"' in page
    assert "没有加密" not in page and "别人的手机打不开" not in page
    svg = secretary_client.get(reverse("members:address_qr"), HTTP_HOST="127.0.0.1:8000")
    assert svg.content == qr_svg("https://dangjian.example.com/")


@pytest.mark.parametrize("persona", ["leader_client", "member_client", "staff_client"])
def test_only_the_secretary_sees_the_address(lan, persona, request):
    client = request.getfixturevalue(persona)
    page = client.get("/", HTTP_HOST=LAN).content.decode()
    assert "成员访问地址" not in page and reverse("members:address_qr") not in page
    assert client.get(reverse("members:address_qr"), HTTP_HOST=LAN).status_code == 403


def test_the_qr_code_is_an_svg_of_the_address_rendered_on_the_server(lan, secretary_client):
    response = secretary_client.get(reverse("members:address_qr"), HTTP_HOST=LAN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Cache-Control"] == "private, no-cache"
    assert response.content == qr_svg("http://192.168.1.20:8000/")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"<script" not in response.content and b"http://192.168.1.20" not in response.content
    other = secretary_client.get(reverse("members:address_qr"), HTTP_HOST="127.0.0.1:8000")
    assert other.content != response.content


@pytest.mark.parametrize(
    "host, local",
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("localhost", True),
        ("app.localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", True),  # noqa: S104 - a host name under test; nothing binds it
        ("192.168.1.20", False),
        ("10.0.0.5", False),
        ("dangjian.example.com", False),
        ("fe80::1", False),
    ],
)
def test_which_hosts_only_this_machine_can_open(host, local):
    assert is_local_only(host) is local


def test_sign_in_over_plain_http_by_the_network_address_needs_no_trusted_origins(lan, secretary):
    """README: on the address itself the browser's Origin matches, CSRF passes without
    DJANGO_CSRF_TRUSTED_ORIGINS; an address not in DJANGO_ALLOWED_HOSTS is a 400."""
    browser = Client(enforce_csrf_checks=True, headers={"host": LAN})
    browser.get("/accounts/login/")
    response = browser.post(
        "/accounts/login/",
        {
            "username": secretary.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        },
        HTTP_ORIGIN=f"http://{LAN}",
    )
    assert response.status_code == 302 and "/accounts/login/" not in response["Location"]
    assert Client(headers={"host": "192.168.1.99:8000"}).get("/accounts/login/").status_code == 400


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_and_dev_bind_host_default_loopback():
    def dry_run(*args):
        return subprocess.run(  # noqa: S603 - fixed arguments
            ["make", "-n", "-C", str(ROOT), *args],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
            env={k: v for k, v in os.environ.items() if k not in ("HOST", "PORT")},
        ).stdout

    assert "--bind 127.0.0.1:8000" in dry_run("run")
    assert "--bind 0.0.0.0:8123" in dry_run("run", "HOST=0.0.0.0", "PORT=8123")
    assert "runserver 127.0.0.1:8000" in dry_run("dev")
    assert "runserver 0.0.0.0:8000" in dry_run("dev", "HOST=0.0.0.0")
