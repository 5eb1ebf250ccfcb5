from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Assignment
from .services.assignments import EDITABLE


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AssignmentForm(forms.ModelForm):
    allowed_extensions = forms.CharField(
        label=_("allowed file types"),
        required=False,
        help_text=_("Separated by commas, e.g. pdf, docx, jpg. Empty: any type."),
    )

    class Meta:
        model = Assignment
        fields = list(EDITABLE)
        widgets = {
            "available_from": LocalDateTimeInput(),
            "due_at": LocalDateTimeInput(),
            "late_cutoff": LocalDateTimeInput(),
            "instructions": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["allowed_extensions"] = ", ".join(self.instance.allowed_extensions)


class ExtensionForm(forms.Form):
    due_at = forms.DateTimeField(label=_("new due time"), widget=LocalDateTimeInput())
    late_cutoff = forms.DateTimeField(
        label=_("late submissions until"), required=False, widget=LocalDateTimeInput()
    )
    reason = forms.CharField(label=_("reason"), max_length=500)
