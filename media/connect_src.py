"""Pages that upload or download straight to S3 must let the browser connect there."""

from functools import cache, wraps
from urllib.parse import urlsplit

from .backends import S3Backend, get_backend


@cache
def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def storage_origin() -> str | None:
    """The origin the browser sends file bytes to, when that is not the app itself."""
    backend = get_backend()
    if not isinstance(backend, S3Backend):
        return None
    # Signing is local (no request): the URL shows the host the browser must reach, with the
    # bucket in it when the storage uses virtual-host addressing.
    url = backend.client.generate_presigned_url(
        "get_object", Params={"Bucket": backend.bucket, "Key": "x"}, ExpiresIn=60
    )
    return _origin_of(url)


def allow_storage_connections(response):
    """Add the storage's origin to the response's CSP connect-src (django-csp)."""
    origin = storage_origin()
    if origin:
        update = getattr(response, "_csp_update", None) or {}
        update["connect-src"] = [*update.get("connect-src", []), origin]
        response._csp_update = update
    return response


def uploads_from_page(view):
    """Decorator for page views that include media/upload.js."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return allow_storage_connections(view(request, *args, **kwargs))

    return wrapped
