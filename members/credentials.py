"""One-time passwords between the service that made them and the person who hands them out.

They are kept in the session (never in the database in clear) for CREDENTIALS_TTL: shown once on
the credentials page, downloadable once as a workbook, then gone.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpResponse
from django.utils.translation import gettext as _

from config.spreadsheets import Sheet, workbook_response

from . import audit
from .models import User
from .services import Credential

SESSION_KEY = "onetime_credentials"
CREDENTIALS_TTL = 30 * 60  # the download link lives half an hour after the passwords are shown


def stash(session: SessionBase, credentials: Sequence[Credential]) -> None:
    """Keep new one-time passwords for the credentials page (replacing any earlier ones)."""
    session[SESSION_KEY] = {
        "rows": [c.as_dict() for c in credentials],
        "shown": False,
        "at": time.time(),
    }


def fetch(session: SessionBase) -> dict[str, Any] | None:
    """The stash if there is one and it is still fresh; an expired one is dropped."""
    kept = session.get(SESSION_KEY)
    if kept and time.time() - kept.get("at", 0) > CREDENTIALS_TTL:
        del session[SESSION_KEY]
        return None
    return kept


def reveal(session: SessionBase) -> tuple[list[dict[str, str]] | None, bool]:
    """The rows to show (the first time only) and whether the single download is still there."""
    kept = fetch(session)
    rows = None
    if kept and not kept["shown"]:
        rows = kept["rows"]
        kept["shown"] = True
        session.modified = True
    return rows, bool(kept)


def take(session: SessionBase) -> list[dict[str, str]] | None:
    """The rows for the one download, removed from the session; None when gone or expired."""
    kept = fetch(session)
    if not kept:
        return None
    del session[SESSION_KEY]
    return kept["rows"]


def sheet(rows: Sequence[dict[str, str]]) -> Sheet:
    return Sheet(
        title=_("一次性密码"),
        headers=[_("姓名"), _("部门"), _("登录名"), _("一次性密码")],
        rows=(
            [row["full_name"], row["department"], row["username"], row["password"]] for row in rows
        ),
        notes=[_("首次登录后须修改密码。此文件只能下载一次，请妥善保管，发放后删除。")],
    )


def download(*, rows: Sequence[dict[str, str]], by: User) -> HttpResponse:
    """The workbook of `rows`, written to the audit trail as one download."""
    audit.record(by=by, action=_("下载一次性密码"), detail=f"{len(rows)} 人")
    return workbook_response(_("一次性密码.xlsx"), sheet(rows))
