"""Links to API objects, built from one `reverse()` per view and request.

DRF's `HyperlinkedIdentityField` reverses every URL and re-validates the Host header for each
link: on a page of 50 meetings that is ~500 reverses and most of the page's cost. The URL of an
object differs from its neighbour's only by the lookup value, so reverse once with a
placeholder, then substitute.
"""

from django.urls import reverse
from rest_framework import serializers

# Digits, so that it matches every lookup pattern (slugs and numeric ids alike).
_PLACEHOLDER = "7306190428"


def link_template(request, view_name: str, lookup_kwarg: str) -> tuple[str, str]:
    """What comes before and after the lookup value in this request's absolute `view_name` URLs."""
    templates = request.__dict__.setdefault("_link_templates", {})
    template = templates.get(view_name)
    if template is None:
        url = request.build_absolute_uri(reverse(view_name, kwargs={lookup_kwarg: _PLACEHOLDER}))
        before, _, after = url.rpartition(_PLACEHOLDER)
        template = templates[view_name] = (before, after)
    return template


def url_for(request, view_name: str, lookup_kwarg: str, value) -> str:
    """The absolute URL of the `view_name` object whose lookup value is `value`."""
    before, after = link_template(request, view_name, lookup_kwarg)
    # Slugs are URL-safe by construction (SlugField) and ids are numbers: nothing to quote.
    return f"{before}{value}{after}"


class LinkField(serializers.HyperlinkedIdentityField):
    """The absolute URL of the object itself (read-only), cached per view name and request."""

    def to_representation(self, value):
        # DRF wraps every URL in `Hyperlink`, a str subclass that carries the object for the
        # browsable API. Representations must hold plain values: a `Hyperlink` copied into a
        # header (the `Location` of a create) breaks WSGI servers that insist on exact `str`
        # header values, as PEP 3333 asks and Django's development server checks.
        url = super().to_representation(value)
        return None if url is None else str(url)

    def get_url(self, obj, view_name, request, format):
        value = getattr(obj, self.lookup_field)
        if value in (None, ""):
            return None
        if request is None:
            return super().get_url(obj, view_name, request, format)
        return url_for(request, view_name, self.lookup_url_kwarg, value)


def link(view_name: str, lookup_field: str = "slug", **kwargs) -> LinkField:
    """A self link through `view_name`, looked up by `lookup_field`."""
    kwargs.setdefault("help_text", "Absolute URL of this object.")
    return LinkField(view_name=view_name, lookup_field=lookup_field, **kwargs)
