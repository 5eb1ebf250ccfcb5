import zoneinfo
from datetime import datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.models import TIME_ZONE_CHOICES

from .models import Weekday


class _DateInput(forms.DateInput):
    input_type = "date"


class _TimeInput(forms.TimeInput):
    input_type = "time"


class SeriesForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("lesson", "Title"), max_length=200, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "weekday-choice"}),
    )
    start_time = forms.TimeField(label=_("Start time"), widget=_TimeInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=90)
    first_date = forms.DateField(label=_("First date"), widget=_DateInput())
    last_date = forms.DateField(label=_("Last date"), widget=_DateInput())
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    confirm_overlap = forms.BooleanField(
        label=_("Schedule it even though it overlaps another lesson"), required=False
    )


class SeriesEditForm(SeriesForm):
    from_date = forms.DateField(
        label=_("Apply the change from"),
        widget=_DateInput(),
        help_text=_("Lessons before this date, and lessons moved or cancelled, stay as they are."),
    )
    first_date = None

    field_order = ["from_date", "title", "weekdays", "start_time", "duration_minutes"]


class SessionForm(forms.Form):
    """A one-off lesson, or the new time of a moved lesson, on the course's wall clock."""

    title = forms.CharField(label=pgettext_lazy("lesson", "Title"), max_length=200, required=False)
    date = forms.DateField(label=_("Date"), widget=_DateInput())
    start_time = forms.TimeField(label=_("Start time"), widget=_TimeInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=90)
    confirm_overlap = forms.BooleanField(
        label=_("Schedule it even though it overlaps another lesson"), required=False
    )

    def interval(self, time_zone: str) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        local = datetime.combine(data["date"], data["start_time"], zoneinfo.ZoneInfo(time_zone))
        minutes = data.get("duration_minutes") or 0
        return local, local + timedelta(minutes=minutes)


class MoveForm(SessionForm):
    title = None


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ReminderForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("E-mail me before each live lesson"), required=False)
