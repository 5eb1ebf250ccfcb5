"""What a school administrator does to the people of the school: roles, deactivation,
invitations (one at a time, resent, or several at once with names).

Every function takes the acting user (`by`) and checks that they administer the school; a
school they do not administer, or a person outside it, does not exist for them (404).
"""

import re
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import TextChoices
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import hooks
from .access import SchoolCap, school_role_can
from .errors import Conflict, NotFound, ServiceError
from .models import Invitation, Membership, Role, School, User
from .services import invitation_create
from .tokens import hash_secret, new_secret

MAX_BATCH_LINES = 500


def _require_admin(by: User, school: School) -> None:
    """PEOPLE_MANAGE in the school, else 404: for anyone else these people are not there."""
    roles = (
        Membership.objects.filter(user=by, school=school).values_list("role", flat=True)
        if by is not None and by.is_authenticated
        else []
    )
    if not school_role_can(set(roles), SchoolCap.PEOPLE_MANAGE):
        raise NotFound()


def _member(school: School, user_id) -> User:
    user = User.objects.filter(pk=user_id, memberships__school=school).distinct().first()
    if user is None:
        raise NotFound()
    return user


def _admins_left(school: School, *, without: User) -> int:
    return (
        Membership.objects.filter(school=school, role=Role.ADMIN, user__is_active=True)
        .exclude(user=without)
        .count()
    )


# --- Roles and deactivation -----------------------------------------------------------------


@transaction.atomic
def membership_roles_set(*, by: User, school: School, user_id: int, roles: list[str]) -> User:
    """Give a person exactly these roles in the school (one or more of admin/teacher/student).

    A school keeps at least one administrator, and an administrator cannot drop their own
    admin role (they would lock themselves out of this page).
    """
    _require_admin(by, school)
    user = _member(school, user_id)
    wanted = set(roles or [])
    unknown = wanted - set(Role.values)
    if unknown:
        raise ServiceError(_("Unknown role."), field="roles")
    if not wanted:
        raise ServiceError(
            _("Keep at least one role. To remove someone from the school, deactivate them."),
            field="roles",
        )
    current = set(
        Membership.objects.select_for_update()
        .filter(school=school, user=user)
        .values_list("role", flat=True)
    )
    if Role.ADMIN in current and Role.ADMIN not in wanted:
        if user.pk == by.pk:
            raise Conflict(
                _("You cannot remove your own administrator role. Ask another administrator."),
                field="roles",
            )
        if not _admins_left(school, without=user):
            raise Conflict(_("The school needs at least one administrator."), field="roles")
    Membership.objects.filter(school=school, user=user, role__in=current - wanted).delete()
    for role in sorted(wanted - current):
        membership = Membership.objects.create(user=user, school=school, role=role)
        hooks.run("membership_granted", membership=membership)
    return user


@transaction.atomic
def school_user_set_active(*, by: User, school: School, user_id: int, active: bool) -> User:
    """Deactivate (they can no longer sign in or use tokens; everything they did is kept) or
    reactivate a person. Only for people who belong to no other school: an account shared with
    another school is not this school's to switch off."""
    _require_admin(by, school)
    user = _member(school, user_id)
    if user.is_active == active:
        return user
    if not active:
        if user.pk == by.pk:
            raise Conflict(_("You cannot deactivate your own account."))
        if user.is_staff or user.is_superuser:
            raise Conflict(_("Platform staff accounts are managed by the platform."))
        if Membership.objects.filter(user=user).exclude(school=school).exists():
            raise Conflict(
                _(
                    "%(name)s also belongs to another school, so the account stays active. "
                    "Change their roles here instead."
                )
                % {"name": user.full_name or user.email}
            )
        is_admin = Membership.objects.filter(school=school, user=user, role=Role.ADMIN).exists()
        if is_admin and not _admins_left(school, without=user):
            raise Conflict(_("The school needs at least one administrator."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


# --- Invitations ----------------------------------------------------------------------------


def invitation_invite(
    *, by: User, school: School, email: str, role: str, full_name: str = ""
) -> tuple[Invitation, str]:
    """An administrator's invitation to any address (Gmail too); the raw secret once."""
    _require_admin(by, school)
    return invitation_create(
        school=school, email=email, role=role, invited_by=by, full_name=full_name
    )


@transaction.atomic
def invitation_resend(*, by: User, school: School, invitation_id: int) -> tuple[Invitation, str]:
    """A fresh link (the old one stops working) and a new expiry, e-mailed again."""
    from .tasks import send_invitation_email

    _require_admin(by, school)
    invitation = (
        Invitation.objects.select_for_update().filter(school=school, pk=invitation_id).first()
    )
    if invitation is None:
        raise NotFound()
    if invitation.accepted_at:
        raise Conflict(_("This invitation was already accepted."), code="invitation_used")
    if invitation.revoked_at:
        raise Conflict(
            _("This invitation was withdrawn. Send a new one instead."), code="invitation_revoked"
        )
    from .services import invitation_secret

    invitation.token_nonce = new_secret(16)
    raw = invitation_secret(invitation)
    invitation.token_hash = hash_secret(raw)
    invitation.expires_at = timezone.now() + settings.INVITATION_TTL
    invitation.invited_by = by
    invitation.save(update_fields=["token_hash", "token_nonce", "expires_at", "invited_by"])
    # Only the id goes through the broker: the task rebuilds the link from it.
    send_invitation_email.delay_on_commit(invitation.pk)
    return invitation, raw


class BatchVerdict(TextChoices):
    INVITE = "invite", gettext_lazy("will get an invitation")
    MEMBER = "member", gettext_lazy("already has this role: no change")
    INVITED = "invited", gettext_lazy("already invited: no change")
    ERROR = "error", gettext_lazy("error: refused")


@dataclass
class BatchRow:
    line: int
    full_name: str
    email: str
    verdict: str = BatchVerdict.ERROR
    message: str = ""

    @property
    def verdict_label(self) -> str:
        return str(BatchVerdict(self.verdict).label)

    def as_dict(self) -> dict:
        return {**asdict(self), "verdict_label": self.verdict_label}


_ANGLE = re.compile(r"^(?P<name>.*?)<(?P<email>[^<>]*)>\s*$")
_SEPARATORS = ",;\t"


def _parse_line(text: str) -> tuple[str, str]:
    """(full name, e-mail) from "Name <email>", "Name, email", "email, Name" or a pasted
    spreadsheet row (tabs)."""
    match = _ANGLE.match(text)
    if match:
        return match["name"].strip(" \"'" + _SEPARATORS), match["email"].strip()
    parts = [p.strip(" \"'") for p in re.split(r"[,;\t]", text) if p.strip(" \"'")]
    if len(parts) <= 1:
        words = text.split()
        emails = [w for w in words if "@" in w]
        if emails:
            return " ".join(w for w in words if w not in emails), emails[0]
        return "", text.strip()
    emails = [p for p in parts if "@" in p]
    email = emails[0] if emails else parts[-1]
    return " ".join(p for p in parts if p != email), email


def _batch_rows(school: School, text: str, role: str) -> list[BatchRow]:
    """What inviting each line would do (two queries whatever the number of lines)."""
    if role not in Role.values:
        raise ServiceError(_("Unknown role."), field="role")
    lines = [(n, line.strip()) for n, line in enumerate((text or "").splitlines(), 1)]
    lines = [(n, line) for n, line in lines if line]
    if not lines:
        raise ServiceError(
            _("Write one person per line, such as: Nguyễn Văn An <an@gmail.com>"), field="text"
        )
    if len(lines) > MAX_BATCH_LINES:
        raise ServiceError(
            _("At most %(max)s people at once. Split the list.") % {"max": MAX_BATCH_LINES},
            field="text",
        )
    rows: list[BatchRow] = []
    seen: dict[str, int] = {}
    for number, line in lines:
        full_name, email = _parse_line(line)
        row = BatchRow(line=number, full_name=full_name[:150], email=email.lower())
        rows.append(row)
        try:
            validate_email(row.email)
        except ValidationError:
            row.message = _("“%(text)s” has no valid e-mail address.") % {"text": line[:80]}
            continue
        if row.email in seen:
            row.message = _("Duplicate of line %(line)s.") % {"line": seen[row.email]}
            continue
        seen[row.email] = number
        row.verdict = ""
    emails = [r.email for r in rows if r.verdict == ""]
    members = set(
        Membership.objects.annotate(email_lower=Lower("user__email"))
        .filter(school=school, role=role, email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )
    invited = set(
        Invitation.objects.filter(
            school=school,
            role=role,
            email__in=emails,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).values_list("email", flat=True)
    )
    label = Role(role).label
    for row in rows:
        if row.verdict != "":
            continue
        if row.email in members:
            row.verdict = BatchVerdict.MEMBER
        elif row.email in invited:
            row.verdict = BatchVerdict.INVITED
            row.message = _("Use “Resend” in the invitations list for a new link.")
        else:
            row.verdict = BatchVerdict.INVITE
            row.message = _("Invitation to the school as %(role)s.") % {"role": label}
            if not row.full_name:
                row.message += " " + _("No name given: they type it when they accept.")
    return rows


def _summary(rows: list[BatchRow]) -> dict:
    counts = dict.fromkeys(BatchVerdict.values, 0)
    for row in rows:
        counts[row.verdict] += 1
    return {"rows": len(rows), **counts}


def invitation_batch_preview(*, by: User, school: School, text: str, role: str) -> dict:
    """Read a list of people and say what inviting them would do. Nothing is sent."""
    _require_admin(by, school)
    rows = _batch_rows(school, text, role)
    return {"summary": _summary(rows), "rows": rows}


@transaction.atomic
def invitation_batch_apply(*, by: User, school: School, text: str, role: str) -> dict:
    """Invite every line that the preview marks "invite", in one transaction; the e-mails
    leave once it commits. Applying the same list twice invites nobody the second time."""
    _require_admin(by, school)
    # Two administrators applying the same list at once must not invite anyone twice.
    School.objects.select_for_update().filter(pk=school.pk).first()
    rows = _batch_rows(school, text, role)
    sent = 0
    for row in rows:
        if row.verdict == BatchVerdict.INVITE:
            invitation_create(
                school=school, email=row.email, role=role, invited_by=by, full_name=row.full_name
            )
            sent += 1
    return {**_summary(rows), "sent": sent, "rows": rows}
