"""Converts the corpus's Word and Excel submissions (../corpus, made by
make_corpus.py) into the older and other formats departments send, with
LibreOffice as the producer: .docx -> .doc, .odt and .pdf; .xlsx -> .xls
and .ods. tests/converted.rs checks that each converted file gives the
same findings as its original. Run from anywhere: python3 convert.py."""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "corpus")

# LibreOffice's filter for each target, by the original's extension.
TARGETS = {
    ".docx": [("doc", "doc:MS Word 97"), ("odt", "odt:writer8"), ("pdf", "pdf:writer_pdf_Export")],
    ".xlsx": [("xls", "xls:MS Excel 97"), ("ods", "ods:calc8")],
}


def main():
    command = shutil.which("soffice")
    if not command:
        sys.exit("soffice not found: install libreoffice-writer-nogui libreoffice-calc-nogui")
    names = sorted(n for n in os.listdir(CORPUS) if os.path.splitext(n)[1] in TARGETS)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            stem, ext = os.path.splitext(name)
            for target, filt in TARGETS[ext]:
                subprocess.run(
                    [command, "--headless", "--convert-to", filt, "--outdir", tmp, os.path.join(CORPUS, name)],
                    check=True,
                    capture_output=True,
                )
                shutil.copy(os.path.join(tmp, f"{stem}.{target}"), os.path.join(HERE, f"{stem}.{target}"))
                print(f"{name} -> {stem}.{target}")


if __name__ == "__main__":
    main()
