"""The office's channel settings and each person's view of what reaches them."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import can_configure_channels, person_of
from departments.models import Department

from .dispatch import all_rules, mobile_of
from .forms import PeopleForm, RulesForm, SmsGatewayForm, UnitRobotForm
from .models import NoticeRule, PersonChannel, SmsGateway, UnitChannel
from .notices import EMAIL, NOTICE_TYPES, ROBOT, SMS
from .secrets import SecretUnreadable, mask_phone


def _require_office(request) -> None:
    if not can_configure_channels(request.user):
        raise PermissionDenied("仅督查室和管理员可以设置通知渠道")


@login_required
@require_GET
def settings_page(request):
    _require_office(request)
    return _render_settings(request, RulesForm(rules=all_rules()))


def _render_settings(request, rules_form, status=200):
    channels = {uc.department_id: uc for uc in UnitChannel.objects.all()}
    sms_counts = dict(
        PersonChannel.objects.filter(sms=True, user__is_active=True)
        .values_list("user__profile__department_id")
        .annotate(n=Count("pk"))
    )
    people = dict(
        get_user_model()
        .objects.filter(is_active=True, profile__department__isnull=False)
        .filter(Q(profile__is_reporter=True) | Q(profile__is_unit_head=True))
        .values_list("profile__department_id")
        .annotate(n=Count("pk"))
    )
    units = [
        {
            "department": d,
            "robot": channels.get(d.pk),
            "sms": sms_counts.get(d.pk, 0),
            "people": people.get(d.pk, 0),
        }
        for d in Department.objects.filter(is_active=True)
    ]
    context = {
        "rules_form": rules_form,
        "gateway": SmsGateway.current(),
        "units": units,
        "robots": sum(1 for u in units if u["robot"] and u["robot"].has_robot),
        "cap": settings.NOTIFY_DAILY_CAP,
    }
    return render(request, "notifications/settings.html", context, status=status)


@login_required
@require_POST
def save_rules(request):
    _require_office(request)
    form = RulesForm(request.POST, rules=all_rules())
    if not form.is_valid():
        messages.error(request, "提交的内容不正确，请重新选择。")
        return _render_settings(request, form, status=400)
    with transaction.atomic():
        for notice_type, chosen in form.chosen().items():
            NoticeRule.objects.update_or_create(
                notice_type=notice_type, defaults={**chosen, "updated_by": request.user}
            )
    messages.success(request, "已保存各类通知的发送渠道。")
    return redirect("channels:settings")


def _unit_people(department):
    return list(
        get_user_model()
        .objects.filter(is_active=True, profile__department=department)
        .filter(Q(profile__is_reporter=True) | Q(profile__is_unit_head=True))
        .select_related("profile")
        .order_by("pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_page(request, department_id: int):
    _require_office(request)
    department = get_object_or_404(Department, pk=department_id, is_active=True)
    current = UnitChannel.objects.filter(department=department).first()
    people = _unit_people(department)
    sms_ids = set(
        PersonChannel.objects.filter(user__in=people, sms=True).values_list("user_id", flat=True)
    )
    data = request.POST if request.method == "POST" else None
    robot_form = UnitRobotForm(data, current=current, prefix="robot")
    people_form = PeopleForm(data, people=people, sms_ids=sms_ids, prefix="people")
    if data is not None:
        if robot_form.is_valid() and people_form.is_valid():
            try:
                with transaction.atomic():
                    _save_robot(department, current, robot_form.cleaned_data, request.user)
                    _save_people(people_form, request.user)
            except SecretUnreadable as error:
                robot_form.add_error("robot_url", str(error))
            else:
                messages.success(request, f"已保存{department.name}的通知渠道。")
                return redirect("channels:unit", department.pk)
        messages.error(request, "请按提示修改后再保存。")
    status = 400 if data is not None else 200
    return render(
        request,
        "notifications/unit.html",
        {"department": department, "robot_form": robot_form, "people_form": people_form},
        status=status,
    )


def _save_robot(department, current, data, user) -> None:
    channel = current or UnitChannel(department=department)
    kind = data["robot_kind"]
    if kind == "none":
        channel.clear_robot()
    else:
        url = data["robot_url"] or channel.robot_url()
        secret = data["robot_secret"] or None
        if data["clear_secret"] or kind != UnitChannel.Kind.DINGTALK:
            secret = ""
        channel.set_robot(kind, url, secret)
        channel.robot_format = data["robot_format"]
    channel.updated_by = user
    channel.save()


def _save_people(form, user) -> None:
    for person, phone_field, sms_field in form.people:
        phone = form.cleaned_data[phone_field.name]
        if person.profile.phone != phone:
            person.profile.phone = phone
            person.profile.save(update_fields=["phone"], changed_by=user)
        PersonChannel.objects.update_or_create(
            user=person, defaults={"sms": form.cleaned_data[sms_field.name]}
        )


@login_required
@require_http_methods(["GET", "POST"])
def sms_gateway(request):
    _require_office(request)
    gateway = SmsGateway.current()
    initial = {
        "enabled": gateway.enabled,
        "url": gateway.url,
        "account": gateway.account,
        "template_id": gateway.template_id,
        "sign_name": gateway.sign_name,
    }
    form = SmsGatewayForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            for name in ("enabled", "url", "account", "template_id", "sign_name"):
                setattr(gateway, name, data[name])
            if data["password"]:
                gateway.set_password(data["password"])
            gateway.updated_by = request.user
            gateway.save()
            messages.success(request, "已保存短信网关设置。")
            return redirect("channels:sms")
        messages.error(request, "请按提示修改后再保存。")
    return render(
        request,
        "notifications/sms.html",
        {"form": form, "gateway": gateway},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def mine(request):
    """What reaches me: per notice type, the channels that would carry it to me now."""
    person = person_of(request.user)
    user = request.user
    unit = person.unit
    robot = UnitChannel.objects.filter(department=unit).first() if unit else None
    has_robot = bool(robot and robot.has_robot)
    sms_on = PersonChannel.objects.filter(user=user, sms=True).exists()
    phone = mobile_of(user) if person.profile else ""
    gateway_ready = SmsGateway.current().ready
    rules = all_rules()
    rows = []
    for notice_type, label in NOTICE_TYPES:
        chosen = rules[notice_type]
        rows.append(
            {
                "label": label,
                "email": EMAIL in chosen and bool(user.email),
                "robot": ROBOT in chosen and has_robot,
                "sms": SMS in chosen and sms_on and bool(phone) and gateway_ready,
            }
        )
    context = {
        "rows": rows,
        "unit": unit,
        "has_robot": has_robot,
        "email": user.email,
        "phone": mask_phone(phone) if phone else "",
        "sms_on": sms_on,
        "gateway_ready": gateway_ready,
    }
    return render(request, "notifications/mine.html", context)
