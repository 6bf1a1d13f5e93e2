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
