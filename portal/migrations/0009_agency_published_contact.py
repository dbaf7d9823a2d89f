"""The agency's published contact is its own field (issue 10): an office, its role mailbox and
its office line, entered on purpose. The new fields start empty for every agency stored
before: the contact person copied from the registrant's own name, mobile and e-mail stays
private, and the directory says no contact is published until the agency chooses one."""

import portal.models.tenant
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0008_document_status'),
    ]

    operations = [
        migrations.AddField(
            model_name='agency',
            name='public_contact_name',
            field=models.CharField(blank=True, max_length=60, verbose_name='published contact (office)'),
        ),
        migrations.AddField(
            model_name='agency',
            name='public_email',
            field=models.EmailField(blank=True, error_messages={'invalid': 'Enter an e-mail address such as kaowu@example.org.'}, max_length=254, verbose_name='published e-mail'),
        ),
        migrations.AddField(
            model_name='agency',
            name='public_phone',
            field=models.CharField(blank=True, max_length=30, validators=[portal.models.tenant.validate_office_phone], verbose_name='published phone'),
        ),
    ]
