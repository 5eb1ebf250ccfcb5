def only_lophoc_api(endpoints):
    """Keep the public API in the schema; Wagtail's internal admin API is not part of it."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
