"""Run by GS1's reference implementation's own interpreter (EPCIS_HASH_PYTHON), not by the
project's: reads {"context": …, "documents": […]} on stdin, prints for each document its event
hash IDs as epcis-event-hash-generator computes them, and its JSON-LD expansion (PyLD) with the
shipped official context served offline."""

import json
import sys

from epcis_event_hash_generator import hash_generator, json_to_py
from pyld import jsonld

CONTEXT_URLS = {
    "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
}


def main():
    data = json.load(sys.stdin)

    def loader(url, options=None):
        if url in CONTEXT_URLS:
            return {
                "contentType": "application/ld+json",
                "contextUrl": None,
                "documentUrl": url,
                "document": data["context"],
            }
        raise RuntimeError(f"offline: refused to fetch {url}")

    jsonld.set_document_loader(loader)
    out = []
    for document in data["documents"]:
        expanded = jsonld.expand(json.loads(json.dumps(document)), {"documentLoader": loader})
        events = json_to_py.event_list_from_epcis_document_json(document)
        out.append(
            {"hashes": hash_generator.epcis_hashes_from_events(events), "expanded": expanded}
        )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
