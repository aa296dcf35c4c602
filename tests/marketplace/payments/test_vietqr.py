from marketplace.payments import vietqr

# The published NAPAS example (issue 4): BIN 970403, account 0011012345678, 180000 đồng.
EXAMPLE = (
    "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA"
    "530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E"
)


def test_payload_is_byte_exact_against_the_published_example():
    payload = vietqr.payload("970403", "0011012345678", 180000, "NPS6869", "thanh toan don hang")
    assert payload == EXAMPLE


def test_payload_parses_back_and_its_crc_checks():
    parsed = vietqr.parse(EXAMPLE)
    assert parsed.is_valid
    assert parsed.consumer.bank_bin == "970403"
    assert parsed.consumer.bank_number == "0011012345678"
    assert parsed.amount == "180000"
    assert parsed.additional_data.bill_number == "NPS6869"
    tampered = EXAMPLE.replace("180000", "190000")
    assert not vietqr.parse(tampered).is_valid


def test_png_is_a_qr_image():
    image = vietqr.png(EXAMPLE)
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(image) > 500
