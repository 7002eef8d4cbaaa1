"""Half of each page of the JHT accounts table left free, on PostgreSQL only (`core.pages`): every posting month
updates every paying member's account. Packed full, 73 % of the updates in a 10,000-person seeding moved the row to
another page and added an entry to each of the table's three indexes, and the table grew to 56 MB for 16,623
accounts; with the room, 98 % stay on their page and the table is 3.7 MB (bench/README.md)."""

from django.db import migrations

from jaminanku.core.pages import room_for_updates


class Migration(migrations.Migration):
    dependencies = [("contributions", "0006_reversal_unique_where_set")]

    operations = [room_for_updates("contributions", "Account", fillfactor=50)]
