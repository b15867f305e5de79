# In progress: replaced in the next commit.
from django.http import HttpResponse


def _todo(request, code=None):
    return HttpResponse("")


case_list = case_create = case_detail = case_profile_edit = case_decision = case_routing = _todo
