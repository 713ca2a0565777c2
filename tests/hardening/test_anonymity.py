"""The anonymity helper finds every kind of leak, and 群众评议 ballots pass it."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from campaign.models import Ballot, BallotMark, EvaluationTurnout
from members import audit
from members.models import Department, Responsibility, Role
from tests.campaign import factories
from tests.factories import PASSWORD, make_person

from .anonymity import assert_storage_unlinkable, assert_untraceable, storage_attacks


def test_a_clean_anonymous_action_passes(member, branch):
    assert_untraceable(member, lambda: Department.objects.create(branch=branch, name="匿名意见箱"))


def test_an_audit_entry_naming_the_author_is_caught(member):
    with pytest.raises(AssertionError, match="audit entry written as the evaluator"):
        assert_untraceable(member, lambda: audit.record(by=member, action="投票"))


def test_an_audit_entry_about_the_author_is_caught(member, secretary):
    with pytest.raises(AssertionError, match="names the evaluator|refers to the evaluator"):
        assert_untraceable(member, lambda: audit.record(by=secretary, action="评议", obj=member))


def test_a_row_with_the_authors_name_is_caught(member, branch):
    with pytest.raises(AssertionError, match="names the evaluator"):
        assert_untraceable(
            member, lambda: Department.objects.create(branch=branch, name=f"{member.full_name}的票")
        )


def test_a_foreign_key_to_the_author_is_caught(member, leader):
    # Responsibility.leader is a foreign key to the user: the shape of a ballot with a voter column.
    with pytest.raises(AssertionError, match="points to the evaluator"):
        assert_untraceable(
            leader,
            lambda: Responsibility.objects.create(
                leader=leader, title="x", business_area="x", party_duty="x"
            ),
        )


def test_a_hash_of_the_author_is_caught(member, branch):
    import hashlib

    digest = hashlib.sha256(member.username.encode()).hexdigest()[:50]
    with pytest.raises(AssertionError, match="names the evaluator"):
        assert_untraceable(
            member,
            lambda: Department.objects.create(
                branch=branch, name=hashlib.sha256(member.username.encode()).hexdigest()[:50]
            ),
            extra_identifiers=[digest],
        )


def test_a_log_line_naming_the_author_is_caught(member):
    def action():
        logging.getLogger("campaign.evaluation").debug("ballot cast by %s", member.username)

    with pytest.raises(AssertionError, match="log record names the evaluator"):
        assert_untraceable(member, action)


def test_rows_in_order_next_to_a_row_naming_the_author_are_caught(member, leader, branch):
    def action():
        # A turnout-like row naming the person and a ballot-like row with a counter id.
        Responsibility.objects.create(
            leader=leader, title="已投票", business_area="x", party_duty="x"
        )
        Department.objects.create(branch=branch, name="一张选票")

    with pytest.raises(AssertionError, match="order of creation"):
        assert_untraceable(leader, action, allowed_tables={"members_responsibility"})


def test_the_authors_session_holding_the_anonymous_row_is_caught(member, branch):
    def action():
        dept = Department.objects.create(
            branch=branch, name="这是一张匿名选票的内容很长很长很长很长"
        )
        session = SessionStore()
        session["_auth_user_id"] = str(member.pk)
        session["my_ballot"] = dept.name
        session.save()

    with pytest.raises(AssertionError, match="holds anonymous values"):
        assert_untraceable(member, action, allow_order=True)


def test_an_export_naming_the_author_is_caught(member, secretary, branch, secretary_client):
    with pytest.raises(AssertionError, match="page /members/audit/ names the evaluator"):
        assert_untraceable(
            member,
            lambda: audit.record(by=secretary, action="导出", detail=f"含 {member.full_name}"),
            admin_client=secretary_client,
            pages=[reverse("members:audit_log")],
        )


# --- The real thing: a 群众评议 ballot cast through its page -----------------------------------


def test_casting_a_ballot_leaves_no_trace_of_the_evaluator(
    branch, secretary, leader, member, staff, member_client, secretary_client
):
    campaign = factories.make_campaign(secretary)
    round_ = factories.make_round(campaign, secretary)
    turnout = EvaluationTurnout.objects.filter(round=round_, evaluator=member).select_related(
        "subject"
    )[0]
    subject = turnout.subject
    levels = factories.all_levels(subject)
    url = reverse("campaign:ballot_cast", kwargs={"subject_pk": subject.pk})
    assert member_client.get(url).status_code == 200
    data = {f"item_{pk}": level for pk, level in levels.items()}
    watched = {
        "admin_client": secretary_client,
        # Pages that must never name an evaluator (round_detail may show turnout: allowed).
        "pages": [
            reverse("campaign:round_results", kwargs={"pk": round_.pk}),
            reverse("members:audit_log"),
        ],
        "session_key": member_client.session.session_key,
        "ip": "127.0.0.1",
    }

    response = assert_untraceable(
        member,
        lambda: member_client.post(url, data),
        allowed_tables={EvaluationTurnout._meta.db_table},
        **watched,
    )
    assert response.status_code == 302, "the ballot was not accepted: check the form field names"
    turnout.refresh_from_db()
    assert turnout.has_voted and turnout.sealed is not None
    assert not Ballot.objects.exists()  # while the round is open there is no ballot at all

    # Closing writes the ballot (the storage-level tests below attack what closing writes).
    secretary_client.post(reverse("campaign:round_close", kwargs={"pk": round_.pk}))
    assert Ballot.objects.filter(subject=subject).count() == 1


# --- Storage level: rowid, ctid, xmin, physical order, per-person timestamps -------------------

N_VOTERS = 20
N_MEMBERS = 10


def _pattern(index: int, items) -> dict[int, str]:
    """Voter `index`'s distinctive vote: the base-4 digits of the index, one per item."""
    levels = BallotMark.Level.values
    return {item.pk: levels[(index // 4**n) % 4] for n, item in enumerate(items)}


def _election(branch, secretary):
    """A round with 10 members to rate and 20 voters, each voting with a distinctive pattern."""
    campaign = factories.make_campaign(secretary)
    for _ in range(N_MEMBERS):
        make_person(branch, (Role.MEMBER,))
    voters = [make_person(branch, (Role.STAFF,)) for _ in range(N_VOTERS)]
    round_ = factories.make_round(campaign, secretary, chosen=voters)
    items = {
        kind: list(round_.items.filter(applies_to=kind).order_by("pk"))
        for kind in ("branch", "member")
    }
    return round_, voters, items


def _truth(voters, items) -> dict:
    """Who cast each ballot, read back from the distinctive patterns (only the test knows)."""
    owner_of = {}
    for index, voter in enumerate(voters):
        for kind, kind_items in items.items():
            owner_of[(kind, tuple(sorted(_pattern(index, kind_items).items())))] = voter.pk
    ballots, marks = {}, {}
    for ballot in Ballot.objects.select_related("subject").prefetch_related("marks"):
        key = (
            ballot.subject.applies_to,
            tuple(sorted((m.item_id, m.level) for m in ballot.marks.all())),
        )
        owner = owner_of[key]
        ballots[ballot.pk.hex] = (owner, ballot.pk.hex)
        marks.update({m.pk.hex: (owner, ballot.pk.hex) for m in ballot.marks.all()})
    return {Ballot: ballots, BallotMark: marks}


@pytest.mark.django_db(transaction=True)
def test_ballots_cannot_be_linked_to_voters_through_storage(branch, secretary, secretary_client):
    """Voters sign in one after another and vote on everyone, as on a real day; then the round
    closes. Nothing in the database file orders or groups the ballots by voter."""
    round_, voters, items = _election(branch, secretary)
    for index, voter in enumerate(voters):
        client = Client()
        response = client.post(reverse("login"), {"username": voter.username, "password": PASSWORD})
        assert response.status_code == 302, "sign-in failed"
        for turnout in round_.turnout.filter(evaluator=voter).select_related("subject"):
            kind_items = items[turnout.subject.applies_to]
            data = {f"item_{pk}": lv for pk, lv in _pattern(index, kind_items).items()}
            url = reverse("campaign:ballot_cast", args=[turnout.subject_id])
            assert client.post(url, data).status_code == 302
        # While the round is open a copy of the database holds no ballot, and every sealed
        # vote of a kind has the same length.
        assert not Ballot.objects.exists()
    lengths = {
        (t.subject.is_branch, len(bytes(t.sealed)))
        for t in round_.turnout.select_related("subject")
    }
    assert len(lengths) == 2, lengths

    # Closing, attacked as a whole: rows, logs, admin, and then the storage.
    response = assert_untraceable(
        voters[0],
        lambda: secretary_client.post(reverse("campaign:round_close", args=[round_.pk])),
        allowed_tables={EvaluationTurnout._meta.db_table},
        # The round and subject rows are the secretary's (and the round's admin page lists who
        # was invited, as turnout does): the ballots' order is attacked by storage_truth.
        allow_order=True,
        storage_truth=lambda: _truth(voters, items),
    )
    assert response.status_code == 302
    assert not round_.turnout.filter(sealed__isnull=False).exists()
    truth = _truth(voters, items)
    assert len(truth[Ballot]) == N_VOTERS * round_.subjects.count()
    assert_storage_unlinkable(truth)


@pytest.mark.django_db(transaction=True)
def test_the_storage_attacks_catch_ballots_written_as_they_are_cast(branch, secretary):
    """The helper's own proof: ballots written one transaction per vote, next to the voter's
    turnout row (how the app stored them before), are linked by rowid/ctid blocks, order and
    (PostgreSQL) the shared xmin."""
    round_, voters, items = _election(branch, secretary)
    for index, voter in enumerate(voters):
        Client().post(reverse("login"), {"username": voter.username, "password": PASSWORD})
        for turnout in round_.turnout.filter(evaluator=voter).select_related("subject"):
            with transaction.atomic():
                turnout.has_voted = True
                turnout.save(update_fields=["has_voted"])
                ballot = Ballot.objects.create(subject=turnout.subject)
                BallotMark.objects.bulk_create(
                    BallotMark(ballot=ballot, item_id=pk, level=lv)
                    for pk, lv in _pattern(index, items[turnout.subject.applies_to]).items()
                )
    problems = storage_attacks(_truth(voters, items))
    assert any("one block per person" in p for p in problems), problems
    assert any("follows" in p and "last_login" in p for p in problems), problems
    if connection.vendor == "postgresql":
        assert any("joining on xmin" in p for p in problems), problems


def test_secure_delete_leaves_no_copy_of_erased_values_in_the_sqlite_file(tmp_path):
    """The SQLite settings zero what closing erases, and the WAL is truncated after it."""
    from config.settings import _SQLITE_OPTIONS

    marker = b"SEALED-VOTE-CIPHERTEXT-0123456789"

    def run(init_command: str) -> bytes:
        path = tmp_path / f"db{len(init_command)}.sqlite3"
        db = sqlite3.connect(path, isolation_level=None)
        db.executescript(init_command)
        db.execute("CREATE TABLE turnout (id INTEGER PRIMARY KEY, flag INT, sealed BLOB)")
        db.executemany(
            "INSERT INTO turnout VALUES (?, 0, ?)", [(n, marker + bytes([n])) for n in range(50)]
        )
        db.execute("UPDATE turnout SET sealed = NULL")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        return b"".join(p.read_bytes() for p in tmp_path.glob(f"{path.name}*"))

    assert marker not in run(_SQLITE_OPTIONS["init_command"])
    # Without secure_delete the erased values stay in the file: the test can fail.
    assert marker in run(
        _SQLITE_OPTIONS["init_command"].replace("secure_delete=ON", "secure_delete=OFF")
    )
