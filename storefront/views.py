from django.http import HttpResponse


def home(request):
    return HttpResponse("OCOP An Giang")


def product_list(request):
    return HttpResponse("")


def product_set(request, code):
    return HttpResponse("")


def product_detail(request, slug):
    return HttpResponse("")


def producer_detail(request, slug):
    return HttpResponse("")


def not_found(request, exception=None):
    return HttpResponse("Không tìm thấy", status=404)
