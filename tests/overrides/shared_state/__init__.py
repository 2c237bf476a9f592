"""Tests of the state processes share through Redis: tokens and carrier pacing."""
