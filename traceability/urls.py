from django.urls import path, re_path

from traceability import views

app_name = "traceability"

# GS1 Digital Link: /01/{gtin}/10/{lot}[/21/{serial}]; the GTIN is checked in the view so a
# wrong check digit gets a helpful 400 page rather than a bare 404.
urlpatterns = [
    re_path(
        r"^01/(?P<gtin>[^/]+)/10/(?P<lot>[^/]+)/21/(?P<serial>[^/]+)/?$",
        views.resolve,
        name="serial",
    ),
    re_path(r"^01/(?P<gtin>[^/]+)/10/(?P<lot>[^/]+)/?$", views.resolve, name="lot"),
    path("truy-xuat/lo/<int:pk>/nhan.png", views.label_png, name="label_png"),
    path("truy-xuat/lo/<int:pk>/nhan.pdf", views.label_sheet, name="label_sheet"),
    path("truy-xuat/bao-gia-mao", views.report_fake, name="report_fake"),
    path("truy-xuat/khoa-cong-khai.json", views.public_key, name="public_key"),
    path("truy-xuat/diem-neo.json", views.checkpoint_list, name="checkpoints"),
]
