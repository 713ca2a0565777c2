import pytest


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
