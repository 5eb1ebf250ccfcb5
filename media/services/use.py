"""Handing verified files to the apps that use them, and links to download them."""

from django.utils.translation import gettext as _

from lms.errors import Conflict, NotFound, ServiceError
from lms.models import Membership, School, User

from .. import conf, names, sniff
from ..backends import get_backend
from ..models import StoredFile
from .rules import check_type, human_size, size_limit


def files_for_use(
    *,
    by: User,
    ids: list[int],
    purpose: str,
    extensions: list[str] | None = None,
    max_size: int | None = None,
) -> list[StoredFile]:
    """The verified files `by` owns with these ids, in the order given, checked for a use.

    Someone else's id, or one that does not exist, is NotFound (the same answer, so ids cannot
    be probed); an unverified file, a wrong purpose, type or size is a ServiceError.
    """
    try:
        wanted = list(dict.fromkeys(int(pk) for pk in ids))
    except (TypeError, ValueError):
        raise ServiceError(_("File ids must be numbers."), field="files") from None
    found = {f.pk: f for f in StoredFile.objects.filter(pk__in=wanted, owner=by)}
    if len(found) != len(wanted):
        raise NotFound(_("One of these files does not exist."), field="files")
    files = [found[pk] for pk in wanted]
    limit = size_limit(max_size)
    for file in files:
        if file.state != StoredFile.State.VERIFIED:
            if file.state == StoredFile.State.REJECTED:
                message = _("“%(name)s” was rejected: %(reason)s") % {
                    "name": file.name,
                    "reason": file.get_reason_display(),
                }
            else:
                message = _("“%(name)s” has not finished uploading yet.") % {"name": file.name}
            raise ServiceError(message, code="file_not_verified", field="files")
        if file.purpose != purpose:
            raise ServiceError(
                _("“%(name)s” was uploaded for something else. Upload it here again.")
                % {"name": file.name},
                code="file_purpose",
                field="files",
            )
        check_type(file.name, extensions, field="files")
        if file.size > limit:
            raise ServiceError(
                _("“%(name)s” is %(size)s; the limit is %(limit)s.")
                % {"name": file.name, "size": human_size(file.size), "limit": human_size(limit)},
                code="too_large",
                field="files",
            )
    return files


def download_url(*, file: StoredFile, as_name: str | None = None) -> str:
    """A short-lived link that downloads the file as an attachment. The caller checked access."""
    if file.state != StoredFile.State.VERIFIED:
        raise Conflict(_("This file is not available for download."), code="not_verified")
    filename = names.sanitise(as_name) if as_name else file.name
    return get_backend().download_url(
        file.key,
        filename=filename or file.name,
        content_type=file.content_type or sniff.UNKNOWN,
        expires=conf.download_ttl_seconds(),
    )


def school_for_upload(*, by: User, school_slug: str | None) -> School:
    """The school an owner's generic upload belongs to: the named one, or their only one."""
    schools = School.objects.filter(
        pk__in=Membership.objects.filter(user=by).values("school_id")
    ).order_by("pk")
    if school_slug:
        school = schools.filter(slug=school_slug).first()
        if school is None:
            raise NotFound(_("No such school."), field="school")
        return school
    found = list(schools[:2])
    if len(found) != 1:
        raise ServiceError(
            _("Say which school this file is for."), code="school_required", field="school"
        )
    return found[0]
