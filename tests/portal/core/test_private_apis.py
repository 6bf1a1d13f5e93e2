"""The few private Django, Wagtail and treebeard APIs the portal uses, pinned: an upgrade that changes one fails here.

Each is used where no public API does the job (see the comment at its use):
the cached site lookup (portal/core/cache/routing.py), the refusal of
non-ids in multiple-choice filters (portal/core/forms.py), and the content
generator's bulk tree writes (portal/tooling/generate.py).
"""

import pytest
from django import forms
from django.test import RequestFactory
from wagtail.models import Page, Site

from brand.models import Sector
from portal.core.forms import IdMultipleChoiceField


def test_the_raw_host_is_the_host_header_as_sent():
    request = RequestFactory().get("/fr/", HTTP_HOST="moroccotech.example:8443")
    assert request._get_raw_host() == "moroccotech.example:8443"


def test_the_uncached_site_lookup_finds_what_the_public_one_finds(portal_site):
    request = RequestFactory().get("/fr/", HTTP_HOST="localhost")
    found = Site._find_for_request(request)
    assert found is not None
    assert found == Site.find_for_request(RequestFactory().get("/fr/", HTTP_HOST="localhost"))


@pytest.mark.django_db
def test_a_multiple_choice_filter_refuses_a_non_id_before_any_query(django_assert_num_queries):
    field = IdMultipleChoiceField(queryset=Sector.objects.all())
    with django_assert_num_queries(0), pytest.raises(forms.ValidationError):
        field.clean(["1", "abc\x00"])


def test_treebeard_paths_are_built_as_the_generator_expects():
    assert Page._get_path("0001", 2, 3) == "00010003"
    assert Page._str2int("000A") == 10
    assert Page.steplen == 4
