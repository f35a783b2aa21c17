"""Login (with limits and second factor), logout, the account page, two-factor set-up, tokens."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from atrocity_watch.web.accounts import ratelimit, twofactor
from atrocity_watch.web.accounts.forms import (
    CodeForm,
    EnrolForm,
    LoginForm,
    PasswordConfirmForm,
    TokenForm,
)
from atrocity_watch.web.accounts.models import ApiToken, RecoveryCode, TwoFactorDevice
from atrocity_watch.web.accounts.permissions import login_only, memberships
from atrocity_watch.web.audit.log import client_address, record, snapshot
from atrocity_watch.web.audit.models import Action

PENDING = "aw_pending_second_factor"
ENROL = "aw_enrol_secret"
PENDING_LIFETIME = dt.timedelta(minutes=5)


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("core:home")


def _blocked(request: HttpRequest, username: str) -> HttpResponse | None:
    block = ratelimit.check(username, client_address(request))
    if block is None:
        return None
    record(
        Action.LOGIN_BLOCKED,
        request=request,
        object_type="auth.user",
        object_repr=username,
        after={"username": username, "reason": block.reason},
    )
    response = render(request, "429.html", {"message": block.message}, status=429)
    response["Retry-After"] = str(int(block.retry_after.total_seconds()) + 1)
    return response


@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: user name and password (step two, when set up, is the authenticator code)."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        blocked = _blocked(request, username)
        if blocked is not None:
            return blocked
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is None:
            form.add_error(
                None,
                "The user name or password is not right. Both are case-sensitive. After "
                f"{ratelimit.MAX_FAILURES_PER_USERNAME} failures, logins are paused for "
                f"{int(ratelimit.WINDOW.total_seconds() // 60)} minutes.",
            )
        elif twofactor.enabled(user):
            request.session[PENDING] = {
                "user": user.pk,
                "backend": getattr(user, "backend", ""),
                "since": timezone.now().isoformat(),
                "next": next_url,
            }
            return redirect("accounts:login_verify")
        else:
            login(request, user)
            return redirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """Step two: a code from the authenticator app, or a recovery code."""
    pending = request.session.get(PENDING)
    if (
        not pending
        or timezone.now() - dt.datetime.fromisoformat(pending["since"]) > PENDING_LIFETIME
    ):
        request.session.pop(PENDING, None)
        messages.info(request, "Please log in again: the login took too long.")
        return redirect("accounts:login")
    user = get_object_or_404(User, pk=pending["user"], is_active=True)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        blocked = _blocked(request, user.username)
        if blocked is not None:
            return blocked
        code = form.cleaned_data["code"].strip()
        used_recovery = False
        device = TwoFactorDevice.objects.filter(user=user).first()
        if device is not None and code.replace(" ", "").isdigit():
            ok = twofactor.verify_code(device, code)
        else:
            ok = used_recovery = twofactor.use_recovery_code(user, code)
        if ok:
            del request.session[PENDING]
            login(request, user, backend=pending["backend"] or None)
            if used_recovery:
                left = RecoveryCode.objects.filter(user=user, used_at=None).count()
                messages.warning(
                    request,
                    f"You logged in with a recovery code; {left} are left. If you lost your "
                    "authenticator, set up a new one on your account page.",
                )
            return redirect(pending["next"])
        ratelimit.note_failure(user.username, client_address(request))
        record(
            Action.LOGIN_FAILED,
            request=request,
            obj=user,
            after={"username": user.username, "reason": "wrong second-factor code"},
        )
        form.add_error(
            "code",
            "This code is not right (or was already used). Check that your phone's clock is "
            "correct and type the code that shows now.",
        )
    return render(request, "accounts/login_verify.html", {"form": form})


def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out on POST; a GET shows a button, so a link can never log anyone out."""
    if request.method == "POST":
        logout(request)
        messages.success(request, "You are logged out.")
        return redirect("accounts:login")
    return render(request, "accounts/logout.html")


@login_only
def profile(request: HttpRequest) -> HttpResponse:
    """The user's account: roles, password, two-factor login and API tokens."""
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships(user),
            "two_factor": TwoFactorDevice.objects.filter(user=user).first(),
            "recovery_left": RecoveryCode.objects.filter(user=user, used_at=None).count(),
            "tokens": ApiToken.objects.filter(user=user),
            "token_form": TokenForm(),
        },
    )


@login_only
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Show a new secret as a QR code and turn two-factor on once a code from it is typed."""
    user = request.user
    assert isinstance(user, User)
    if twofactor.enabled(user):
        messages.info(request, "Two-factor login is already on.")
        return redirect("accounts:profile")
    secret = request.session.get(ENROL) or twofactor.new_secret()
    request.session[ENROL] = secret
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = twofactor.matching_step(secret, form.cleaned_data["code"])
        if step is None:
            form.add_error("code", "This code does not match. Type the code the app shows now.")
        else:
            with transaction.atomic():
                device = TwoFactorDevice.objects.create(
                    user=user, secret=secret, last_used_step=step
                )
                codes = twofactor.new_recovery_codes(user)
                record(Action.TWO_FACTOR_ON, request=request, obj=device, after=snapshot(device))
            del request.session[ENROL]
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": True})
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "accounts/two_factor_setup.html", {"form": form, "secret": grouped})


@login_only
@never_cache
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the secret being set up (never of a confirmed one)."""
    secret = request.session.get(ENROL)
    if not secret:
        return HttpResponse(status=404)
    uri = twofactor.provisioning_uri(secret, request.user.get_username())
    return HttpResponse(twofactor.qr_svg(uri), content_type="image/svg+xml")


@login_only
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor login off after the password is confirmed."""
    user = request.user
    assert isinstance(user, User)
    form = PasswordConfirmForm(request.POST)
    if not form.is_valid() or not user.check_password(form.cleaned_data["password"]):
        messages.error(request, "The password is not right; two-factor login is still on.")
        return redirect("accounts:profile")
    device = TwoFactorDevice.objects.filter(user=user).first()
    if device is not None:
        with transaction.atomic():
            before = snapshot(device)
            device.delete()
            RecoveryCode.objects.filter(user=user).delete()
            record(Action.TWO_FACTOR_OFF, request=request, obj=user, before=before)
    messages.success(request, "Two-factor login is off.")
    return redirect("accounts:profile")


@login_only
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes (the old ones stop working)."""
    user = request.user
    assert isinstance(user, User)
    if not twofactor.enabled(user):
        return redirect("accounts:profile")
    with transaction.atomic():
        codes = twofactor.new_recovery_codes(user)
        record(Action.EDIT, request=request, obj=user, after={"recovery_codes": "renewed"})
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": False})


@login_only
@require_POST
@never_cache
def token_create(request: HttpRequest) -> HttpResponse:
    """Create an API token and show it once."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the token a name that says what it is for.")
        return redirect("accounts:profile")
    with transaction.atomic():
        token, raw = ApiToken.issue(request.user, form.cleaned_data["name"])  # type: ignore[arg-type]
        record(Action.TOKEN_CREATE, request=request, obj=token, after=snapshot(token))
    return render(request, "accounts/token_created.html", {"token": token, "raw": raw})


@login_only
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if token.active:
        with transaction.atomic():
            before = snapshot(token)
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(
                Action.TOKEN_REVOKE,
                request=request,
                obj=token,
                before=before,
                after=snapshot(token),
            )
        messages.success(
            request, f"The token “{token.name}” is revoked; scripts using it stop working."
        )
    return redirect("accounts:profile")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            record(Action.PASSWORD_CHANGE, request=self.request, obj=form.user)
        messages.success(self.request, "Your password is changed.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            record(Action.PASSWORD_RESET, request=self.request, actor=form.user, obj=form.user)
            ratelimit.clear(form.user.get_username())
        return response
