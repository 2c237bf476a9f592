"""The carrier-neutral shipping API: capabilities, results and the batch runner."""
