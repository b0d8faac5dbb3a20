"""Event fan-out: in-process for one worker, Redis pub/sub across workers."""
