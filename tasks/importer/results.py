"""What a plan import did (or, in a dry run, would do)."""

from dataclasses import dataclass, field


@dataclass
class ImportResult:
    plan_slug: str = ""
    plan_created: bool = False
    plan_updated: bool = False
    sections_created: int = 0
    sections_updated: int = 0
    tasks_created: list[str] = field(default_factory=list)
    tasks_updated: list[str] = field(default_factory=list)
    tasks_unchanged: int = 0
    tasks_deleted: list[str] = field(default_factory=list)
    leaders_created: list[str] = field(default_factory=list)
    # written name -> task numbers where it appears, for names no record knew
    unresolved: dict[str, list[str]] = field(default_factory=dict)
    units_created: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.plan_created
            or self.plan_updated
            or self.sections_created
            or self.sections_updated
            or self.tasks_created
            or self.tasks_updated
            or self.tasks_deleted
        )

    def mark_updated(self, number: str) -> None:
        """A task counted as unchanged (or created) so far turned out to change after all."""
        if number not in self.tasks_created and number not in self.tasks_updated:
            self.tasks_updated.append(number)
            self.tasks_unchanged -= 1
