"""One error shape for the whole API: {"detail": ..., "code": ..., "fields": {...}}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lms.errors import ServiceError


def _flatten(value):
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return {k: _flatten(v) for k, v in value.items()}
    return [str(value)]


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        body = {"detail": str(exc.message), "code": exc.code, "fields": {}}
        if exc.field:
            body["fields"][exc.field] = [str(exc.message)]
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail
        fields = _flatten(data) if isinstance(data, dict) else {}
        if isinstance(fields, dict) and "non_field_errors" in fields:
            detail = " ".join(fields.pop("non_field_errors"))
        elif isinstance(data, list):
            detail = " ".join(str(d) for d in data)
        else:
            detail = _("Some fields are not valid. See “fields”.")
        response.data = {"detail": detail, "code": "invalid", "fields": fields}
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    detail = getattr(exc, "detail", str(exc))
    code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
    response.data = {"detail": str(detail), "code": code, "fields": {}}
    return response
