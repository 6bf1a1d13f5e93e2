import pytest
from django.core.exceptions import ValidationError
from wagtail_factories import ImageFactory

from portal.core.blocks import BodyBlock, FigureBlock

pytestmark = pytest.mark.django_db


def figure_data(image, **image_fields):
    return {"image": {"image": image.pk, **image_fields}, "caption": "Le stand marocain au GITEX"}


def test_an_image_cannot_be_saved_without_alternative_text_unless_decorative():
    image = ImageFactory()
    block = FigureBlock()
    value = block.to_python(figure_data(image, alt_text="", decorative=False))
    with pytest.raises(ValidationError):
        block.clean(value)
    block.clean(block.to_python(figure_data(image, alt_text="", decorative=True)))
    block.clean(block.to_python(figure_data(image, alt_text="Des visiteurs devant le stand", decorative=False)))


def test_the_figure_renders_its_alternative_text_and_caption():
    image = ImageFactory()
    stream = BodyBlock().to_python(
        [
            {
                "type": "figure",
                "value": figure_data(image, alt_text="Des visiteurs devant le stand", decorative=False),
            }
        ]
    )
    html = str(stream)
    assert 'alt="Des visiteurs devant le stand"' in html
    assert 'loading="lazy"' in html
    assert "<figcaption>Le stand marocain au GITEX</figcaption>" in html


def test_a_decorative_image_is_hidden_from_screen_readers():
    image = ImageFactory(title="photo-1234.jpg")
    stream = BodyBlock().to_python(
        [{"type": "figure", "value": figure_data(image, alt_text="ignoré", decorative=True)}]
    )
    assert 'alt=""' in str(stream)
