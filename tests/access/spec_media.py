"""Access matrix entries for media: the owner's file API and page, and the signed local URLs.

A file is its owner's alone: everyone else gets 404, as if it did not exist. The local upload
and download URLs carry a signed, expiring token that is the permission (like S3's presigned
URLs), so every role, signed in or not, gets the same answer with a valid token.
"""

from tests.access.matrix import NOT_ALLOWED, OK, SIGNED_IN, Route, expect

OWNER = expect(ok={"student"})
SIGNED_IN_OK = expect(ok=SIGNED_IN)
TOKEN_IS_THE_PERMISSION = expect(default=OK, anonymous=OK)


def build(w):
    from media.backends import LocalBackend, sign
    from media.models import Purpose, StoredFile

    owner = w.users["student"]
    data = b"%PDF-1.7\n" + b"0" * 100
    w.stored_file = StoredFile.objects.create(
        owner=owner,
        school=w.school,
        purpose=Purpose.OTHER,
        key=f"files/{w.school.pk}/{owner.pk}/matrix",
        name="bài.pdf",
        size=len(data),
        content_type="application/pdf",
        sha256="0" * 64,
        state=StoredFile.State.VERIFIED,
    )
    backend = LocalBackend()
    backend.write_object(w.stored_file.key, [data])
    upload_id = backend.multipart_create("uploads/matrix", content_type="application/pdf")
    w.media_tokens = {
        "post": sign({"k": "uploads/matrix", "n": 10, "t": "application/pdf"}, expires=3600),
        "part": sign({"k": "uploads/matrix", "u": upload_id, "p": 1}, expires=3600),
        "download": sign(
            {"k": w.stored_file.key, "f": "bài.pdf", "t": "application/pdf"}, expires=3600
        ),
    }


file_kwargs = lambda w: {"pk": w.stored_file.pk}  # noqa: E731
token = lambda kind: lambda w: {"token": w.media_tokens[kind]}  # noqa: E731

SPEC = {
    "api-files": Route(GET=SIGNED_IN_OK, POST=SIGNED_IN_OK),
    "api-file-detail": Route(kwargs=file_kwargs, GET=OWNER),
    "api-file-complete": Route(kwargs=file_kwargs, POST=OWNER),
    "api-file-parts": Route(kwargs=file_kwargs, GET=OWNER),
    "api-file-abort": Route(kwargs=file_kwargs, POST=OWNER),
    "api-file-download": Route(kwargs=file_kwargs, GET=OWNER),
    "media-files": Route(GET=SIGNED_IN_OK),
    "media-file-download": Route(kwargs=file_kwargs, GET=OWNER, POST=expect(default=NOT_ALLOWED)),
    "media-local-post": Route(
        kwargs=token("post"),
        data=lambda w, method: {"key": "uploads/matrix", "Content-Type": "application/pdf"},
        GET=expect(default=NOT_ALLOWED, anonymous=NOT_ALLOWED),
        POST=TOKEN_IS_THE_PERMISSION,
    ),
    "media-local-part": Route(
        kwargs=token("part"),
        GET=expect(default=NOT_ALLOWED, anonymous=NOT_ALLOWED),
        PUT=TOKEN_IS_THE_PERMISSION,
    ),
    "media-local-download": Route(kwargs=token("download"), GET=TOKEN_IS_THE_PERMISSION),
}
