"""Reading and validating a people file (Excel .xlsx or CSV). Nothing here writes to the DB."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
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


def _split_table(table: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """The header's texts and the body's rows, or _FileError when there is nothing to import."""
    table = [row for row in table if any(_cell_text(v) for v in row)]
    if not table:
        raise _FileError(_("文件是空的。"))
    header = [_cell_text(v) for v in table[0]]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise _FileError(
            _("缺少必需的列：%(cols)s。请使用下载的模板。")
            % {"cols": "、".join(sorted(missing, key=HEADERS.index))}
        )
    body = table[1:]
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


def _taken_employee_nos(branch: Branch) -> set[str]:
    """Numbers no new row may use: the branch's 工号 and every login name (工号 becomes one).

    In lower case: sign-in names are case-insensitive, so `XT0101` takes `xt0101` too.
    """
    taken = set(
        User.objects.filter(branch=branch)
        .exclude(employee_no="")
        .values_list("employee_no", flat=True)
    )
    return {no.lower() for no in taken | set(User.objects.values_list("username", flat=True))}


def _employee_no_clashes(rows: dict[int, dict[str, Any]], taken: set[str]) -> list[RowError]:
    """A well-formed 工号 used by an earlier row of the file, or already in the system.

    Compared in lower case (`taken` is): a 工号 becomes a case-insensitive sign-in name.
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
            elif key in taken:
                errors.append(RowError(line, "工号", _("工号 %(no)s 已存在于系统中") % {"no": no}))
        if no and key not in seen:
            seen[key] = line
    return errors


def validate(table: list[list[Any]], *, branch: Branch) -> ImportResult:
    """Check a table from read_table (header first). The result's rows are for people_import;
    any error (listed by row, in column order) means nothing is imported."""
    result = ImportResult()
    try:
        header, body = _split_table(table)
    except _FileError as exc:
        result.file_error = str(exc)
        return result
    columns = {h: header.index(h) for h in HEADERS if h in header}
    taken = _taken_employee_nos(branch)

    errors: dict[int, list[RowError]] = {}
    rows: dict[int, dict[str, Any]] = {}  # by line; a row with an overlong cell is not parsed
    for line, raw in enumerate(body, start=2):
        cells = _row_cells(raw, columns)
        errors[line] = _too_long(cells, line)
        if not errors[line]:
            rows[line], errors[line] = _parse_row(cells, line)
    for error in _employee_no_clashes(rows, taken):
        errors[error.row].append(error)

    result.rows = list(rows.values())
    result.errors = [
        error
        for line_errors in errors.values()
        for error in sorted(line_errors, key=lambda e: HEADERS.index(e.column))
    ]
    return result
