"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/.

Third-party clients list our public categories as services, file service requests with an API key
and follow their status. Formats by extension (`.json`, `.xml`), errors as the specification's list
of {code, description}. Private categories and reporters' details never appear here.
"""
