import base64
import io
import logging

from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from common.export import maybe_export
from departments.models import Profile

from . import onboarding, throttle
from .filters import AccountFilterSet
from .roles import can_manage_accounts, person_of, start_url
from .tables import AccountTable

logger = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def office_required(view):
    """Login plus the office role; others get 403."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_manage_accounts(request.user):
            raise PermissionDenied("仅督查室可用")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _lock_message(until) -> str:
    local = timezone.localtime(until)
    return (
        f"登录失败次数过多，该账号在本机已被暂时锁定，请于 {local:%H:%M} 后再试，或联系督查室解锁。"
    )


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    if request.user.is_authenticated:
        return redirect(start_url(request.user))
    form = AuthenticationForm(request, data=request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    if request.method == "POST":
        username = request.POST.get("username", "")
        ip_address = throttle.client_ip(request)
        until = throttle.locked_until(username, ip_address)
        if until is not None:
            # Refused before the password is even checked, so a lock cannot be probed.
            logger.warning("login refused (locked) username=%r ip=%s", username[:150], ip_address)
            form = AuthenticationForm(request)
            messages.error(request, _lock_message(until))
            status = 429
        elif form.is_valid():
            throttle.clear(username, ip_address)
            user = form.get_user()
            login(request, user)
            logger.info("login ok user_id=%s ip=%s", user.pk, ip_address)
            safe = url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            return redirect(next_url if next_url and safe else start_url(user))
        else:
            throttle.record_failure(username, ip_address)
            logger.warning("login failed username=%r ip=%s", username[:150], ip_address)
            until = throttle.locked_until(username, ip_address)
            if until is not None:
                messages.error(request, _lock_message(until))
                status = 429
    return render(
        request, "registration/login.html", {"form": form, "next": next_url}, status=status
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    forced = _must_change_password(request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        Profile.objects.filter(user=user).update(must_change_password=False)
        messages.success(request, "密码已修改。")
        return redirect(start_url(user))
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


def _must_change_password(user) -> bool:
    profile = person_of(user).profile
    return bool(profile and profile.must_change_password)


@login_required
def no_role(request):
    return render(request, "accounts/no_role.html", status=403)


@office_required
def account_list(request):
    queryset = get_user_model().objects.select_related("profile__department", "leader")
    filterset = AccountFilterSet(request.GET or None, queryset=queryset)
    table = AccountTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    if exported := maybe_export(request, table, "账号清单"):
        return exported
    locks = throttle.current_locks()
    return render(
        request, "accounts/account_list.html", {"table": table, "filter": filterset, "locks": locks}
    )


@office_required
@require_POST
def unlock(request):
    username = request.POST.get("username", "")
    removed = throttle.clear(username, request.POST.get("ip_address") or None)
    logger.info("login unlocked username=%r by user_id=%s", username[:150], request.user.pk)
    messages.success(request, f"已解锁 {username}（清除 {removed} 条失败记录）。")
    return redirect("accounts:list")


@office_required
@require_POST
def reset_password(request, user_id: int):
    user = get_object_or_404(get_user_model(), pk=user_id)
    if user.is_superuser and not request.user.is_superuser:
        raise PermissionDenied("不能重置管理员的密码")
    password = onboarding.one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    Profile.objects.update_or_create(user=user, defaults={"must_change_password": True})
    throttle.clear(user.username)
    logger.info("password reset for user_id=%s by user_id=%s", user.pk, request.user.pk)
    messages.success(
        request,
        f"{user.get_full_name() or user.username} 的一次性密码：{password}"
        "（仅显示这一次，首次登录须修改）",
    )
    return redirect("accounts:list")


@office_required
def account_import(request):
    """Step 1 checks an upload (nothing written); step 2 creates and returns the passwords."""
    context = {"max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    if request.method == "POST" and request.POST.get("step") == "create":
        return _create_from_session(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要上传的 xlsx 文件。")
        elif upload.size > MAX_UPLOAD_BYTES:
            messages.error(request, f"文件过大：最大 {context['max_mb']} MB。")
        else:
            data = upload.read()
            try:
                validation = onboarding.validate(onboarding.read_rows(data))
            except onboarding.OnboardingError as error:
                messages.error(request, str(error))
            else:
                context["validation"] = validation
                if validation.ok:
                    request.session["account_import"] = base64.b64encode(data).decode()
    return render(request, "accounts/account_import.html", context)


def _create_from_session(request):
    encoded = request.session.pop("account_import", None)
    if not encoded:
        messages.error(request, "请先上传并检查文件。")
        return redirect("accounts:import")
    # The file is checked again: accounts may have been created since the first check.
    validation = onboarding.validate(onboarding.read_rows(base64.b64decode(encoded)))
    if not validation.ok:
        messages.error(request, "文件检查未通过（可能已有人创建了同名账号），未创建任何账号。")
        return render(request, "accounts/account_import.html", {"validation": validation})
    try:
        issued = onboarding.create_accounts(validation, changed_by=request.user)
    except onboarding.OnboardingError as error:
        # Two requests at once (a double click): the other one created the accounts.
        messages.error(request, str(error))
        return render(request, "accounts/account_import.html", {"validation": None}, status=409)
    handle = io.BytesIO()  # in memory: no temporary file, no descriptor left open
    onboarding.credentials_workbook(issued, handle)
    handle.seek(0)
    filename = f"初始账号-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=filename)
