"""EPCIS 2.0 / CBV 2.0 vocabulary: what each event field may hold and its Vietnamese name.

Business steps and dispositions are stored as their short CBV names ("commissioning") or,
for steps the CBV has no word for (farm diary, processing), as `urn:ocop:bizstep:<name>`.
"""

import re

from django.utils.translation import gettext_lazy as _

CBV_BIZSTEP_URI = "https://ref.gs1.org/cbv/BizStep-"
CBV_DISP_URI = "https://ref.gs1.org/cbv/Disp-"
CBV_ERROR_REASON_URI = "https://ref.gs1.org/cbv/ER-"
OCOP_BIZSTEP_PREFIX = "urn:ocop:bizstep:"
_OCOP_BIZSTEP = re.compile(r"^urn:ocop:bizstep:[a-z][a-z0-9_]{1,40}$")

EVENT_TYPES = ("ObjectEvent", "AggregationEvent", "TransformationEvent")
ACTIONS = ("ADD", "OBSERVE", "DELETE")

# CBV 2.0 business steps; harvest and catch are `commissioning` (the lot comes into being).
BIZ_STEPS = {
    "accepting": _("Nhận hàng kiểm đếm"),
    "arriving": _("Đến nơi"),
    "assembling": _("Lắp ráp"),
    "collecting": _("Thu gom"),
    "commissioning": _("Thu hoạch, thu mua nguyên liệu"),
    "consigning": _("Ký gửi"),
    "decommissioning": _("Ngừng sử dụng mã"),
    "departing": _("Rời đi"),
    "destroying": _("Tiêu hủy"),
    "disassembling": _("Tháo rời"),
    "dispensing": _("Chia nhỏ"),
    "encoding": _("Gắn mã"),
    "entering_exiting": _("Xuất nhập"),
    "holding": _("Tạm giữ"),
    "inspecting": _("Kiểm nghiệm, kiểm tra"),
    "installing": _("Lắp đặt"),
    "killing": _("Giết mổ"),
    "loading": _("Xếp hàng lên xe"),
    "other": _("Khác"),
    "packing": _("Đóng gói"),
    "picking": _("Lấy hàng"),
    "receiving": _("Nhận hàng"),
    "removing": _("Lấy ra"),
    "repackaging": _("Đóng gói lại"),
    "repairing": _("Sửa chữa"),
    "replacing": _("Thay thế"),
    "reserving": _("Giữ chỗ"),
    "retail_selling": _("Bán lẻ"),
    "sampling": _("Lấy mẫu"),
    "sensor_reporting": _("Ghi nhận cảm biến"),
    "shipping": _("Xuất kho, vận chuyển"),
    "staging_outbound": _("Chuẩn bị xuất"),
    "stock_taking": _("Kiểm kê"),
    "stocking": _("Nhập kệ"),
    "storing": _("Lưu kho"),
    "transporting": _("Vận chuyển"),
    "unloading": _("Dỡ hàng"),
    "unpacking": _("Mở gói"),
    "void_shipping": _("Hủy xuất hàng"),
}

# Steps of farm diaries and processing that the CBV does not name.
OCOP_BIZ_STEPS = {
    "urn:ocop:bizstep:farm_diary": _("Nhật ký canh tác"),
    "urn:ocop:bizstep:planting": _("Gieo trồng"),
    "urn:ocop:bizstep:fertilising": _("Bón phân"),
    "urn:ocop:bizstep:spraying": _("Phun thuốc bảo vệ thực vật"),
    "urn:ocop:bizstep:feeding": _("Cho ăn"),
    "urn:ocop:bizstep:processing": _("Chế biến"),
    "urn:ocop:bizstep:fermenting": _("Ủ, lên men"),
    "urn:ocop:bizstep:drying": _("Phơi, sấy"),
    "urn:ocop:bizstep:roasting": _("Rang"),
    "urn:ocop:bizstep:cooking": _("Nấu"),
}

DISPOSITIONS = {
    "active": _("Đang lưu hành"),
    "available": _("Sẵn có"),
    "completeness_verified": _("Đã kiểm đủ"),
    "conformant": _("Đạt yêu cầu"),
    "container_closed": _("Đã đóng thùng"),
    "damaged": _("Hư hỏng"),
    "destroyed": _("Đã tiêu hủy"),
    "dispensed": _("Đã chia"),
    "disposed": _("Đã thải bỏ"),
    "expired": _("Hết hạn"),
    "in_progress": _("Đang xử lý"),
    "in_transit": _("Đang vận chuyển"),
    "inactive": _("Chưa lưu hành"),
    "needs_replacement": _("Cần thay thế"),
    "non_conformant": _("Không đạt"),
    "non_sellable_other": _("Không được bán"),
    "recalled": _("Thu hồi"),
    "reserved": _("Đã giữ"),
    "retail_sold": _("Đã bán lẻ"),
    "returned": _("Bị trả lại"),
    "sellable_accessible": _("Đang bày bán"),
    "sellable_not_accessible": _("Trong kho, có thể bán"),
    "stolen": _("Bị mất cắp"),
    "unavailable": _("Không sẵn có"),
    "unknown": _("Không rõ"),
}

ERROR_REASONS = {
    "did_not_occur": _("Sự kiện không xảy ra"),
    "incorrect_data": _("Dữ liệu ghi sai"),
}

# UN/ECE Recommendation 20 codes a producer is likely to need.
UNITS = {
    "KGM": _("kg"),
    "GRM": _("g"),
    "TNE": _("tấn"),
    "LTR": _("lít"),
    "MLT": _("ml"),
    "EA": _("đơn vị"),
    "H87": _("cái"),
    "XBX": _("hộp"),
    "XBO": _("chai"),
    "XBG": _("túi"),
}


def is_valid_biz_step(value: str) -> bool:
    return value in BIZ_STEPS or bool(_OCOP_BIZSTEP.match(value))


def biz_step_label(value: str) -> str:
    if value in BIZ_STEPS:
        return str(BIZ_STEPS[value])
    if value in OCOP_BIZ_STEPS:
        return str(OCOP_BIZ_STEPS[value])
    return value.removeprefix(OCOP_BIZSTEP_PREFIX).replace("_", " ").capitalize()


def biz_step_uri(value: str) -> str:
    return value if value.startswith("urn:") else CBV_BIZSTEP_URI + value


def disposition_label(value: str) -> str:
    return str(DISPOSITIONS.get(value, value))
