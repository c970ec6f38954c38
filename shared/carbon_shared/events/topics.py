"""Topic names: one topic per producing service, keyed by subject; one dead-letter topic per consumer."""

PRODUCERS = ("registry", "reporting", "allowance", "credit", "notify")


def topic_for(producer: str, prefix: str = "carbon.") -> str:
    return f"{prefix}{producer}.events"


def dead_letter_topic(consumer: str, prefix: str = "carbon.") -> str:
    return f"{prefix}{consumer}.dlq"
