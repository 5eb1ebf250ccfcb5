from django.contrib import admin

from .models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "school", "purpose", "size", "state", "created_at"]
    list_filter = ["state", "purpose", "school"]
    search_fields = ["name", "owner__email", "owner__full_name", "sha256"]
    list_select_related = ["owner", "school"]
    raw_id_fields = ["owner"]
    date_hierarchy = "created_at"
    # Bytes and their checks come from storage; editing them here would break that trust.
    readonly_fields = [
        "key",
        "size",
        "declared_type",
        "content_type",
        "sha256",
        "state",
        "reason",
        "created_at",
        "verified_at",
    ]
