"""Fixtures shared by the reading tests."""

import pytest

from .factories import make_activity, select_books


@pytest.fixture
def activity(branch, secretary):
    """An activity in its 交流 phase (the forum is open) with its books chosen."""
    activity = make_activity(branch, "discuss")
    select_books(activity, secretary)
    return activity
