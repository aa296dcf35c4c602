"""CBV 2.0 event hash IDs (CBV 2.0 §8.9): `ni:///sha-256;<hex>?ver=CBV2.0` of an EPCIS event.

The pre-hash string concatenates, with no separator, `eventType=<type>`, then the standard
fields in the order the CBV fixes (`key=value`, lists sorted), then the user extensions
(`{namespace}name=value`, sorted). eventID, recordTime and errorDeclaration are left out.
Times are UTC with milliseconds and `Z`; numbers lose trailing zeros; old CBV URNs become
their web-vocabulary URIs. Only the fields this project publishes or accepts are supported;
anything else raises ValueError rather than being hashed wrongly.

The tests cross-check these IDs against GS1's reference implementation
(`epcis-event-hash-generator`).
"""

import datetime
import hashlib
import math

NAMESPACES = {"ocop": "urn:ocop:ns:"}
IGNORED = {"type", "eventID", "recordTime", "errorDeclaration", "@context"}
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList")
_EPC_LISTS = ("epcList", "inputEPCList", "childEPCs")
# Standard fields in CBV order, with how each one is written.
_ORDER = (
    ("eventTime", "time"),
    ("eventTimeZoneOffset", "value"),
    ("parentID", "value"),
    *((name, "epcs") for name in _EPC_LISTS),
    *((name, "quantities") for name in _QUANTITY_LISTS),
    ("outputEPCList", "epcs"),
    ("outputQuantityList", "quantities"),
    ("action", "value"),
    ("transformationID", "value"),
    ("bizStep", "value"),
    ("disposition", "value"),
    ("readPoint", "id"),
    ("bizLocation", "id"),
)
_STANDARD = {name for name, _ in _ORDER}
_OLD_URNS = (
    ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
    ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
    ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
    ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
)


def canonical_time(text: str) -> str:
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time without offset: {text}")
    moment = moment.astimezone(datetime.UTC)
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def canonical_value(value) -> str:
    if isinstance(value, bool):
        raise ValueError("booleans have no agreed pre-hash form; publish a string")
    text = str(value).strip()
    for old, new in _OLD_URNS:
        text = text.replace(old, new)
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    return str(int(number)) if number == int(number) else str(number)


def _element(name: str, kind: str, value) -> str:
    if kind == "time":
        return f"{name}={canonical_time(value)}"
    if kind == "value":
        return f"{name}={canonical_value(value)}"
    if kind == "id":
        return f"{name}id={canonical_value(value['id'])}"
    if kind == "epcs":
        return name + "".join(sorted(f"epc={canonical_value(epc)}" for epc in value))
    parts = []
    for element in value:
        text = "quantityElement" + f"epcClass={canonical_value(element['epcClass'])}"
        if "quantity" in element:
            text += f"quantity={canonical_value(element['quantity'])}"
        if "uom" in element:
            text += f"uom={canonical_value(element['uom'])}"
        parts.append(text)
    return name + "".join(sorted(parts))


def _extension_key(key: str, namespaces: dict[str, str]) -> str:
    prefix, _, local = key.partition(":")
    if not local or prefix not in namespaces:
        raise ValueError(f"field '{key}' is neither a supported EPCIS field nor an extension")
    return "{" + namespaces[prefix] + "}" + local


def pre_hash(event: dict, namespaces: dict[str, str] = NAMESPACES) -> str:
    """The CBV 2.0 pre-hash string of one event (compact JSON-LD, as in our documents)."""
    text = "eventType=" + event["type"]
    for name, kind in _ORDER:
        if name in event and event[name] not in (None, "", []):
            text += _element(name, kind, event[name])
    extensions = []
    for key, value in event.items():
        if key in IGNORED or key in _STANDARD:
            continue
        name = _extension_key(key, namespaces)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, dict | list):
                raise ValueError(f"extension '{key}' must hold strings")
            item_text = canonical_value(item)
            extensions.append(f"{name}={item_text}" if item_text else name)
    return text + "".join(sorted(extensions))


def digest(event: dict, namespaces: dict[str, str] = NAMESPACES) -> str:
    """SHA-256 (hex) of the event's pre-hash string."""
    return hashlib.sha256(pre_hash(event, namespaces).encode()).hexdigest()


def hash_id(hex_digest: str) -> str:
    return f"ni:///sha-256;{hex_digest}?ver=CBV2.0"


def digest_of(event_id: str) -> str:
    """The hex digest inside an event hash ID, or "" if it is not one."""
    prefix, suffix = "ni:///sha-256;", "?ver=CBV2.0"
    if event_id.startswith(prefix) and event_id.endswith(suffix):
        value = event_id[len(prefix) : -len(suffix)]
        if len(value) == 64 and all(c in "0123456789abcdef" for c in value):
            return value
    return ""
