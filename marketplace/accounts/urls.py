from django.urls import path

from marketplace.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.signin, name="signin"),
    path("nhap-ma/", views.code, name="code"),
    path("dang-xuat/", views.signout, name="signout"),
    path("dia-chi/<int:pk>/xoa/", views.address_delete, name="address_delete"),
    path("don-hang/<str:number>/dat-lai/", views.reorder, name="reorder"),
]
