"""SubmissionSection.text_lv and text_en fold into SubmissionSection.texts, a language map
({language code: text}) in the profile's languages; a language without its text is
left out (the country's is needed to submit)."""

from django.conf import settings
from django.db import migrations, models

# The language of the column folded into the map besides the country's own.
ENGLISH = "en"
BATCH = 1000


def texts_from_columns(apps, schema_editor):
    SubmissionSection = apps.get_model("interop", "SubmissionSection")
    own = settings.LANGUAGE_CODE
    changed = []
    for text in SubmissionSection.objects.order_by("pk").iterator(chunk_size=BATCH):
        texts = {ENGLISH: text.text_en} if text.text_en else {}
        if text.text_lv:
            texts = {own: text.text_lv, **{k: v for k, v in texts.items() if k != own}}
        text.texts = texts
        changed.append(text)
    SubmissionSection.objects.bulk_update(changed, ["texts"], batch_size=BATCH)


def columns_from_texts(apps, schema_editor):
    SubmissionSection = apps.get_model("interop", "SubmissionSection")
    own = settings.LANGUAGE_CODE
    changed = []
    for text in SubmissionSection.objects.order_by("pk").iterator(chunk_size=BATCH):
        text.text_lv = text.texts.get(own, "")
        text.text_en = "" if own == ENGLISH else text.texts.get(ENGLISH, "")
        changed.append(text)
    SubmissionSection.objects.bulk_update(changed, ["text_lv", "text_en"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("interop", "0004_country_language_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="submissionsection",
            name="texts",
            field=models.JSONField(blank=True, default=dict, verbose_name="texts"),
        ),
        migrations.RunPython(texts_from_columns, columns_from_texts),
        migrations.RemoveField(model_name="submissionsection", name="text_lv"),
        migrations.RemoveField(model_name="submissionsection", name="text_en"),
    ]
