"""The two staff roles: Moderators work the comment queue, Editors the articles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = {
    "comments": {
        "comment": ["view", "change", "moderate", "view_commenter_personal_data"],
        "commentstatuschange": ["view"],
    },
}
EDITORS = {
    "articles": {
        model: ["view", "add", "change", "delete"]
        for model in ["article", "articleauthor", "author", "category", "tag"]
    },
}
GROUPS = {"Moderators": MODERATORS, "Editors": EDITORS}


def codename(action, model):
    if action == "moderate":
        return f"moderate_{model}"
    if action == "view_commenter_personal_data":
        return action
    return f"{action}_{model}"


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, models in grants.items():
            for model, actions in models.items():
                group.permissions.add(
                    *Permission.objects.filter(
                        content_type__app_label=app_label,
                        content_type__model=model,
                        codename__in=[codename(action, model) for action in actions],
                    )
                )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0001_initial"),
        ("comments", "0002_moderation_permissions_and_audit_batch"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
