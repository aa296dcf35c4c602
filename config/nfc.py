"""Every text a person sends us is stored in Unicode NFC.

Phones and pasted text often arrive decomposed (NFD): "Mắm" as M + a + ̆ + ́ + m. Services also
normalise what they store; this middleware makes sure no form or query-string value reaches a
view in any other form, so comparisons and uniqueness checks never disagree.
"""

import unicodedata

from django.http import QueryDict


def _normalised(data: QueryDict) -> QueryDict:
    if all(unicodedata.is_normalized("NFC", v) for _k, values in data.lists() for v in values):
        return data
    copy = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        copy.setlist(
            unicodedata.normalize("NFC", key), [unicodedata.normalize("NFC", v) for v in values]
        )
    copy._mutable = False
    return copy


class NfcInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _normalised(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _normalised(request.POST)
        return self.get_response(request)
