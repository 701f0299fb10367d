"""The HTTP interface: serializers, viewsets, filters and urls over the briefing domain."""
