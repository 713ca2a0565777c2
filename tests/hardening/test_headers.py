"""Security headers on every HTML response of every URL pattern, for every persona."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.test_url_matrix import ADMIN_ENTRY, PERSONAS

from .formfill import is_html, pattern_urls

BASE_DIR = Path(settings.BASE_DIR)


def csp_directives(header: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def header_problems(response) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy")
    if not csp:
        return ["no Content-Security-Policy"]
    directives = csp_directives(csp)
    scripts = directives.get("script-src", directives.get("default-src"))
    if scripts is None:
        problems.append("CSP has neither script-src nor default-src")
    elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(scripts):
        problems.append(f"CSP script-src too loose: {scripts}")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append(f"CSP frame-ancestors is {directives.get('frame-ancestors')}")
    if directives.get("object-src") != ["'none'"]:
        problems.append("CSP object-src is not 'none'")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for name, value in expected.items():
        if response.get(name) != value:
            problems.append(f"{name} is {response.get(name)!r}, expected {value!r}")
    return problems


def test_the_header_check_can_fail():
    from django.http import HttpResponse

    bare = HttpResponse("x")
    assert header_problems(bare) == ["no Content-Security-Policy"]
    bare["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    problems = header_problems(bare)
    assert any("too loose" in p for p in problems)
    assert any("frame-ancestors" in p for p in problems)
    assert any("nosniff" in p for p in problems)


def test_every_html_response_carries_the_security_headers(personas, ctx):
    urls, _ = pattern_urls(ctx)
    urls[ADMIN_ENTRY] = reverse(ADMIN_ENTRY)
    seen = 0
    failures = []
    for name, url in sorted(urls.items()):
        for persona in PERSONAS:
            for method in ("get", "post"):
                response = getattr(personas[persona], method)(url)
                if not is_html(response):
                    continue
                seen += 1
                for problem in header_problems(response):
                    failures.append(
                        f"{method.upper()} {name} as {persona} ({response.status_code}): {problem}"
                    )
    assert not failures, "\n".join(failures[:30])
    assert seen >= len(urls) * len(PERSONAS)  # most answers are HTML pages, redirects or errors


def test_error_pages_carry_the_headers_too(secretary_client):
    response = secretary_client.get("/no-such-page/")
    assert response.status_code == 404
    assert header_problems(response) == []


def test_cookies_are_secure_and_http_only_when_https_is_on(settings, secretary):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"), secure=True)
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("login"),
        {"username": secretary.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        secure=True,
        headers={"referer": "https://testserver/accounts/login/"},
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        morsel = response.cookies.get(name) or page.cookies[name]
        assert morsel["secure"], f"{name} not Secure"
        assert morsel["httponly"], f"{name} not HttpOnly"
        assert morsel["samesite"] == "Lax", name


def test_cookies_are_http_only_without_https_too(client, secretary):
    response = client.get(reverse("login"))
    assert response.cookies["csrftoken"]["httponly"]


def _check_deploy(**env: str) -> str:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20
        + "-not-a-real-key-but-long-and-varied-0123456789abcdefghijkl",
        "DATABASE_URL": "sqlite:////tmp/hardening-check-deploy.sqlite3",
        **env,
    }
    result = subprocess.run(  # our own interpreter and manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "CRITICAL"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "allowed"),
    [
        ({"DJANGO_HTTPS": "1", "DJANGO_HSTS_PRELOAD": "1"}, set()),
        ({"DJANGO_HTTPS": "1"}, {"security.W021"}),  # HSTS preload is a separate decision
        # Without HTTPS only the HTTPS switches are off: HSTS, SSL redirect, secure cookies.
        ({}, {"security.W004", "security.W008", "security.W012", "security.W016"}),
    ],
)
def test_check_deploy_is_clean_except_what_the_https_switches_turn_on(env, allowed):
    output = _check_deploy(**env)
    import re

    found = set(re.findall(r"\(([\w.]+\.[WE]\d+)\)", output))
    assert found <= allowed, output
    if not allowed:
        assert "no issues" in output, output


def test_the_bad_host_response_carries_the_headers_too(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
