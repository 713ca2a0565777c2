import pytest
from django.core.management import CommandError, call_command

from members.models import Responsibility, Role, User


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_covers_every_role():
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)
    counts = (User.objects.count(), Responsibility.objects.count())
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)
    assert (User.objects.count(), Responsibility.objects.count()) == counts

    for username, role in [
        ("secretary", Role.SECRETARY),
        ("leader", Role.LEADER),
        ("member", Role.MEMBER),
        ("staff", Role.STAFF),
    ]:
        user = User.objects.get(username=username)
        assert user.has_role(role)
        assert user.check_password("Demo-pass-2011")
    party = User.objects.filter(political_status__in=["party_member", "probationary"])
    assert 13 <= party.count() <= 20
    assert party.filter(political_status="probationary").exists()
    assert 13 <= User.objects.filter(groups__name=Role.STAFF).count() <= 20
    assert set(User.objects.values_list("department__name", flat=True)) >= {
        "配送部",
        "采购部",
        "财务部",
        "综合办",
    }


@pytest.mark.django_db
def test_seed_demo_refuses_a_weak_password():
    with pytest.raises(CommandError):
        call_command("seed_demo", password="123", verbosity=0)
    assert not User.objects.exists()
