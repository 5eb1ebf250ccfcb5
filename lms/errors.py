from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A rule was broken by the caller's input. Views turn it into a 4xx with this message.

    `field` names the input at fault, when there is one, so forms and the API can point at it.
    """

    status = 400
    default_code = "invalid"

    def __init__(self, message, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field


class NotFound(ServiceError, Http404):
    status = 404
    default_code = "not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("Not found."), **kwargs)


class Forbidden(ServiceError, PermissionDenied):
    """The user can see the object but may not do this (a member lacking a capability).

    Objects the user cannot see at all are `NotFound` instead, so ids cannot be probed.
    """

    status = 403
    default_code = "forbidden"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("You may not do this."), **kwargs)


class Gone(ServiceError):
    status = 410
    default_code = "gone"


class Conflict(ServiceError):
    status = 409
    default_code = "conflict"
