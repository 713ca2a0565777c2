"""Expected status per URL name, method and persona, for the 整改公示 board of staff feedback and
the secretary's QR poster (issue 13).

Columns: anonymous, staff, member, leader, secretary. POST is sent with no data. Everyone of the
branch reads the board (staff included); only the secretary prints the poster.
"""

from typing import Any

from .matrix import EVERYONE_NO_POST, EVERYONE_PAGE, SECRETARY

EXPECTED: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    "campaign:feedback_board": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "campaign:feedback_poster": SECRETARY,
}


def url_kwargs(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {}
