"""The GS1-Conformant resolver's answers: which links a Digital Link URI has, at each level.

Plain domain code (no HTTP): views.py turns an `Answer` into a page, a 307 redirect or an
RFC 9264 linkset. Levels go from the most specific (serial, lot) up to the GTIN, so a
request for a link type walks up until a level offers it (GS1 "walk-up").
"""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from marketplace.catalog import gtin as gtin_rules
from marketplace.catalog.models import Product, ProductStatus
from marketplace.coverage.models import ExternalListing
from marketplace.coverage.shop_links import PLATFORM_LABELS
from traceability.models import Batch
from traceability.selectors import is_genuine_serial
from traceability.verification import trace

GS1_VOC = "https://gs1.org/voc/"
# Older resolvers and GS1's own examples also write the vocabulary under ref.gs1.org.
_VOC_ALIASES = ("gs1:", GS1_VOC, "https://ref.gs1.org/voc/", "http://gs1.org/voc/")
LINKSET = "linkset"
LINKSET_TYPES = ("linkset", "all")  # "all" is the name GS1 Digital Link 1.1 used
LANGUAGES = ("vi", "en")
HTML = "text/html"
JSON_LD = "application/ld+json"
LINKSET_CONTEXT = "https://ref.gs1.org/standards/resolver/linkset-context"


@dataclass(frozen=True)
class Link:
    rel: str  # short GS1 vocabulary name: "pip", "defaultLink", ...
    href: str
    titles: dict  # language → title
    type: str = ""
    hreflang: tuple = ()

    def target(self, language: str) -> dict:
        """The RFC 9264 target object: title in the request's language, title* in each."""
        target = {"href": self.href, "title": self.titles.get(language) or self.titles["vi"]}
        target["title*"] = [{"value": v, "language": k} for k, v in self.titles.items()]
        if self.type:
            target["type"] = self.type
        if self.hreflang:
            target["hreflang"] = list(self.hreflang)
        return target


@dataclass
class Level:
    anchor: str
    links: list[Link] = field(default_factory=list)


@dataclass
class Answer:
    """What the resolver knows about a request URI, most specific level first."""

    levels: list[Level]
    product: Product
    batch: Batch | None = None
    serial: str | None = None
    unknown_lot: str | None = None  # set when the lot was not found and we walked up

    def find(self, rel: str, language: str = "vi") -> Link | None:
        """The first link of that type walking up, preferring one in the asked language."""
        for level in self.levels:
            candidates = [link for link in level.links if link.rel == rel]
            if candidates:
                for link in candidates:
                    if not link.hreflang or language in link.hreflang:
                        return link
                return candidates[0]
        return None

    @property
    def default(self) -> Link:
        link = self.find("defaultLink")
        assert link is not None, "every level up to the GTIN has a default link"
        return link

    def linkset(self, language: str) -> dict:
        contexts = []
        for level in self.levels:
            context: dict = {"anchor": level.anchor}
            for link in level.links:
                context.setdefault(GS1_VOC + link.rel, []).append(link.target(language))
            contexts.append(context)
        return {"linkset": contexts}


def link_type(value: str) -> str | None:
    """'gs1:pip' or its full URI → 'pip'; 'linkset'/'all' → 'linkset'; anything else None."""
    value = (value or "").strip()
    if value in LINKSET_TYPES:
        return LINKSET
    for prefix in _VOC_ALIASES:
        if value.startswith(prefix) and value[len(prefix) :].isalnum():
            return value[len(prefix) :]
    return None


def _titles(make) -> dict:
    """The same title in each language (gettext), so a linkset reads in either."""
    titles = {}
    for language in LANGUAGES:
        with translation.override(language):
            titles[language] = str(make())
    return titles


def gtin_uri(base: str, gtin14: str) -> str:
    return f"{base}/01/{gtin14}"


def lot_uri(base: str, gtin14: str, lot: str) -> str:
    return f"{gtin_uri(base, gtin14)}/10/{quote(lot, safe='')}"


def serial_uri(base: str, gtin14: str, lot: str, serial: str) -> str:
    return f"{lot_uri(base, gtin14, lot)}/21/{quote(serial, safe='')}"


def find_product(gtin14: str) -> Product | None:
    """The catalog product with this GTIN-14 (ours are GTIN-13s: indicator digit 0)."""
    if not gtin14.startswith("0"):
        return None
    return Product.objects.select_related("producer", "certificate").filter(gtin=gtin14[1:]).first()


def _product_level(product: Product, base: str) -> Level:
    gtin14 = gtin_rules.to_gtin14(product.gtin)
    level = Level(gtin_uri(base, gtin14))
    published = product.status == ProductStatus.PUBLISHED and product.producer.is_active
    if published:
        page = base + reverse("storefront:product", args=[product.slug])
        name = product.name
        level.links.append(Link("defaultLink", page, _titles(lambda: name)))
        pip = _titles(lambda: _("%(name)s — trang sản phẩm") % {"name": name})
        level.links.append(Link("pip", page, pip, HTML, LANGUAGES))
        here = _titles(lambda: _("Mua tại sàn OCOP An Giang"))
        level.links.append(Link("hasRetailers", page, here, HTML, LANGUAGES))
        certificate = product.certificate
        if certificate is not None:
            level.links.append(
                Link(
                    "certificationInfo",
                    page,
                    _titles(lambda: _certificate_title(certificate)),
                    HTML,
                    LANGUAGES,
                )
            )
    else:
        # A hidden or draft listing has no page: the producer's page answers instead.
        producer = product.producer
        page = base + reverse("storefront:producer", args=[producer.slug])
        level.links.append(Link("defaultLink", page, _titles(lambda: producer.name)))
        about = _titles(lambda: _("Cơ sở sản xuất %(name)s") % {"name": producer.name})
        level.links.append(Link("pip", page, about, HTML, LANGUAGES))
    shops = ExternalListing.objects.filter(
        producer_id=product.producer_id, product_name=product.name
    ).order_by("platform", "id")
    for shop in shops:
        label = PLATFORM_LABELS.get(shop.platform, shop.platform)
        title = _titles(lambda label=label: _("Mua trên %(platform)s") % {"platform": label})
        level.links.append(Link("hasRetailers", shop.url, title, HTML))
    return level


def _certificate_title(certificate) -> str:
    today = timezone.localdate()
    state = _("còn hiệu lực") if certificate.is_valid_on(today) else _("hết hiệu lực")
    return _("Chứng nhận OCOP %(stars)s sao số %(number)s, %(state)s đến %(day)s") % {
        "stars": certificate.stars,
        "number": certificate.number,
        "state": state,
        "day": certificate.expires_on.strftime("%d/%m/%Y"),
    }


def _lot_level(batch: Batch, base: str) -> Level:
    gtin14 = gtin_rules.to_gtin14(batch.product.gtin)
    uri = lot_uri(base, gtin14, batch.lot)
    lot = batch.lot
    trace_titles = _titles(lambda: _("Truy xuất nguồn gốc lô %(lot)s") % {"lot": lot})
    recalled = trace(batch).recalled
    if recalled:
        recall = _titles(lambda: _("Lô %(lot)s đang bị THU HỒI") % {"lot": lot})
    else:
        recall = _titles(lambda: _("Lô %(lot)s không bị thu hồi") % {"lot": lot})
    epcis_path = reverse("traceability:epcis_document", args=[gtin14, batch.lot])
    events = _titles(lambda: _("Sự kiện EPCIS 2.0 của lô %(lot)s (JSON-LD)") % {"lot": lot})
    return Level(
        uri,
        [
            Link("defaultLink", uri, trace_titles),
            Link("traceability", uri, trace_titles, HTML, LANGUAGES),
            Link("recallStatus", uri, recall, HTML, LANGUAGES),
            Link("epcis", base + epcis_path, events, JSON_LD),
        ],
    )


def _serial_level(batch: Batch, serial: str, base: str) -> Level:
    uri = serial_uri(base, gtin_rules.to_gtin14(batch.product.gtin), batch.lot, serial)
    titles = _titles(lambda: _("Kiểm tra sản phẩm số %(serial)s") % {"serial": serial})
    return Level(
        uri,
        [Link("defaultLink", uri, titles), Link("traceability", uri, titles, HTML, LANGUAGES)],
    )


def answer_for_product(product: Product, base: str) -> Answer:
    return Answer([_product_level(product, base)], product)


def answer_for_lot(
    product: Product, batch: Batch | None, lot: str, serial: str | None, base: str
) -> Answer:
    """The lot's (and a genuine serial's) links above the GTIN's; an unknown lot or serial
    walks up (GS1 walk-up) to the level that is known."""
    product_level = _product_level(product, base)
    if batch is None:
        return Answer([product_level], product, unknown_lot=lot)
    levels = [_lot_level(batch, base), product_level]
    if serial is not None and is_genuine_serial(batch, serial):
        levels.insert(0, _serial_level(batch, serial, base))
    return Answer(levels, product, batch, serial)


def description(base: str) -> dict:
    """The resolver description file (/.well-known/gs1resolver), GS1-Conformant resolver 1.x."""
    return {
        "name": "OCOP An Giang",
        "resolverRoot": base,
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": GS1_VOC, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "contact": {"fn": "Sở Công Thương An Giang"},
        "jsonLdContextLocation": LINKSET_CONTEXT,
    }
