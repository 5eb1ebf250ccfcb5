from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AttendancePolicy, MarkStatus


class OverrideForm(forms.Form):
    status = forms.ChoiceField(label=_("Mark"), choices=MarkStatus.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DisputeForm(forms.Form):
    message = forms.CharField(
        label=_("Why is this mark wrong?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requested_status = forms.ChoiceField(
        label=_("The mark you ask for"),
        choices=[("", "—"), *MarkStatus.choices],
        required=False,
    )


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept and change the mark")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(
        label=_("New mark (when accepting)"),
        choices=[("", "—"), *MarkStatus.choices],
        required=False,
    )
    reply = forms.CharField(
        label=_("Reply to the student"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = AttendancePolicy
        fields = [
            "on_time_minutes",
            "present_percent",
            "partial_percent",
            "grace_minutes",
            "count_client_evidence",
            "random_checks",
            "check_seconds",
            "gradebook_column",
        ]
