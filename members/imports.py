"""Reading and validating a people file (Excel .xlsx or CSV). Nothing here writes to the DB."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from config.middleware import strip_control
from config.spreadsheets import Sheet

from .models import Branch, Role, User

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50  # columns read from each row; the template has 9
MAX_CELL_CHARS = 200  # longer than any name, department or note a row needs
# An .xlsx is a zip: 5 MB of it can inflate to gigabytes. These bound what openpyxl may read.
XLSX_MAX_PARTS = 500
XLSX_MAX_PART_BYTES = 20 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 50 * 1024 * 1024

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
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
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

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error and bool(self.rows)


def template_sheets() -> list[Sheet]:
    """The import template: the people sheet (header and one example) and how to fill it in."""
    people = Sheet(
        title=_("人员"),
        headers=HEADERS,
        rows=[[c[3] for c in COLUMNS]],
        widths=[16] * len(HEADERS),
    )
    notes = Sheet(
        title=_("填写说明"),
        headers=[_("列"), _("是否必填"), _("说明")],
        rows=[
            ["姓名", "必填", ""],
            ["工号", "必填", "同时作为登录名，只能含字母、数字和 _-.@+，不能重复"],
            ["性别", "", "男 / 女"],
            ["部门", "", "不存在的部门会自动建立"],
            ["手机", "", "11位手机号码"],
            ["政治面貌", "必填", "中共党员 / 中共预备党员 / 入党积极分子 / 共青团员 / 群众"],
            ["入党日期", "", "如 2005-07-01；党员和预备党员填写"],
            ["角色", "", "党员 / 群众 / 领导班子成员 / 支部书记，多个用顿号分隔；留空按政治面貌"],
            ["", "", f"每格不超过 {MAX_CELL_CHARS} 个字，一次最多导入 {MAX_ROWS} 人。"],
        ],
        widths=[16, 16, 70],
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
        # row 16,384 entries. Blank rows are skipped, so the row limit counts people only.
        for row in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            if _is_blank(row):
                continue
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
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
    for row in csv.reader(io.StringIO(text)):
        if _is_blank(row):
            continue
        rows.append(row[:MAX_COLUMNS])
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def read_table(upload: UploadedFile) -> list[list[Any]]:
    """The file's rows as lists, header first. Raises ValueError with a Chinese message."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValueError(_("文件超过 5 MB，请拆分后分批导入。"))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(_("文件超过 5 MB，请拆分后分批导入。"))
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


def validate(table: list[list[Any]], *, branch: Branch) -> ImportResult:
    result = ImportResult()
    table = [row for row in table if any(_cell_text(v) for v in row)]
    if not table:
        result.file_error = _("文件是空的。")
        return result
    header = [_cell_text(v) for v in table[0]]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        result.file_error = _("缺少必需的列：%(cols)s。请使用下载的模板。") % {
            "cols": "、".join(sorted(missing, key=HEADERS.index))
        }
        return result
    body = table[1:]
    if not body:
        result.file_error = _("文件里只有表头，没有人员。")
        return result
    if len(body) > MAX_ROWS:
        result.file_error = _("一次最多导入 %(n)s 人，请拆分文件。") % {"n": MAX_ROWS}
        return result

    index = {h: header.index(h) for h in HEADERS if h in header}
    existing_nos = set(
        User.objects.filter(branch=branch)
        .exclude(employee_no="")
        .values_list("employee_no", flat=True)
    )
    existing_usernames = set(User.objects.values_list("username", flat=True))
    seen: dict[str, int] = {}

    for offset, raw in enumerate(body):
        line = offset + 2

        def cell(col: str, raw: list[Any] = raw) -> str:
            i = index.get(col)
            return _cell_text(raw[i]) if i is not None and i < len(raw) else ""

        def err(col: str, msg: str, line: int = line) -> None:
            result.errors.append(RowError(line, col, msg))

        too_long = [col for col in index if len(cell(col)) > MAX_CELL_CHARS]
        for col in too_long:
            err(
                col,
                _("内容超过 %(n)s 个字（有 %(len)s 个字），请检查是否填错了列")
                % {"n": MAX_CELL_CHARS, "len": len(cell(col))},
            )
        if too_long:
            continue

        row: dict[str, Any] = {}
        row["full_name"] = cell("姓名")
        if not row["full_name"]:
            err("姓名", _("姓名不能为空"))
        elif len(row["full_name"]) > 50:
            err("姓名", _("姓名不能超过50个字"))

        no = cell("工号")
        row["employee_no"] = no
        if not no:
            err("工号", _("工号不能为空"))
        elif not EMPLOYEE_NO_RE.match(no):
            err("工号", _("工号只能包含字母、数字和 _-.@+，不超过30位"))
        elif no in seen:
            err("工号", _("与第 %(row)s 行工号重复") % {"row": seen[no]})
        elif no in existing_nos or no in existing_usernames:
            err("工号", _("工号 %(no)s 已存在于系统中") % {"no": no})
        if no and no not in seen:
            seen[no] = line

        gender = cell("性别")
        row["gender"] = GENDERS.get(gender, "")
        if gender and gender not in GENDERS:
            err("性别", _("性别只能填“男”或“女”"))

        row["department"] = cell("部门")[:50]
        row["position"] = cell("岗位")[:50]

        phone = re.sub(r"[\s-]", "", cell("手机"))
        row["phone"] = phone
        if phone and not PHONE_RE.match(phone):
            err("手机", _("手机号码“%(v)s”格式不对，应为11位数字") % {"v": phone[:20]})

        status = cell("政治面貌")
        row["political_status"] = STATUSES.get(status, "")
        if not status:
            err("政治面貌", _("政治面貌不能为空"))
        elif status not in STATUSES:
            err(
                "政治面貌",
                _(
                    "无法识别的政治面貌“%(v)s”，可填：中共党员、中共预备党员、入党积极分子、共青团员、群众"
                )
                % {"v": status[:20]},
            )

        joined = cell("入党日期")
        row["joined_party_on"] = None
        if joined:
            parsed = _parse_date(joined)
            if parsed is None:
                err("入党日期", _("日期“%(v)s”无法识别，请写成 2005-07-01") % {"v": joined[:20]})
            elif parsed > dt.date.today() or parsed.year < 1921:
                err("入党日期", _("入党日期不在合理范围内"))
            else:
                row["joined_party_on"] = parsed

        roles: set[str] = set()
        for name in re.split(r"[、,，;；/\s]+", cell("角色")):
            if not name:
                continue
            if name not in ROLE_NAMES:
                err("角色", _("无法识别的角色“%(v)s”") % {"v": name[:20]})
            else:
                roles.add(ROLE_NAMES[name])
        row["roles"] = roles
        result.rows.append(row)
    return result
