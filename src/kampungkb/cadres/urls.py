from django.urls import path

from kampungkb.cadres.views import knowledge, meetings, roster

app_name = "cadres"
urlpatterns = [
    path("", roster.cadre_list, name="list"),
    path("new/", roster.cadre_new, name="new"),
    path("<int:pk>/", roster.cadre_detail, name="detail"),
    path("<int:pk>/edit/", roster.cadre_edit, name="edit"),
    path("<int:pk>/deactivate/", roster.cadre_deactivate, name="deactivate"),
    path("<int:pk>/tests/new/", knowledge.test_new, name="test_new"),
    path("reregister/", roster.reregister, name="reregister"),
    path("teams/", roster.team_list, name="teams"),
    path("teams/new/", roster.team_new, name="team_new"),
    path("teams/<int:pk>/edit/", roster.team_edit, name="team_edit"),
    path("questions/", knowledge.question_list, name="questions"),
    path("trainings/", knowledge.training_list, name="trainings"),
    path("trainings/<int:pk>/", knowledge.training_detail, name="training"),
    path("trainings/<int:pk>/topics/", knowledge.training_topics, name="training_topics"),
    path("tests/<int:pk>/", knowledge.test_detail, name="test"),
    path("tests/<int:pk>/delete/", knowledge.test_delete, name="test_delete"),
    path("tests/<int:pk>/certificate/", knowledge.certificate, name="certificate"),
    path("knowledge/", knowledge.knowledge_gap, name="knowledge"),
    path("dashboard/", knowledge.dashboard, name="dashboard"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/open/", meetings.meeting_open, name="meeting_open"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/attendance/", meetings.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/items/new/", meetings.item_new, name="meeting_item_new"),
    path("meetings/<int:pk>/carry/", meetings.meeting_carry, name="meeting_carry"),
    path("meetings/items/<int:pk>/edit/", meetings.item_edit, name="meeting_item_edit"),
    path("meetings/items/<int:pk>/close/", meetings.item_close, name="meeting_item_close"),
    path("field-control/", meetings.field_control, name="field_control"),
]
