"""Reading what an eagerly run task returned."""


def outcome(result):
    """The task's return value. Celery's guard against waiting for a task inside another is
    one flag for the whole process, raised while any thread runs an eager task: with a live
    server's thread queueing one at that moment, a plain get() here would be refused."""
    return result.get(disable_sync_subtasks=False)
