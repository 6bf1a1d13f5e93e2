"""StreamField blocks shared by every app's long-form content.

Imported from brand/ and events/ too, so this module imports no app models.
Paragraphs are rich text for editors; the importer writes escaped text into
them (see portal.news.importers.pages), so scraped markup is never live HTML.
"""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(help_text="The quoted words, without quotation marks.")
    attribution = blocks.CharBlock(
        required=False, max_length=200, help_text="Who said it, e.g. “Chakib Alj, président de la CGEM”."
    )

    class Meta:
        icon = "openquote"
        template = "portal/blocks/quote_block.html"


class FigureBlock(blocks.StructBlock):
    # Wagtail's ImageBlock asks for alternative text and refuses to save
    # without it unless the editor ticks "decorative" (WCAG 1.1.1).
    image = ImageBlock(help_text="Describe what the image shows for people who cannot see it.")
    caption = blocks.CharBlock(
        required=False, max_length=300, help_text="Shown under the image; credit the photographer here."
    )

    class Meta:
        icon = "image"
        template = "portal/blocks/figure_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=300,
        form_classname="title",
        icon="title",
        template="portal/blocks/heading_block.html",
        help_text="A section heading (shown as a level-2 title), or an interview question.",
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        template="portal/blocks/paragraph_block.html",
    )
    quote = QuoteBlock()
    figure = FigureBlock()

    class Meta:
        block_counts = {}
