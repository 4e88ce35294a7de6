"""``python -m sahel_events``: the same as the ``sahel-events`` command."""

from sahel_events.cli import main

main()
