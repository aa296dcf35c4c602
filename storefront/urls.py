from django.urls import path

from storefront import views

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    path("san-pham/", views.product_list, name="products"),
    path("danh-muc/<str:code>/", views.product_set, name="product_set"),
    path("san-pham/<slug:slug>/", views.product_detail, name="product"),
    path("nha-san-xuat/<slug:slug>/", views.producer_detail, name="producer"),
]
