"""Settings of the media app, each read from Django settings, then the environment."""

from pathlib import Path

from django.conf import settings

from lms.conf import setting as _get
from lms.conf import setting_int as _get_int

MiB = 1024 * 1024


def multipart_threshold() -> int:
    """Files above this size go up as S3 multipart uploads (resumable)."""
    return max(5 * MiB, _get_int("MEDIA_MULTIPART_THRESHOLD", 8 * MiB))


def part_size() -> int:
    """S3 refuses parts under 5 MiB (except the last one)."""
    return max(5 * MiB, _get_int("MEDIA_PART_SIZE", 8 * MiB))


def max_file_bytes() -> int:
    """The largest single file anyone may upload, whatever a caller's own limit."""
    return max(1, _get_int("MEDIA_MAX_FILE_BYTES", 512 * MiB))


def user_quota_bytes() -> int:
    """Bytes a person may hold in pending and verified files together."""
    return max(0, _get_int("MEDIA_USER_QUOTA_BYTES", 1024 * MiB))


def upload_ttl_seconds() -> int:
    """How long an upload slot's URLs stay valid."""
    return max(60, _get_int("MEDIA_UPLOAD_TTL_SECONDS", 60 * 60))


def download_ttl_seconds() -> int:
    """How long a download link stays valid: long enough to start, too short to share."""
    return max(1, _get_int("MEDIA_DOWNLOAD_TTL_SECONDS", 300))


def abandoned_after_seconds() -> int:
    """A pending upload older than this is removed by the periodic task."""
    return max(60, _get_int("MEDIA_ABANDONED_AFTER_SECONDS", 24 * 60 * 60))


def local_root() -> Path:
    """Where the embedded setup keeps uploads: beside MEDIA_ROOT, never under it.

    MEDIA_ROOT is served as-is by the development server; private files must not be.
    """
    configured = _get("MEDIA_PRIVATE_ROOT")
    if configured:
        return Path(configured)
    return Path(settings.MEDIA_ROOT).parent / "media-private"
