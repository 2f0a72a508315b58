"""Resolving unit names as documents and spreadsheets write them to departments and groups."""

from dataclasses import dataclass, field

from .models import Department, DepartmentAlias, UnitGroup, UnitGroupAlias
from .naming import guess_kind, looks_collective, normalize_name


@dataclass
class UnitResolver:
    """Maps normalised names to Department or UnitGroup objects, loaded in four queries."""

    departments: dict[str, Department] = field(default_factory=dict)
    groups: dict[str, UnitGroup] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "UnitResolver":
        resolver = cls()
        for department in Department.objects.all():
            resolver.departments[normalize_name(department.name)] = department
        for alias in DepartmentAlias.objects.select_related("department"):
            resolver.departments.setdefault(normalize_name(alias.name), alias.department)
        for group in UnitGroup.objects.all():
            resolver.groups[normalize_name(group.name)] = group
        for alias in UnitGroupAlias.objects.select_related("group"):
            resolver.groups.setdefault(normalize_name(alias.name), alias.group)
        return resolver

    def resolve(self, written: str) -> Department | UnitGroup | None:
        key = normalize_name(written)
        return self.departments.get(key) or self.groups.get(key)

    def create(self, written: str) -> Department | UnitGroup:
        """Register a name no record knows yet, so a new district's plan can be imported."""
        name = normalize_name(written)
        if looks_collective(name):
            obj = UnitGroup.objects.create(name=name, sort_order=1000)
            self.groups[name] = obj
        else:
            obj = Department.objects.create(name=name, kind=guess_kind(name), sort_order=1000)
            self.departments[name] = obj
        return obj
