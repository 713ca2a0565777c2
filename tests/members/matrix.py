"""Expected status per URL name, method and persona, for the members app and the root URLs.

Columns: anonymous, staff, member, leader, secretary. POST is sent with no data.
"""

from typing import Any

SECRETARY_PAGE = (302, 403, 403, 403, 200)
SECRETARY_FORM_POST = (302, 403, 403, 403, 200)
SECRETARY_ACTION_GET = (302, 403, 403, 403, 405)
SECRETARY_ACTION_POST = (302, 403, 403, 403, 302)
EVERYONE_PAGE = (302, 200, 200, 200, 200)
EVERYONE_NO_POST = (302, 405, 405, 405, 405)

EXPECTED: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    "home": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "setup": {"GET": (404,) * 5, "POST": (404,) * 5},
    "healthz": {"GET": (200,) * 5, "POST": (405,) * 5},
    "login": {"GET": (200, 302, 302, 302, 302), "POST": (200, 302, 302, 302, 302)},
    "logout": {"GET": (302, 405, 405, 405, 405), "POST": (302,) * 5},
    "password_change": {"GET": EVERYONE_PAGE, "POST": EVERYONE_PAGE},
    "admin:index": {"GET": (302, 302, 302, 302, 200), "POST": (302, 302, 302, 302, 200)},
    "members:person_list": {"GET": SECRETARY_PAGE, "POST": SECRETARY_ACTION_GET},
    "members:person_create": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "members:person_detail": {"GET": SECRETARY_PAGE, "POST": SECRETARY_ACTION_GET},
    "members:person_edit": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "members:person_set_active": {"GET": SECRETARY_ACTION_GET, "POST": SECRETARY_ACTION_POST},
    "members:person_reset_password": {"GET": SECRETARY_ACTION_GET, "POST": SECRETARY_ACTION_POST},
    "members:person_unlock": {"GET": SECRETARY_ACTION_GET, "POST": SECRETARY_ACTION_POST},
    "members:person_import": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "members:import_template": {"GET": SECRETARY_PAGE, "POST": SECRETARY_ACTION_GET},
    "members:credentials": {"GET": SECRETARY_PAGE, "POST": SECRETARY_ACTION_GET},
    "members:credentials_download": {"GET": SECRETARY_ACTION_GET, "POST": SECRETARY_ACTION_POST},
    "members:directory": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "members:leadership": {"GET": EVERYONE_PAGE, "POST": EVERYONE_NO_POST},
    "members:responsibility_create": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "members:responsibility_edit": {"GET": SECRETARY_PAGE, "POST": SECRETARY_FORM_POST},
    "members:responsibility_delete": {"GET": SECRETARY_ACTION_GET, "POST": SECRETARY_ACTION_POST},
    "members:audit_log": {"GET": SECRETARY_PAGE, "POST": SECRETARY_ACTION_GET},
    "members:address_qr": {"GET": SECRETARY_PAGE, "POST": SECRETARY_ACTION_GET},
}


def url_kwargs(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Arguments for the patterns that take them, built from the personas in ctx."""
    from tests.factories import make_person, make_responsibility

    other = make_person(ctx["branch"], full_name="被操作的人")
    responsibility = make_responsibility(ctx["leader"])
    person = {"pk": other.pk}
    return {
        "members:person_detail": person,
        "members:person_edit": person,
        "members:person_set_active": person,
        "members:person_reset_password": person,
        "members:person_unlock": person,
        "members:responsibility_edit": {"pk": responsibility.pk},
        "members:responsibility_delete": {"pk": responsibility.pk},
    }
