"""Roster files: decide what each row of a CSV would do. Reading and writing the file itself is
`roster_csv`'s; its names are re-exported here, where callers have always found them.

Reading never writes. `classify` answers for a whole file in a fixed number of queries, so a
preview of 1,000 rows costs the same handful of queries as one of 10.
"""

import unicodedata
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import TextChoices
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.models import Membership, Role, User
from lms.validators import CONTROL_MESSAGE, has_control_characters

from . import roster_csv
from .models import Course, Enrollment, PendingEnrollment
from .roster_csv import (
    COLUMNS,
    EXPORT_COLUMNS,
    FORMULA_STARTS,
    HEADER_ALIASES,
    MAX_BYTES,
    decode,
    export_csv,
)

MAX_ROWS = roster_csv.MAX_ROWS

__all__ = [
    "CHANGING",
    "COLUMNS",
    "EXPORT_COLUMNS",
    "FORMULA_STARTS",
    "HEADER_ALIASES",
    "MAX_BYTES",
    "MAX_ROWS",
    "ROLE_ALIASES",
    "RosterRow",
    "Verdict",
    "classify",
    "decode",
    "export_csv",
    "parse",
    "summarize",
]

ROLE_ALIASES = {
    "": Enrollment.Role.STUDENT,
    "student": Enrollment.Role.STUDENT,
    "học sinh": Enrollment.Role.STUDENT,
    "hoc sinh": Enrollment.Role.STUDENT,
    "sinh viên": Enrollment.Role.STUDENT,
    "sinh vien": Enrollment.Role.STUDENT,
    "học viên": Enrollment.Role.STUDENT,
    "hoc vien": Enrollment.Role.STUDENT,
    "teacher": Enrollment.Role.TEACHER,
    "giáo viên": Enrollment.Role.TEACHER,
    "giao vien": Enrollment.Role.TEACHER,
    "assistant": Enrollment.Role.ASSISTANT,
    "trợ giảng": Enrollment.Role.ASSISTANT,
    "tro giang": Enrollment.Role.ASSISTANT,
}


class Verdict(TextChoices):
    NEW = "new", gettext_lazy("new person: invitation")
    INVITE = "invite", gettext_lazy("has an account: invitation to the school")
    EXISTING = "existing", gettext_lazy("school member: enrolled")
    ALREADY = "already", gettext_lazy("no change")
    ERROR = "error", gettext_lazy("error: refused")


CHANGING = (Verdict.NEW, Verdict.INVITE, Verdict.EXISTING)


@dataclass
class RosterRow:
    line: int
    email: str
    full_name: str
    role: str
    verdict: str = Verdict.ERROR
    message: str = ""
    user_id: int | None = field(default=None, repr=False)

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label

    @property
    def role_label(self) -> str:
        """The course role in the reader's language; what the file said when it is unknown."""
        if self.role in Enrollment.Role.values:
            return str(Enrollment.Role(self.role).label)
        return self.role

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("user_id")
        data["verdict_label"] = str(self.verdict_label)
        data["role_label"] = self.role_label
        return data


def parse(text: str) -> list[tuple[int, str, str, str, str]]:
    """(line, email, full_name, role, status) for each non-blank row; a ServiceError for a bad
    file. `status` is only present in files exported from Lophoc."""
    # The cap is read here, at call time, so a change to `roster.MAX_ROWS` still applies.
    return roster_csv.parse(text, max_rows=MAX_ROWS)


def classify(
    course: Course, parsed: list[tuple[int, str, str, str, str]], *, invite_staff: bool = False
) -> list[RosterRow]:
    """What applying each row would do, against the database as it is now (four queries).

    Only the school's administrators grant school roles beyond student: with `invite_staff`
    False (a teacher importing), a teacher or assistant row for someone who is not yet a
    teacher of the school is refused instead of inviting them as one.
    """
    school = course.school
    rows: list[RosterRow] = []
    first_line: dict[str, int] = {}
    for line, email, full_name, role_text, status in parsed:
        email = email.lower()
        row = RosterRow(line=line, email=email, full_name=full_name, role=role_text)
        rows.append(row)
        if status == Enrollment.Status.DROPPED:
            # An exported roster lists dropped people; importing it back must not re-enrol them.
            row.verdict = Verdict.ALREADY
            row.message = _("Marked dropped in the file; not changed.")
            continue
        try:
            validate_email(email)
        except ValidationError:
            row.message = (
                _("“%(email)s” is not a valid e-mail address.") % {"email": email}
                if email
                else _("The e-mail address is missing.")
            )
            continue
        if email in first_line:
            row.message = _("Duplicate of line %(line)s.") % {"line": first_line[email]}
            continue
        if has_control_characters(full_name):
            row.message = CONTROL_MESSAGE
            continue
        first_line[email] = line
        role = ROLE_ALIASES.get(" ".join(unicodedata.normalize("NFC", role_text.lower()).split()))
        if role is None:
            row.message = _(
                "Unknown role “%(role)s”. Use student, teacher or assistant "
                "(học sinh, giáo viên, trợ giảng), or leave it empty for a student."
            ) % {"role": role_text}
            continue
        row.role = role
        row.verdict = ""

    candidates = [r for r in rows if r.verdict == ""]
    emails = [r.email for r in candidates]
    users = {
        u["email_lower"]: u
        for u in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values("id", "email_lower", "full_name")
    }
    user_ids = [u["id"] for u in users.values()]
    school_roles: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(school=school, user_id__in=user_ids).values_list(
        "user_id", "role"
    ):
        school_roles.setdefault(user_id, set()).add(role)
    enrollments = {
        e.user_id: e
        for e in Enrollment.objects.filter(course=course, user_id__in=user_ids).only(
            "user_id", "role", "status", "dropped_at"
        )
    }
    pending = dict(
        PendingEnrollment.objects.filter(
            course=course, email__in=emails, fulfilled_at__isnull=True
        ).values_list("email", "role")
    )
    labels = dict(Enrollment.Role.choices)

    for row in candidates:
        user = users.get(row.email)
        needed = Role.STUDENT if row.role == Enrollment.Role.STUDENT else Role.TEACHER
        if user is not None:
            row.user_id = user["id"]
            if not row.full_name:
                row.full_name = user["full_name"]
        if user is not None and needed in school_roles.get(user["id"], ()):
            enrollment = enrollments.get(user["id"])
            if enrollment is None:
                row.verdict, row.message = Verdict.EXISTING, _enrolled_as(row.role)
            elif enrollment.status == Enrollment.Status.DROPPED:
                row.verdict = Verdict.EXISTING
                row.message = _("Was dropped; will be enrolled again.")
            elif enrollment.role == row.role:
                row.verdict, row.message = Verdict.ALREADY, ""
            else:
                row.verdict = Verdict.EXISTING
                row.message = _("Role changes from %(old)s to %(new)s.") % {
                    "old": labels[enrollment.role],
                    "new": labels[row.role],
                }
            continue
        # Staff invite whoever they name (Gmail included): the school's e-mail domains only
        # limit self sign-up.
        if needed != Role.STUDENT and not invite_staff:
            row.verdict = Verdict.ERROR
            row.message = _(
                "Only the school's administrators can make someone a teacher of the school. "
                "Ask them to invite this person first."
            )
            continue
        if pending.get(row.email) == row.role:
            row.verdict = Verdict.ALREADY
            row.message = _("Already invited; enrolled when they accept.")
            continue
        row.verdict = Verdict.INVITE if user is not None else Verdict.NEW
        row.message = _invited_as(row.role, school.name)
        if row.email in pending:
            row.message += " " + _("Role changes from %(old)s to %(new)s.") % {
                "old": labels[pending[row.email]],
                "new": labels[row.role],
            }
    return rows


def _enrolled_as(role: str) -> str:
    if role == Enrollment.Role.TEACHER:
        return _("Will be enrolled as a teacher of the course.")
    if role == Enrollment.Role.ASSISTANT:
        return _("Will be enrolled as an assistant of the course.")
    return _("Will be enrolled as a student of the course.")


def _invited_as(role: str, school: str) -> str:
    """What an invitation row does, in the words of the course role it leads to."""
    if role == Enrollment.Role.TEACHER:
        message = _(
            "Gets an invitation to %(school)s and becomes a teacher of the course on accepting."
        )
    elif role == Enrollment.Role.ASSISTANT:
        message = _(
            "Gets an invitation to %(school)s and becomes an assistant of the course on accepting."
        )
    else:
        message = _(
            "Gets an invitation to %(school)s and joins the course as a student on accepting."
        )
    return message % {"school": school}


def summarize(rows: list[RosterRow]) -> dict:
    """Counts per verdict, plus `changes` (rows that will do something) and `refused`."""
    counts = dict.fromkeys(Verdict.values, 0)
    for row in rows:
        counts[row.verdict] += 1
    changes = sum(counts[v] for v in CHANGING)
    return {"rows": len(rows), **counts, "changes": changes, "refused": counts[Verdict.ERROR]}
