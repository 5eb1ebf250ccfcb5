from django.core.management.base import BaseCommand

from lms import demo, hooks, selectors


class Command(BaseCommand):
    help = "Create (or complete) the demo school. Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args, quiet_logins=False, **options):
        people = demo.seed_people()
        demo.seed_operator()
        # Apps above lms add their demo content (course pages, courses, lessons ...).
        hooks.run("demo_seed", people=people)
        memberships = sum(selectors.school_role_counts(people.school).values())
        self.stdout.write(f"Demo school “{people.school.name}”: {memberships} memberships.")
        if not quiet_logins:
            self.stdout.write("Demo logins:")
            for role, email, password in demo.demo_logins():
                self.stdout.write(f"  {role:<34} {email:<32} {password}")
