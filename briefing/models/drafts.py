"""Drafts: an article's text turned into a proposed fixture (``briefing.drafting``), in review.

A draft is not data. The API's collections read articles, meetings and statements only, and a
draft becomes those only when an editor has decided every proposed statement and meeting
(accept, correct or reject) and publishes it: ``briefing.services.drafts.draft_publish`` imports
the reviewed fixture through the importer, under every rule an import obeys.
"""

from django.conf import settings
from django.db import models

from briefing import validators


class Draft(models.Model):
    """One article's text, the drafter's proposal for it, and the editor's decisions on it."""

    class Status(models.TextChoices):
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"

    title = models.CharField(
        validators=[validators.single_line_text], max_length=300, help_text="Headline as published."
    )
    body = models.TextField(
        help_text="The article's text, exactly as drafted; the proposal's offsets index into it."
    )
    published_on = models.DateField(
        null=True, blank=True, help_text="Publication date: relative dates in the text are read against it."
    )
    publisher = models.CharField(validators=[validators.single_line_text], max_length=200, blank=True)
    url = models.URLField(validators=[validators.single_line_text], max_length=500, blank=True)
    proposal = models.JSONField(
        help_text="The drafter's fixture (format 2) as it made it, never edited: decisions apply to it."
    )
    decisions = models.JSONField(
        default=dict,
        blank=True,
        help_text='The editor\'s decision on each proposed item: `{"statements": [...], "meetings": [...]}`, '
        "one entry per item in the proposal's order (null while undecided).",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_REVIEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    article = models.ForeignKey(
        "briefing.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
        help_text="The article publishing made of it.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
