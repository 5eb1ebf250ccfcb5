"""The site is called Lophoc in the admin (Wagtail shows the host name, "localhost", when the
site has no name)."""

from django.db import migrations


def name_sites(apps, schema_editor):
    apps.get_model("wagtailcore", "Site").objects.filter(site_name="").update(site_name="Lophoc")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_course_content"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(name_sites, migrations.RunPython.noop)]
