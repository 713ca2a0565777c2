from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a `hardening` test: `make test-fast` leaves them out."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.hardening)


@pytest.fixture
def ctx(branch, secretary, leader, member, staff):
    """What tests/<app>/matrix.py url_kwargs() builds its objects from."""
    return {
        "branch": branch,
        "secretary": secretary,
        "leader": leader,
        "member": member,
        "staff": staff,
    }
