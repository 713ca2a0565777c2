from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.utils.crypto import get_random_string, pbkdf2

from . import otp


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    """Hasher for the one-time passwords the app generates (import, reset).

    Those passwords are 16 random characters from a 31-letter alphabet (79 bits), so key
    stretching adds nothing a brute force would notice, while the default 1,000,000 rounds would
    make importing 5,000 people take half an hour. They must be changed at first sign-in; the
    chosen password then gets the default hasher.

    Creating one stays fast; checking one costs as much as checking a password of the default
    hasher (see `verify`), so the time a sign-in takes does not tell who still has a one-time
    password.

    A generated password typed without its hyphens, with spaces or in capitals is accepted too
    (members/otp.py); one the secretary typed in the admin is also checked exactly as typed.
    """

    algorithm = "pbkdf2_onetime"
    iterations = 1000

    def verify(self, password: str, encoded: str) -> bool:
        rounds = self.decode(encoded)["iterations"]
        correct = super().verify(password, encoded)
        done = rounds
        canonical = otp.canonical(password)
        if not correct and canonical is not None and canonical != password:
            correct = super().verify(canonical, encoded)
            done += rounds
        if not correct:
            # A right one is rehashed with the default hasher by check_password (the hasher
            # differs from the preferred one), which is the same work again; a wrong one is padded.
            self._pad_to_default(password, done=done)
        return correct

    def _pad_to_default(self, password: str, *, done: int) -> None:
        """Do the rest of the work that checking with the default hasher would have done."""
        default = get_hasher("default")
        if isinstance(default, PBKDF2PasswordHasher):
            if (remaining := default.iterations - done) > 0:
                pbkdf2(password, get_random_string(22), remaining, digest=default.digest)
        else:
            default.encode(password, default.salt())

    def must_update(self, encoded: str) -> bool:
        # Never upgraded in place: the user replaces the password at first sign-in anyway.
        return False
