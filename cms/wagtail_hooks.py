from django.http import Http404
from wagtail import hooks

from .models import CoursePage
from .permissions import access_for


@hooks.register("before_serve_document")
def course_documents_for_course_readers(document, request):
    """A document uploaded to a course's collection is served to whoever may read its lessons."""
    page = (
        CoursePage.objects.filter(collection_id=document.collection_id)
        .select_related("course")
        .first()
    )
    if page is not None and not access_for(request.user, page.course).content:
        raise Http404
