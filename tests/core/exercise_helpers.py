"""The four exercise services over one diary, under one name, as the exercises page has them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from companion.core import timekeeping
from companion.core.exercises.custom import CustomExerciseService
from companion.core.exercises.favourites import FavouriteService
from companion.core.exercises.service import ExerciseService
from companion.core.exercises.sessions import PracticeService
from companion.storage.database import Database


@dataclass(frozen=True)
class Exercises:
    library: ExerciseService
    practice: PracticeService
    favourites: FavouriteService
    custom: CustomExerciseService

    @classmethod
    def over(cls, db: Database, clock: Callable[[], datetime] = timekeeping.utcnow) -> Exercises:
        return cls(
            ExerciseService(db),
            PracticeService(db, clock=clock),
            FavouriteService(db, clock=clock),
            CustomExerciseService(db, clock=clock),
        )
