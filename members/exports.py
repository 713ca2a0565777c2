"""The columns of members' 台账 exported to Excel (config.exports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from config.exports import Column

PEOPLE = [
    Column(_("姓名"), lambda p: p.full_name),
    Column(_("工号"), lambda p: p.employee_no),
    Column(_("登录名"), lambda p: p.username),
    Column(_("部门"), lambda p: str(p.department) if p.department_id else ""),
    Column(_("岗位"), lambda p: p.position),
    Column(_("政治面貌"), lambda p: p.get_political_status_display()),
    Column(_("入党日期"), lambda p: p.joined_party_on),
    Column(_("手机"), lambda p: p.phone),
    Column(_("角色"), lambda p: "、".join(str(label) for label in p.role_labels)),
    Column(_("状态"), lambda p: _("在用") if p.is_active else _("已停用")),
]

AUDIT_LOG = [
    Column(_("时间"), lambda e: e.created_at),
    Column(_("操作人"), lambda e: str(e.actor) if e.actor_id else "—"),
    Column(_("操作"), lambda e: e.action),
    Column(_("对象类型"), lambda e: e.object_type),
    Column(_("对象"), lambda e: e.object_repr),
    Column(_("说明"), lambda e: e.detail, width=60),
]
