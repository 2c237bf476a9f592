from enum import StrEnum


class GetBatchStatus(StrEnum):
    COMPLETED = "completed"
    FAILED = "failed"
    INVALID = "invalid"
    VALID = "valid"

    def __str__(self) -> str:
        return str(self.value)
