"""Merging a duplicate record of a factory into this facility (decision 0040): choose the other
record, see what will move, confirm. The group's administrators only; the service decides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.common.ids import optional_id
from commonground.common.language import page_lang
from commonground.sharing import merges


@login_required
def merge(request: HttpRequest, facility_id: int) -> HttpResponse:
    """GET: the group's other facilities (likely duplicates first) and, for the one chosen
    (`?merged=`), what will move. POST: merge it (`merged`), then back to this facility's page."""
    kept = merges.kept_facility(facility_id, user=request.user)  # 404 unless an admin of its group
    if kept.pk != facility_id:  # an alias: the same page of the facility it ended in
        query = request.META.get("QUERY_STRING", "")
        return redirect(reverse("merge_facility", args=[kept.pk]) + (f"?{query}" if query else ""))
    raw = (request.POST if request.method == "POST" else request.GET).get("merged", "")
    merged_id = optional_id(raw)
    context: dict[str, Any] = {
        "facility": kept,
        "choices": _choices(kept.pk, request),
        "merged_id": merged_id,
    }
    if merged_id is None:
        if raw or request.method == "POST":
            context["problem"] = _("Choose one of the facilities listed.")
            return render(request, "sharing/merge.html", context, status=400)
        return render(request, "sharing/merge.html", context)
    try:
        if request.method == "POST":
            done = merges.merge_facilities(kept.pk, merged_id, user=request.user)
            messages.success(request, _merged_message(done))
            return redirect("facility", done.kept.pk)
        context["plan"] = merges.plan_merge(kept.pk, merged_id, user=request.user)
    except merges.MergeRefused as exc:
        context["problem"] = exc.message(page_lang(request))
        return render(request, "sharing/merge.html", context, status=400 if request.method == "POST" else 200)
    return render(request, "sharing/merge.html", context)


def _choices(kept_id: int, request: HttpRequest) -> list[tuple[Any, int | None]]:
    """The group's other facilities, each with the matcher's score in % when it takes them for the
    same factory, those first."""
    candidates = merges.merge_candidates(kept_id, user=request.user)
    likely = merges.likely_duplicates(kept_id, candidates, user=request.user)
    ordered = sorted(candidates, key=lambda f: -likely.get(f.pk, 0.0))
    return [(f, round(likely[f.pk] * 100) if f.pk in likely else None) for f in ordered]


def _merged_message(done: merges.MergePlan) -> str:
    return _("%(merged)s (facility %(id)s) is merged into this facility; its address now leads here.") % {
        "merged": done.merged.name,
        "id": done.merged.pk,
    }
