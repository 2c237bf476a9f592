from enum import StrEnum


class RefreshAccessTokenGrantType(StrEnum):
    REFRESH_TOKEN = "refresh_token"

    def __str__(self) -> str:
        return str(self.value)
