"""The task list and task page: filters, order as in the document, fixed query counts."""

from django.urls import reverse

from departments.models import Department
from leaders.models import Leader
from tasks.models import Plan, Section

from .base import BaseTestCase


class TaskPagesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = Plan.objects.get(year=2022)

    def setUp(self):
        self.client.force_login(self.office)

    def get_list(self, **params):
        return self.client.get(reverse("tasks:list"), {"plan": "2022", **params})

    def numbers(self, response):
        return [row.record.number for row in response.context["table"].page.object_list]

    def test_it_asks_anonymous_visitors_to_log_in(self):
        self.client.logout()
        response = self.client.get(reverse("tasks:list"))
        self.assertRedirects(response, reverse("login") + "?next=" + reverse("tasks:list"))

    def test_the_list_shows_the_first_page_in_document_order(self):
        response = self.get_list()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "共 146 项")
        self.assertEqual(self.numbers(response)[:8], ["1", "2", "3", "4", "5", "6", "6(1)", "6(2)"])
        self.assertEqual(len(self.numbers(response)), 50)

    def test_it_filters_by_section(self):
        section = Section.objects.get(plan=self.plan, number="八")
        response = self.get_list(section=section.pk)
        self.assertEqual(self.numbers(response)[0], "127")
        self.assertEqual(response.context["table"].paginator.count, 144 - 127 + 1)

    def test_it_filters_by_lead_leader(self):
        leader = Leader.objects.get(name="高宪栋")
        numbers = self.numbers(self.get_list(leader=leader.pk, per_page=200))
        self.assertIn("125", numbers)
        self.assertIn("56", numbers)
        self.assertNotIn("1", numbers)

    def test_it_filters_by_lead_unit(self):
        unit = Department.objects.get(name="区经济合作发展中心")
        numbers = self.numbers(self.get_list(lead_unit=unit.pk))
        self.assertIn("53", numbers)
        self.assertIn("54", numbers)
        self.assertNotIn("1", numbers)

    def test_the_involved_unit_filter_includes_tasks_through_groups(self):
        town = Department.objects.get(name="堂邑镇")
        numbers = self.numbers(self.get_list(unit=town.pk, per_page=200))
        # Task 1 names 各镇政府（街道办事处）, of which 堂邑镇 is a member.
        self.assertIn("1", numbers)
        # Task 15 names only 区政府各部门（单位） and 街道办事处.
        self.assertNotIn("15", numbers)

    def test_the_text_search_finds_words_and_numbers(self):
        self.assertEqual(self.numbers(self.get_list(q="5G")), ["32"])
        self.assertEqual(self.numbers(self.get_list(q="53")), ["53"])

    def test_it_sorts_by_section_descending(self):
        page = self.get_list(sort="-section").context["table"].page.object_list
        self.assertEqual({row.record.section.number for row in page[:18]}, {"八"})

    def test_a_year_with_no_plan_is_not_found(self):
        self.assertEqual(self.client.get(reverse("tasks:list"), {"plan": "1999"}).status_code, 404)

    def test_the_task_page_lists_responsibilities_in_document_order(self):
        response = self.client.get(reverse("tasks:detail", args=["2022", "125"]))
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        leaders = ["高宪栋", "梅永杰", "胡瑞恒", "赵亚秋"]
        positions = [body.index(name) for name in leaders]
        self.assertEqual(positions, sorted(positions))
        units = [
            "区总工会",
            "团区委",
            "区妇女联合会",
            "区残疾人联合会",
            "区对外友好协会",
            "区委统战部",
            "区气象局",
            "区关工委",
            "区外事办",
        ]
        positions = [body.index(name) for name in units]
        self.assertEqual(positions, sorted(positions))

    def test_the_task_page_of_a_sub_item_names_its_parent(self):
        response = self.client.get(reverse("tasks:detail", args=["2022", "6(2)"]))
        self.assertContains(response, "属于任务")
        self.assertContains(response, "区生态环境分局")

    def test_an_unknown_task_number_is_not_found(self):
        response = self.client.get(reverse("tasks:detail", args=["2022", "999"]))
        self.assertEqual(response.status_code, 404)
