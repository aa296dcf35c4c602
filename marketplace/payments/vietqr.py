"""VietQR (NAPAS 247) bank-transfer QR payloads, built with the `vietnam-qr-pay` library.

The library encodes the EMVCo TLV fields and the CRC-16/CCITT-FALSE checksum; it reproduces
the published example byte for byte (see tests/marketplace/payments/test_vietqr.py).
"""

import io

import qrcode
from vietnam_qr_pay import QRPay


def payload(bank_bin: str, account: str, amount: int, bill_number: str, purpose: str) -> str:
    qr = QRPay.init_viet_qr(
        bank_bin=bank_bin, bank_number=account, amount=str(amount), purpose=purpose
    )
    qr.additional_data.bill_number = bill_number
    return qr.build()


def parse(content: str) -> QRPay:
    return QRPay(content)


def png(content: str, box_size: int = 8) -> bytes:
    """The QR image a banking app scans (qrcode draws it with Pillow)."""
    image = qrcode.make(content, box_size=box_size, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
