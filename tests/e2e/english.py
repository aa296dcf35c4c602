"""The written rule for "no Vietnamese UI strings on an English page".

Every text node of the page and every UI attribute (placeholder, aria-label, title, alt, the
<title>) is read. Data is not UI: product, producer, ward and province names, addresses, lot
codes, descriptions and notes come from the database (DATA below) and are cut out of each text
first; text inside an element declaring lang="vi" (the language switch's "VI") is Vietnamese on
purpose. What is left must contain no Vietnamese letter and none of a few Vietnamese UI words
written without marks. The one Vietnamese word English uses is the currency, "đồng".
"""

import re

from marketplace.addresses.models import Province, Ward
from marketplace.catalog.models import Product
from producers.models import Producer
from traceability.models import Batch, Event

VIETNAMESE_LETTER = re.compile(
    r"[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]", re.I
)
UNMARKED_WORDS = re.compile(r"\b(Xem|Mua|Trang|Theo|Giao|Chon|Tim|Gui|Nhap|Luu)\b")
ALLOWED = re.compile(r"\bđồng\b")

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
        rest = ALLOWED.sub(" ", rest)
        if VIETNAMESE_LETTER.search(rest) or UNMARKED_WORDS.search(rest):
            found.append(text)
    return found
