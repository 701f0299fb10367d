"""What each fixture's import wrote: the baseline that tells an import's data from an editor's."""

from django.db import models


class ImportRecord(models.Model):
    """One fixture's last write to one row: the values a re-import of that fixture compares with.

    A re-import changes a field only while the row still holds what this fixture wrote there
    (nobody has changed it since); anything else is an editor's (or another fixture's) and is
    kept. The record outlives its row, so a row an editor deleted is not brought back.
    """

    source = models.CharField(
        max_length=200, help_text="The fixture, by the slug of its article: `nato-…-2022`."
    )
    model = models.CharField(max_length=50, help_text="The row's model, e.g. `official`, `statement`.")
    key = models.CharField(
        max_length=300,
        help_text="The record's identity within the fixture: a slug, a meeting–official pair, "
        "or a statement's speaker, text and ordinal.",
    )
    object_id = models.BigIntegerField(help_text="The row written (it may since have been deleted).")
    values = models.JSONField(
        help_text="Each field as this fixture last wrote or confirmed it: relations by slug, links as "
        "sorted slugs."
    )
    imported_at = models.DateTimeField(
        auto_now=True, help_text="When the fixture last wrote or confirmed it."
    )

    class Meta:
        ordering = ["source", "model", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "model", "key"],
                name="%(app_label)s_%(class)s_once_per_source",
                violation_error_message="This fixture already has a record of this row.",
            ),
        ]
        indexes = [models.Index(fields=["model", "object_id"], name="briefing_importrecord_row")]

    def __str__(self) -> str:
        return f"{self.source}: {self.model} {self.key}"
