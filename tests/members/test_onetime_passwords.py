"""One-time passwords are easy to read out and type (no look-alike characters, groups of four),
still strong (≥ 60 bits, drawn with `secrets`), and accepted however the person types the
grouping or the case."""

import io
import math
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from members import otp
from members.models import User
from members.services import hash_one_time_password, person_set_password

SHAPE = re.compile(r"^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$")
LOOK_ALIKES = set("0oO1lIi")


def test_a_generated_password_is_grouped_and_has_no_look_alike_characters():
    for _ in range(200):
        password = otp.generate()
        assert SHAPE.match(password), password
        assert not LOOK_ALIKES & set(password)


def test_the_alphabet_has_no_look_alikes_and_no_repeats():
    assert not LOOK_ALIKES & set(otp.ALPHABET)
    assert len(set(otp.ALPHABET)) == len(otp.ALPHABET)


def test_a_generated_password_has_at_least_60_bits():
    bits = otp.LENGTH * math.log2(len(otp.ALPHABET))
    assert bits >= 60
    assert otp.entropy_bits() == pytest.approx(bits)
    # The grouping carries no entropy: the characters drawn are what counts.
    assert len(otp.generate().replace(otp.SEPARATOR, "")) == otp.LENGTH


def test_the_characters_are_drawn_with_secrets(monkeypatch):
    drawn = []

    def choice(alphabet):
        drawn.append(alphabet)
        return alphabet[0]

    monkeypatch.setattr(otp.secrets, "choice", choice)
    assert otp.generate() == "aaaa-aaaa-aaaa-aaaa"
    assert drawn == [otp.ALPHABET] * otp.LENGTH


def test_passwords_do_not_repeat():
    assert len({otp.generate() for _ in range(1000)}) == 1000


@pytest.mark.parametrize(
    "typed, canonical",
    [
        ("k7mw-3prt-9zqa-h2ve", "k7mw-3prt-9zqa-h2ve"),
        ("k7mw3prt9zqah2ve", "k7mw-3prt-9zqa-h2ve"),
        ("K7MW 3PRT 9ZQA H2VE", "k7mw-3prt-9zqa-h2ve"),
        (" k7mw—3prt—9zqa—h2ve ", "k7mw-3prt-9zqa-h2ve"),
        ("k7mw-3prt-9zqa", None),  # too short
        ("k7mw-3prt-9zqa-h2v0", None),  # 0 is not in the alphabet
        ("Test-pass-2011", None),
    ],
)
def test_canonical_form(typed, canonical):
    assert otp.canonical(typed) == canonical


def _reset(secretary_client, person) -> str:
    secretary_client.post(reverse("members:person_reset_password", args=[person.pk]))
    rows = secretary_client.get(reverse("members:credentials")).context["rows"]
    return rows[0]["password"]


def test_the_reset_shows_a_grouped_password(secretary_client, member):
    assert SHAPE.match(_reset(secretary_client, member))


@pytest.mark.parametrize(
    "retype",
    [
        lambda p: p,
        lambda p: p.replace("-", ""),
        lambda p: p.upper(),
        lambda p: p.replace("-", " "),
    ],
    ids=["as-shown", "no-hyphens", "capitals", "spaces"],
)
def test_the_person_signs_in_however_the_grouping_is_typed(secretary_client, member, retype):
    password = _reset(secretary_client, member)
    client = Client()
    response = client.post(reverse("login"), {"username": "member", "password": retype(password)})
    assert response.status_code == 302
    assert response["Location"] == "/"  # then the forced password change
    assert client.get("/")["Location"] == reverse("password_change")


def test_a_near_miss_is_still_refused(secretary_client, member):
    password = _reset(secretary_client, member)
    wrong = password[:-1] + ("2" if password[-1] != "2" else "3")
    response = Client().post(reverse("login"), {"username": "member", "password": wrong})
    assert response.status_code == 200


def test_a_typed_one_time_password_is_checked_as_typed(member, secretary):
    """The admin's one-time password is whatever the secretary typed: no case folding there."""
    person_set_password(person=member, password="Abcd-Efgh-Jkmn-Pqrs", by=secretary)
    member.refresh_from_db()
    assert member.check_password("Abcd-Efgh-Jkmn-Pqrs")
    User.objects.filter(pk=member.pk).update(password=hash_one_time_password("Xq7-Secret-pass"))
    member.refresh_from_db()
    assert member.check_password("Xq7-Secret-pass")
    assert not member.check_password("xq7-secret-pass")


def test_the_credentials_sheet_carries_the_grouped_password(secretary_client, member):
    password = _reset(secretary_client, member)
    response = secretary_client.post(reverse("members:credentials_download"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert password in [cell.value for row in sheet.iter_rows() for cell in row]
