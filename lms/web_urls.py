from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import PlainTextPasswordResetForm, RevokingSetPasswordForm
from .views import auth, pages, people

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PlainTextPasswordResetForm,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=RevokingSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/", pages.account, name="account"),
    path("notifications/", pages.notifications, name="notifications"),
    path("account/tokens/", pages.tokens, name="tokens"),
    path("account/tokens/<id:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    path("language/", auth.language_switch, name="language_switch"),
    path("schools/<slug:slug>/join/", auth.signup, name="signup"),
    path("signup/confirm/<str:token>/", auth.signup_confirm, name="signup_confirm"),
    path("invite/<str:token>/", auth.invitation_accept, name="invitation_accept"),
    path("schools/<slug:slug>/people/", people.school_people, name="school_people"),
    path("schools/<slug:slug>/people/invite/", people.invite_many, name="school_invite_many"),
    path(
        "schools/<slug:slug>/people/<id:user_id>/roles/",
        people.person_roles,
        name="school_person_roles",
    ),
    path(
        "schools/<slug:slug>/people/<id:user_id>/active/",
        people.person_active,
        name="school_person_active",
    ),
    path(
        "schools/<slug:slug>/invitations/<id:pk>/revoke/",
        people.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "schools/<slug:slug>/invitations/<id:pk>/resend/",
        people.invitation_resend,
        name="invitation_resend",
    ),
]
