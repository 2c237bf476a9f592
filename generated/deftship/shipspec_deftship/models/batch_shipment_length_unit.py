from enum import StrEnum


class BatchShipmentLengthUnit(StrEnum):
    CM = "CM"
    IN = "IN"

    def __str__(self) -> str:
        return str(self.value)
