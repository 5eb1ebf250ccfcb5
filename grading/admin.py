from django.contrib import admin

from .models import Assignment, Extension, Submission, SubmissionFile


class ExtensionInline(admin.TabularInline):
    model = Extension
    extra = 0
    raw_id_fields = ["student", "granted_by"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "status", "due_at", "late_cutoff", "max_attempts"]
    list_filter = ["status", "submission_type", "course__school"]
    search_fields = ["title", "course__code", "course__title"]
    raw_id_fields = ["course", "created_by"]
    date_hierarchy = "due_at"
    inlines = [ExtensionInline]


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    extra = 0
    raw_id_fields = ["file"]
    # What was handed in is evidence: shown, never edited here.
    readonly_fields = ["file", "position", "name", "size", "content_type", "sha256"]
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["assignment", "student", "attempt", "state", "submitted_at", "seconds_late"]
    list_filter = ["state", "assignment__course__school"]
    search_fields = ["student__email", "student__full_name", "assignment__title"]
    raw_id_fields = ["assignment", "student"]
    readonly_fields = [
        "attempt",
        "state",
        "submitted_at",
        "due_at",
        "seconds_late",
        "penalty_percent",
        "client_key",
    ]
    inlines = [SubmissionFileInline]
