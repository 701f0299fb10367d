"""Drafts in review (briefing.models.drafts); the `Editors` group drafts, reviews and publishes them."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import briefing.validators

GROUP = "Editors"
CODENAMES = ["add_draft", "change_draft", "view_draft"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("briefing")
    # As in 0004: permissions of models made in this run of `migrate` do not exist yet.
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="briefing", codename__in=CODENAMES))
    if len(permissions) != len(CODENAMES):
        raise RuntimeError(f"Missing briefing permissions for the {GROUP} group.")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="briefing", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("briefing", "0014_meeting_sort_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Draft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="Headline as published.",
                        max_length=300,
                        validators=[briefing.validators.DisplaySafeText()],
                    ),
                ),
                (
                    "body",
                    models.TextField(
                        help_text="The article's text, exactly as drafted; the proposal's offsets index into it."
                    ),
                ),
                (
                    "published_on",
                    models.DateField(
                        blank=True,
                        help_text="Publication date: relative dates in the text are read against it.",
                        null=True,
                    ),
                ),
                (
                    "publisher",
                    models.CharField(
                        blank=True, max_length=200, validators=[briefing.validators.DisplaySafeText()]
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        blank=True, max_length=500, validators=[briefing.validators.DisplaySafeText()]
                    ),
                ),
                (
                    "proposal",
                    models.JSONField(
                        help_text="The drafter's fixture (format 2) as it made it, never edited: decisions apply to it."
                    ),
                ),
                (
                    "decisions",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text='The editor\'s decision on each proposed item: `{"statements": [...], "meetings": [...]}`, one entry per item in the proposal\'s order (null while undecided).',
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("in_review", "In review"),
                            ("published", "Published"),
                            ("discarded", "Discarded"),
                        ],
                        default="in_review",
                        max_length=20,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                (
                    "article",
                    models.ForeignKey(
                        blank=True,
                        help_text="The article publishing made of it.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="drafts",
                        to="briefing.article",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
