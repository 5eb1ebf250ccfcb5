from django.contrib import admin

from .models import Course, Enrollment, EnrollmentChange, PendingEnrollment, RosterImport


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["enrolled_at", "dropped_at"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "school", "status", "in_catalogue", "term_start", "term_end"]
    list_filter = ["status", "in_catalogue", "school"]
    search_fields = ["code", "title"]
    readonly_fields = ["join_code", "created_at", "updated_at"]
    inlines = [EnrollmentInline]


class EnrollmentChangeInline(admin.TabularInline):
    model = EnrollmentChange
    extra = 0
    can_delete = False
    readonly_fields = ["action", "role", "source", "changed_by", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "role", "status", "enrolled_at", "dropped_at"]
    list_filter = ["role", "status", "course__school"]
    search_fields = ["user__email", "user__full_name", "course__code", "course__title"]
    raw_id_fields = ["user", "course"]
    list_select_related = ["user", "course"]
    inlines = [EnrollmentChangeInline]


@admin.register(PendingEnrollment)
class PendingEnrollmentAdmin(admin.ModelAdmin):
    list_display = ["email", "course", "role", "created_at", "fulfilled_at"]
    list_filter = ["role"]
    search_fields = ["email", "course__code"]
    raw_id_fields = ["course", "invited_by", "enrollment"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["course", "filename", "uploaded_by", "created_at", "applied_at"]
    raw_id_fields = ["course", "uploaded_by"]
    readonly_fields = ["summary", "created_at", "applied_at"]
