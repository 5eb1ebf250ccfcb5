from django.shortcuts import render

from lms.errors import ServiceError


def add_service_error(form, exc: ServiceError) -> None:
    """Show a service's refusal on the form field it concerns, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


def error_page(request, exc: ServiceError, *, title: str = ""):
    """A page for a refusal that is not about a form (expired links, used invitations)."""
    return render(
        request,
        "lms/error.html",
        {"title": title, "message": exc.message, "code": exc.code},
        status=exc.status,
    )
