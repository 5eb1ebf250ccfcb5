import factory

from lms.models import Membership, Role, School, User

PASSWORD = "correct-horse-battery"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Trường số {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    allowed_email_domains = factory.LazyAttribute(lambda o: [f"{o.slug}.edu.test"])
    time_zone = "Asia/Ho_Chi_Minh"
    default_language = "vi"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    preferred_language = "en"
    # Test users have a saved language, so a test can rely on it whatever the client sends;
    # tests of the browser's language at sign-in set this to False.
    language_chosen = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.STUDENT


def member(school: School, role: str = Role.STUDENT, **user_fields) -> User:
    """A new user holding `role` in `school`."""
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, school=school, role=role)
    return user
