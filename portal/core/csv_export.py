"""CSV downloads of filtered listings.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @,
tab or carriage return) are prefixed with an apostrophe: a startup named
"=HYPERLINK(...)" must not become a link in someone's Excel.
"""

import csv
import io

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_response(filename, header, rows):
    buffer = io.StringIO()
    # A BOM so that Excel opens UTF-8 accents correctly.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
