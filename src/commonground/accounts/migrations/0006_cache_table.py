"""The cache's table (settings.CACHES: Django's database cache), so that `migrate` alone makes a
database ready: the abuse limits count there (accounts.throttle, decision 0022)."""

from typing import Any

from django.core.management import call_command
from django.db import migrations


def make_cache_table(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_api_token_expiry"),
    ]

    operations = [migrations.RunPython(make_cache_table, migrations.RunPython.noop)]
