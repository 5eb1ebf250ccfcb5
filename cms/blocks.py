"""The blocks a teacher writes a lesson with."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = [
    "bold",
    "italic",
    "link",
    "document-link",
    "ol",
    "ul",
    "superscript",
    "subscript",
    "strikethrough",
    "code",
    "blockquote",
]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section")), ("h3", _("Subsection"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video address"), help_text=_("A YouTube or Vimeo link."))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "cms/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("link text"), required=False, help_text=_("Empty means the document's title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "cms/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("info", _("Note")), ("warning", _("Warning")), ("tip", _("Tip"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("title"), required=False)
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "cms/blocks/callout.html"


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        label=_("language"),
        choices=[
            ("text", _("Plain text")),
            ("python", "Python"),
            ("javascript", "JavaScript"),
            ("html", "HTML"),
            ("css", "CSS"),
            ("sql", "SQL"),
            ("c", "C / C++"),
            ("java", "Java"),
        ],
        default="text",
    )
    code = blocks.TextBlock(label=_("code"))

    class Meta:
        icon = "code"
        label = _("Code")
        template = "cms/blocks/code.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("author or source"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "cms/blocks/quote.html"


class DefinitionBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("term"))
    definition = blocks.RichTextBlock(label=_("definition"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ul"
        label = _("Definition")
        template = "cms/blocks/definition.html"


class QuestionBlock(blocks.StructBlock):
    """A question for self-checking; the answer stays folded until the student opens it."""

    question = blocks.RichTextBlock(label=_("question"), features=RICH_TEXT_FEATURES)
    answer = blocks.RichTextBlock(label=_("answer"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question with answer")
        template = "cms/blocks/question.html"


class NextLiveLessonBlock(blocks.StructBlock):
    """Shows the course's next live lesson, as the live-lessons app reports it."""

    intro = blocks.CharBlock(
        label=_("introduction"),
        required=False,
        help_text=_("Optional sentence above the live lesson, e.g. “We discuss this on…”."),
    )

    class Meta:
        icon = "date"
        label = _("Next live lesson")
        template = "cms/blocks/next_live_lesson.html"


class AssignmentLinkBlock(blocks.StructBlock):
    """A link to one of the course's assignments. Only its id is stored: the app that owns
    assignments renders it through the `lesson_assignment` hook (cms does not import it)."""

    assignment_id = blocks.IntegerBlock(
        label=_("assignment number"),
        min_value=1,
        help_text=_(
            "The number at the end of the assignment's address, e.g. 12 in /assignments/12/."
        ),
    )
    intro = blocks.CharBlock(label=_("introduction"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Assignment")
        template = "cms/blocks/assignment_link.html"


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"), icon="pilcrow", features=["h4", *RICH_TEXT_FEATURES]
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    code = CodeBlock()
    quote = QuoteBlock()
    definition = DefinitionBlock()
    question = QuestionBlock()
    next_live_lesson = NextLiveLessonBlock()
    assignment = AssignmentLinkBlock()
