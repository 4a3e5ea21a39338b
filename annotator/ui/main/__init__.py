"""The main window and its parts: :mod:`.window` wires the parts, builds the actions and lays out the docks; each
other module is one part with a narrow constructor that declares what it needs (the controller, the widgets it
drives, the settings, the :class:`~annotator.ui.dialogs.questions.Questions` it asks) and talks to the others through Qt
signals."""
