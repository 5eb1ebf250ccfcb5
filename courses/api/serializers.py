from django.utils import timezone
from rest_framework import serializers

from courses.models import Course, Enrollment, PendingEnrollment
from courses.roster import Verdict

WRITABLE_STATUSES = [
    (Course.Status.DRAFT, Course.Status.DRAFT.label),
    (Course.Status.ACTIVE, Course.Status.ACTIVE.label),
]


class CourseSerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    my_role = serializers.CharField(
        read_only=True,
        help_text="Your role: teacher, assistant, student, or admin (the school's administrator).",
    )
    student_count = serializers.IntegerField(read_only=True)
    staff_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "school",
            "code",
            "title",
            "description",
            "term_start",
            "term_end",
            "status",
            "in_catalogue",
            "time_zone",
            "my_role",
            "student_count",
            "staff_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SchoolCourseSerializer(CourseSerializer):
    class Meta(CourseSerializer.Meta):
        fields = [f for f in CourseSerializer.Meta.fields if f != "my_role"]
        read_only_fields = fields


class CourseWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    term_start = serializers.DateField(required=False, allow_null=True)
    term_end = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=WRITABLE_STATUSES,
        required=False,
        help_text="draft or active; archive with the archive action.",
    )
    in_catalogue = serializers.BooleanField(required=False)
    time_zone = serializers.CharField(required=False, allow_blank=True, max_length=64)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()


class EnrollmentSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "user", "role", "status", "enrolled_at", "dropped_at"]
        read_only_fields = fields


class EnrollmentCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="A member of the course's school.")
    role = serializers.ChoiceField(choices=Enrollment.Role.choices, default=Enrollment.Role.STUDENT)


class PendingEnrollmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PendingEnrollment
        fields = ["id", "email", "full_name", "role", "created_at"]
        read_only_fields = fields


class JoinCodeSerializer(serializers.Serializer):
    code = serializers.CharField(source="join_code", allow_null=True)
    enabled = serializers.BooleanField(source="join_code_enabled")
    expires_at = serializers.DateTimeField(source="join_code_expires_at", allow_null=True)
    usable = serializers.SerializerMethodField(
        help_text="True when a student may join with the code now."
    )

    def get_usable(self, course) -> bool:
        expired = course.join_code_expires_at and course.join_code_expires_at <= timezone.now()
        return bool(
            course.join_code
            and course.join_code_enabled
            and not expired
            and course.status == Course.Status.ACTIVE
        )


class JoinCodeUpdateSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="null removes the expiry."
    )


class JoinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)


class JoinedSerializer(serializers.Serializer):
    course = CourseSerializer()
    enrollment = EnrollmentSerializer()


class RosterUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV, UTF-8 (a BOM is fine), columns email, full_name, role; at most 2 MB."
    )


class RosterApplySerializer(serializers.Serializer):
    import_id = serializers.IntegerField(
        required=False, help_text="The id a preview returned. Give this or a file."
    )
    file = serializers.FileField(required=False)

    def validate(self, data):
        if not data.get("import_id") and not data.get("file"):
            raise serializers.ValidationError("Send the import_id of a preview, or a file.")
        return data


class RosterRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    email = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.CharField(help_text="student, teacher or assistant; as written if unknown.")
    role_label = serializers.CharField(help_text="The role in the reader's language.")
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    verdict_label = serializers.CharField()
    message = serializers.CharField()


class RosterSummarySerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    new = serializers.IntegerField()
    invite = serializers.IntegerField()
    existing = serializers.IntegerField()
    already = serializers.IntegerField()
    error = serializers.IntegerField()
    changes = serializers.IntegerField(help_text="Rows that will enrol or invite someone.")
    refused = serializers.IntegerField(help_text="Rows with errors, skipped.")


class RosterPreviewSerializer(serializers.Serializer):
    import_id = serializers.IntegerField()
    summary = RosterSummarySerializer()
    rows = RosterRowSerializer(many=True)


class RosterResultSerializer(RosterSummarySerializer):
    import_id = serializers.IntegerField()
    enrolled = serializers.IntegerField(help_text="Enrolments created, reactivated or changed.")
    invited = serializers.IntegerField(help_text="People promised an enrolment on acceptance.")
    invitations_sent = serializers.IntegerField()
