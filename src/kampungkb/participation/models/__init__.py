"""The participation app's records: survey instruments, surveys with their sampled respondents
and answers (``surveys``), field notes coded to dimensions and barriers (``notes``), and the
district's own suggested actions (``actions``)."""

from kampungkb.participation.models.actions import SuggestedActionEdit
from kampungkb.participation.models.notes import FieldNote, InformantRole, NoteCode, NoteKind
from kampungkb.participation.models.surveys import (
    Answer,
    Draw,
    Instrument,
    Item,
    Likert,
    Respondent,
    RespondentStatus,
    Survey,
)

__all__ = [
    "Answer",
    "Draw",
    "FieldNote",
    "InformantRole",
    "Instrument",
    "Item",
    "Likert",
    "NoteCode",
    "NoteKind",
    "Respondent",
    "RespondentStatus",
    "SuggestedActionEdit",
    "Survey",
]
