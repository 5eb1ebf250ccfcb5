from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import hooks, selectors, services
from lms import notifications as inbox
from lms.errors import ServiceError
from lms.forms import AccountForm, TokenForm
from lms.models import Role

from .helpers import add_service_error


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "lms/home.html")


@login_required
def dashboard(request):
    schools = selectors.roles_by_school(request.user)
    roles = {role for _school, school_roles in schools for role in school_roles}
    # Later apps add their own panels (today's lessons, deadlines, ...) through this hook.
    panels = hooks.collect("dashboard_panels", request, schools)
    return render(
        request,
        "lms/dashboard.html",
        {
            "schools": schools,
            "is_admin": Role.ADMIN in roles,
            "is_teacher": Role.TEACHER in roles,
            "is_student": Role.STUDENT in roles,
            "panels": panels,
        },
    )


@login_required
def account(request):
    user = request.user
    form = AccountForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_preferences(user=user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            response = redirect("account")
            # The saved preference now decides the language; drop the per-browser choice.
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
            messages.success(request, _("Your settings were saved."))
            return response
    return render(request, "lms/account.html", {"form": form})


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "lms/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.user_api_tokens(user=request.user),
        },
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(selectors.user_api_tokens(user=request.user), pk=pk)
    services.api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("tokens")


@login_required
def notifications(request):
    if request.method == "POST":
        inbox.mark_read(user=request.user)
        return redirect("notifications")
    page = Paginator(inbox.inbox(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "lms/notifications.html", {"page": page})
