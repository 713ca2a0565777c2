"""Load the five standard sets of the 创先争优 campaign as templates (branch left empty).

A branch gets its own editable copy through campaign.services.standards_install_defaults.
"""

from django.db import migrations

# code, name, applies_to, description, [(item, description), ...]
SETS = [
    (
        "siqiang",
        "四强党组织",
        "branch",
        "基层党组织争创标准。",
        [
            ("政治引领力强", "认真贯彻党的路线方针政策，团结带领党员职工围绕企业中心工作统一思想、凝聚力量。"),
            ("推动发展力强", "围绕生产经营找准工作着力点，推动企业科学发展，完成各项任务指标。"),
            ("改革创新力强", "以改革创新精神加强和改进党的建设，在管理、服务和工作方法上不断创新。"),
            ("凝聚保障力强", "关心职工群众，维护职工合法权益，党员队伍和职工队伍团结稳定。"),
        ],
    ),
    (
        "siyou",
        "四优共产党员",
        "member",
        "共产党员争做标准。",
        [
            ("政治素质优", "理想信念坚定，认真学习党的理论，党性观念强，遵守党的纪律。"),
            ("岗位技能优", "熟练掌握本岗位知识和技能，勤学苦练，业务能力在岗位上起示范作用。"),
            ("工作业绩优", "爱岗敬业，完成急难险重任务，工作业绩在本部门走在前列。"),
            ("群众评价优", "密切联系群众，服务热情，作风正派，职工群众满意。"),
        ],
    ),
    (
        "wugehao",
        "五个好",
        "branch",
        "先进基层党组织“五个好”标准。",
        [
            ("领导班子好", "班子团结，坚持民主集中制，带头创先争优。"),
            ("党员队伍好", "党员素质高，先锋模范作用发挥充分。"),
            ("工作机制好", "组织生活正常，制度健全并落实到位。"),
            ("工作业绩好", "围绕中心、服务大局，工作成效明显。"),
            ("群众反映好", "职工群众对党组织工作评价高、满意度高。"),
        ],
    ),
    (
        "wudaitou",
        "五带头",
        "member",
        "优秀共产党员“五带头”要求。",
        [
            ("带头学习提高", "带头学习政治理论和业务知识，不断提高素质。"),
            ("带头争创佳绩", "立足岗位争创一流业绩。"),
            ("带头服务群众", "主动为群众办实事、做好事、解难事。"),
            ("带头遵纪守法", "模范遵守党纪国法和企业规章制度。"),
            ("带头弘扬正气", "敢于同不良风气作斗争，树立良好形象。"),
        ],
    ),
    (
        "sihao",
        "四好领导班子",
        "team",
        "领导班子争创标准。",
        [
            ("政治素质好", "坚持科学发展观，政治立场坚定，决策能力强。"),
            ("经营业绩好", "完成经营目标，企业效益和发展质量不断提高。"),
            ("团结协作好", "坚持集体领导与个人分工负责相结合，班子成员互相支持。"),
            ("作风形象好", "落实“一岗双责”，廉洁自律，联系群众。"),
        ],
    ),
]


def fill(apps, schema_editor):
    StandardSet = apps.get_model("campaign", "StandardSet")
    Standard = apps.get_model("campaign", "Standard")
    for set_order, (code, name, applies_to, description, items) in enumerate(SETS, 1):
        standard_set, _ = StandardSet.objects.update_or_create(
            branch=None,
            code=code,
            defaults={
                "name": name,
                "applies_to": applies_to,
                "description": description,
                "order": set_order,
            },
        )
        for order, (item, item_description) in enumerate(items, 1):
            Standard.objects.update_or_create(
                standard_set=standard_set,
                name=item,
                defaults={"description": item_description, "order": order},
            )


def empty(apps, schema_editor):
    StandardSet = apps.get_model("campaign", "StandardSet")
    StandardSet.objects.filter(branch=None, code__in=[s[0] for s in SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("campaign", "0001_initial")]

    operations = [migrations.RunPython(fill, empty)]
