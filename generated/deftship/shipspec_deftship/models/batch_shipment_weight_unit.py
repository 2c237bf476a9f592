from enum import StrEnum


class BatchShipmentWeightUnit(StrEnum):
    KG = "KG"
    LBS = "LBS"

    def __str__(self) -> str:
        return str(self.value)
