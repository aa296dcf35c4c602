from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "marketplace.reviews"
    label = "reviews"
    verbose_name = "Đánh giá sản phẩm"
