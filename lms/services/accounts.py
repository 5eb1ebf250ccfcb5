"""Schools, accounts and school roles: the writes every other lms service builds on."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import hooks
from ..errors import Conflict, ServiceError
from ..models import Membership, Role, School, User
from ..validators import clean_line


def _clean_email(email: str, *, field: str = "email") -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError(_("Enter a valid e-mail address."), field=field) from None
    return email


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), code="weak_password", field="password") from None


@transaction.atomic
def school_create(
    *,
    name: str,
    slug: str,
    allowed_email_domains: list[str] | None = None,
    time_zone: str = settings.TIME_ZONE,
    default_language: str = "vi",
) -> School:
    if School.objects.filter(slug=slug).exists():
        raise Conflict(_("A school with this short name already exists."), field="slug")
    school = School(
        name=name,
        slug=slug,
        allowed_email_domains=[d.strip().lower() for d in allowed_email_domains or [] if d],
        time_zone=time_zone,
        default_language=default_language,
    )
    school.full_clean()
    school.save()
    hooks.run("school_created", school=school)
    return school


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None,
    preferred_language: str = "vi",
    time_zone: str = settings.TIME_ZONE,
    validate: bool = True,
) -> User:
    email = _clean_email(email)
    full_name = clean_line(full_name, field="full_name")
    if not full_name:
        raise ServiceError(_("Enter your full name."), field="full_name")
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    user = User(
        email=email,
        full_name=full_name,
        preferred_language=preferred_language,
        time_zone=time_zone,
    )
    if password is not None and validate:
        _check_password(password, user)
    user.set_password(password)
    try:
        user.save()
    except IntegrityError:
        raise Conflict(
            _("An account with this e-mail address already exists."), field="email"
        ) from None
    return user


def user_update_preferences(
    *,
    user: User,
    full_name: str | None = None,
    preferred_language: str | None = None,
    time_zone: str | None = None,
) -> User:
    if full_name is not None:
        full_name = clean_line(full_name, field="full_name")
        if not full_name:
            raise ServiceError(_("Enter your full name."), field="full_name")
        user.full_name = full_name
    if preferred_language is not None:
        if preferred_language not in dict(settings.LANGUAGES):
            raise ServiceError(_("This language is not available."), field="preferred_language")
        user.preferred_language = preferred_language
        user.language_chosen = True
    if time_zone is not None:
        try:
            User._meta.get_field("time_zone").run_validators(time_zone)
        except ValidationError as exc:
            raise ServiceError(exc.messages[0], field="time_zone") from None
        user.time_zone = time_zone
    user.save(update_fields=["full_name", "preferred_language", "language_chosen", "time_zone"])
    return user


def user_language_follow_browser(*, user: User, language: str) -> User:
    """At sign-in, an account whose owner never chose a language takes the browser's.

    E-mails and notifications then go out in the language the person actually reads; an
    explicit choice (the switcher, the account page) is never overridden.
    """
    if user.language_chosen or language not in dict(settings.LANGUAGES):
        return user
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


def membership_grant(*, user: User, school: School, role: str) -> Membership:
    if role not in Role.values:
        raise ServiceError(_("Unknown role."), field="role")
    membership, _created = Membership.objects.get_or_create(user=user, school=school, role=role)
    hooks.run("membership_granted", membership=membership)
    return membership
