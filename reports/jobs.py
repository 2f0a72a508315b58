"""Celery jobs of the reports app. Names say what they do; later issues add the roll-up."""

from celery import shared_task


@shared_task(name="reports.jobs.ping")
def ping(token: str = "") -> str:
    """Health check: proves a worker consumes from the broker and can run our code."""
    return f"pong {token}".strip()
