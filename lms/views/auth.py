from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import selectors, services
from lms.errors import Forbidden, ServiceError
from lms.forms import InvitationAcceptForm, LoginForm, SignupForm

from .helpers import add_service_error, error_page


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = translation.get_language_from_request(self.request)
        services.user_language_follow_browser(user=self.request.user, language=language)
        return response

    def dispatch(self, request, *args, **kwargs):
        # A signed-in person sent here by a page they may not open (Wagtail's admin sends
        # students to the login page) would bounce straight back: say "no access" instead.
        if request.user.is_authenticated and request.method == "GET":
            target = self.get_redirect_url()
            if target and target != request.path and not _may_open(request, target):
                return error_page(
                    request,
                    Forbidden(
                        _(
                            "Your account cannot open this page. Go back to your dashboard, "
                            "or sign in with another account."
                        ),
                        code="no_access",
                    ),
                    title=_("No access"),
                )
        return super().dispatch(request, *args, **kwargs)


def _may_open(request, target: str) -> bool:
    """Whether the signed-in user may open the page `target` (only the admin areas are asked:
    their access is a property of the account)."""
    path = target.split("?", 1)[0]
    if path.startswith("/admin/"):
        return request.user.has_perm("wagtailadmin.access_admin")
    if path.startswith("/django-admin/"):
        return request.user.is_active and request.user.is_staff
    return True


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown by django-axes instead of the login form after too many failed attempts."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


@require_POST
def language_switch(request):
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
        if request.user.is_authenticated:
            services.user_update_preferences(user=request.user, preferred_language=language)
    return response


def signup(request, slug):
    try:
        school = selectors.school_by_slug(slug)
    except ServiceError as exc:
        return error_page(request, exc, title=_("School not found"))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signup_request(school=school, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return render(
                request,
                "lms/signup_sent.html",
                {"school": school, "email": form.cleaned_data["email"]},
            )
    return render(request, "lms/signup.html", {"school": school, "form": form})


def signup_confirm(request, token):
    try:
        user = services.signup_confirm(token=token)
    except ServiceError as exc:
        return error_page(request, exc, title=_("Sign-up link"))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome to Lophoc! Your account is ready."))
    return redirect("dashboard")


def invitation_accept(request, token):
    try:
        invitation = services.invitation_for_token(token)
    except ServiceError as exc:
        return error_page(request, exc, title=_("Invitation"))
    signed_in = request.user.is_authenticated
    # The name the school typed is offered; the person may correct it.
    form = (
        None
        if signed_in
        else InvitationAcceptForm(request.POST or None, initial={"full_name": invitation.full_name})
    )
    account_exists = not signed_in and selectors.account_exists(invitation.email)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = services.invitation_accept(
                raw_token=token,
                user=request.user if signed_in else None,
                **(form.cleaned_data if form else {}),
            )
        except ServiceError as exc:
            if form is None or exc.status != 400:
                return error_page(request, exc, title=_("Invitation"))
            add_service_error(form, exc)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("You joined %(school)s as %(role)s.")
                % {"school": invitation.school.name, "role": invitation.get_role_display()},
            )
            return redirect("dashboard")
    return render(
        request,
        "lms/invitation_accept.html",
        {"invitation": invitation, "form": form, "account_exists": account_exists},
    )
