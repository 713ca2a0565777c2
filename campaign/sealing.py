"""Sealed votes: a 群众评议 voter's choices, encrypted with a key that is not in the database.

While a round is open, a vote exists only as `EvaluationTurnout.sealed`: AES-256-GCM over the
voter's levels, under a key derived from the server's SECRET_KEY and the round's id. The database,
a backup of it, or a database superuser sees only that the person has voted (which the turnout
row says anyway) and a ciphertext of the same length for every vote on the same kind of subject.
At closing (services.evaluation.round_close) the votes are unsealed, written out as anonymous
ballots in random order in one transaction, and the sealed values are erased.

Format: a 12-byte random nonce followed by the ciphertext of one byte per item (the level's index
in `LEVEL_CODES`, items in primary-key order) and the 16-byte tag. The associated data names the
round, the turnout row and the subject, so a sealed value copied onto another row does not open.
No timestamp is stored (unlike Fernet tokens, which carry the time of encryption in clear).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from .models.evaluation import (
    LEVEL_ORDER,
    EvaluationItem,
    EvaluationRound,
    EvaluationSubject,
    EvaluationTurnout,
)

LEVEL_CODES: tuple[str, ...] = LEVEL_ORDER
NONCE_BYTES = 12
_SALT = b"chuangxian.campaign.sealed-vote.v1"


class SealError(Exception):
    """A sealed vote that no configured key opens (SECRET_KEY changed without a fallback)."""


def _key(secret: str, round_pk: int) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=_SALT, info=f"round:{round_pk}".encode()
    ).derive(secret.encode())


def _aad(turnout: EvaluationTurnout) -> bytes:
    return f"{turnout.round_id}:{turnout.pk}:{turnout.subject_id}".encode()


def items_for(subject: EvaluationSubject) -> list[EvaluationItem]:
    """The items a vote on `subject` answers, in the round's display order (seal and unseal sort
    them by primary key themselves)."""
    return list(subject.round.items.filter(applies_to=subject.applies_to))


def seal(
    *, turnout: EvaluationTurnout, items: Sequence[EvaluationItem], levels: Mapping[int, str]
) -> bytes:
    """Encrypt one voter's levels for one subject; the same length for every vote of its kind."""
    plain = bytes(LEVEL_CODES.index(levels[pk]) for pk in sorted(i.pk for i in items))
    nonce = secrets.token_bytes(NONCE_BYTES)
    aead = AESGCM(_key(settings.SECRET_KEY, turnout.round_id))
    return nonce + aead.encrypt(nonce, plain, _aad(turnout))


def unseal(turnout: EvaluationTurnout, items: Sequence[EvaluationItem]) -> dict[int, str]:
    """The levels by item id; SealError when no key (current or fallback) opens it."""
    sealed = bytes(turnout.sealed or b"")
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    pks = sorted(i.pk for i in items)
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        try:
            plain = AESGCM(_key(secret, turnout.round_id)).decrypt(nonce, body, _aad(turnout))
        except (InvalidTag, ValueError):
            continue
        if len(plain) != len(pks) or any(code >= len(LEVEL_CODES) for code in plain):
            raise SealError("sealed vote does not match the round's items")
        return {pk: LEVEL_CODES[code] for pk, code in zip(pks, plain, strict=True)}
    raise SealError("no configured key opens this sealed vote")


def own_vote(turnout: EvaluationTurnout) -> dict[int, str]:
    """The evaluator's own sealed vote while the round is open (to change it), else empty."""
    if turnout.sealed is None or turnout.round.status != EvaluationRound.Status.OPEN:
        return {}
    try:
        return unseal(turnout, items_for(turnout.subject))
    except SealError:
        return {}


# --- 完全匿名 feedback waiting in the drop box (campaign/models/feedback.py) -------------------

_DROP_SALT = b"chuangxian.campaign.feedback-drop.v1"


def _drop_key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_DROP_SALT, info=b"drop").derive(
        secret.encode()
    )


def _drop_aad(branch_pk: int, day: str, digest: str) -> bytes:
    return f"drop:{branch_pk}:{day}:{digest}".encode()


def seal_drop(*, branch_pk: int, day: str, digest: str, header: dict, photo: bytes) -> bytes:
    """Encrypt one 完全匿名 submission: a JSON header (kind, category, text, the photo's
    extension) and the photo's bytes (already checked and re-encoded), length-prefixed."""
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode()
    plain = len(head).to_bytes(4, "big") + head + photo
    nonce = secrets.token_bytes(NONCE_BYTES)
    aad = _drop_aad(branch_pk, day, digest)
    return nonce + AESGCM(_drop_key(settings.SECRET_KEY)).encrypt(nonce, plain, aad)


def unseal_drop(*, branch_pk: int, day: str, digest: str, sealed: bytes) -> tuple[dict, bytes]:
    """The header and the photo's bytes; SealError when no configured key opens it."""
    sealed = bytes(sealed)
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    aad = _drop_aad(branch_pk, day, digest)
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        try:
            plain = AESGCM(_drop_key(secret)).decrypt(nonce, body, aad)
        except (InvalidTag, ValueError):
            continue
        size = int.from_bytes(plain[:4], "big")
        return json.loads(plain[4 : 4 + size].decode()), plain[4 + size :]
    raise SealError("no configured key opens this sealed feedback")
