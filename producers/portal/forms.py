"""Portal forms: input shape only; parsing and rules live in producers.listings/accounts."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.catalog import gtin_allocation
from marketplace.catalog.services import MAX_DESCRIPTION_CHARS
from marketplace.coverage.shop_links import PLATFORM_LABELS
from marketplace.language.services import localized_name
from marketplace.taxonomy.models import ProductSet
from producers.accounts import find_user
from producers.listings import ListingInput
from traceability.vocab import biz_step_label

NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


class PhoneOrEmailLoginForm(AuthenticationForm):
    """Sign in with a phone number in any usual spelling, or an email address."""

    username = forms.CharField(
        label=_("Số điện thoại hoặc email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("Số điện thoại/email hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đang bị khoá."),
    }

    def clean(self):
        identifier = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if identifier and password:
            user = find_user(identifier)
            # Always through the backend, also for an unknown identifier: ModelBackend then runs
            # the password hasher anyway, so the answer takes as long whether or not the
            # number has an account.
            self.user_cache = authenticate(
                self.request,
                username=user.get_username() if user else identifier,
                password=password,
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def _set_choices():
    return [
        (s.code, f"{s.code} · {localized_name(s)}")
        for s in ProductSet.objects.order_by("position", "code")
    ]


class ListingForm(forms.Form):
    producer = forms.ChoiceField(label=_("Chủ thể"))
    name = forms.CharField(label=_("Tên sản phẩm"), max_length=200)
    name_en = forms.CharField(
        label=_("Tên tiếng Anh (không bắt buộc)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"lang": "en", "placeholder": "Phu Quoc fish sauce"}),
        help_text=_("Hiện cho khách xem trang bằng tiếng Anh; khách tìm bằng tiếng Anh cũng thấy."),
    )
    product_set = forms.ChoiceField(label=_("Bộ sản phẩm OCOP"))
    unit = forms.CharField(
        label=_("Đơn vị bán"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": _("hũ 500g")}),
    )
    price = forms.CharField(
        label=_("Giá (đồng)"),
        max_length=30,
        widget=forms.TextInput(attrs={**NUMERIC, "placeholder": _("125.000 hoặc 125k")}),
    )
    stock = forms.CharField(
        label=_("Tồn kho"), max_length=12, initial="0", widget=forms.TextInput(attrs=NUMERIC)
    )
    certificate = forms.ChoiceField(label=_("Giấy chứng nhận OCOP"), required=False)
    gtin = forms.CharField(
        label=_("Mã GTIN (số dưới mã vạch, 13 chữ số)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={**NUMERIC, "placeholder": "893…"}),
        help_text=_("Cần để tạo lô hàng và in tem truy xuất. Bỏ trống nếu chưa có."),
    )
    allocate_gtin = forms.BooleanField(label=_("Chưa có GTIN: sàn cấp một mã mới"), required=False)
    description = forms.CharField(
        label=_("Mô tả"),
        required=False,
        # The service refuses longer text with its own message; the browser stops typing here.
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_DESCRIPTION_CHARS}),
    )

    def __init__(self, *args, producers, certificates, gtin_locked=False, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if gtin_locked:  # printed on lots' labels already
            self.fields["gtin"].disabled = True
            self.fields["gtin"].help_text = _("Đã in trên tem của các lô hàng, không đổi được.")
        if gtin_locked or not gtin_allocation.company_prefix():
            del self.fields["allocate_gtin"]
        if staff:  # only the platform's staff may vouch for a certificate whose name differs
            self.fields["confirm_certificate"] = forms.BooleanField(
                label=_("Ban quản lý đã kiểm tra: giấy chứng nhận này cấp cho đúng sản phẩm này"),
                required=False,
            )
        self.fields["producer"].choices = [(p.code, p.name) for p in producers]
        if len(producers) == 1:
            self.fields["producer"].widget = forms.HiddenInput()
            self.fields["producer"].initial = producers[0].code
        self.fields["product_set"].choices = _set_choices()
        self.fields["certificate"].choices = [("", _("— Không gắn —"))] + [
            (c.number, f"{c.number} · {c.product_name} ({c.stars}★)") for c in certificates
        ]

    def listing_input(self) -> ListingInput:
        data = self.cleaned_data
        return ListingInput(
            name=data["name"],
            name_en=data.get("name_en", ""),
            product_set_code=data["product_set"],
            unit=data["unit"],
            price=data["price"],
            stock=data["stock"],
            description=data.get("description", ""),
            certificate_number=data.get("certificate", ""),
            gtin=None if self.fields["gtin"].disabled else data.get("gtin", ""),
            allocate_gtin=data.get("allocate_gtin", False),
            certificate_confirmed=bool(data.get("confirm_certificate")),
        )


class QuickEditForm(forms.Form):
    price = forms.CharField(label=_("Giá"), max_length=30, required=False)
    stock = forms.CharField(label=_("Tồn kho"), max_length=12, required=False)


class PhotoForm(forms.Form):
    # A plain FileField: images.open_upload gives the clear messages for non-images.
    image = forms.FileField(
        label=_("Chụp hoặc chọn ảnh"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class InviteForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    name = forms.CharField(label=_("Tên"), max_length=150, required=False)


class LotForm(forms.Form):
    product = forms.ChoiceField(label=_("Sản phẩm (có mã GTIN)"))
    lot = forms.CharField(
        label=_("Mã lô"), max_length=20, widget=forms.TextInput(attrs={"placeholder": "L250101A"})
    )
    packed_on = forms.DateField(
        label=_("Ngày đóng gói"), widget=forms.DateInput(attrs={"type": "date"})
    )
    best_before = forms.DateField(
        label=_("Hạn dùng"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    units = forms.IntegerField(label=_("Số đơn vị"), min_value=1, max_value=100_000)
    serialised = forms.BooleanField(label=_("Mỗi đơn vị một mã riêng"), required=False)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [(p.sku, f"{p.name} ({p.sku})") for p in products]
        self.fields["packed_on"].initial = timezone.localdate()


class EventForm(forms.Form):
    step = forms.ChoiceField(label=_("Bước"))
    when = forms.DateTimeField(
        label=_("Thời điểm"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
    # Optional evidence; producers.fulfilment checks and cleans it (no EXIF/GPS kept).
    photo = forms.FileField(
        label=_("Ảnh (không bắt buộc)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(code, biz_step_label(code)) for code, _action in steps]
        self.fields["when"].initial = timezone.localtime().replace(second=0, microsecond=0)


# Suggestions only: any carrier name is accepted (many producers hand parcels to a local bus).
CARRIERS = [
    "Viettel Post",
    "VNPost",
    "Giao Hàng Nhanh",
    "Giao Hàng Tiết Kiệm",
    "J&T Express",
    "Ninja Van",
    "Best Express",
    "SPX Express",
]


class OrderActionForm(forms.Form):
    """A tap on an order button; ship adds carrier + tracking number, cancel adds a reason.

    Which details an action needs is checked by checkout.services, not here.
    """

    action = forms.CharField(max_length=20)
    carrier = forms.CharField(label=_("Đơn vị vận chuyển"), max_length=200, required=False)
    tracking_number = forms.CharField(label=_("Mã vận đơn"), max_length=200, required=False)
    reason = forms.CharField(label=_("Lý do huỷ"), max_length=2000, required=False)


class ShopLinkForm(forms.Form):
    # The default "not one of the choices" message would echo the submitted value back.
    product = forms.ChoiceField(
        label=_("Sản phẩm"),
        error_messages={"invalid_choice": _("Hãy chọn một sản phẩm của bạn.")},
    )
    platform = forms.ChoiceField(
        label=_("Sàn"), error_messages={"invalid_choice": _("Hãy chọn một sàn trong danh sách.")}
    )
    url = forms.URLField(
        label=_("Đường dẫn gian hàng"),
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://shopee.vn/…", "inputmode": "url"}),
    )

    def __init__(self, *args, products, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [(p.sku, f"{p.name} ({p.sku})") for p in products]
        self.fields["platform"].choices = [(p, PLATFORM_LABELS.get(p, p)) for p in platforms]


class NewPasswordForm(forms.Form):
    """Two typings of a new password; its strength is checked by producers.onetime."""

    new_password1 = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("Hai lần nhập mật khẩu không giống nhau."))
        return data


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class PhoneCodeForm(NewPasswordForm):
    code = forms.CharField(
        label=_("Mã trong tin nhắn SMS"),
        max_length=6,
        widget=forms.TextInput(attrs={**NUMERIC, "autocomplete": "one-time-code"}),
    )
    field_order = ["code", "new_password1", "new_password2"]


class TaxIdentityForm(forms.Form):
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        required=False,
        max_length=20,
        help_text=_("10 hoặc 13 chữ số, nếu cơ sở đã đăng ký thuế."),
    )
    national_id = forms.CharField(
        label=_("Số căn cước (CCCD) của chủ hộ"),
        required=False,
        max_length=20,
        help_text=_("12 chữ số; cần khi hộ, cá nhân kinh doanh chưa có mã số thuế."),
    )
