from django.urls import path, re_path

from traceability import epcis_rest, evidence_views, tree_views, views

app_name = "traceability"

# GS1 Digital Link: everything under /01/ is parsed by the resolver itself, so a malformed
# path gets a 400 (GS1-Conformant resolver) rather than a bare 404.
urlpatterns = [
    re_path(r"^01/(?P<rest>[\s\S]*)$", views.resolve, name="resolve"),  # "." skips newlines
    path(".well-known/gs1resolver", views.resolver_description, name="gs1resolver"),
    re_path(
        r"^truy-xuat/epcis/(?P<gtin>[^/]+)/(?P<lot>[^/]+)\.jsonld$",  # checked in the view
        views.epcis_document,
        name="epcis_document",
    ),
    path("truy-xuat/lo/<int:pk>/nhan.png", views.label_png, name="label_png"),
    path("truy-xuat/lo/<int:pk>/nhan.pdf", views.label_sheet, name="label_sheet"),
    path("truy-xuat/minh-chung/<int:pk>", evidence_views.open_evidence, name="evidence"),
    path("truy-xuat/bao-gia-mao", views.report_fake, name="report_fake"),
    path("epcis/capture", epcis_rest.capture_view, name="epcis_capture"),
    path(
        "epcis/capture/<str:capture_id>",
        epcis_rest.capture_job_view,
        name="epcis_capture_job",
    ),
    path("epcis/events", epcis_rest.events_view, name="epcis_events"),
    path("truy-xuat/khoa-cong-khai.json", tree_views.public_key, name="public_key"),
    path("truy-xuat/diem-neo.json", tree_views.checkpoint_list, name="checkpoints"),
    path("truy-xuat/cay/chung-minh.json", tree_views.lot_proof, name="tree_proof"),
    path("truy-xuat/cay/nhat-quan.json", tree_views.consistency, name="tree_consistency"),
]
