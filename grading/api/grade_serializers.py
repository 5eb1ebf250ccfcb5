from rest_framework import serializers

from ..models import Criterion, Grade, GradeChange, Level, RegradeRequest, Rubric


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["id", "points", "description"]


class CriterionSerializer(serializers.ModelSerializer):
    levels = LevelSerializer(many=True)

    class Meta:
        model = Criterion
        fields = ["id", "title", "description", "levels"]


class RubricSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True)
    max_points = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)

    class Meta:
        model = Rubric
        fields = ["id", "title", "criteria", "max_points"]


class LevelInput(serializers.Serializer):
    points = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    description = serializers.CharField(max_length=500, allow_blank=True, required=False)


class CriterionInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False)
    levels = LevelInput(many=True)


class RubricInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    criteria = CriterionInput(many=True)


class RubricPatch(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    criteria = CriterionInput(many=True, required=False)


class SelectionSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    level = serializers.IntegerField(allow_null=True, required=False)
    points = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, required=False, read_only=True
    )
    comment = serializers.CharField(allow_blank=True, required=False, max_length=2000)


class GradeChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.CharField(source="changed_by.full_name", default="", read_only=True)

    class Meta:
        model = GradeChange
        fields = [
            "action",
            "old_score",
            "new_score",
            "old_excused",
            "new_excused",
            "reason",
            "changed_by",
            "changed_at",
        ]


class GradeSerializer(serializers.ModelSerializer):
    """A grade as staff see it, draft or released."""

    rubric_selections = SelectionSerializer(many=True)
    penalty_applied = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)

    class Meta:
        model = Grade
        fields = [
            "id",
            "assignment",
            "student",
            "submission",
            "raw_score",
            "penalty_percent",
            "late_penalty",
            "penalty_override",
            "penalty_override_reason",
            "penalty_applied",
            "score",
            "excused",
            "rubric",
            "rubric_selections",
            "comment",
            "feedback_files",
            "version",
            "graded_at",
            "release_at",
            "released_at",
        ]


class GradeDetailSerializer(GradeSerializer):
    history = GradeChangeSerializer(many=True, source="changes")

    class Meta(GradeSerializer.Meta):
        fields = [*GradeSerializer.Meta.fields, "history"]


class GradeInput(serializers.Serializer):
    version = serializers.IntegerField(allow_null=True, min_value=0)
    score = serializers.CharField(allow_null=True, allow_blank=True, required=False)
    rubric_selections = SelectionSerializer(many=True, required=False)
    comment = serializers.CharField(allow_blank=True, required=False, max_length=20000)
    excused = serializers.BooleanField(required=False)
    penalty_override = serializers.CharField(allow_null=True, allow_blank=True, required=False)
    penalty_override_reason = serializers.CharField(
        allow_blank=True, required=False, max_length=500
    )
    feedback_files = serializers.ListField(child=serializers.IntegerField(), required=False)
    reason = serializers.CharField(allow_blank=True, required=False, max_length=500)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    fields = serializers.DictField()
    current = GradeSerializer()
    yours = serializers.DictField()


class QueueEntrySerializer(serializers.Serializer):
    student_id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.CharField()
    submission_id = serializers.IntegerField(source="submission.pk", allow_null=True, default=None)
    attempt = serializers.IntegerField(source="submission.attempt", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField(
        source="submission.submitted_at", allow_null=True, default=None
    )
    late = serializers.BooleanField(source="submission.is_late", default=False)
    needs_grading = serializers.BooleanField()
    grade = GradeSerializer(allow_null=True)


class GradingOptionsSerializer(serializers.Serializer):
    rubric = serializers.IntegerField(allow_null=True, required=False, source="rubric_id")
    extra_credit = serializers.BooleanField(required=False)
    release_at = serializers.DateTimeField(allow_null=True, read_only=True)


class ReleaseInput(serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True)


class ReleaseResult(serializers.Serializer):
    released = serializers.IntegerField()
    scheduled = serializers.IntegerField()
    release_at = serializers.DateTimeField(allow_null=True)


class CellSerializer(serializers.Serializer):
    """One student × assignment, in the order of `columns` (dropped items are listed in the
    row's total)."""

    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    excused = serializers.BooleanField()
    released = serializers.BooleanField()
    version = serializers.IntegerField()
    submitted = serializers.BooleanField()
    late = serializers.BooleanField()
    missing = serializers.BooleanField()


class TotalSerializer(serializers.Serializer):
    percent = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    ten = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    dropped = serializers.ListField(child=serializers.IntegerField())


class RowSerializer(serializers.Serializer):
    student_id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.CharField()
    cells = CellSerializer(many=True)
    total = TotalSerializer()
    display = serializers.CharField()
    attendance_rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)


class ColumnSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    category = serializers.CharField()
    due_at = serializers.DateTimeField()
    released = serializers.IntegerField()


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=64)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    drop_lowest = serializers.IntegerField(min_value=0, max_value=50, default=0)


class GradebookSettingsSerializer(serializers.Serializer):
    weighting = serializers.ChoiceField(choices=["coefficients", "categories"])
    scale = serializers.ChoiceField(choices=["ten", "percent", "letter"])
    missing_counts_zero = serializers.BooleanField()
    attendance_weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    categories = CategorySerializer(many=True)


class GradebookSerializer(serializers.Serializer):
    course = serializers.IntegerField(source="course.pk")
    settings = GradebookSettingsSerializer()
    attendance_column = serializers.BooleanField()
    columns = ColumnSerializer(many=True)
    rows = RowSerializer(many=True)


class StudentGradeSerializer(serializers.ModelSerializer):
    """A released grade as its student reads it."""

    assignment_title = serializers.CharField(source="assignment.title")
    course = serializers.IntegerField(source="assignment.course_id")
    points = serializers.DecimalField(source="assignment.points", max_digits=6, decimal_places=2)
    rubric_selections = SelectionSerializer(many=True)
    penalty_applied = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)
    regrade_status = serializers.SerializerMethodField()

    class Meta:
        model = Grade
        fields = [
            "id",
            "assignment",
            "assignment_title",
            "course",
            "points",
            "raw_score",
            "penalty_applied",
            "penalty_override_reason",
            "score",
            "excused",
            "rubric",
            "rubric_selections",
            "comment",
            "feedback_files",
            "released_at",
            "regrade_status",
        ]

    def get_regrade_status(self, grade) -> str | None:
        requests = list(grade.regrade_requests.all())
        return requests[0].status if requests else None


class MyCourseGradesSerializer(serializers.Serializer):
    total = TotalSerializer()
    display = serializers.CharField()
    grades = StudentGradeSerializer(many=True)


class RegradeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class RegradeSerializer(serializers.ModelSerializer):
    assignment_title = serializers.CharField(source="grade.assignment.title", read_only=True)
    student_name = serializers.CharField(source="student.full_name", read_only=True)

    class Meta:
        model = RegradeRequest
        fields = [
            "id",
            "grade",
            "assignment_title",
            "student",
            "student_name",
            "reason",
            "status",
            "answer",
            "answered_at",
            "created_at",
        ]


class RegradeAnswerInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=["accepted", "declined"])
    answer = serializers.CharField(max_length=5000)
    score = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    version = serializers.IntegerField(required=False, allow_null=True)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ImportChangeSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    title = serializers.CharField()
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)
    excused = serializers.BooleanField()


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    email = serializers.CharField()
    verdict = serializers.ChoiceField(choices=["change", "unchanged", "error"])
    message = serializers.CharField()
    changes = ImportChangeSerializer(many=True)


class ImportSummarySerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    change = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error = serializers.IntegerField()
    scores = serializers.IntegerField()


class ImportResultSerializer(serializers.Serializer):
    summary = ImportSummarySerializer()
    rows = ImportRowSerializer(many=True)


class ToGradeSerializer(serializers.Serializer):
    assignment_id = serializers.IntegerField()
    assignment__title = serializers.CharField()
    assignment__course__title = serializers.CharField()
    n = serializers.IntegerField()


class FeedbackDownloadSerializer(serializers.Serializer):
    url = serializers.CharField()
