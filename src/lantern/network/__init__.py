"""The picture: the link graph of resolved people, vehicles, phones, places and
reports; groups of suspects; priority of subjects; risk of children; alerts."""
