"""Reading and validating a people file (Excel .xlsx or CSV), and for an update by the list what it
would change (plan_update) and the preview kept in the session until it is confirmed. Nothing here
writes to the DB: members.services.people_import and people_import_update do."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import secrets
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.uploadedfile import UploadedFile
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from config.middleware import strip_control
from config.spreadsheets import Sheet

from .models import Branch, Role, User
from .validators import is_phone

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50  # columns read from each row; the template has 9
MAX_CELL_CHARS = 200  # longer than any name, department or note a row needs
# An .xlsx is a zip: 5 MB of it can inflate to gigabytes. These bound what openpyxl may read.
XLSX_MAX_PARTS = 500
XLSX_MAX_PART_BYTES = 20 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 50 * 1024 * 1024
TOO_BIG = gettext_lazy("文件超过 5 MB，请拆分后分批导入。")

# (header, key, required, example)
COLUMNS: list[tuple[str, str, bool, str]] = [
    ("姓名", "full_name", True, "张建国"),
    ("工号", "employee_no", True, "XT0101"),
    ("性别", "gender", False, "男"),
    ("部门", "department", False, "配送部"),
    ("岗位", "position", False, "药品配送员"),
    ("手机", "phone", False, "13912345678"),
    ("政治面貌", "political_status", True, "中共党员"),
    ("入党日期", "joined_party_on", False, "2005-07-01"),
    ("角色", "roles", False, "党员"),
]
HEADERS = [c[0] for c in COLUMNS]
KEYS = [c[1] for c in COLUMNS]
# The example row of templates downloaded before the example moved to the notes sheet.
OLD_SAMPLE = (COLUMNS[0][3], COLUMNS[1][3])
REQUIRED = {c[0] for c in COLUMNS if c[2]}

GENDERS = {"男": User.Gender.MALE, "女": User.Gender.FEMALE}
STATUSES = {str(label): value for value, label in User.PoliticalStatus.choices} | {
    "党员": User.PoliticalStatus.PARTY_MEMBER,
    "预备党员": User.PoliticalStatus.PROBATIONARY,
    "团员": User.PoliticalStatus.LEAGUE_MEMBER,
}
ROLE_NAMES = {str(label): value for value, label in Role.choices} | {
    "支部书记": Role.SECRETARY,
    "支委": Role.SECRETARY,
    "领导": Role.LEADER,
    "领导班子": Role.LEADER,
    "预备党员": Role.MEMBER,
    "职工": Role.STAFF,
}
EMPLOYEE_NO_RE = re.compile(r"^[A-Za-z0-9_\-.@+]{1,30}$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass
class RowError:
    row: int  # spreadsheet row number, header = 1
    column: str
    message: str


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    notices: list[str] = field(default_factory=list)  # rows skipped, for the secretary

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error and bool(self.rows)


def template_sheets() -> list[Sheet]:
    """The import template: an empty people sheet (the header only) and how to fill it in.

    The example person stays on the notes sheet, never below the header: a template sent back with
    the example still in it would otherwise create him (validate skips OLD_SAMPLE for old files).
    """
    people = Sheet(title=_("人员"), headers=HEADERS, rows=[], widths=[16] * len(HEADERS))
    examples = {c[0]: c[3] for c in COLUMNS}
    notes = Sheet(
        title=_("填写说明"),
        headers=[_("列"), _("是否必填"), _("示例"), _("说明")],
        rows=[
            [header, required, examples[header], text]
            for header, required, text in [
                ("姓名", "必填", ""),
                ("工号", "必填", "同时作为登录名，只能含字母、数字和 _-.@+，不能重复"),
                ("性别", "", "男 / 女"),
                ("部门", "", "不存在的部门会自动建立"),
                ("岗位", "", ""),
                ("手机", "", "11位手机号码"),
                ("政治面貌", "必填", "中共党员 / 中共预备党员 / 入党积极分子 / 共青团员 / 群众"),
                ("入党日期", "", "如 2005-07-01；党员和预备党员填写"),
                (
                    "角色",
                    "",
                    "党员 / 群众 / 领导班子成员 / 支部书记，多个用顿号分隔；留空按政治面貌",
                ),
            ]
        ]
        + [
            ["", "", "", text]
            for text in [
                "“示例”一列只作参考，不要抄进“人员”表。",
                "“人员”表第 1 行是表头，请从第 2 行起每行填一人。",
                f"每格不超过 {MAX_CELL_CHARS} 个字，一次最多导入 {MAX_ROWS} 人。",
                "按名单更新时：按工号找到已有人员并更新资料，新工号的人员会被添加；"
                "留空的格子不会清除系统中已有的内容；名单中没有的人员保持不变；"
                "已有人员的角色、密码和账号状态不会改变。",
            ]
        ],
        widths=[12, 10, 16, 70],
    )
    return [people, notes]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    # Control characters: invisible, and refused by openpyxl in the credentials download.
    return strip_control(str(value)).strip()


def _check_xlsx_archive(data: bytes) -> None:
    """Refuse a zip bomb before anything is inflated.

    The sizes come from the zip's central directory. They cannot understate what openpyxl gets:
    Python's zipfile never inflates a member past its declared size (a member that holds more
    fails its CRC check and the file is refused as unreadable).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    if len(infos) > XLSX_MAX_PARTS:
        raise ValueError(
            _("该 Excel 文件的内部结构异常（包含 %(n)s 个部件），不能导入，请使用下载的模板。")
            % {"n": len(infos)}
        )
    too_big = _(
        "该 Excel 文件解压后过大（超过 %(mb)s MB），可能含有异常的超长内容，不能导入。"
        "请把人员名单复制到下载的模板中再导入。"
    )
    total = 0
    for info in infos:
        if info.file_size > XLSX_MAX_PART_BYTES:
            raise ValueError(too_big % {"mb": XLSX_MAX_PART_BYTES // (1024 * 1024)})
        total += info.file_size
    if total > XLSX_MAX_TOTAL_BYTES:
        raise ValueError(too_big % {"mb": XLSX_MAX_TOTAL_BYTES // (1024 * 1024)})


def _is_blank(row: tuple[Any, ...] | list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _read_xlsx(data: bytes) -> list[list[Any]]:
    """Call _check_xlsx_archive first."""
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        rows: list[list[Any]] = []
        # max_col: a sheet that claims (or has a cell in) column XFD would otherwise give every
        # row 16,384 entries. A blank row is kept as [] so that error messages name the row the
        # secretary sees in Excel; the row limit counts people only.
        filled = 0
        for row in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            if _is_blank(row):
                rows.append([])
                continue
            rows.append(list(row))
            filled += 1
            if filled > MAX_ROWS + 1:
                break
    finally:
        wb.close()
    return rows


def _read_csv(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError(_("无法识别文件编码，请另存为 UTF-8 编码的 CSV 或 Excel 文件。"))
    if "\x00" in text:
        raise ValueError(_("文件不是文本格式的 CSV。"))
    rows: list[list[Any]] = []
    filled = 0
    for row in csv.reader(io.StringIO(text)):
        if _is_blank(row):
            rows.append([])  # kept, so that row numbers match the file's
            continue
        rows.append(row[:MAX_COLUMNS])
        filled += 1
        if filled > MAX_ROWS + 1:
            break
    return rows


def read_table(upload: UploadedFile) -> list[list[Any]]:
    """The file's rows as lists, header first. Raises ValueError with a Chinese message."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValueError(str(TOO_BIG))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(str(TOO_BIG))
    if not data.strip():
        raise ValueError(_("文件是空的。"))
    name = (upload.name or "").lower()
    if data[:4] == b"PK\x03\x04":
        try:
            _check_xlsx_archive(data)  # raises ValueError with its own message
        except (zipfile.BadZipFile, OSError) as exc:
            raise ValueError(_("无法读取该 Excel 文件，请使用下载的模板（.xlsx）。")) from exc
        try:
            return _read_xlsx(data)
        # What a damaged or hostile workbook makes zipfile, openpyxl and defusedxml raise.
        except (zipfile.BadZipFile, EOFError, LookupError, OSError, SyntaxError, ValueError) as exc:
            raise ValueError(_("无法读取该 Excel 文件，请使用下载的模板（.xlsx）。")) from exc
    if name.endswith((".xls", ".xlsx", ".xlsm")) or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValueError(_("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后再导入。"))
    if not name.endswith((".csv", ".txt")):
        raise ValueError(_("文件类型不支持，请上传 Excel（.xlsx）或 CSV 文件。"))
    try:
        return _read_csv(data)
    except csv.Error as exc:
        raise ValueError(_("CSV 文件格式有误：%(e)s") % {"e": exc}) from exc


def _parse_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# --- Validation: the file as a whole, each row's fields, then rows against each other ----------

Parsed = tuple[Any, list[str]]  # a field's value for the service, and what is wrong with it


class _FileError(Exception):
    """The file as a whole cannot be imported; the message is for the secretary."""


def _split_table(table: list[list[Any]]) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header's texts and the body's rows with their row numbers in the file (blank rows
    skipped, but counted, so that "第 7 行" is row 7 in Excel), or _FileError when there is
    nothing to import."""
    numbered = [(n, row) for n, row in enumerate(table, 1) if any(_cell_text(v) for v in row)]
    if not numbered:
        raise _FileError(_("文件是空的。"))
    header = [_cell_text(v) for v in numbered[0][1]]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise _FileError(
            _("缺少必需的列：%(cols)s。请使用下载的模板。")
            % {"cols": "、".join(sorted(missing, key=HEADERS.index))}
        )
    body = numbered[1:]
    if not body:
        raise _FileError(_("文件里只有表头，没有人员。"))
    if len(body) > MAX_ROWS:
        raise _FileError(_("一次最多导入 %(n)s 人，请拆分文件。") % {"n": MAX_ROWS})
    return header, body


def _row_cells(raw: list[Any], columns: dict[str, int]) -> dict[str, str]:
    """The text of each known column of one row, by header, in the template's column order."""
    return {h: _cell_text(raw[i]) if i < len(raw) else "" for h, i in columns.items()}


def _too_long(cells: dict[str, str], line: int) -> list[RowError]:
    return [
        RowError(
            line,
            column,
            _("内容超过 %(n)s 个字（有 %(len)s 个字），请检查是否填错了列")
            % {"n": MAX_CELL_CHARS, "len": len(text)},
        )
        for column, text in cells.items()
        if len(text) > MAX_CELL_CHARS
    ]


def _full_name(text: str) -> Parsed:
    if not text:
        return text, [_("姓名不能为空")]
    if len(text) > 50:
        return text, [_("姓名不能超过50个字")]
    return text, []


def _employee_no(text: str) -> Parsed:
    """The number's own form; clashes with other rows and accounts: _employee_no_clashes."""
    if not text:
        return text, [_("工号不能为空")]
    if not EMPLOYEE_NO_RE.match(text):
        return text, [_("工号只能包含字母、数字和 _-.@+，不超过30位")]
    return text, []


def _gender(text: str) -> Parsed:
    if text and text not in GENDERS:
        return "", [_("性别只能填“男”或“女”")]
    return GENDERS.get(text, ""), []


def _short_text(text: str) -> Parsed:
    return text[:50], []


def _phone(text: str) -> Parsed:
    phone = re.sub(r"[\s-]", "", text)
    if phone and not is_phone(phone):
        return phone, [_("手机号码“%(v)s”格式不对，应为11位数字") % {"v": phone[:20]}]
    return phone, []


def _political_status(text: str) -> Parsed:
    if not text:
        return "", [_("政治面貌不能为空")]
    if text not in STATUSES:
        return "", [
            _(
                "无法识别的政治面貌“%(v)s”，可填：中共党员、中共预备党员、入党积极分子、共青团员、群众"
            )
            % {"v": text[:20]}
        ]
    return STATUSES[text], []


def _joined_party_on(text: str) -> Parsed:
    if not text:
        return None, []
    parsed = _parse_date(text)
    if parsed is None:
        return None, [_("日期“%(v)s”无法识别，请写成 2005-07-01") % {"v": text[:20]}]
    if parsed > dt.date.today() or parsed.year < 1921:
        return None, [_("入党日期不在合理范围内")]
    return parsed, []


def _roles(text: str) -> Parsed:
    roles: set[str] = set()
    errors: list[str] = []
    for name in re.split(r"[、,，;；/\s]+", text):
        if not name:
            continue
        if name in ROLE_NAMES:
            roles.add(ROLE_NAMES[name])
        else:
            errors.append(_("无法识别的角色“%(v)s”") % {"v": name[:20]})
    return roles, errors


# How each column of COLUMNS becomes a value of the row the service gets.
FIELD_PARSERS: dict[str, Callable[[str], Parsed]] = {
    "full_name": _full_name,
    "employee_no": _employee_no,
    "gender": _gender,
    "department": _short_text,
    "position": _short_text,
    "phone": _phone,
    "political_status": _political_status,
    "joined_party_on": _joined_party_on,
    "roles": _roles,
}


def _parse_row(cells: dict[str, str], line: int) -> tuple[dict[str, Any], list[RowError]]:
    row: dict[str, Any] = {}
    errors: list[RowError] = []
    for header, key, _required, _example in COLUMNS:
        row[key], messages = FIELD_PARSERS[key](cells.get(header, ""))
        errors += [RowError(line, header, message) for message in messages]
    return row, errors


def _login_names() -> set[str]:
    """Every sign-in name in the system, in lower case (sign-in names are case-insensitive)."""
    return {name.lower() for name in User.objects.values_list("username", flat=True)}


def _branch_employee_nos(branch: Branch) -> Counter[str]:
    """How many of the branch's people have each 工号, in lower case."""
    numbers = (
        User.objects.filter(branch=branch)
        .exclude(employee_no="")
        .values_list("employee_no", flat=True)
    )
    return Counter(no.lower() for no in numbers)


def _employee_no_clashes(
    rows: dict[int, dict[str, Any]], taken: set[str], existing: Counter[str] | None = None
) -> list[RowError]:
    """A well-formed 工号 used by an earlier row of the file, or already in the system.

    Compared in lower case (`taken` is): a 工号 becomes a case-insensitive sign-in name.
    `existing` (update mode): the branch's 工号; a row with one of them updates that person, unless
    two people share it (differing only in case) and the row cannot tell which.
    """
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for line, row in rows.items():
        no = row["employee_no"]
        key = no.lower()
        if no and EMPLOYEE_NO_RE.match(no):
            if key in seen:
                errors.append(
                    RowError(line, "工号", _("与第 %(row)s 行工号重复") % {"row": seen[key]})
                )
            elif existing is not None and existing[key] > 1:
                errors.append(
                    RowError(
                        line,
                        "工号",
                        _(
                            "系统中有 %(n)s 人的工号是 %(no)s（只是大小写不同），"
                            "请先在人员管理中改正，再按名单更新"
                        )
                        % {"n": existing[key], "no": no},
                    )
                )
            elif existing is not None and key in existing:
                pass  # updates the person of the branch who has this 工号
            elif existing is not None and key in taken:
                errors.append(
                    RowError(
                        line,
                        "工号",
                        _("工号 %(no)s 已被系统中另一个账号用作登录名，不能用于新人员")
                        % {"no": no},
                    )
                )
            elif key in taken:
                errors.append(RowError(line, "工号", _("工号 %(no)s 已存在于系统中") % {"no": no}))
        if no and key not in seen:
            seen[key] = line
    return errors


def _is_old_sample(cells: dict[str, str]) -> bool:
    """The example row that templates downloaded before the notes sheet held it carried."""
    return (
        cells.get("姓名") == OLD_SAMPLE[0]
        and cells.get("工号", "").lower() == OLD_SAMPLE[1].lower()
    )


def validate(table: list[list[Any]], *, branch: Branch, update: bool = False) -> ImportResult:
    """Check a table from read_table (header first). The result's rows are for people_import
    (or, with `update`, for plan_update); any error (listed by row, in column order) means nothing
    is imported.

    With `update`, a 工号 the branch already has is not a clash: that row updates the person.
    A row that is the old template's example (OLD_SAMPLE) is skipped with a notice.
    """
    result = ImportResult()
    try:
        header, body = _split_table(table)
    except _FileError as exc:
        result.file_error = str(exc)
        return result
    columns = {h: header.index(h) for h in HEADERS if h in header}

    errors: dict[int, list[RowError]] = {}
    rows: dict[int, dict[str, Any]] = {}  # by line; a row with an overlong cell is not parsed
    for line, raw in body:
        cells = _row_cells(raw, columns)
        if _is_old_sample(cells):
            result.notices.append(
                _("第 %(row)s 行是旧版模板中的示例（%(name)s / %(no)s），已跳过，没有导入。")
                % {"row": line, "name": OLD_SAMPLE[0], "no": OLD_SAMPLE[1]}
            )
            continue
        errors[line] = _too_long(cells, line)
        if not errors[line]:
            rows[line], errors[line] = _parse_row(cells, line)
    if not errors:  # every row was the old example
        result.file_error = _("文件里只有模板中的示例，没有要导入的人员。")
        return result
    branch_nos = _branch_employee_nos(branch)
    if result.notices and OLD_SAMPLE[1].lower() in branch_nos:
        result.notices.append(
            _(
                "系统中已有工号为 %(no)s 的人员，可能是以前导入的模板示例；"
                "如果不是真实人员，请在人员管理中停用。"
            )
            % {"no": OLD_SAMPLE[1]}
        )
    taken = _login_names()
    if update:
        existing: Counter[str] | None = branch_nos
    else:
        existing = None
        taken |= set(branch_nos)
    for error in _employee_no_clashes(rows, taken, existing):
        errors[error.row].append(error)

    result.rows = list(rows.values())
    result.errors = [
        error
        for line_errors in errors.values()
        for error in sorted(line_errors, key=lambda e: HEADERS.index(e.column))
    ]
    return result


# --- Update mode: what a file would change, and the preview kept until it is confirmed -----------

# The person's fields a row may change (never roles, password, or whether the account is active).
UPDATED_FIELDS = (
    "full_name",
    "gender",
    "department",
    "position",
    "phone",
    "political_status",
    "joined_party_on",
)
_HEADER_OF = {c[1]: c[0] for c in COLUMNS}


@dataclass
class FieldChange:
    field: str
    column: str  # the file's header for the field
    old: str  # as the secretary reads it
    new: str


@dataclass
class PersonChange:
    person: User  # as loaded; plan_update does not change it
    row: dict[str, Any]
    changes: list[FieldChange]


@dataclass
class UpdatePlan:
    """What an update-mode import does: new people, changed people, the rest left as they are."""

    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[PersonChange] = field(default_factory=list)
    unchanged: list[User] = field(default_factory=list)
    untouched: int = 0  # people of the branch the file does not name: left alone

    @property
    def has_work(self) -> bool:
        return bool(self.new or self.changed)

    def new_shown(self) -> list[dict[str, str]]:
        """The new rows as the secretary reads them (labels, not codes)."""
        return [
            {"employee_no": row["employee_no"]}
            | {key: _shown(key, row[key]) for key in UPDATED_FIELDS}
            for row in self.new
        ]

    @property
    def digest(self) -> str:
        """Fingerprint of what the preview showed: confirming applies it only if nothing moved."""
        shown = {
            "new": sorted(row["employee_no"].lower() for row in self.new),
            "changed": [
                [c.person.pk, [[f.field, f.old, f.new] for f in c.changes]] for c in self.changed
            ],
            "unchanged": sorted(p.pk for p in self.unchanged),
        }
        text = json.dumps(shown, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def _shown(field_name: str, value: Any) -> str:
    """A field's value as the secretary reads it (labels, not codes; dates as 2005-07-01)."""
    if value in (None, ""):
        return ""
    if field_name == "gender":
        return str(User.Gender(value).label)
    if field_name == "political_status":
        return str(User.PoliticalStatus(value).label)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _changes(person: User, row: dict[str, Any]) -> list[FieldChange]:
    """The fields the row would change. An empty cell changes nothing: it never erases."""
    changes: list[FieldChange] = []
    for name in UPDATED_FIELDS:
        new = row[name]
        if new in (None, ""):
            continue
        if name == "department":
            old = person.department.name if person.department else ""
        else:
            old = getattr(person, name)
        if old != new:
            changes.append(
                FieldChange(name, _HEADER_OF[name], _shown(name, old), _shown(name, new))
            )
    return changes


def plan_update(*, branch: Branch, rows: list[dict[str, Any]], lock: bool = False) -> UpdatePlan:
    """Match validated rows (validate(update=True)) to the branch's people by 工号, ignoring case.

    Two queries whatever the number of rows. `lock` (the service, inside its transaction) locks
    the branch's people so that nobody edits them between the comparison and the update.
    """
    people = User.objects.filter(branch=branch).select_related("department").order_by("pk")
    if lock:
        people = people.select_for_update(of=("self",))
    everyone = list(people)
    by_no = {p.employee_no.lower(): p for p in everyone if p.employee_no}
    plan = UpdatePlan()
    matched: set[int] = set()
    for row in rows:
        person = by_no.get(row["employee_no"].lower())
        if person is None:
            plan.new.append(row)
            continue
        matched.add(person.pk)
        changes = _changes(person, row)
        if changes:
            plan.changed.append(PersonChange(person, row, changes))
        else:
            plan.unchanged.append(person)
    plan.untouched = len(everyone) - len(matched)
    return plan


def new_rows_taken(rows: list[dict[str, Any]]) -> list[str]:
    """The 工号 of new rows that became someone's sign-in name since they were checked."""
    names = _login_names()
    return [row["employee_no"] for row in rows if row["employee_no"].lower() in names]


PREVIEW_KEY = "people_import_preview"
PREVIEW_TTL = 30 * 60  # seconds a preview may wait for its confirmation
PREVIEW_MAX_CHARS = 2_000_000  # the rows as JSON; 5,000 full rows of the longest cells fit


@dataclass
class Preview:
    rows: list[dict[str, Any]]
    digest: str


def _row_to_json(row: dict[str, Any]) -> list[Any]:
    values = [row[key] for _header, key, _required, _example in COLUMNS]
    values[KEYS.index("joined_party_on")] = _shown("joined_party_on", row["joined_party_on"])
    values[KEYS.index("roles")] = sorted(row["roles"])
    return values


def _row_from_json(values: list[Any]) -> dict[str, Any]:
    row = dict(zip(KEYS, values, strict=True))
    joined = row["joined_party_on"]
    row["joined_party_on"] = dt.date.fromisoformat(joined) if joined else None
    row["roles"] = set(row["roles"])
    return row


def preview_stash(session: SessionBase, *, rows: list[dict[str, Any]], digest: str) -> str:
    """Keep the validated rows in the session (never in the page) until the preview is confirmed.

    Replaces any earlier preview. Returns the token the confirmation must bring back. Raises
    ValueError (a Chinese message) when the rows are too big to keep.
    """
    data = [_row_to_json(row) for row in rows]
    if len(json.dumps(data, ensure_ascii=False)) > PREVIEW_MAX_CHARS:
        raise ValueError(_("名单太大，无法预览，请拆分成几个文件分批更新。"))
    token = secrets.token_urlsafe(16)
    session[PREVIEW_KEY] = {"token": token, "at": time.time(), "digest": digest, "rows": data}
    return token


def preview_take(session: SessionBase, token: str) -> Preview | None:
    """The kept preview of this token, removed from the session; None when gone or expired.

    Any confirmation ends the kept preview, a wrong token too: it can never be applied twice.
    """
    kept = session.get(PREVIEW_KEY)
    if not kept:
        return None
    del session[PREVIEW_KEY]
    fresh = time.time() - kept.get("at", 0) <= PREVIEW_TTL
    if not fresh or not constant_time_compare(kept.get("token", ""), token or ""):
        return None
    return Preview([_row_from_json(values) for values in kept["rows"]], kept["digest"])
