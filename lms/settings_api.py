"""Settings of the API: Django REST Framework and the OpenAPI schema (imported by settings)."""

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lms.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "lms.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lms.api.errors.exception_handler",
    "DEFAULT_FILTER_BACKENDS": [],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lophoc API",
    "DESCRIPTION": "Courses, live lessons, attendance and grading for online schools.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["lms.api.schema.only_lophoc_api"],
    # Several models have a "role" or "status"; name each choice set after its owner.
    "ENUM_NAME_OVERRIDES": {
        "SchoolRoleEnum": "lms.models.Role",
        "CourseRoleEnum": "courses.models.Enrollment.Role",
        "EnrollmentStatusEnum": "courses.models.Enrollment.Status",
        "CourseStatusEnum": "courses.models.Course.Status",
        "LiveSessionStatusEnum": "classrooms.models.LiveSession.Status",
        "MarkStatusEnum": "attendance.models.MarkStatus",
        "DisputeStatusEnum": "attendance.models.Dispute.Status",
        "PresenceSourceEnum": "attendance.models.Source",
        "ProgressSourceEnum": ["api", "read", "button"],
    },
    # Ids in URLs are at most 18 digits (lms.converters).
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    # Swagger UI is served from our own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
