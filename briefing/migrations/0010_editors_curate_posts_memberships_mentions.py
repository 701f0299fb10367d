"""The `Editors` group also adds, changes and views posts, memberships and mentions (0009's models)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
MODELS = ["post", "membership", "mention"]
ACTIONS = ["add", "change", "view"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("briefing")
    # As in 0004: permissions of models made in this run of `migrate` do not exist yet.
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    permissions = list(Permission.objects.filter(content_type__app_label="briefing", codename__in=codenames))
    if len(permissions) != len(codenames):
        raise RuntimeError(f"Missing briefing permissions for the {GROUP} group.")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="briefing", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("briefing", "0009_reported_dates_mentions_posts_attribution")]

    operations = [migrations.RunPython(grant, revoke)]
