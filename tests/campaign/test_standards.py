"""Standards are data: the migration's texts, a branch's own copy, the secretary's edits."""

import pytest
from django.urls import reverse

from campaign import services
from campaign.models import Standard, StandardSet
from members.models import AuditEntry

EXPECTED = {
    "siqiang": ("四强党组织", ["政治引领力强", "推动发展力强", "改革创新力强", "凝聚保障力强"]),
    "siyou": ("四优共产党员", ["政治素质优", "岗位技能优", "工作业绩优", "群众评价优"]),
    "wugehao": ("五个好", ["领导班子好", "党员队伍好", "工作机制好", "工作业绩好", "群众反映好"]),
    "wudaitou": (
        "五带头",
        ["带头学习提高", "带头争创佳绩", "带头服务群众", "带头遵纪守法", "带头弘扬正气"],
    ),
    "sihao": ("四好领导班子", ["政治素质好", "经营业绩好", "团结协作好", "作风形象好"]),
}


@pytest.mark.django_db
def test_the_data_migration_loads_the_five_sets_in_order():
    sets = StandardSet.objects.filter(branch__isnull=True)
    assert {s.code for s in sets} == set(EXPECTED)
    for code, (name, items) in EXPECTED.items():
        standard_set = sets.get(code=code)
        assert standard_set.name == name
        assert [i.name for i in standard_set.items.order_by("order")] == items
        assert all(i.description for i in standard_set.items.all())


def test_a_branch_gets_its_own_copy_once(branch, secretary):
    first = services.standards_install_defaults(branch=branch)
    again = services.standards_install_defaults(branch=branch)
    assert set(first) == set(EXPECTED) and first.keys() == again.keys()
    assert StandardSet.objects.filter(branch=branch).count() == 5
    assert Standard.objects.filter(standard_set__branch=branch).count() == 22
    # Editing the copy leaves the template alone.
    item = first["siyou"].items.get(name="政治素质优")
    services.standard_save(
        standard=item,
        data={"name": "政治素质优", "description": "新说明", "order": 1},
        by=secretary,
    )
    template = Standard.objects.get(standard_set__branch__isnull=True, name="政治素质优")
    assert template.description != "新说明"
    assert AuditEntry.objects.filter(action="修改标准条目").exists()


def test_secretary_edits_an_item(secretary_client, branch):
    sets = services.standards_install_defaults(branch=branch)
    item = sets["siqiang"].items.first()
    url = reverse("campaign:standard_edit", args=[item.pk])
    response = secretary_client.post(
        url, {"name": "政治引领力强", "description": "改过", "order": 1}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.description == "改过"


def test_duplicate_item_name_is_refused_at_the_field(secretary_client, branch):
    sets = services.standards_install_defaults(branch=branch)
    url = reverse("campaign:standard_create", args=[sets["siqiang"].pk])
    response = secretary_client.post(url, {"name": "政治引领力强", "description": "", "order": 9})
    assert response.status_code == 200
    assert "同名条目" in response.content.decode()
    assert sets["siqiang"].items.count() == 4


def test_other_branch_standards_are_404(secretary_client, branch):
    from tests.factories import make_branch

    other = services.standards_install_defaults(branch=make_branch())
    url = reverse("campaign:standard_edit", args=[other["siqiang"].items.first().pk])
    assert secretary_client.get(url).status_code == 404


def test_member_cannot_edit_standards(member_client, branch):
    sets = services.standards_install_defaults(branch=branch)
    url = reverse("campaign:standard_set_edit", args=[sets["siqiang"].pk])
    assert member_client.post(url, {"name": "x"}).status_code == 403
    assert StandardSet.objects.get(pk=sets["siqiang"].pk).name == "四强党组织"


@pytest.mark.django_db
def test_templates_come_back_if_they_were_removed():
    from tests.factories import make_branch

    StandardSet.objects.filter(branch__isnull=True).delete()
    sets = services.standards_install_defaults(branch=make_branch())
    assert [i.name for i in sets["siqiang"].items.all()] == EXPECTED["siqiang"][1]
    assert StandardSet.objects.filter(branch__isnull=True).count() == 5
