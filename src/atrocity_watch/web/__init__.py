"""The web application (Django): the only layer of Atrocity Watch that imports Django."""
