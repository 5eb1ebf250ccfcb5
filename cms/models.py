import math
import re

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import LessonBodyBlock
from .permissions import course_access

WORDS_PER_MINUTE = 200


class PortalPage(Page):
    """The root of the public site: lists the schools that publish on this Lophoc."""

    intro = RichTextField(_("introduction"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.SchoolHomePage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("portal page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["schools"] = SchoolHomePage.objects.child_of(self).live().select_related("school")
        return context


class SchoolHomePage(Page):
    """A school's public home in the CMS; course pages live below it."""

    school = models.OneToOneField(
        "lms.School", on_delete=models.PROTECT, related_name="home_page", verbose_name=_("school")
    )
    intro = RichTextField(_("introduction"), blank=True)

    parent_page_types = ["cms.PortalPage"]
    subpage_types = ["cms.CourseIndexPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("school home page")

    def serve(self, request, *args, **kwargs):
        if self.school_id is None:
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course_index"] = CourseIndexPage.objects.child_of(self).live().first()
        return context


class CourseIndexPage(Page):
    """The school's course catalogue: courses shown to the public, plus the reader's own."""

    intro = RichTextField(_("introduction"), blank=True)

    parent_page_types = ["cms.SchoolHomePage"]
    subpage_types = ["cms.CoursePage"]
    max_count_per_parent = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_course_pages

        context = super().get_context(request, *args, **kwargs)
        context["course_pages"] = catalogue_course_pages(index=self, user=request.user)
        return context


class CourseContentMixin:
    """Pages that belong to one course: who may read them is decided by the course."""

    #: True for pages only the course's members read; False for the public overview.
    members_only = True

    @cached_property
    def course_page(self) -> "CoursePage | None":
        if isinstance(self, CoursePage):
            return self
        return CoursePage.objects.ancestor_of(self).select_related("course__school").first()

    @property
    def course(self):
        page = self.course_page
        return page.course if page is not None else None

    def check_readable(self, request) -> str | None:
        """The reader's role in the course; 404 for anyone who may not read this page."""

        access = course_access(request, self.course)
        allowed = access.content if self.members_only else access.overview
        if not allowed:
            raise Http404
        return access.role

    def route(self, request, path_components):
        # A visitor who may not read the course's content never reaches its modules or
        # lessons, and nobody reaches pages below an unpublished module.
        if path_components:
            self.check_readable_below(request)
        return super().route(request, path_components)

    def check_readable_below(self, request) -> None:
        if not self.live:
            raise Http404

        if not course_access(request, self.course).content:
            raise Http404

    def serve(self, request, *args, **kwargs):
        # Previews in the admin do not come through here: editing rights already decide them.
        self.check_readable(request)
        return super().serve(request, *args, **kwargs)


class CoursePage(CourseContentMixin, Page):
    """The home of one course. Made when the course is created; one per course."""

    members_only = False

    course = models.OneToOneField(
        "courses.Course",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="course_page",
        verbose_name=_("course"),
    )
    overview = RichTextField(
        _("overview"),
        blank=True,
        help_text=_("What the course is about. Shown in the catalogue when the course is public."),
    )
    editors = models.OneToOneField(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    parent_page_types = ["cms.CourseIndexPage"]
    subpage_types = ["cms.ModulePage"]
    # Course pages come from creating a course (the course_created hook), never by hand.
    is_creatable = False
    exclude_fields_in_copy = ["course", "editors", "collection"]
    content_panels = [*Page.content_panels, FieldPanel("overview")]

    class Meta:
        verbose_name = _("course page")

    def with_content_json(self, content):
        # Revisions must not bring back an old link to the course or its editors group.
        page = super().with_content_json(content)
        page.course_id = self.course_id
        page.editors_id = self.editors_id
        page.collection_id = self.collection_id
        return page

    def get_context(self, request, *args, **kwargs):
        from lms import hooks

        from .selectors import course_outline, course_progress

        context = super().get_context(request, *args, **kwargs)
        course = self.course
        access = course_access(request, course)
        role = access.role
        context["course"] = course
        context["course_role"] = role
        context["is_course_staff"] = access.staff
        context["can_read_content"] = access.content
        if access.content:
            outline = course_outline(course_page=self, user=request.user)
            context["modules"] = outline.modules
            if role == "student":
                context["progress"] = course_progress(outline)
            context["panels"] = hooks.collect("course_page_panels", request, course)
        return context


class ModulePage(CourseContentMixin, Page):
    """A chapter of a course: groups lessons in order."""

    summary = models.TextField(_("summary"), blank=True)

    parent_page_types = ["cms.CoursePage"]
    subpage_types = ["cms.LessonPage"]
    content_panels = [*Page.content_panels, FieldPanel("summary")]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        outline = course_outline(course_page=self.course_page, user=request.user)
        context["course"] = self.course
        context["module"] = next((m for m in outline.modules if m.id == self.id), None)
        return context


class LessonPage(CourseContentMixin, Page):
    """One lesson: what a student reads, watches and practises."""

    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences shown in the lesson list.")
    )
    body = StreamField(LessonBodyBlock(), blank=True, verbose_name=_("lesson"))

    parent_page_types = ["cms.ModulePage"]
    subpage_types: list[str] = []
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]

    class Meta:
        verbose_name = _("lesson")

    @property
    def reading_minutes(self) -> int:
        """Estimated minutes to read the text (videos and exercises not counted)."""
        words = len(re.findall(r"\w+", " ".join(_texts(self.body.raw_data))))
        return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        role = course_access(request, self.course).role
        outline = course_outline(course_page=self.course_page, user=request.user)
        context["course"] = self.course
        context["course_page"] = self.course_page
        context["course_role"] = role
        context["is_student"] = role == "student"
        context["lesson_entry"] = outline.lesson(self.id)
        context["previous_lesson"], context["next_lesson"] = outline.neighbours(self.id)
        context["done"] = bool(context["lesson_entry"] and context["lesson_entry"].done)
        return context


def _texts(value) -> list[str]:
    """Every piece of text inside a StreamField's raw data, tags stripped."""
    if isinstance(value, str):
        return [strip_tags(value)]
    if isinstance(value, dict):
        return [
            text
            for key, item in value.items()
            if key not in ("type", "id")
            for text in _texts(item)
        ]
    if isinstance(value, list | tuple) or hasattr(value, "__iter__"):
        return [text for item in value for text in _texts(item)]
    return []


class LessonProgress(models.Model):
    """A student finished a lesson."""

    class Source(models.TextChoices):
        BUTTON = "button", _("marked by the student")
        READ = "read", _("read to the end")
        API = "api", _("through the API")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.BUTTON
    )

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson_id}"
