from enum import StrEnum


class BatchStatus(StrEnum):
    COMPLETED = "completed"
    INVALID = "invalid"
    PROCESSING = "processing"
    READY = "ready"
    VALIDATING = "validating"

    def __str__(self) -> str:
        return str(self.value)
