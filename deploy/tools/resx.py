"""Writes .resx resource files from a table of texts (used by services/*/Resources/texts.py)."""
import os
from xml.sax.saxutils import escape

HEADER = """<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""


def write(folder, texts, suffixes=("", ".es", ".fr", ".ar")):
    """texts: key -> one text per suffix, in the order of suffixes."""
    for index, suffix in enumerate(suffixes):
        with open(os.path.join(folder, f"Text{suffix}.resx"), "w", encoding="utf-8") as out:
            out.write(HEADER)
            for key in sorted(texts):
                name = escape(key, {'"': "&quot;"})
                out.write(f'  <data name="{name}" xml:space="preserve"><value>{escape(texts[key][index])}</value></data>\n')
            out.write("</root>\n")
