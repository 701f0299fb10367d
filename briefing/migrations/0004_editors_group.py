"""The `Editors` group: add, change and view on every briefing model, and nothing else.

Editors curate data in the admin and through the API; they delete nothing and manage no
accounts. A new briefing model needs a new migration adding its permissions here.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
MODELS = ["organization", "official", "article", "topic", "meeting", "participation", "statement"]
ACTIONS = ["add", "change", "view"]


def create_editors_group(apps, schema_editor):
    """Create the group with exactly the editor permissions (creating the permissions first)."""
    app_config = apps.get_app_config("briefing")
    # Permissions are normally created after `migrate` finishes, so on a fresh database they do
    # not exist yet. create_permissions() skips an app config without a models module, which
    # the migration state's app configs never have.
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    permissions = Permission.objects.filter(content_type__app_label="briefing", codename__in=codenames)
    if permissions.count() != len(codenames):
        raise RuntimeError(f"Missing briefing permissions for the {GROUP} group.")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(permissions)


def delete_editors_group(apps, schema_editor):
    """Remove the group (its members keep their accounts)."""
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("briefing", "0003_change_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
