from django.urls import path

from marketplace.invoices import views

app_name = "invoices"

urlpatterns = [
    path("tra-cuu/", views.lookup_view, name="lookup"),
    path("<str:code>/", views.detail_view, name="detail"),
    path("<str:code>/hoa-don.pdf", views.pdf_view, name="pdf"),
    path("<str:code>/hoa-don.xml", views.xml_view, name="xml"),
]
