"""Hostile text through the first-run setup form and through the people import (xlsx and CSV)."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from members.imports import HEADERS
from members.models import AuditEntry, Branch, User

from .formfill import Stats, Target, check_response, crawl, fill_with, parse_forms
from .payloads import PAYLOADS


def test_setup_form_takes_every_payload(db):
    anonymous = Client()
    url = reverse("setup")
    forms = [f for f in parse_forms(anonymous.get(url).content.decode()) if f.text_fields]
    (form,) = [f for f in forms if "branch_name" in {t.name for t in f.text_fields}]
    target = Target("setup", url, "anonymous", form, has_kwargs=False)
    problems: list[str] = []
    stats = Stats()
    for payload in PAYLOADS:
        fill_with(anonymous, target, payload, problems=problems, stats=stats)
        user = User.objects.order_by("-pk").first()
        if user is None:
            continue
        # What setup stored (branch, parent organisation, name) as the new secretary sees it.
        secretary = Client()
        secretary.force_login(user)
        for page in ("home", "members:directory", "members:leadership", "members:person_list"):
            check_response(
                secretary.get(reverse(page)), f"setup {payload[:30]!r}: {page}", problems
            )
        check_response(secretary.get(user.get_absolute_url()), "setup: person page", problems)
        User.objects.all().delete()
        AuditEntry.objects.all().delete()
        Branch.objects.all().delete()
    assert not problems, "\n".join(problems[:20])
    assert stats.stored >= len(PAYLOADS) // 2
    assert {"setup.branch_name", "setup.full_name", "setup.parent_org"} <= stats.fields


def _clean(text: str, limit: int = 32_000) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:limit]


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append([_clean(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    writer.writerows([[v.replace("\x00", "") for v in row] for row in rows])
    return buf.getvalue().encode("utf-8-sig")


def _upload(client: Client, name: str, data: bytes):
    file = SimpleUploadedFile(name, data)
    return client.post(reverse("members:person_import"), {"file": file})


def test_import_with_payloads_in_every_column_shows_the_errors_harmlessly(secretary_client):
    rows = [[p] * len(HEADERS) for p in PAYLOADS if len(p) < 10_000]
    problems: list[str] = []
    for name, data in (("people.xlsx", _xlsx(rows)), ("people.csv", _csv(rows))):
        before = User.objects.count()
        response = _upload(secretary_client, name, data)
        check_response(response, f"import {name}", problems)
        assert response.status_code == 200
        body = response.content.decode()
        assert "未导入任何人员" in body, body[:1000]
        assert "&lt;script&gt;" in body, "the refused values are shown back, escaped"
        assert User.objects.count() == before, "a file with errors imported someone"
    assert not problems, "\n".join(problems[:20])


def test_imported_payloads_are_shown_harmlessly_everywhere(secretary_client, personas):
    rows = [
        [
            _clean(p, 50),
            f"HX{i:04d}",
            "女",
            _clean(p, 50) or "部门",
            _clean(p, 50),
            "",
            "群众",
            "",
            "",
        ]
        for i, p in enumerate(PAYLOADS)
    ]
    response = _upload(secretary_client, "people.xlsx", _xlsx(rows))
    problems: list[str] = []
    if response.status_code == 200:  # refused rows (e.g. a name that is only invisible characters)
        check_response(response, "import", problems)
        body = response.content.decode()
        assert "第" in body, body[:500]
        keep = [r for r in rows if r[0].strip(" \u200b\u200c\u200d\ufeff\u2066\u2069\u200e\u200f")]
        response = _upload(secretary_client, "people.xlsx", _xlsx(keep))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(employee_no__startswith="HX").count() >= len(PAYLOADS) - 10
    check_response(secretary_client.get(response["Location"]), "credentials page", problems)
    for role, client in personas.items():
        if role == "anonymous":
            continue
        start = [reverse("members:directory"), reverse("members:leadership"), reverse("home")]
        if role == "secretary":
            start += [reverse("members:person_list"), reverse("members:audit_log")]
        crawl(client, start, limit=150, problems=problems, who=role)
    assert not problems, "\n".join(problems[:20])


CONTROL = "\x1b[31m控制\x07字符\x08\x00"


def test_control_characters_are_stripped_from_forms_so_exports_work(secretary_client):
    from members.models import User as Person

    url = reverse("members:person_create")
    data = {
        "full_name": CONTROL,
        "username": "kongzhi",
        "political_status": "masses",
        "position": "岗\x0b位",
        "roles": ["staff"],
    }
    response = secretary_client.post(url, data)
    assert response.status_code == 302
    person = Person.objects.get(username="kongzhi")
    assert person.full_name == "[31m控制字符" and person.position == "岗位"
    download = secretary_client.post(reverse("members:credentials_download"))
    assert download.status_code == 200


def test_control_characters_in_an_imported_csv_do_not_break_the_download(secretary_client):
    row = [CONTROL, "KZ001", "", "配送\x1b部", "岗位\x07", "", "群众", "", ""]
    response = _upload(secretary_client, "people.csv", _csv([row]))
    assert response.status_code == 302, response.content.decode()[:1500]
    assert User.objects.get(username="KZ001").full_name == "[31m控制字符"
    assert secretary_client.post(reverse("members:credentials_download")).status_code == 200


def test_tabs_and_newlines_are_kept(secretary_client, leader):
    url = reverse("members:responsibility_create")
    data = {
        "leader": leader.pk,
        "title": "书记",
        "business_area": "党建\t工作",
        "party_duty": "全面",
        "order": 1,
    }
    assert secretary_client.post(url, data).status_code == 302
    from members.models import Responsibility

    assert Responsibility.objects.get().business_area == "党建\t工作"
