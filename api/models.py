"""What the HTTP interface keeps of its own: the first answers to writes sent with an Idempotency-Key."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotentResponse(models.Model):
    """The answer to a write sent with an ``Idempotency-Key``, replayed to its retries (api.idempotency)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Who sent the write; keys are per user.",
    )
    key = models.CharField(max_length=255, help_text="The client's Idempotency-Key.")
    fingerprint = models.CharField(
        max_length=64,
        help_text="SHA-256 of the method, path and body: a reused key must name the same write.",
    )
    status = models.PositiveSmallIntegerField(help_text="The answer's HTTP status.")
    body = models.JSONField(null=True, help_text="The answer's JSON body; null for 204.")
    headers = models.JSONField(default=dict, help_text="The answer's ETag and Location headers.")
    created = models.DateTimeField(default=timezone.now, db_index=True, help_text="When the write was made.")

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="%(app_label)s_%(class)s_one_per_key",
                violation_error_message="This Idempotency-Key has already been used.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.status}"
