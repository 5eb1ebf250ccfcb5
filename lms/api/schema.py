from drf_spectacular.extensions import OpenApiAuthenticationExtension


def only_lophoc_api(endpoints):
    """Keep the public API in the schema; Wagtail's internal admin API is not part of it."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "lms.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token created under Account → API tokens.",
        }
