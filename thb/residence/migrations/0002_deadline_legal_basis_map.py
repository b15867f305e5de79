"""Deadline.legal_basis and legal_basis_en fold into Deadline.legal_basis, a language
map ({language code: citation}) in the profile's languages."""

from django.conf import settings
from django.db import migrations, models

# The language of the column folded into the map besides the country's own.
ENGLISH = "en"
BATCH = 1000


def map_from_columns(apps, schema_editor):
    Deadline = apps.get_model("residence", "Deadline")
    own = settings.LANGUAGE_CODE
    changed = []
    for deadline in Deadline.objects.order_by("pk").iterator(chunk_size=BATCH):
        cited = {own: deadline.legal_basis}
        if deadline.legal_basis_en and own != ENGLISH:
            cited[ENGLISH] = deadline.legal_basis_en
        deadline.legal_basis_map = cited
        changed.append(deadline)
        if len(changed) == BATCH:
            Deadline.objects.bulk_update(changed, ["legal_basis_map"])
            changed = []
    Deadline.objects.bulk_update(changed, ["legal_basis_map"])


def columns_from_map(apps, schema_editor):
    Deadline = apps.get_model("residence", "Deadline")
    own = settings.LANGUAGE_CODE
    changed = []
    for deadline in Deadline.objects.order_by("pk").iterator(chunk_size=BATCH):
        cited = deadline.legal_basis_map
        deadline.legal_basis = cited.get(own, "")
        # The column was required: the country's citation where there is no English one.
        deadline.legal_basis_en = cited.get(ENGLISH) or deadline.legal_basis
        changed.append(deadline)
        if len(changed) == BATCH:
            Deadline.objects.bulk_update(changed, ["legal_basis", "legal_basis_en"])
            changed = []
    Deadline.objects.bulk_update(changed, ["legal_basis", "legal_basis_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("residence", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="legal_basis_map",
            field=models.JSONField(default=dict, verbose_name="legal basis"),
            preserve_default=False,
        ),
        migrations.RunPython(map_from_columns, columns_from_map),
        # A default for the columns removed next, so that migrating back can add them to
        # existing rows before columns_from_map fills them.
        migrations.AlterField(
            model_name="deadline",
            name="legal_basis",
            field=models.CharField(default="", max_length=300, verbose_name="legal basis"),
        ),
        migrations.AlterField(
            model_name="deadline",
            name="legal_basis_en",
            field=models.CharField(
                default="", max_length=300, verbose_name="legal basis (English)"
            ),
        ),
        migrations.RemoveField(model_name="deadline", name="legal_basis"),
        migrations.RemoveField(model_name="deadline", name="legal_basis_en"),
        migrations.RenameField(
            model_name="deadline", old_name="legal_basis_map", new_name="legal_basis"
        ),
    ]
