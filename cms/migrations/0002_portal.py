"""Replace Wagtail's placeholder welcome page with the Lophoc portal as the site root."""

from django.db import migrations


def create_portal(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    PortalPage = apps.get_model("cms", "PortalPage")

    # Wagtail's first migration leaves a plain welcome page at depth 2; it has no template.
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    if PortalPage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="portalpage", app_label="cms")
    root = Page.objects.get(depth=1)
    Locale = apps.get_model("wagtailcore", "Locale")
    locale = Locale.objects.first() or Locale.objects.create(language_code="vi")
    portal = PortalPage.objects.create(
        title="Lophoc",
        draft_title="Lophoc",
        slug="lophoc",
        content_type=content_type,
        path=root.path + "0001",
        depth=2,
        numchild=0,
        url_path="/lophoc/",
        live=True,
        locale_id=locale.id,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=portal.id, is_default_site=True)


def remove_portal(apps, schema_editor):
    apps.get_model("cms", "PortalPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_portal, remove_portal)]
