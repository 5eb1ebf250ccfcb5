from django.contrib import admin

from .models import CalendarFeed, LiveSeries, LiveSession, ReminderPreference, ReminderSent


class LiveSessionInline(admin.TabularInline):
    model = LiveSession
    fields = ["starts_at", "ends_at", "status", "title"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(LiveSeries)
class LiveSeriesAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "course",
        "start_time",
        "duration_minutes",
        "first_date",
        "last_date",
    ]
    list_filter = ["time_zone"]
    search_fields = ["title", "course__code", "course__title"]
    raw_id_fields = ["course", "created_by"]
    inlines = [LiveSessionInline]


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    list_display = ["display_title", "course", "starts_at", "ends_at", "status"]
    list_filter = ["status"]
    search_fields = ["title", "course__code", "course__title"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["course", "series", "started_by", "ended_by", "moved_by", "cancelled_by"]
    readonly_fields = ["room_name", "series_date", "created_at", "updated_at"]
    list_select_related = ["course", "series"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "rotated_at", "last_used_at"]
    raw_id_fields = ["user"]
    exclude = ["key"]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled", "updated_at"]
    raw_id_fields = ["user"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["session", "user", "sent_at"]
    raw_id_fields = ["session", "user"]
