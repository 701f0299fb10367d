"""Content negotiation: `Accept`, or a `?format=` override (json, csv, md, ics).

DRF's own `URL_FORMAT_OVERRIDE` also copies `?format=` into every hyperlink it builds, so a
Markdown briefing would link to Markdown pages; this reads the parameter here instead and
leaves links alone.
"""

from types import SimpleNamespace

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation

FORMAT_PARAM = "format"


class FormatParamNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with `?format=` honoured but not propagated into links."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=FORMAT_PARAM)

    def filter_renderers(self, renderers, format):
        """The renderers for `format`; an unknown format is a 406 naming the ones on offer."""
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            offered = ", ".join(sorted(renderer.format for renderer in renderers))
            raise exceptions.NotAcceptable(f"Format “{format}” is not available here. Available: {offered}.")
        return matching
