from django.urls import path

from marketplace.reviews import views

app_name = "reviews"

urlpatterns = [
    path("don-hang/<str:number>/danh-gia/<int:line_id>/", views.review_create, name="create"),
]

portal_patterns = (
    [
        path("", views.portal_reviews, name="list"),
        path("<int:pk>/tra-loi/", views.portal_reply, name="reply"),
    ],
    "reviews_portal",
)
