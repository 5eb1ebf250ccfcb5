from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import services
from ..models import LiveSeries, LiveSession, Weekday


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "18:00",
        "description": "Wall-clock time in the series' time zone (no offset: it follows the "
        "zone's daylight saving).",
    }
)
class WallClockTimeField(serializers.TimeField):
    """A local time of day. OpenAPI's `format: time` (RFC 3339) requires an offset, which a
    recurring lesson's start does not have, so the schema says exactly what is sent."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class LiveSeriesSerializer(serializers.ModelSerializer):
    weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=Weekday.choices),
        help_text="Days of the week, 0 = Monday … 6 = Sunday.",
    )
    start_time = WallClockTimeField(read_only=True)

    class Meta:
        model = LiveSeries
        fields = [
            "id",
            "course",
            "title",
            "weekdays",
            "start_time",
            "duration_minutes",
            "first_date",
            "last_date",
            "time_zone",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LiveSeriesCreateSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    weekdays = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=True, help_text="0 = Monday … 6 = Sunday."
    )
    start_time = WallClockTimeField()
    duration_minutes = serializers.IntegerField()
    first_date = serializers.DateField()
    last_date = serializers.DateField()
    time_zone = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="", help_text="Default: course's."
    )
    confirm_overlap = serializers.BooleanField(
        default=False, help_text="Create it even if it overlaps other lessons of the course."
    )


class LiveSeriesUpdateSerializer(serializers.Serializer):
    from_date = serializers.DateField(help_text="The change applies to lessons from this date on.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    weekdays = serializers.ListField(child=serializers.IntegerField(), required=False)
    start_time = WallClockTimeField(required=False)
    duration_minutes = serializers.IntegerField(required=False)
    last_date = serializers.DateField(required=False)
    time_zone = serializers.CharField(max_length=64, required=False)
    confirm_overlap = serializers.BooleanField(default=False)


class LiveSessionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="display_title", read_only=True)
    course_code = serializers.CharField(source="course.code", read_only=True)
    join_opens_at = serializers.SerializerMethodField()
    is_moved = serializers.BooleanField(read_only=True)

    class Meta:
        model = LiveSession
        fields = [
            "id",
            "course",
            "course_code",
            "series",
            "title",
            "starts_at",
            "ends_at",
            "status",
            "join_opens_at",
            "is_moved",
            "original_starts_at",
            "cancel_reason",
            "started_at",
            "ended_at",
        ]
        read_only_fields = fields

    def get_join_opens_at(self, session) -> str:
        return serializers.DateTimeField().to_representation(services.opens_at(session))


class LiveSessionCreateSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    confirm_overlap = serializers.BooleanField(default=False)


class LiveSessionMoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(
        required=False, help_text="Default: the new start plus the lesson's duration."
    )
    confirm_overlap = serializers.BooleanField(default=False)


class LiveSessionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class JoinSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    mode = serializers.ChoiceField(choices=["public", "selfhosted", "jaas"])
    domain = serializers.CharField()
    room = serializers.CharField(help_text="The bare room name, as in the token's room claim.")
    room_path = serializers.CharField(help_text="The IFrame API roomName (JaaS: appId/room).")
    jwt = serializers.CharField(allow_null=True, help_text="Null when no Jitsi credentials.")
    external_api_url = serializers.CharField()
    display_name = serializers.CharField()
    email = serializers.CharField()
    language = serializers.CharField()
    role = serializers.CharField()
    moderator = serializers.BooleanField()
    observer = serializers.BooleanField()
    ends_at = serializers.DateTimeField()
    config_overwrite = serializers.DictField()
    interface_config_overwrite = serializers.DictField()
    low_bandwidth_overwrite = serializers.DictField()


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Private: anyone with it sees your lesson times.")
    created_at = serializers.DateTimeField()
    rotated_at = serializers.DateTimeField(allow_null=True)


class ReminderPreferenceSerializer(serializers.Serializer):
    email_enabled = serializers.BooleanField()
