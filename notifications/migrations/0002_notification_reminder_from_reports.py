"""Notification and Reminder move from reports to notifications, keeping their tables.

State only: the models now live here with db_table set to the tables reports created
(reports_notification, reports_reminder), so no row is copied and nothing is dropped.
reports/0005 removes them from reports' state.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('departments', '0001_initial'),
        ('notifications', '0001_channels_and_deliveries'),
        ('reports', '0004_reportjob_heartbeat'),
        ('tasks', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('reminder', '催办'), ('instruction', '批示'), ('returned', '退回'), ('other', '其他')], default='other', max_length=20, verbose_name='类别')),
                        ('title', models.CharField(max_length=200, verbose_name='标题')),
                        ('body', models.TextField(blank=True, verbose_name='内容')),
                        ('url', models.CharField(blank=True, max_length=500, verbose_name='链接')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
                    ],
                    options={
                        'verbose_name': '通知',
                        'verbose_name_plural': '通知',
                        'ordering': ['-created_at', '-pk'],
                        'db_table': 'reports_notification',
                        'indexes': [models.Index(fields=['user', 'read_at'], name='notification_user_read')],
                    },
                ),
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period_key', models.CharField(max_length=10, verbose_name='期次')),
                        ('kind', models.CharField(choices=[('before_due', '截止前提醒'), ('after_due', '逾期催办'), ('manual', '督查室催办')], max_length=20, verbose_name='方式')),
                        ('sent_at', models.DateTimeField(verbose_name='催办时间')),
                        ('missing_tasks', models.PositiveIntegerField(default=0, verbose_name='未报送任务数')),
                        ('recipients', models.PositiveIntegerField(default=0, verbose_name='通知人数')),
                        ('emailed', models.PositiveIntegerField(default=0, verbose_name='邮件发送数')),
                        ('email_error', models.CharField(blank=True, max_length=500, verbose_name='邮件错误')),
                        ('department', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='departments.department', verbose_name='单位')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='tasks.plan', verbose_name='方案')),
                        ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='催办人')),
                    ],
                    options={
                        'verbose_name': '催办记录',
                        'verbose_name_plural': '催办记录',
                        'ordering': ['-sent_at', '-pk'],
                        'db_table': 'reports_reminder',
                        'constraints': [models.UniqueConstraint(fields=('plan', 'period_key', 'department', 'kind'), name='reminder_once_per_unit_period_kind')],
                    },
                ),
            ],
        ),
    ]
