"""Institution.name_en folds into Institution.names, a language map ({language code:
name}) in the profile's languages; `name` stays, the name in the country's language,
derived from `names` by institution_save (lists sort and search by it)."""

from django.conf import settings
from django.db import migrations, models

# The language of the column folded into the map.
ENGLISH = "en"
BATCH = 1000


def names_from_columns(apps, schema_editor):
    Institution = apps.get_model("accounts", "Institution")
    own = settings.LANGUAGE_CODE
    changed = []
    for institution in Institution.objects.order_by("pk").iterator(chunk_size=BATCH):
        names = {own: institution.name}
        if institution.name_en and own != ENGLISH:
            names[ENGLISH] = institution.name_en
        institution.names = names
        changed.append(institution)
    Institution.objects.bulk_update(changed, ["names"], batch_size=BATCH)


def columns_from_names(apps, schema_editor):
    Institution = apps.get_model("accounts", "Institution")
    own = settings.LANGUAGE_CODE
    changed = []
    for institution in Institution.objects.order_by("pk").iterator(chunk_size=BATCH):
        institution.name = institution.names.get(own) or institution.name
        institution.name_en = "" if own == ENGLISH else institution.names.get(ENGLISH, "")
        changed.append(institution)
    Institution.objects.bulk_update(changed, ["name", "name_en"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_country_language_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="institution",
            name="names",
            field=models.JSONField(default=dict, verbose_name="names"),
        ),
        migrations.RunPython(names_from_columns, columns_from_names),
        migrations.RemoveField(model_name="institution", name="name_en"),
    ]
