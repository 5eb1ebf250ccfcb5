from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Assignment, Extension, Submission, SubmissionArchive
from ..services.assignments import EDITABLE

ASSIGNMENT_FIELDS = list(EDITABLE)  # what staff may set, as the service accepts it


class AssignmentSerializer(serializers.ModelSerializer):
    # Annotations present on lists; a freshly created assignment has none of them yet, and the
    # schema promises every key, so each reads as null where it was not computed.
    my_attempts = serializers.SerializerMethodField()
    my_due_at = serializers.SerializerMethodField()
    submitted_count = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_my_attempts(self, obj) -> int | None:
        return getattr(obj, "my_attempts", None)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_my_due_at(self, obj):
        value = getattr(obj, "my_due_at", None)
        return serializers.DateTimeField().to_representation(value) if value else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_submitted_count(self, obj) -> int | None:
        return getattr(obj, "submitted_count", None)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "course",
            *ASSIGNMENT_FIELDS,
            "status",
            "published_at",
            "created_at",
            "updated_at",
            "my_attempts",
            "my_due_at",
            "submitted_count",
        ]
        read_only_fields = fields


class AssignmentWriteSerializer(serializers.ModelSerializer):
    """What staff send to create (all required ones) or change (any subset) an assignment.

    The cross-field rules live in the service, which answers with the field at fault.
    """

    allowed_extensions = serializers.ListField(
        child=serializers.CharField(max_length=16), required=False, max_length=50
    )
    publish = serializers.BooleanField(
        required=False, default=False, help_text="Publish it at once (create only)."
    )

    class Meta:
        model = Assignment
        fields = [*ASSIGNMENT_FIELDS, "publish"]
        extra_kwargs = {"instructions": {"help_text": "HTML; unsafe markup is removed."}}


class SubmissionRosterRowSerializer(serializers.Serializer):
    student_id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    status = serializers.ChoiceField(choices=["missing", "draft", "submitted", "late"])
    attempts = serializers.IntegerField()
    last_attempt_id = serializers.IntegerField(allow_null=True)
    last_submitted_at = serializers.DateTimeField(allow_null=True)
    seconds_late = serializers.IntegerField()
    penalty_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    extension_due_at = serializers.DateTimeField(allow_null=True)
    extension_late_cutoff = serializers.DateTimeField(allow_null=True)
    extension_reason = serializers.CharField(allow_blank=True)


class ExtensionWriteSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField()
    late_cutoff = serializers.DateTimeField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=500)


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["assignment", "student", "due_at", "late_cutoff", "reason", "created_at"]
        read_only_fields = fields


class SubmittedFileSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="file_id")
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    content_type = serializers.CharField()


class DraftSerializer(serializers.ModelSerializer):
    files = SubmittedFileSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "text", "files", "updated_at"]
        read_only_fields = ["id", "updated_at"]


class DraftWriteSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="Omit to keep it."
    )
    files = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        max_length=50,
        help_text="Ids of your verified uploads, in order; omit to keep the draft's files.",
    )


class SubmitSerializer(serializers.Serializer):
    client_key = serializers.CharField(
        max_length=64,
        help_text="Chosen once per hand-in (e.g. a UUID); retries send the same key and get the "
        "same attempt back.",
    )
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Omit to hand in the saved draft's text.",
    )
    files = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        max_length=50,
        help_text="Ids of your verified uploads; omit to hand in the draft's files.",
    )


class UploadSlotRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=1000)
    size = serializers.IntegerField()
    content_type = serializers.CharField(max_length=255, required=False, allow_blank=True)


class SubmittedFileDownloadSerializer(serializers.Serializer):
    url = serializers.CharField()


class ReceiptFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    content_type = serializers.CharField()


class ReceiptSerializer(serializers.Serializer):
    attempt_id = serializers.IntegerField()
    attempt = serializers.IntegerField()
    assignment = serializers.CharField()
    assignment_id = serializers.IntegerField()
    course = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    seconds_late = serializers.IntegerField()
    penalty_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    text_length = serializers.IntegerField()
    files = ReceiptFileSerializer(many=True)


class AttemptSerializer(serializers.ModelSerializer):
    files = SubmittedFileSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "student",
            "attempt",
            "text",
            "submitted_at",
            "due_at",
            "seconds_late",
            "penalty_percent",
            "files",
        ]
        read_only_fields = fields


class SubmissionArchiveSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    download = serializers.SerializerMethodField(help_text="Short-lived link once ready.")

    class Meta:
        model = SubmissionArchive
        fields = ["id", "assignment", "state", "total", "done", "percent", "error", "download"]
        read_only_fields = fields

    def get_download(self, archive) -> str | None:
        if archive.state != SubmissionArchive.State.DONE or archive.file is None:
            return None
        from ..services.archives import archive_download_url

        return archive_download_url(archive=archive)
