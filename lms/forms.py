from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from .models import TIME_ZONE_CHOICES, Role


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "The e-mail address and password do not match. Check both and try again; "
            "after several failed attempts, signing in is paused for a while."
        ),
        "inactive": _("This account is disabled. Ask your school administrator."),
    }


class ResetForm(PasswordResetForm):
    """Django's form says "Email", which its Vietnamese catalogue leaves untranslated."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("School e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )


class InvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        help_text=_("Used to greet them in the e-mail."),
    )
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("Any address works, Gmail too.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STUDENT)


class InvitationBatchForm(forms.Form):
    text = forms.CharField(
        label=_("People, one per line"),
        max_length=100_000,
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "placeholder": "Nguyễn Văn An <an@gmail.com>\nTrần Thị Bình, binh@truong.edu.vn",
            }
        ),
        help_text=_(
            "Name and e-mail address on each line: “Name <address>”, “Name, address”, or two "
            "columns pasted from a spreadsheet. Any address works, Gmail too."
        ),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STUDENT)


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AccountForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use it, for example “grade export script”."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        choices=[
            ("30", _("30 days")),
            ("90", _("90 days")),
            ("365", _("one year")),
            ("", _("never (until revoked)")),
        ],
        coerce=int,
        empty_value=None,
        initial="90",
        required=False,
    )


class PlainTextPasswordResetForm(ResetForm):
    """The reset e-mail is plain text: rendered without HTML escaping."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from django.core.mail import EmailMultiAlternatives

        from .mail import render_text

        subject = " ".join(render_text(subject_template_name, context).split())
        body = render_text(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()


class RevokingSetPasswordForm(SetPasswordForm):
    """A new password (after a reset) also revokes the account's API tokens."""

    def save(self, commit=True):
        from .services import api_tokens_revoke_all

        user = super().save(commit=commit)
        if commit:
            api_tokens_revoke_all(user=user)
        return user
