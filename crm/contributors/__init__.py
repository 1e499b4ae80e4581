"""Contributor records: the people in the involvement bank, their needs,
consents and training, as coordinators see and edit them."""
