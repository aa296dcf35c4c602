from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from config.ratelimit import limit_exempt, rate_limited
from marketplace.access import public
from producers.portal import (
    account_views,
    invoice_views,
    order_views,
    profile_views,
    recall_views,
    refund_desk_views,
    return_views,
    statement_views,
    views,
)
from producers.portal.forms import PhoneOrEmailLoginForm

app_name = "portal"

SIGN_IN = "the sign-in page (attempts limited)"
SIGN_OUT = "ends the caller's own session"
PASSWORD_RESET = "password reset by e-mail: the link goes to the account's own address"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "dang-nhap/",
        public(SIGN_IN)(
            rate_limited("signin")(
                auth_views.LoginView.as_view(
                    template_name="portal/login.html",
                    authentication_form=PhoneOrEmailLoginForm,
                    redirect_authenticated_user=True,
                    next_page=reverse_lazy("portal:dashboard"),
                )
            )
        ),
        name="login",
    ),
    path(
        "dang-xuat/",
        public(SIGN_OUT)(
            limit_exempt("ends the caller's own session")(
                auth_views.LogoutView.as_view(next_page=reverse_lazy("portal:login"))
            )
        ),
        name="logout",
    ),
    path(
        "quen-mat-khau/",
        public(PASSWORD_RESET)(
            rate_limited("password-reset")(
                auth_views.PasswordResetView.as_view(
                    template_name="portal/password_reset_form.html",
                    email_template_name="portal/email/password_reset.txt",
                    subject_template_name="portal/email/password_reset_subject.txt",
                    success_url=reverse_lazy("portal:password_reset_done"),
                )
            )
        ),
        name="password_reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        public(PASSWORD_RESET)(
            auth_views.PasswordResetDoneView.as_view(
                template_name="portal/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "dat-mat-khau/<uidb64>/<token>/",
        public(PASSWORD_RESET)(
            limit_exempt("the link's token is an HMAC of the account; guessing one is infeasible")(
                auth_views.PasswordResetConfirmView.as_view(
                    template_name="portal/password_reset_confirm.html",
                    success_url=reverse_lazy("portal:password_reset_complete"),
                )
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "dat-mat-khau/xong/",
        public(PASSWORD_RESET)(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="portal/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("quen-mat-khau/dien-thoai/", account_views.phone_reset, name="phone_reset"),
    path("quen-mat-khau/nhap-ma/", account_views.phone_reset_code, name="phone_reset_code"),
    path("kich-hoat/<str:token>/", account_views.activate, name="activate"),
    path("loi-moi/", account_views.requests, name="requests"),
    path("loi-moi/<int:pk>/", account_views.request_answer, name="request_answer"),
    path("chu-the/", account_views.choose_producer, name="choose_producer"),
    path("san-pham/", views.product_list, name="products"),
    path("san-pham/moi/", views.product_create, name="product_create"),
    path("san-pham/<int:pk>/", views.product_edit, name="product_edit"),
    path("san-pham/<int:pk>/sua-nhanh/", views.product_quick, name="product_quick"),
    path("san-pham/<int:pk>/dang-ban/", views.product_publish, name="product_publish"),
    path("san-pham/<int:pk>/nhan-ban/", views.product_duplicate, name="product_duplicate"),
    path("san-pham/<int:pk>/anh/", views.product_photos, name="product_photos"),
    path("san-pham/<int:pk>/anh/<int:image_pk>/xoa/", views.photo_delete, name="photo_delete"),
    path("san-pham/<int:pk>/anh-cho/<int:job_pk>/bo/", views.photo_dismiss, name="photo_dismiss"),
    path("san-pham/<int:pk>/anh/<int:image_pk>/di-chuyen/", views.photo_move, name="photo_move"),
    path("thanh-vien/", views.members, name="members"),
    path("ho-so-thue/", profile_views.tax_identity, name="tax_identity"),
    path("don-hang/", order_views.orders, name="orders"),
    path("don-hang/<int:pk>/", order_views.order_action, name="order_action"),
    path("don-hang/<int:pk>/phieu-gui.pdf", order_views.slip, name="order_slip"),
    path("don-hang/phieu-gui.pdf", order_views.slips_batch, name="order_slips"),
    path("don-hang/<int:pk>/huy/<int:line_pk>/", return_views.line_cancel, name="line_cancel"),
    path("tra-hang/", return_views.return_list, name="returns"),
    path("tra-hang/<int:pk>/", return_views.return_respond, name="return_respond"),
    path("hoan-tien/", refund_desk_views.desk, name="refund_desk"),
    path("hoan-tien/<int:pk>/vietqr.png", refund_desk_views.refund_qr, name="refund_qr"),
    path("hoan-tien/<int:pk>/da-chuyen/", refund_desk_views.refund_paid, name="refund_paid"),
    path("hoan-tien/tra-hang/<int:pk>/", refund_desk_views.return_decide, name="return_decide"),
    path("hoa-don/", invoice_views.invoice_list, name="invoices"),
    path("hoa-don/cai-dat/", invoice_views.invoice_settings, name="invoice_settings"),
    path("hoa-don/xuat.zip", invoice_views.invoice_export, name="invoice_export"),
    path("hoa-don/lap/<int:sub_pk>/", invoice_views.invoice_issue, name="invoice_issue"),
    path("hoa-don/<int:pk>/hoa-don.pdf", invoice_views.invoice_pdf, name="invoice_pdf"),
    path("hoa-don/<int:pk>/hoa-don.xml", invoice_views.invoice_xml, name="invoice_xml"),
    path("hoa-don/<int:pk>/thay-the/", invoice_views.invoice_replace, name="invoice_replace"),
    path("hoa-don/<int:pk>/huy/", invoice_views.invoice_cancel, name="invoice_cancel"),
    path("doi-soat/", statement_views.statement_list, name="statements"),
    path("doi-soat/<int:pk>/", statement_views.statement_detail, name="statement"),
    path(
        "doi-soat/<int:pk>/bang-doi-soat.xlsx",
        statement_views.statement_xlsx,
        name="statement_xlsx",
    ),
    path(
        "doi-soat/<int:pk>/bang-doi-soat.pdf", statement_views.statement_pdf, name="statement_pdf"
    ),
    path("lo/", views.lots, name="lots"),
    path("lo/<int:pk>/", views.lot, name="lot"),
    path("thu-hoi/", recall_views.recall, name="recall"),
    path("gian-hang-khac/", views.shop_link_list, name="shop_links"),
    path("gian-hang-khac/<int:pk>/xoa/", views.shop_link_delete, name="shop_link_delete"),
]
