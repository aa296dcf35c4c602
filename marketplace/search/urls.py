from django.urls import path

from marketplace.search import views

app_name = "search"

urlpatterns = [
    path("suggest", views.suggest, name="suggest"),
]
