"""/healthz answers 200 while the database answers, 503 when it does not."""

from __future__ import annotations

from unittest import mock

from django.db import OperationalError, connection
from django.test import Client


def _broken_cursor(*args, **kwargs):
    raise OperationalError("database is down")


def test_healthz_is_200_when_the_database_answers(secretary):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_healthz_is_503_when_the_database_does_not(secretary):
    client = Client()
    assert client.get("/healthz").status_code == 200
    with mock.patch.object(connection, "cursor", _broken_cursor):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database" in response.content


def test_healthz_is_503_on_a_fresh_worker_whose_database_is_down(db):
    # A new worker process whose first request is the health check: nothing else may query first.
    with mock.patch.object(connection, "cursor", _broken_cursor):
        response = Client().get("/healthz")
    assert response.status_code == 503


def test_healthz_needs_no_login_and_leaks_nothing(secretary):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert b"sqlite" not in response.content.lower() and b"secretary" not in response.content
