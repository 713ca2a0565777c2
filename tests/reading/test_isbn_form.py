"""ISBNs are accepted in the forms the help text promises: hyphens, spaces, ISBN-10 with X."""

import pytest

from reading.forms import RecommendationForm
from reading.models import Recommendation

from .factories import make_activity

pytestmark = pytest.mark.django_db

REASON = "这本书讲清楚了工作不只是为了工资，更是为了自己的成长，值得每位党员干部读一读。"


def _post(client, activity, isbn):
    return client.post(
        f"/reading/{activity.pk}/recommend/",
        {
            "title": "《你在为谁工作》",
            "author": "陈安之",
            "publisher": "中信出版社",
            "isbn": isbn,
            "reason": REASON,
        },
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("978-7-5086-0001-7", "9787508600017"),
        ("978 7 5086 0001 7", "9787508600017"),
        (" 978－7－5086－0001－7 ", "9787508600017"),
        ("7-111-12345-x", "711112345X"),
        ("", ""),
    ],
)
def test_isbn_with_hyphens_spaces_or_x_is_accepted_and_normalized(
    member_client, member, branch, typed, stored
):
    activity = make_activity(branch, "recommend")
    response = _post(member_client, activity, typed)
    assert response.status_code == 302, response.context["form"].errors
    assert Recommendation.objects.get(member=member).isbn == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("978-7-5086-0001-8", "ISBN 校验位不正确，请核对书背面的10位或13位ISBN。"),
        (
            "978-7-5086-0001",
            "ISBN 应是10位或13位（可带短横线），现在是 12 位，请核对书背面的 ISBN。",
        ),
        ("9" * 31, "ISBN最多 30 个字，现在是 31 个字。"),
    ],
)
def test_a_wrong_isbn_gets_a_clear_message_and_keeps_what_was_typed(
    member_client, branch, typed, message
):
    activity = make_activity(branch, "recommend")
    response = _post(member_client, activity, typed)
    assert response.status_code == 200
    assert response.context["form"].errors["isbn"] == [message]
    assert f'value="{typed}"' in response.content.decode()
    assert not Recommendation.objects.exists()


def test_isbn_field_is_text_with_a_number_pad():
    html = str(RecommendationForm()["isbn"])
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'maxlength="30"' in html
    assert "978-7-5086-0001-7" in str(RecommendationForm()["isbn"].help_text)
