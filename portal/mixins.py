"""Small page mixins, each owning its fields and its panels.

Imported by every app; imports no app models.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel


class IntroductionMixin(models.Model):
    introduction = models.TextField(
        blank=True,
        help_text="One short paragraph shown under the page title and when the page is listed elsewhere.",
    )

    introduction_panels = [FieldPanel("introduction")]

    class Meta:
        abstract = True
