from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from placements.catalogue import selectors
from placements.catalogue.public_cache import cached_for_visitors
from placements.catalogue.validation import intake_open_on, intakes_closed


@method_decorator(cached_for_visitors, name="dispatch")
class ProgrammeListView(ListView):
    template_name = "placements/programme_list.html"
    context_object_name = "programmes"

    def get_queryset(self):
        return selectors.programme_list()


@method_decorator(cached_for_visitors, name="dispatch")
class ProgrammeDetailView(DetailView):
    template_name = "placements/programme_detail.html"
    context_object_name = "programme"

    def get_object(self, queryset=None):
        return selectors.programme_detail(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = selectors.group_tables(self.object)
        context["requirements"] = selectors.requirements(self.object)
        today = timezone.localdate()
        context["open_intake"] = intake_open_on(self.object, today)
        context["intakes_closed"] = intakes_closed(self.object, today)
        return context
