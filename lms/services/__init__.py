"""Every write about people, schools and roles.

A package so each concern has its own module; every name stays importable from `lms.services`,
which is where callers, tasks and tests look them up.
"""

from .accounts import (
    _check_password,
    _clean_email,
    membership_grant,
    school_create,
    user_create,
    user_language_follow_browser,
    user_update_preferences,
)
from .api_tokens import (
    TOKEN_LIFETIMES_DAYS,
    api_token_create,
    api_token_revoke,
    api_tokens_revoke_all,
)
from .invitations import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
    invitation_secret,
)
from .signup import signup_confirm, signup_request, signup_secret

__all__ = [
    "TOKEN_LIFETIMES_DAYS",
    "_check_password",
    "_clean_email",
    "api_token_create",
    "api_token_revoke",
    "api_tokens_revoke_all",
    "invitation_accept",
    "invitation_create",
    "invitation_for_token",
    "invitation_revoke",
    "invitation_secret",
    "membership_grant",
    "school_create",
    "signup_confirm",
    "signup_request",
    "signup_secret",
    "user_create",
    "user_language_follow_browser",
    "user_update_preferences",
]
