from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from members import views as member_views
from members.forms_auth import LoginForm, PasswordChangeForm
from members.signout import SignOutView

admin.site.site_header = _("创先争优 · 管理后台")
admin.site.site_title = _("创先争优")
admin.site.index_title = _("数据管理")

urlpatterns = [
    path("", member_views.home, name="home"),
    path("setup/", member_views.setup, name="setup"),
    path("healthz", member_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        login_not_required(
            auth_views.LoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        member_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("members/", include("members.urls")),
    path("campaign/", include("campaign.urls")),
    path("reading/", include("reading.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
