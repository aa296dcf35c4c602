"""Staff moderation: hide or show a review with a reason (marketplace.reviews.services)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from marketplace.errors import DomainError
from marketplace.reviews import services
from marketplace.reviews.models import Review, ReviewPhoto


class ModerationForm(forms.ModelForm):
    hidden = forms.BooleanField(required=False, label="Ẩn khỏi trang sản phẩm")
    reason = forms.CharField(
        required=False, max_length=services.MAX_REASON, label="Lý do (bắt buộc khi đổi)"
    )

    class Meta:
        model = Review
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hidden"].initial = self.instance.is_hidden

    def clean(self):
        data = super().clean()
        changed = data.get("hidden") != self.instance.is_hidden
        if changed and not (data.get("reason") or "").strip():
            raise ValidationError(gettext("Hãy ghi lý do ẩn hoặc hiện lại đánh giá."))
        data["changed"] = changed
        return data


class PhotoInline(admin.TabularInline):
    model = ReviewPhoto
    extra = 0
    can_delete = False
    fields = ["file", "width", "height"]
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    form = ModerationForm
    list_display = ["product", "rating", "author_name", "created_at", "hidden_at"]
    list_filter = ["rating", ("hidden_at", admin.EmptyFieldListFilter)]
    search_fields = ["product__name", "product__sku", "text"]
    list_select_related = ["product"]
    readonly_fields = [
        "product",
        "producer",
        "rating",
        "author_name",
        "text",
        "created_at",
        "reply_text",
        "replied_at",
        "hidden_at",
        "hidden_reason",
        "hidden_by",
    ]
    fields = [*readonly_fields, "hidden", "reason"]
    inlines = [PhotoInline]

    def has_add_permission(self, request):
        return False  # only buyers write reviews

    def has_delete_permission(self, request, obj=None):
        return False  # hidden, never deleted: the decision and its reason stay on record

    def save_model(self, request, obj, form, change):
        if not form.cleaned_data.get("changed"):
            return
        try:
            services.moderate(
                request.user,
                obj.pk,
                hidden=form.cleaned_data["hidden"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
