from django.contrib.auth import views as auth_views
from django.urls import path

from config.ratelimit import limit_exempt, rate_limited
from marketplace.access import public
from marketplace.coverage import onboarding_views, views
from producers.portal.urls import SIGN_IN, SIGN_OUT

app_name = "coverage"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("xuat/<slug:slug>.<str:fmt>", views.export, name="export"),
    path("nhap-so/", views.upload, name="upload"),
    path("nhap-so/<int:job_id>/", views.upload_job, name="upload_job"),
    path("nhap-so/<int:job_id>/tien-do.json", views.upload_progress, name="upload_progress"),
    path("doi-chieu/", views.review, name="review"),
    path("doi-chieu/<int:link_id>/", views.review_decide, name="review_decide"),
    path("chu-the/", onboarding_views.call_list, name="call_list"),
    path("chu-the/<str:code>/moi/", onboarding_views.invite_owner, name="invite_owner"),
    path(
        "dang-nhap/",
        public(SIGN_IN)(
            rate_limited("signin")(
                auth_views.LoginView.as_view(
                    template_name="coverage/login.html", next_page="coverage:dashboard"
                )
            )
        ),
        name="login",
    ),
    path(
        "dang-xuat/",
        public(SIGN_OUT)(
            limit_exempt("ends the caller's own session")(
                auth_views.LogoutView.as_view(next_page="coverage:login")
            )
        ),
        name="logout",
    ),
]
