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
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from common.export import maybe_export
from common.redirects import redirect_next

from . import onboarding, throttle
from .filters import AccountFilterSet
from .models import Profile
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


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    """Log in. Throttling is django-axes' (accounts.throttle): a locked login never reaches the
    password check, and its 429 page replaces this view's response."""
    if request.user.is_authenticated:
        return redirect(start_url(request.user))
    form = AuthenticationForm(request, data=request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        ip_address = throttle.client_ip(request)
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            logger.info("login ok user_id=%s ip=%s", user.pk, ip_address)
            return redirect_next(request, next_url, start_url(user))
        username = throttle.normalize_username(request.POST.get("username", ""))
        logger.warning("login failed username=%r ip=%s", username[:150], ip_address)
    return render(request, "registration/login.html", {"form": form, "next": next_url})


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
    username = throttle.normalize_username(request.POST.get("username", ""))
    typed_ip = request.POST.get("ip_address", "").strip()
    ip_address = throttle.valid_ip(typed_ip)
    if typed_ip and ip_address is None:
        messages.error(request, "IP 地址格式不正确，未解锁。")
        return redirect("accounts:list")
    if not username and not ip_address:
        messages.error(request, "请指明要解锁的用户名或地址。")
        return redirect("accounts:list")
    removed = throttle.clear(username, ip_address)
    logger.info(
        "login unlocked username=%r ip=%s by user_id=%s",
        username[:150],
        ip_address,
        request.user.pk,
    )
    who = " / ".join(part for part in (username, ip_address) if part)
    messages.success(request, f"已解锁 {who}（清除 {removed} 条失败记录）。")
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
