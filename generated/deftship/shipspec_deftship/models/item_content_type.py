from enum import StrEnum


class ItemContentType(StrEnum):
    DOCUMENTS = "Documents"
    GIFT = "Gift"
    MERCHANDISE = "Merchandise"
    SAMPLE = "Sample"

    def __str__(self) -> str:
        return str(self.value)
