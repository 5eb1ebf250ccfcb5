"""The demo school: deterministic Vietnamese names and known passwords, for trying Lophoc out."""

from dataclasses import dataclass, field

from django.db import transaction

from .models import Role, School, User
from .services import membership_grant, school_create, user_create

DEMO_DOMAIN = "demo.lophoc.test"
DEMO_PASSWORDS = {
    Role.ADMIN: "quantri-2026",
    Role.TEACHER: "giaovien-2026",
    Role.STUDENT: "hocsinh-2026",
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Thị", "Văn", "Minh", "Ngọc", "Thu", "Đức", "Gia", "Thanh", "Hoài", "Quốc"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Huy",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Ngân",
    "Nhung",
    "Phúc",
    "Quân",
    "Quỳnh",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Trung",
    "Tuấn",
    "Vy",
    "Yến",
]


@dataclass
class DemoPeople:
    school: School
    admin: User
    teachers: list[User] = field(default_factory=list)
    students: list[User] = field(default_factory=list)


def _person(email: str, full_name: str, role: str, school: School) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email,
            full_name=full_name,
            password=DEMO_PASSWORDS[role],
            preferred_language="vi",
            validate=False,
        )
    membership_grant(user=user, school=school, role=role)
    return user


@transaction.atomic
def seed_people() -> DemoPeople:
    school = School.objects.filter(slug="demo").first() or school_create(
        name="Trường THPT Lophoc (demo)",
        slug="demo",
        allowed_email_domains=[DEMO_DOMAIN],
        time_zone="Asia/Ho_Chi_Minh",
        default_language="vi",
    )
    admin = _person(f"quantri@{DEMO_DOMAIN}", "Trần Thị Thu Hà", Role.ADMIN, school)
    people = DemoPeople(school=school, admin=admin)
    teacher_names = ["Nguyễn Văn Minh", "Lê Thị Ngọc Lan"]
    for i, name in enumerate(teacher_names, start=1):
        people.teachers.append(_person(f"giaovien{i}@{DEMO_DOMAIN}", name, Role.TEACHER, school))
    for i in range(1, 31):
        name = f"{FAMILY[i % len(FAMILY)]} {MIDDLE[(i * 7) % len(MIDDLE)]} {GIVEN[i - 1]}"
        people.students.append(_person(f"hocsinh{i:02d}@{DEMO_DOMAIN}", name, Role.STUDENT, school))
    return people


def demo_logins() -> list[tuple[str, str, str]]:
    return [
        ("school administrator", f"quantri@{DEMO_DOMAIN}", DEMO_PASSWORDS[Role.ADMIN]),
        ("teacher", f"giaovien1@{DEMO_DOMAIN}", DEMO_PASSWORDS[Role.TEACHER]),
        ("student", f"hocsinh01@{DEMO_DOMAIN}", DEMO_PASSWORDS[Role.STUDENT]),
        ("platform operator (Django admin)", f"vanhanh@{DEMO_DOMAIN}", DEMO_PASSWORDS[Role.ADMIN]),
    ]


def seed_operator() -> User:
    email = f"vanhanh@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_superuser(
            email=email, password=DEMO_PASSWORDS[Role.ADMIN], full_name="Vận hành Lophoc"
        )
    return user
