"""Every request body and response of the attendance API, so the OpenAPI schema describes it."""

from rest_framework import serializers

from ..models import Dispute, Flag, MarkChange, MarkStatus, PresenceEvent, Source

# --- requests ------------------------------------------------------------------------------------


class ClientEventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[PresenceEvent.Kind.JOINED, PresenceEvent.Kind.LEFT, PresenceEvent.Kind.HEARTBEAT]
    )
    connection = serializers.CharField(
        max_length=64, help_text="A random id of this browser tab, the same for its heartbeats."
    )
    user = serializers.IntegerField(
        required=False, help_text="Optional; if given it must be you. Nobody else can be reported."
    )
    video = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="False when the page is open but the video room did not load (or no video).",
    )


class OverrideSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MarkStatus.choices)
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class DisputeCreateSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=4000, allow_blank=True)
    requested_status = serializers.ChoiceField(
        choices=MarkStatus.choices, required=False, allow_blank=True, default=""
    )


class DisputeResolveSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reply = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(
        choices=MarkStatus.choices, required=False, allow_blank=True, default=""
    )


class PolicySerializer(serializers.Serializer):
    on_time_minutes = serializers.IntegerField(min_value=0, max_value=240, required=False)
    present_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    partial_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    grace_minutes = serializers.IntegerField(min_value=0, max_value=120, required=False)
    count_client_evidence = serializers.BooleanField(required=False)
    random_checks = serializers.IntegerField(min_value=0, max_value=10, required=False)
    check_seconds = serializers.IntegerField(min_value=10, max_value=600, required=False)
    gradebook_column = serializers.BooleanField(required=False)


# --- responses -----------------------------------------------------------------------------------


class PolicyOutSerializer(PolicySerializer):
    course = serializers.IntegerField(source="course_id")


class AttendancePersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="full_name")
    email = serializers.EmailField()


class ClientEventOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    at = serializers.DateTimeField(source="occurred_at")


class IntervalSerializer(serializers.Serializer):
    def get_fields(self):
        return {
            "from": serializers.DateTimeField(source="started_at"),
            "until": serializers.DateTimeField(source="ended_at"),
            "open": serializers.BooleanField(source="is_open"),
            "source": serializers.ChoiceField(choices=Source.choices),
            "connections": serializers.IntegerField(),
        }


class MarkSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    session = serializers.IntegerField(source="session_id")
    course = serializers.IntegerField(source="course_id")
    user = serializers.IntegerField(source="user_id")
    status = serializers.ChoiceField(choices=MarkStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    computed_status = serializers.ChoiceField(choices=MarkStatus.choices)
    override_status = serializers.SerializerMethodField()
    override_reason = serializers.CharField()
    overridden_by = serializers.IntegerField(source="overridden_by_id", allow_null=True)
    overridden_at = serializers.DateTimeField(allow_null=True)
    attended_seconds = serializers.IntegerField()
    scheduled_seconds = serializers.IntegerField()
    share = serializers.SerializerMethodField()
    first_join_at = serializers.DateTimeField(allow_null=True)
    last_leave_at = serializers.DateTimeField(allow_null=True)
    checks_asked = serializers.IntegerField()
    checks_answered = serializers.IntegerField()
    flags = serializers.ListField(child=serializers.ChoiceField(choices=Flag.choices))
    evidence_source = serializers.CharField()
    is_final = serializers.BooleanField()
    computed_at = serializers.DateTimeField()

    def get_override_status(self, mark) -> str | None:
        return mark.override_status or None

    def get_share(self, mark) -> float:
        return round(mark.share, 4)


class HistoryMarkSerializer(MarkSerializer):
    starts_at = serializers.DateTimeField(source="session.starts_at")


class ChangeSerializer(serializers.Serializer):
    def get_fields(self):
        return {
            "action": serializers.ChoiceField(choices=MarkChange.Action.choices),
            "from": serializers.CharField(source="from_status", allow_null=True),
            "to": serializers.CharField(source="to_status"),
            "reason": serializers.CharField(),
            "by": serializers.IntegerField(source="changed_by_id", allow_null=True),
            "at": serializers.DateTimeField(source="changed_at"),
        }


class DisputeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    mark = serializers.IntegerField(source="mark_id")
    student = serializers.IntegerField(source="student_id")
    message = serializers.CharField()
    requested_status = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Dispute.Status.choices)
    reply = serializers.CharField()
    resolved_by = serializers.IntegerField(source="resolved_by_id", allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_requested_status(self, dispute) -> str | None:
        return dispute.requested_status or None


class CheckAnswerSerializer(serializers.Serializer):
    asked_at = serializers.DateTimeField(source="check_run.asked_at", allow_null=True)
    deadline_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)


class MarkDetailSerializer(MarkSerializer):
    intervals = IntervalSerializer(many=True)
    checks = CheckAnswerSerializer(many=True, source="prompts")
    history = ChangeSerializer(many=True, source="changes")
    disputes = DisputeSerializer(many=True)


class PromptSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    deadline_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)


class PromptEnvelopeSerializer(serializers.Serializer):
    prompt = PromptSerializer(allow_null=True)


class CheckAskOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    asked_at = serializers.DateTimeField()
    deadline_at = serializers.DateTimeField()
    prompts = serializers.IntegerField(source="prompt_count")


class LiveRosterRowSerializer(serializers.Serializer):
    user = AttendancePersonSerializer()
    in_now = serializers.BooleanField()
    without_video = serializers.BooleanField(
        help_text="The live page reports them in the lesson; the video server does not."
    )
    since = serializers.DateTimeField(allow_null=True)
    first_join = serializers.DateTimeField(allow_null=True)
    seconds = serializers.IntegerField()
    checks_asked = serializers.IntegerField(source="prompts")
    checks_answered = serializers.IntegerField(source="answered")


class RunningCheckSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    deadline_at = serializers.DateTimeField()
    asked = serializers.IntegerField()
    answered = serializers.IntegerField()


class LiveRosterSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    in_now = LiveRosterRowSerializer(many=True)
    without_video = LiveRosterRowSerializer(many=True)
    left = LiveRosterRowSerializer(many=True)
    not_come = LiveRosterRowSerializer(many=True)
    check = RunningCheckSerializer(allow_null=True)


class SessionBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField(source="display_title")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.CharField()


class LessonRowSerializer(serializers.Serializer):
    user = AttendancePersonSerializer()
    mark = MarkSerializer(allow_null=True)
    intervals = IntervalSerializer(many=True)
    open_dispute = serializers.BooleanField()


class LessonReportSerializer(serializers.Serializer):
    session = SessionBriefSerializer()
    rows = LessonRowSerializer(many=True)


class ComputeOutSerializer(serializers.Serializer):
    marks = serializers.IntegerField()
    final = serializers.BooleanField()


class RegisterSerializer(serializers.Serializer):
    session = serializers.IntegerField(source="session_id")
    final_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    confirmed_by = serializers.IntegerField(source="confirmed_by_id", allow_null=True)
    alerts_sent_at = serializers.DateTimeField(allow_null=True)


class MatrixSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    rate = serializers.FloatField(allow_null=True)


class MatrixRowSerializer(serializers.Serializer):
    user = AttendancePersonSerializer()
    marks = serializers.ListField(
        child=serializers.ChoiceField(choices=MarkStatus.choices, allow_null=True),
        help_text="One mark per lesson, in the order of `sessions` (null: no mark).",
    )
    rate = serializers.FloatField(allow_null=True)


class MatrixSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    sessions = MatrixSessionSerializer(many=True)
    rows = MatrixRowSerializer(many=True)


class HistorySerializer(serializers.Serializer):
    student = AttendancePersonSerializer()
    rate = serializers.FloatField(allow_null=True)
    counted = serializers.IntegerField()
    marks = HistoryMarkSerializer(many=True)


class SchoolCourseRateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    counted = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class SchoolWeekSerializer(serializers.Serializer):
    week = serializers.DateField()
    counted = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class SchoolUnderSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    counted = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    alert_waits_for = serializers.IntegerField(
        help_text="Lessons still needed before a chronic-absence alert can go out."
    )


class SchoolReportSerializer(serializers.Serializer):
    school = serializers.CharField()
    threshold = serializers.IntegerField()
    window_weeks = serializers.IntegerField()
    courses = SchoolCourseRateSerializer(many=True)
    weeks = SchoolWeekSerializer(many=True)
    under_threshold = SchoolUnderSerializer(many=True)


class UnmatchedEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    source = serializers.ChoiceField(choices=Source.choices)
    kind = serializers.ChoiceField(choices=PresenceEvent.Kind.choices)
    reason = serializers.CharField(source="unmatched")
    room_name = serializers.CharField()
    session = serializers.IntegerField(source="session_id", allow_null=True)
    occupant_id = serializers.CharField()
    display_name = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField()


def rate(value) -> float | None:
    return None if value is None else round(value, 4)
