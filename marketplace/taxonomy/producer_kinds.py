"""The legal kinds of OCOP producers: what the OCOP rules and the tax law both sort sellers by.

Here, below producers and settlements, so the withholding table (settlements) can name a kind
without importing the producers app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerKind(models.TextChoices):
    HOP_TAC_XA = "hop_tac_xa", _("Hợp tác xã")
    DOANH_NGHIEP = "doanh_nghiep", _("Doanh nghiệp")
    HO_KINH_DOANH = "ho_kinh_doanh", _("Hộ kinh doanh")
    CO_SO = "co_so", _("Cơ sở sản xuất")
