from enum import StrEnum


class CustomsDetailsBillType(StrEnum):
    DDP = "DDP"
    DDU = "DDU"

    def __str__(self) -> str:
        return str(self.value)
