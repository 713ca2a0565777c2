"""Every URL pattern × every persona × GET/POST has an expected status, and gets it.

A new URL pattern without an entry in tests/<app>/matrix.py fails `test_every_pattern_has_an_entry`.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONAS = ("anonymous", "staff", "member", "leader", "secretary")
# Each app keeps its table in tests/<app>/matrix.py, or matrix_<part>.py for a part of it
# (EXPECTED and url_kwargs); all are merged.
MATRIX_MODULES = sorted(
    f"tests.{path.parent.name}.{path.stem}" for path in Path(__file__).parent.glob("*/matrix*.py")
)
# The admin's own pages are guarded by the admin itself; its index stands for them here.
SKIPPED_NAMESPACES = {"admin"}
ADMIN_ENTRY = "admin:index"


def _matrices():
    return [importlib.import_module(name) for name in MATRIX_MODULES]


def _expected() -> dict:
    table: dict = {}
    for module in _matrices():
        overlap = table.keys() & module.EXPECTED.keys()
        assert not overlap, f"URL names listed twice: {overlap}"
        table.update(module.EXPECTED)
    return table


def _pattern_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            names |= _pattern_names(entry, f"{prefix}{ns}:" if ns else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_pattern_has_an_entry():
    expected = set(_expected())
    actual = _pattern_names() | {ADMIN_ENTRY}
    assert actual - expected == set(), "URL patterns without an expected status"
    assert expected - actual == set(), "matrix entries for URLs that no longer exist"


@pytest.mark.parametrize("name", sorted(_expected()))
def test_pattern_answers_as_expected(name, personas, branch, secretary, leader, member, staff):
    ctx = {
        "branch": branch,
        "secretary": secretary,
        "leader": leader,
        "member": member,
        "staff": staff,
    }
    kwargs = {}
    for module in _matrices():
        kwargs.update(module.url_kwargs(ctx))
    url = reverse(name, kwargs=kwargs.get(name))
    failures = []
    for method, statuses in _expected()[name].items():
        for persona, status in zip(PERSONAS, statuses, strict=True):
            client = personas[persona]
            response = client.get(url) if method == "GET" else client.post(url)
            if response.status_code != status:
                failures.append(f"{method} as {persona}: {response.status_code}, expected {status}")
            if response.status_code == 500:
                failures.append(f"{method} as {persona}: server error")
    assert not failures, f"{name} ({url}):\n" + "\n".join(failures)
