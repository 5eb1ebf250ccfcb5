"""Access matrix entries for media: a stored file answers its owner only.

Started by authz so the matrix covers media's routes from the first day; media owns it.
"""

from tests.access.matrix import FORBIDDEN, SIGNED_IN, Route, expect

OWNER = {"student"}
file = lambda w: {"pk": w.stored_file.pk}  # noqa: E731


def build(w):
    from media.models import StoredFile

    w.stored_file = StoredFile.objects.create(
        owner=w.users["student"],
        school=w.school,
        purpose=StoredFile._meta.get_field("purpose").choices[0][0],
        key="matrix/student-file.pdf",
        name="bai-lam.pdf",
        size=10,
    )


SPEC = {
    "api-files": Route(GET=expect(ok=SIGNED_IN), POST=expect(ok=SIGNED_IN)),
    "api-file-detail": Route(kwargs=file, GET=expect(ok=OWNER)),
    "api-file-complete": Route(kwargs=file, POST=expect(ok=OWNER)),
    "api-file-parts": Route(kwargs=file, GET=expect(ok=OWNER)),
    "api-file-abort": Route(kwargs=file, POST=expect(ok=OWNER)),
    "api-file-download": Route(kwargs=file, GET=expect(ok=OWNER)),
    # Reached by a short-lived signed token alone (the browser's upload carries no session):
    # a forged token is refused whoever sends it.
    "media-local-post": Route(
        kwargs=lambda w: {"token": "forged"}, POST=expect(default=FORBIDDEN, anonymous=FORBIDDEN)
    ),
    "media-local-part": Route(
        kwargs=lambda w: {"token": "forged"}, PUT=expect(default=FORBIDDEN, anonymous=FORBIDDEN)
    ),
    "media-local-download": Route(
        kwargs=lambda w: {"token": "forged"}, GET=expect(default=FORBIDDEN, anonymous=FORBIDDEN)
    ),
}
