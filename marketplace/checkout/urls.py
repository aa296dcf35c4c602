from django.urls import path

from marketplace.checkout import views

app_name = "checkout"

urlpatterns = [
    path("gio-hang/", views.cart_view, name="cart"),
    path("gio-hang/them/", views.cart_add, name="cart-add"),
    path("gio-hang/cap-nhat/", views.cart_update, name="cart-update"),
    path("thanh-toan/", views.checkout_view, name="checkout"),
    path("thanh-toan/dia-chi-cu/", views.old_address_view, name="old-address"),
    path("don-hang/tra-cuu/", views.order_lookup_view, name="lookup"),
    path("don-hang/<str:number>/", views.order_view, name="order"),
    path("don-hang/<str:number>/vietqr.png", views.order_qr_view, name="order-qr"),
    path("don-hang/<str:number>/doi-cach-tra/", views.order_pay_view, name="order-pay"),
    path(
        "don-hang/<str:number>/tai-khoan-hoan-tien/",
        views.order_refund_account_view,
        name="order-refund-account",
    ),
    path(
        "don-hang/<str:number>/tra-hang/<int:sub_pk>/", views.order_return_view, name="order-return"
    ),
]
