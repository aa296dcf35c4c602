"""The written rule for "no Vietnamese UI strings on an English page".

Every text node of the page and every UI attribute (placeholder, aria-label, title, alt, the
<title>) is read. Data is not UI, and is cut out of each text first, by two rules:
  1. what the database holds as data (data_texts): product, producer, ward and province names,
     units, addresses, lot codes, descriptions, trace notes, and the OCOP certificates' numbers,
     decisions and certified product names — whatever rows the test database has;
  2. what has the shape of an official document number (DOCUMENT_NUMBER): "935/QĐ-UBND",
     "001/2025/OCOP-AG" — the Vietnamese letters in them are abbreviations of office names.
Text inside an element declaring lang="vi" (the language switch's "VI") is Vietnamese on
purpose. What is left must contain no Vietnamese letter and none of a few Vietnamese UI words
written without marks. The one Vietnamese word English uses is the currency, "đồng".
"""

import re

from marketplace.addresses.models import Province, Ward
from marketplace.catalog.models import Product
from producers.models import OcopCertificate, Producer
from tests.e2e.widths import assert_fits
from traceability.models import Batch, Event

VIETNAMESE_LETTER = re.compile(
    r"[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]", re.I
)
UNMARKED_WORDS = re.compile(r"\b(Xem|Mua|Trang|Theo|Giao|Chon|Tim|Gui|Nhap|Luu)\b")
ALLOWED = re.compile(r"\bđồng\b")
# A number, "/", then upper-case codes joined by "/" or "-": 935/QĐ-UBND, 001/2025/OCOP-AG.
DOCUMENT_NUMBER = re.compile(r"\b\d+(?:/\d+)*/[A-ZĐ][A-ZĐ0-9]*(?:[-/][A-ZĐ0-9]+)*(?!\w)")

COLLECT = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('script, style, [lang="vi"]')) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) texts.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], img[alt]')) {
    if (el.closest('[lang="vi"]')) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) texts.push(value.replace(/\\s+/g, ' ').trim());
    }
  }
  texts.push(document.title);
  return texts;
}"""


def data_texts(*extra: str) -> list[str]:
    """What the database (and the test's own typing) puts on pages: longest first."""
    texts = set(extra)
    for name, unit, description in Product.objects.values_list("name", "unit", "description"):
        texts |= {name, unit, *description.splitlines()}
    for name, street in Producer.objects.values_list("name", "street_address"):
        texts |= {name, street}
    for ward in Ward.objects.filter(province_id__in=["91", "01"]):
        texts |= {ward.name, ward.short_name}
    for province in Province.objects.all():
        texts |= {province.name, province.short_name}
    for fields in OcopCertificate.objects.values_list("number", "decision", "product_name"):
        texts |= set(fields)
    texts |= set(Batch.objects.values_list("lot", flat=True))
    texts |= set(Event.objects.exclude(note="").values_list("note", flat=True))
    cleaned = {" ".join(t.split()) for t in texts}
    return sorted((t for t in cleaned if len(t) >= 2), key=len, reverse=True)


def vietnamese_ui(page, data: list[str]) -> list[str]:
    """The texts of the page that are Vietnamese UI, not data (empty on a good English page)."""
    found = []
    for text in page.evaluate(COLLECT):
        if len(text) >= 20 and any(text in d for d in data):
            continue  # a line of a description or a note
        rest = text
        for d in data:
            if d in rest:
                rest = rest.replace(d, " ")
        rest = ALLOWED.sub(" ", DOCUMENT_NUMBER.sub(" ", rest))
        if VIETNAMESE_LETTER.search(rest) or UNMARKED_WORDS.search(rest):
            found.append(text)
    return found


def english_only(page, data: list[str], shoot, name: str) -> None:
    """Screenshot `name`, then: the page says it is English, shows no Vietnamese UI text
    (data cut out by the rule above) and does not scroll sideways at 360 px."""
    shoot(name)
    assert page.evaluate("document.documentElement.lang") == "en", name
    leftovers = vietnamese_ui(page, data)
    assert leftovers == [], f"{name}: Vietnamese UI text on an English page: {leftovers}"
    assert_fits(page, name)
