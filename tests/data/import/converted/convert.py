"""Converts the corpus's Word and Excel submissions (../corpus, made by
make_corpus.py) into the older and other formats departments send, with
LibreOffice as the producer: .docx -> .doc, .odt and .pdf; .xlsx -> .xls
and .ods; and into unreadable/ a PDF with an open password (LibreOffice)
and a scan-like PDF of one image page (written here). tests/converted.rs
checks that each converted file gives the same findings as its original,
and that the unreadable ones say what to send. Run from anywhere:
python3 convert.py [NAME ...] (names given: only those originals are
converted, and unreadable/ is left as it is)."""

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


def encrypted(command, tmp):
    """A PDF with an open password, as LibreOffice exports it."""
    options = '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"2023"}}'
    subprocess.run(
        [command, "--headless", "--convert-to", "pdf:writer_pdf_Export:" + options, "--outdir", tmp,
         os.path.join(CORPUS, "w01-prose-explained.docx")],
        check=True,
        capture_output=True,
    )
    shutil.copy(os.path.join(tmp, "w01-prose-explained.pdf"), os.path.join(HERE, "unreadable", "encrypted.pdf"))


def scanned():
    """A PDF as a scanner makes it: each page one image, no text layer
    (a grey page of 200 x 280 pixels)."""
    width, height = 200, 280
    pixels = bytes([200]) * (width * height)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n"
        % (width, height, len(pixels)) + pixels + b"\nendstream",
    ]
    content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(os.path.join(HERE, "unreadable", "scanned.pdf"), "wb") as f:
        f.write(out)


def main():
    command = shutil.which("soffice")
    if not command:
        sys.exit("soffice not found: install libreoffice-writer-nogui libreoffice-calc-nogui")
    os.makedirs(os.path.join(HERE, "unreadable"), exist_ok=True)
    names = sys.argv[1:] or sorted(n for n in os.listdir(CORPUS) if os.path.splitext(n)[1] in TARGETS)
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
        if not sys.argv[1:]:
            encrypted(command, tmp)
    if not sys.argv[1:]:
        scanned()


if __name__ == "__main__":
    main()
