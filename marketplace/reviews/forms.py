from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.reviews.services import MAX_REPLY, MAX_TEXT

STARS = [(n, n) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=STARS, coerce=int, widget=forms.RadioSelect, label=_("Số sao")
    )
    # Length is checked by the service too (after NFC), with its own clear message.
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
        label=_("Nhận xét"),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REPLY}),
        label=_("Trả lời"),
    )
