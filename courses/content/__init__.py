"""Import and export of resources and courses with every translation, question and
attachment, in the JSON format of docs/content-format.md."""
