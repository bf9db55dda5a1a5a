from django.urls import path

from kampungkb.participation.views import actions, barriers, notes, records, surveys
from kampungkb.participation.views import index as index_views

app_name = "participation"
urlpatterns = [
    path("", index_views.index, name="index"),
    path("records/", records.records, name="records"),
    path("barriers/", barriers.barriers, name="barriers"),
    path("actions/", actions.suggested_actions, name="actions"),
    # Surveys and field notes (decisions 0031, 0032).
    path("instruments/", surveys.instrument_list, name="instruments"),
    path("instruments/new/", surveys.instrument_create, name="instrument_create"),
    path("instruments/<int:pk>/", surveys.instrument_detail, name="instrument"),
    path("instruments/<int:pk>/edit/", surveys.instrument_edit, name="instrument_edit"),
    path("instruments/<int:pk>/copy/", surveys.instrument_copy, name="instrument_copy"),
    path("instruments/<int:pk>/items/new/", surveys.item_add, name="item_add"),
    path("items/<int:pk>/edit/", surveys.item_edit, name="item_edit"),
    path("items/<int:pk>/move/", surveys.item_move, name="item_move"),
    path("items/<int:pk>/delete/", surveys.item_delete, name="item_delete"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/new/", surveys.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey"),
    path("surveys/<int:pk>/xlsform/", surveys.survey_xlsform_download, name="survey_xlsform"),
    path("surveys/<int:pk>/import/", surveys.survey_import, name="survey_import"),
    path(
        "surveys/<int:pk>/respondents/<int:respondent>/",
        surveys.survey_answer,
        name="survey_answer",
    ),
    path("notes/", notes.note_matrix, name="notes"),
    path("notes/quotes/", notes.note_list, name="note_list"),
    path("notes/new/", notes.note_create, name="note_create"),
    path("notes/<int:pk>/edit/", notes.note_edit, name="note_edit"),
    path("notes/<int:pk>/delete/", notes.note_delete, name="note_delete"),
]
