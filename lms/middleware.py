import zoneinfo

from django.conf import settings
from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Use the signed-in user's language and time zone.

    An explicit choice in the language cookie (the switcher) wins for this browser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_user_preferences(request, user)
        else:
            timezone.deactivate()
        return self.get_response(request)


def activate_user_preferences(request, user) -> None:
    """Also called by API token authentication, which identifies the user after middleware.

    Language, strongest first: this browser's switcher cookie, the account's explicit choice,
    then whatever LocaleMiddleware read from the browser (Accept-Language).
    """
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and user.language_chosen:
        translation.activate(user.preferred_language)
        request.LANGUAGE_CODE = user.preferred_language
    try:
        timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


class ServiceErrorMiddleware:
    """A service's refusal that a page did not handle becomes a 4xx page, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .errors import NotFound, ServiceError
        from .views.helpers import error_page

        if isinstance(exception, ServiceError) and not isinstance(exception, NotFound):
            return error_page(request, exception)
        return None
