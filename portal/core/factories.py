"""Factory pieces every app's page factories build on."""

import factory
import wagtail_factories


class TaggedPageFactory(wagtail_factories.PageFactory):
    """Pages with a ClusterTaggableManager `tags`: SomeFactory(tags=["IA", "fintech"])."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if extracted:
            self.tags.set(extracted)
            if create:
                self.save()


class PhotoFactory(wagtail_factories.ImageFactory):
    """An image as editors upload them: a landscape photo of 1600×1000 pixels, described in the library."""

    title = factory.Sequence(lambda n: f"Photo {n}")
    description = ""
    file = factory.django.ImageField(width=1600, height=1000, color="teal", format="JPEG", filename="photo.jpg")
