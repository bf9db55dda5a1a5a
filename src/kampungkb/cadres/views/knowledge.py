"""Trainings and knowledge: the question bank, trainings with their curriculum and participants,
the knowledge test form (scored on save, with the explanations), certificates, the knowledge-gap
view, and the cadre dashboard per area (counts: open to aggregate roles too; incentive totals only
for those who see the cadres by name)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kampungkb.accounts.scope import area_or_first_root, scope_for
from kampungkb.cadres import forms, selectors, services
from kampungkb.cadres.models import Phase, Topic
from kampungkb.cadres.views.common import (
    EDIT,
    NAMED,
    VIEW,
    aggregate_reader,
    area_options,
    editor,
    named_reader,
    render_form,
    save,
)
from kampungkb.regions.selectors import area_ancestors

CERTIFICATE_TEMPLATE = "cadres/certificate.html"


@named_reader
def question_list(request: HttpRequest) -> HttpResponse:
    topic = request.GET.get("topic") or None
    if topic not in Topic.values:
        topic = None
    context = {
        "questions": selectors.questions(topics=[topic] if topic else None),
        "topic": topic,
        "topics": Topic.choices,
        "counts": selectors.question_counts(),
    }
    return render(request, "cadres/question_list.html", context)


# -- Trainings --------------------------------------------------------------------------------------


@named_reader
def training_list(request: HttpRequest) -> HttpResponse:
    context = {
        "trainings": selectors.training_list(user=request.user),
        "can_edit": scope_for(request.user).can(EDIT),
    }
    return render(request, "cadres/training_list.html", context)


@named_reader
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = selectors.training_get(user=request.user, pk=pk)
    topics = selectors.training_topics(training)
    can_edit = scope_for(request.user).can(EDIT, training.area_id)
    context = {
        "training": training,
        "topics": [label for value, label in Topic.choices if value in topics],
        "participants": selectors.training_participants(training, user=request.user),
        "topics_form": forms.TopicsForm(initial={"topics": topics}) if can_edit else None,
        "can_edit": can_edit,
        "pass_mark": selectors.pass_mark(),
    }
    return render(request, "cadres/training_detail.html", context)


@editor
def training_topics(request: HttpRequest, pk: int) -> HttpResponse:
    training = selectors.training_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.TopicsForm(
        request.POST or None, initial={"topics": selectors.training_topics(training)}
    )
    if request.method == "POST" and form.is_valid():
        saved = save(
            form,
            lambda: services.training_topics_set(
                training=training, topics=form.cleaned_data["topics"], actor=request.user
            ),
        )
        if saved is not None:
            messages.success(request, _("The curriculum was saved."))
            return redirect("cadres:training", pk=training.pk)
    return render_form(
        request,
        form,
        title=_("Curriculum of the training"),
        cancel_url=reverse("cadres:training", args=[training.pk]),
        subject=training,
    )


# -- Knowledge tests -------------------------------------------------------------------------------


@editor
def test_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A knowledge test of one cadre. ``?training=<id>`` links it to a training and asks the
    questions of its curriculum (all topics when it has none, or without a training);
    ``?phase=pre|post`` preselects the phase."""
    cadre = selectors.cadre_get(user=request.user, pk=pk, capability=EDIT)
    training = None
    training_id = request.GET.get("training", "")
    if training_id.isdigit():
        training = selectors.training_get(user=request.user, pk=int(training_id), capability=EDIT)
    topics = selectors.training_topics(training) if training is not None else []
    questions = selectors.questions(topics=topics or None)
    phase = request.GET.get("phase")
    form = forms.TestForm(
        request.POST or None,
        questions=questions,
        initial={
            "phase": phase if phase in Phase.values else Phase.PRE,
            "taken_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        test = save(
            form,
            lambda: services.test_record(
                cadre=cadre,
                training=training,
                phase=form.cleaned_data["phase"],
                taken_on=form.cleaned_data["taken_on"],
                answers=form.answers(),
                actor=request.user,
            ),
        )
        if test is not None:
            messages.success(
                request,
                _("Test saved: %(right)s of %(total)s right (%(score)s%%).")
                % {"right": test.correct_count, "total": test.question_count, "score": test.score},
            )
            return redirect("cadres:test", pk=test.pk)
    context = {
        "cadre": cadre,
        "form": form,
        "training": training,
        "trainings": selectors.training_choices(user=request.user)[:50],
        "topics": [label for value, label in Topic.choices if value in topics],
    }
    return render(request, "cadres/test_form.html", context)


@named_reader
def test_detail(request: HttpRequest, pk: int) -> HttpResponse:
    test = selectors.test_get(user=request.user, pk=pk)
    context = {
        "test": test,
        "answers": selectors.test_answers(test),
        "topic_scores": selectors.test_topic_scores(test),
        "certified": selectors.is_certified(test),
        "pass_mark": selectors.pass_mark(),
        "can_edit": scope_for(request.user).can(EDIT, test.cadre.area_id),
    }
    return render(request, "cadres/test_detail.html", context)


@editor
def test_delete(request: HttpRequest, pk: int) -> HttpResponse:
    test = selectors.test_get(user=request.user, pk=pk, capability=EDIT)
    form = Form(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        cadre_id = test.cadre_id
        services.test_delete(test=test, actor=request.user)
        messages.success(request, _("The test was deleted."))
        return redirect("cadres:detail", pk=cadre_id)
    return render_form(
        request,
        form,
        title=_("Delete the test"),
        cancel_url=reverse("cadres:test", args=[test.pk]),
        subject=test.cadre,
        intro=_("Only a test recorded in error is deleted; its answers go with it."),
        submit_label=_("Delete"),
    )


@named_reader
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate of a training passed, as a page to print or (``?format=pdf``) a PDF."""
    test = selectors.test_get(user=request.user, pk=pk)
    if not selectors.is_certified(test):
        raise Http404
    assert test.training is not None  # noqa: S101 - is_certified checked it
    context = {
        "test": test,
        "cadre": test.cadre,
        "training": test.training,
        "topics": [
            label
            for value, label in Topic.choices
            if value in selectors.training_topics(test.training)
        ],
        "place": test.training.area,
        "number": f"{test.pk:05d}/KADER/{test.taken_on:%Y}",
    }
    if request.GET.get("format") == "pdf":
        # Imported here: WeasyPrint loads Pango when imported.
        from weasyprint import HTML

        html = render_to_string(CERTIFICATE_TEMPLATE, {**context, "for_pdf": True}, request)
        response = HttpResponse(
            bytes(HTML(string=html).write_pdf()), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="sertifikat-{test.pk}.pdf"'
        return response
    return render(request, CERTIFICATE_TEMPLATE, context)


# -- Knowledge gaps and the dashboard ----------------------------------------------------------------


@named_reader
def knowledge_gap(request: HttpRequest) -> HttpResponse:
    area = area_or_first_root(request.user, request.GET.get("area") or None, NAMED)
    board = selectors.dashboard(area=area, today=timezone.localdate())
    context = {
        "board": board,
        "area": area,
        "ancestors": area_ancestors(area),
        "area_options": area_options(request.user, area, NAMED),
        "topics": Topic.choices,
        "below": selectors.cadres_below_pass_mark(user=request.user, area=area),
    }
    return render(request, "cadres/knowledge_gap.html", context)


@aggregate_reader
def dashboard(request: HttpRequest) -> HttpResponse:
    area = area_or_first_root(request.user, request.GET.get("area") or None, VIEW)
    # A village's incentive total can be one person's pay: shown to those who see the cadres.
    sees_names = scope_for(request.user).can(NAMED, area.code)
    board = selectors.dashboard(area=area, today=timezone.localdate(), incentives=sees_names)
    context: dict[str, Any] = {
        "board": board,
        "area": area,
        "area_options": area_options(request.user, area, VIEW),
        "topics": Topic.choices,
        "alerts": selectors.areas_without_cadre(
            user=request.user, within=area.code, capability=VIEW
        ).count(),
        "sees_names": sees_names,
    }
    return render(request, "cadres/dashboard.html", context)
