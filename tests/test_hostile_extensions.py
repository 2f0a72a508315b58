"""The hostile walk over the deadline extension pages with a real application behind the ids
(the main walk, tests/test_hostile_walk.py, walks them too, with ids that find nothing)."""

import datetime

from django.utils import timezone

from tasks.models import ExtensionApplication

from . import hostile
from .test_hostile_walk import HostileWalkTests


class ExtensionPatternsWalkTests(HostileWalkTests):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.application = ExtensionApplication.objects.create(
            task=cls.task["1"],
            unit=cls.drc,
            applicant=cls.staff,
            applied_at=timezone.now(),
            reason="资金未到位",
            original_date=datetime.date(2022, 12, 31),
            requested_date=datetime.date(2023, 3, 31),
            year_note="跨年项目",
            state="pending_unit",
        )

    def walker(self) -> hostile.Walker:
        walker = super().walker()
        walker.path_values.update(
            {"application_id": self.application.pk, "decision": "approve", "number": "1"}
        )
        walker.field_values.update(
            {
                ("post", "requested_date"): "2022-09-30",
                ("post", "reason"): "资金未到位",
                ("post", "step"): "pending_unit",
            }
        )
        return walker

    def test_no_extension_url_answers_a_5xx_to_hostile_input_from_any_role(self):
        patterns = [p for p in hostile.url_patterns() if "extension" in p.label]
        self.assertEqual(len(patterns), 4)
        result = self.walker().walk(patterns)
        self.assertEqual(result.failures[:20], [])
        self.assertEqual({p.label for p in patterns} - result.exercised, set())
