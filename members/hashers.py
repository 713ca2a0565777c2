from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    """Hasher for the one-time passwords the app generates (import, reset).

    Those passwords are 12 random characters from a 55-letter alphabet (~69 bits), so key
    stretching adds nothing a brute force would notice, while the default 1,000,000 rounds would
    make importing 5,000 people take half an hour. They must be changed at first sign-in; the
    chosen password then gets the default hasher.
    """

    algorithm = "pbkdf2_onetime"
    iterations = 1000

    def must_update(self, encoded: str) -> bool:
        # Never upgraded in place: the user replaces the password at first sign-in anyway.
        return False
