"""Writes to the CMS page tree: a home page per school, and who may edit it."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page, Site

from lms.models import Membership, Role, School

from .models import PortalPage, SchoolHomePage

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def portal_page() -> PortalPage:
    portal = PortalPage.objects.first()
    if portal is None:
        root = Page.get_first_root_node()
        portal = root.add_child(instance=PortalPage(title="Lophoc", slug="lophoc"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": portal},
        )
    return portal


def school_editors_group(school: School) -> Group:
    """The Wagtail group whose members edit this school's pages (its administrators)."""
    group, created = Group.objects.get_or_create(name=f"School editors: {school.slug}")
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return group


@transaction.atomic
def school_home_page_ensure(*, school: School) -> SchoolHomePage:
    page = SchoolHomePage.objects.filter(school=school).first()
    if page is None:
        page = portal_page().add_child(
            instance=SchoolHomePage(title=school.name, slug=school.slug, school=school)
        )
        page.save_revision().publish()
    group = school_editors_group(school)
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    return page


def membership_sync_editor(*, membership: Membership) -> None:
    if membership.role == Role.ADMIN:
        membership.user.groups.add(school_editors_group(membership.school))
