from django.contrib import admin

from marketplace.payments.models import Payment, PaymentEvent


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    fields = ["created_at", "kind", "amount", "idempotency_key", "data"]
    readonly_fields = fields
    can_delete = False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "method", "status", "amount", "amount_received", "created_at"]
    list_filter = ["method", "status"]
    search_fields = ["order__number", "stripe_payment_intent"]
    list_select_related = ["order"]
    readonly_fields = [f.name for f in Payment._meta.fields]
    inlines = [PaymentEventInline]


# Statements and payout batches: their staff pages (registered on import).
from marketplace.payments import payout_admin  # noqa: E402, F401
