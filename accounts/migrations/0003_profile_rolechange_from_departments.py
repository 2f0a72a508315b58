"""Profile and RoleChange move from departments to accounts, keeping their tables.

State only: the models now live here with db_table set to the tables departments created
(departments_profile, departments_rolechange), so no row is copied and nothing is dropped.
departments/0003 removes them from departments' state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_delete_loginfailure'),
        ('departments', '0002_district'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Profile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('is_reporter', models.BooleanField(default=False, verbose_name='填报员')),
                        ('is_unit_head', models.BooleanField(default=False, verbose_name='单位负责人')),
                        ('is_office', models.BooleanField(default=False, verbose_name='督查室')),
                        ('phone', models.CharField(blank=True, max_length=20, verbose_name='手机')),
                        ('must_change_password', models.BooleanField(default=False, verbose_name='下次登录须改密码')),
                        ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='departments.department', verbose_name='所在单位')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '人员',
                        'verbose_name_plural': '人员',
                        'db_table': 'departments_profile',
                    },
                ),
                migrations.CreateModel(
                    name='RoleChange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('changed_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                        ('what', models.CharField(max_length=50, verbose_name='项目')),
                        ('old_value', models.CharField(blank=True, max_length=200, verbose_name='原值')),
                        ('new_value', models.CharField(blank=True, max_length=200, verbose_name='新值')),
                        ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='修改人')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_changes', to=settings.AUTH_USER_MODEL, verbose_name='被修改的账号')),
                    ],
                    options={
                        'verbose_name': '角色变更记录',
                        'verbose_name_plural': '角色变更记录',
                        'ordering': ['-changed_at', '-pk'],
                        'db_table': 'departments_rolechange',
                    },
                ),
            ],
        ),
    ]
