"""The listing's query string → browse_products arguments. Bad values are dropped, never fatal."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.listing import NEWEST, ProductFilter, Sort, SortField
from marketplace.taxonomy import ocop_sets
from marketplace.text import nfc

# None: relevance order, which only a search has; without one the listing falls back to name.
SORTS = {
    "relevance": (_("Phù hợp nhất"), None),
    "name": (_("Tên A–Z"), Sort()),
    "price": (_("Giá thấp trước"), Sort(SortField.PRICE)),
    "price_desc": (_("Giá cao trước"), Sort(SortField.PRICE, descending=True)),
    "newest": (_("Mới nhất"), NEWEST),
    "rating": (_("Đánh giá cao"), Sort(SortField.RATING, descending=True)),
}
STARS = (3, 4, 5)
MAX_PRICE = 1_000_000_000


@dataclass
class ListingQuery:
    flt: ProductFilter
    sort: Sort | None
    sort_key: str
    search: str
    ignored: list[str] = field(default_factory=list)
    active: int = 0  # how many filters the shopper set, shown on the folded filter panel


class ListingForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Tìm"))
    set = forms.ChoiceField(required=False, label=_("Bộ sản phẩm"))
    stars = forms.TypedMultipleChoiceField(
        required=False, coerce=int, choices=[(s, s) for s in STARS], label=_("Số sao")
    )
    ward = forms.ChoiceField(required=False, label=_("Xã/phường"))
    price_min = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_PRICE, label=_("Giá từ")
    )
    price_max = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_PRICE, label=_("Giá đến")
    )
    in_stock = forms.BooleanField(required=False, label=_("Còn hàng"))
    sort = forms.ChoiceField(
        required=False,
        label=_("Sắp xếp"),
        choices=[(key, label) for key, (label, _s) in SORTS.items()],
    )

    def __init__(self, data, *, ward_codes):
        super().__init__(data)
        # Any set of the decree is a fair question, even one with nothing on sale yet.
        self.fields["set"].choices = [(code, code) for code, _name, _en in ocop_sets.SETS]
        self.fields["ward"].choices = [(code, code) for code in ward_codes]

    def query(self, *, fixed_set: str | None = None) -> ListingQuery:
        """What the shopper asked for, minus the values that made no sense (named in `ignored`)."""
        self.is_valid()
        data = self.cleaned_data  # holds only the fields that passed validation
        ignored = [str(self.fields[name].label or name) for name in self.errors]
        search = nfc(data.get("q") or "")
        sort_key = data.get("sort") or ("relevance" if search else "name")
        if sort_key == "relevance" and not search:
            sort_key = "name"
        set_code = fixed_set or data.get("set")
        chosen = ["stars", "ward", "price_min", "price_max", "in_stock"] + (
            [] if fixed_set else ["set"]
        )
        active = sum(1 for name in chosen if data.get(name) not in (None, "", [], False))
        return ListingQuery(
            flt=ProductFilter(
                ocop_sets=[set_code] if set_code else [],
                stars=data.get("stars") or [],
                ward_codes=[data["ward"]] if data.get("ward") else [],
                price_min=data.get("price_min"),
                price_max=data.get("price_max"),
                in_stock=True if data.get("in_stock") else None,
            ),
            sort=SORTS[sort_key][1],
            sort_key=sort_key,
            search=search,
            ignored=ignored,
            active=active,
        )
