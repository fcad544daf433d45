"""What the fixture scripts share: cell names, fixed zip entry times (so
that running a script again gives the same bytes), and saving documents
again through LibreOffice, as a department using it would."""

import os
import re
import shutil
import subprocess
import tempfile
import zipfile


def rc(ref):
    """'C7' -> (6, 2): row and column of a one-letter cell name, 0-based."""
    return int(ref[1:]) - 1, ord(ref[0]) - ord("A")


def fixed_timestamps(path, when):
    """Rewrites the package at `path` with every entry dated `when` (a
    datetime), and the modified time openpyxl/python-docx stamp into
    docProps/core.xml set to it as well."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(fixed, data)


def soffice():
    """LibreOffice's command, or None (then libreoffice/ is left as it is)."""
    found = shutil.which("soffice")
    if not found:
        print("soffice not found: libreoffice/ left as it is")
    return found


def resave(names, src, out, extra=None):
    """Opens each of `names` in `src` with LibreOffice and saves it again
    into `out` in the same format. `extra(tmp)` may convert more into the
    temporary folder and copy it out."""
    command = soffice()
    if not command:
        return
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            kind = "docx:MS Word 2007 XML" if name.endswith(".docx") else "xlsx:Calc MS Excel 2007 XML"
            subprocess.run(
                [command, "--headless", "--convert-to", kind, "--outdir", tmp, os.path.join(src, name)],
                check=True,
                capture_output=True,
            )
            shutil.copy(os.path.join(tmp, name), os.path.join(out, name))
        if extra:
            extra(command, tmp)
