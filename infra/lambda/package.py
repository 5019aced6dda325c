#!/usr/bin/env python3
"""Packs the Lambda `bootstrap` binary into a deployment zip that depends only on the binary.

cargo-lambda's own zip stamps the build time on its entry, so two builds of the same source
differ. This zip has one entry, `bootstrap`, with a fixed mode (0755) and the time of
SOURCE_DATE_EPOCH (the last commit), so equal binaries give byte-equal zips.

Usage: package.py BINARY ZIP
"""

import os
import sys
import time
import zipfile


def main(binary: str, archive: str) -> None:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip times start in 1980
    entry = zipfile.ZipInfo("bootstrap", date_time=stamp)
    entry.external_attr = (0o100755 & 0xFFFF) << 16
    entry.create_system = 3  # Unix, so that the mode is honoured
    entry.compress_type = zipfile.ZIP_DEFLATED
    with open(binary, "rb") as source:
        data = source.read()
    temporary = archive + ".partial"
    with zipfile.ZipFile(temporary, "w") as zip_file:
        zip_file.writestr(entry, data, compresslevel=9)
    os.replace(temporary, archive)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
