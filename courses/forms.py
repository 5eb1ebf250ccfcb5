from django import forms
from django.utils.translation import gettext_lazy as _

from lms.models import TIME_ZONE_CHOICES

from .models import Course, Enrollment

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CourseForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Short and unique in the school, e.g. TOAN-10A."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    term_start = forms.DateField(label=_("Term starts"), required=False, widget=DateInput())
    term_end = forms.DateField(label=_("Term ends"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Course.Status.DRAFT, _("Draft: only staff see it")),
            (Course.Status.ACTIVE, _("Active: students can join")),
        ],
        initial=Course.Status.DRAFT,
    )
    in_catalogue = forms.BooleanField(
        label=_("Show the course overview in the school catalogue"), required=False
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=[("", _("The school's time zone"))] + TIME_ZONE_CHOICES,
    )

    @classmethod
    def initial_for(cls, course: Course) -> dict:
        return {name: getattr(course, name) for name in cls.base_fields}


class AddPersonForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Enrollment.Role.choices, initial=Enrollment.Role.STUDENT
    )


class JoinCodeExpiryForm(forms.Form):
    expires_at = forms.DateTimeField(
        label=_("Code expires"),
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("Leave empty for no expiry."),
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (CSV)"),
        help_text=_(
            "The first row names the columns: email, full_name and role, or in Vietnamese "
            "“email”, “họ tên” (or “họ và tên”) and “vai trò”. Roles: student, teacher or "
            "assistant, or “học sinh”, “giáo viên”, “trợ giảng”; empty means student. "
            "Any e-mail address works, Gmail too. CSV in UTF-8, at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Course code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
        help_text=_("Your teacher gives it out, for example K7Q-4MZP."),
    )
