from django.http import HttpResponse


def statistics(request):
    return HttpResponse("")


public_statistics = statistics
