"""What the app asks and tells: the Questions protocol and its dialogs, message boxes, the export and import dialogs,
the shortcut sheet.
"""
