"""ID numbers of accounts: encrypted, with a blind index (decision 0031). Values stored in
clear before are encrypted in place; reversing decrypts them again."""

import portal.pii
from django.db import migrations, models


def encrypt_existing(apps, schema_editor):
    from portal import pii

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, id_type, id_number FROM portal_user WHERE id_number <> ''")
        for pk, id_type, number in cursor.fetchall():
            if pii.is_encrypted(number):
                continue
            plain = pii.normalise(id_type, number)
            cursor.execute(
                "UPDATE portal_user SET id_number = %s, id_index = %s WHERE id = %s",
                [pii.encrypt(plain), pii.blind_index(id_type, plain), pk],
            )


def decrypt_existing(apps, schema_editor):
    from portal import pii

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, id_number FROM portal_user WHERE id_number <> ''")
        for pk, stored in cursor.fetchall():
            if pii.is_encrypted(stored):
                cursor.execute(
                    "UPDATE portal_user SET id_number = %s, id_index = '' WHERE id = %s",
                    [pii.decrypt(stored)[:32], pk],
                )


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0013_audit_keyed_mac'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='id_index',
            field=models.CharField(blank=True, db_index=True, max_length=80, verbose_name='ID number index'),
        ),
        migrations.AlterField(
            model_name='user',
            name='id_number',
            field=portal.pii.EncryptedIdField(index_field='id_index', type_field='id_type', verbose_name='ID number'),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
