"""The owner's files page, and the embedded setup's stand-in for S3.

The stand-in serves signed upload and download URLs on the app itself and is only used when no
S3 storage is configured. Each URL carries a signed, expiring token made by
`media.backends.LocalBackend`; like S3's presigned URLs, the token (not a session) is the
permission, so those views are exempt from CSRF and need no login.
"""

import contextlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import FileResponse, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import conf, selectors, services, sniff
from .backends import CHUNK, LocalBackend, unsign
from .connect_src import uploads_from_page


def _error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, "fields": {}}, status=status)


def _expired() -> JsonResponse:
    return _error(403, "expired", _("This upload link has expired or is not valid. Start again."))


def _declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _body_chunks(request, limit: int):
    """The request body in chunks, refusing more than `limit` bytes."""
    received = 0
    while chunk := request.read(CHUNK):
        received += len(chunk)
        if received > limit:
            raise ValueError("body too large")
        yield chunk


# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


@csrf_exempt
@require_http_methods(["POST"])
def local_post(request, token: str):
    """A presigned-POST lookalike: form fields key and Content-Type, then the file."""
    payload = unsign(token)
    if payload is None:
        return _expired()
    length = _declared_length(request)
    if length is not None and length > payload["n"] + FORM_OVERHEAD:
        # Refused before reading the body, as S3 refuses a POST over its content-length-range.
        return _error(400, "too_large", _("The file is larger than its upload link allows."))
    try:
        fields, files = request.POST, request.FILES
    except (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent):
        return _error(400, "bad_form", _("The upload form could not be read. Try again."))
    if fields.get("key") != payload["k"] or fields.get("Content-Type") != payload["t"]:
        return _error(403, "policy", _("The form does not match its upload link."))
    upload = files.get("file")
    if upload is None:
        return _error(400, "no_file", _("The form has no file in it."))
    if upload.size != payload["n"]:
        # S3 answers EntityTooLarge / EntityTooSmall to the same breach of its policy.
        return _error(400, "size", _("The file's size differs from the size announced."))
    LocalBackend().write_object(payload["k"], upload.chunks(CHUNK))
    return HttpResponse(status=204)


@csrf_exempt
@require_http_methods(["PUT"])
def local_part(request, token: str):
    payload = unsign(token)
    if payload is None:
        return _expired()
    length = _declared_length(request)
    limit = payload.get("n", conf.part_size())
    if length is not None and length != limit:
        # S3 refuses a length other than the signed one the same way (signature mismatch).
        return _error(400, "size", _("This part's size differs from the size expected."))
    backend = LocalBackend()
    try:
        backend.write_part(payload["u"], int(payload["p"]), _body_chunks(request, limit))
    except FileNotFoundError:
        return _error(404, "no_upload", _("This upload no longer exists. Start again."))
    except ValueError:
        with contextlib.suppress(OSError):
            (backend.parts_dir(payload["u"]) / f"{payload['p']}.partial").unlink()
        return _error(400, "size", _("This part is larger than allowed."))
    response = HttpResponse(status=200)
    response["ETag"] = f'"{payload["p"]}"'
    return response


@require_http_methods(["GET", "HEAD"])
def local_download(request, token: str):
    payload = unsign(token)
    if payload is None:
        return _error(
            403, "expired", _("This download link has expired. Go back and open the file again.")
        )
    path = LocalBackend().path(payload["k"])
    if not path.is_file():
        return _error(404, "not_found", _("This file no longer exists."))
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=payload["f"], content_type=payload["t"]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@uploads_from_page
def my_files(request):
    """The owner's files: upload new ones (straight to storage) and download verified ones."""
    files = list(selectors.files_of(request.user)[:200])
    return render(
        request,
        "media/files.html",
        {
            "files": files,
            "quota": services.human_size(conf.user_quota_bytes()),
            "max_size": services.human_size(conf.max_file_bytes()),
            "accept": ",".join(f".{ext}" for ext in sorted(sniff.EXTENSION_TYPES)),
        },
    )


@login_required
@require_http_methods(["GET"])
def my_file_download(request, pk: int):
    file = selectors.file_of_owner(request.user, pk)
    return redirect(services.download_url(file=file))
