from django.urls import path

from producers.tokens import views

app_name = "tokens"

urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/thu-hoi/", views.revoke, name="revoke"),
]
